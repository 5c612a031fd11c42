import { describe, expect, it } from "vitest";
import { parseLog } from "./index";

describe("parseLog", () => {
  it("empty input: format unknown with an error diagnostic", () => {
    for (const input of ["", "  \n\n", new Uint8Array(0)]) {
      const p = parseLog(input);
      expect(p.format).toBe("unknown");
      expect(p.builds).toEqual([]);
      expect(p.diagnostics.map((d) => [d.severity, d.code])).toEqual([["error", "log/empty"]]);
    }
  });

  it("text that is not a build log", () => {
    const p = parseLog("hello\nworld\n");
    expect(p.format).toBe("unknown");
    expect(p.lineCount).toBe(3);
    expect(p.diagnostics).toEqual([
      expect.objectContaining({ severity: "error", source: "log", line: 1, code: "log/unrecognised", message: expect.stringMatching(/^this does not look like a Docker build log/) }),
    ]);
  });

  it("tty progress is recognised and refused with advice", () => {
    const p = parseLog("[+] Building 12.3s (15/15) FINISHED\n => [internal] load build definition from Dockerfile  0.0s\n");
    expect(p.diagnostics[0]).toMatchObject({ code: "log/tty", line: 1 });
  });

  it("never throws, even on odd input", () => {
    const odd = ["#", "# ", "#1", "#1 ", "#0 ", "#***", "{", "[", "{\"vertexes\":", "Step 1/ : ", "\u0000\u0000", "\r\r\r", "#1 [x 1/2]", "#1 DONE xs", "#1 ERROR", "------\n------", "Dockerfile:1\n--------------------"];
    for (const s of odd) expect(() => parseLog(s)).not.toThrow();
  });

  it("a huge single line is not echoed back whole", () => {
    const p = parseLog("#1 " + "x".repeat(200_000));
    expect(p.builds[0].vertices[0].name.length).toBeLessThan(5000);
  });
});
