import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildProgram, main } from "./main";
import { SCENARIO_ROOT } from "../test/scenarios";

/** Runs the CLI in-process and captures what it prints, like a person at a terminal would see it. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await main(["node", "cachescope", ...args]);
    return { code, out, err };
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
}

const tmp = mkdtempSync(path.join(tmpdir(), "cachescope-cli-"));
const write = (name: string, data: string | Uint8Array) => {
  const p = path.join(tmp, name);
  writeFileSync(p, data);
  return p;
};
const sc = (slug: string, file: string) => path.join(SCENARIO_ROOT, slug, file);
const haveScenario = existsSync(sc("01-source-file-changed", "after.log"));

describe("cachescope analyze: bad input gives exit 2 and one located line", () => {
  it.each([
    ["an empty file", ""],
    ["binary bytes", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0xff, 0xfe, 0x00, 0x00])],
    ["the log of something else", "npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\nnpm ERR! app@1.0.0 build: `tsc`\n"],
  ])("%s", async (_name, data) => {
    const r = await run(["analyze", "--log", write(`bad-${_name.replace(/\W/g, "")}.log`, data)]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    const lines = r.err.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cachescope: .+/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a missing file", async () => {
    const r = await run(["analyze", "--log", path.join(tmp, "nope.log")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.log: no such file/);
  });

  it("an unknown format", async () => {
    const r = await run(["analyze", "--log", write("x.log", "#1 [1/1] FROM a\n#1 DONE 0.1s\n"), "--format", "yaml"]);
    expect(r.code).toBe(2);
  });

  it("a binary Dockerfile", async () => {
    const r = await run(["analyze", "--log", write("y.log", "#1 [1/1] FROM a\n#1 DONE 0.1s\n"), "--dockerfile", write("bin.Dockerfile", new Uint8Array([0, 1, 2, 0]))]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/binary/);
  });
});

describe.skipIf(!haveScenario)("cachescope analyze on captured real builds", () => {
  it("prints JSON that follows the report contract", async () => {
    const r = await run(["analyze", "--log", sc("01-source-file-changed", "after.log"), "--dockerfile", sc("01-source-file-changed", "Dockerfile"), "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.schemaVersion).toBe(1);
    expect(report.input).toMatchObject({ logFormat: "plain", hasDockerfile: true, buildsInLog: 1 });
    for (const s of report.steps) {
      expect(s).toHaveProperty("stageIndex");
      expect(s).toHaveProperty("position");
      expect(s).toHaveProperty("of");
      expect(["cached", "rebuilt", "error", "canceled", "unfinished", "not-run"]).toContain(s.status);
    }
    expect(report.summary.rebuilt).toBeGreaterThan(0);
  });

  it("a truncated log still gives a partial report (exit 0) with a diagnostic", async () => {
    const full = readFileSync(sc("01-source-file-changed", "after.log"), "utf8");
    const cut = full.slice(0, Math.floor(full.length * 0.6));
    const r = await run(["analyze", "--log", write("cut.log", cut), "--dockerfile", sc("01-source-file-changed", "Dockerfile"), "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.build.status).toBe("incomplete");
    expect(report.steps.some((s: { status: string }) => s.status === "not-run" || s.status === "unfinished")).toBe(true);
  });

  it("a Dockerfile with syntax errors still gives a report with located diagnostics", async () => {
    const df = readFileSync(sc("01-source-file-changed", "Dockerfile"), "utf8") + "\nFROBNICATE everything\nCOPY\n";
    const r = await run(["analyze", "--log", sc("01-source-file-changed", "after.log"), "--dockerfile", write("broken.Dockerfile", df), "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    const dfDiags = report.diagnostics.filter((d: { source: string }) => d.source === "dockerfile");
    expect(dfDiags.length).toBeGreaterThan(0);
    expect(dfDiags.every((d: { line: number | null }) => typeof d.line === "number")).toBe(true);
  });

  it("writes text, markdown and svg, and --out writes a file", async () => {
    const base = ["analyze", "--log", sc("01-source-file-changed", "after.log"), "--dockerfile", sc("01-source-file-changed", "Dockerfile")];
    const text = await run(base);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/COPY \. \./);
    const md = await run([...base, "--format", "markdown", "--share-base", "https://cachescope.example/r/abc"]);
    expect(md.out).toMatch(/```mermaid/);
    expect(md.out).toContain("https://cachescope.example/r/abc");
    const svg = await run([...base, "--format", "svg"]);
    expect(svg.out.trimStart()).toMatch(/^<svg/);
    const out = path.join(tmp, "report.json");
    const file = await run([...base, "--format", "json", "--out", out]);
    expect(file.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).schemaVersion).toBe(1);
  });
});

describe("cachescope --help", () => {
  it("lists the analyze command and its options", async () => {
    let out = "";
    const program = buildProgram({ out: (s) => (out += s), err: (s) => (out += s) });
    await expect(program.parseAsync(["node", "cachescope", "analyze", "--help"])).rejects.toThrow();
    for (const flag of ["--log", "--dockerfile", "--previous-log", "--previous-dockerfile", "--image", "--build", "--format", "--out", "--share-base"]) expect(out).toContain(flag);
  });
});
