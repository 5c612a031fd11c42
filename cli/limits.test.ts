import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputLimitError, parseByteSize, readInputLimited } from "./limits";

const dir = mkdtempSync(path.join(tmpdir(), "cachescope-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("CLI input limits", () => {
  it("parses sizes", () => {
    expect(parseByteSize("256MB")).toBe(256 * 1024 * 1024);
    expect(parseByteSize("1g")).toBe(1024 ** 3);
    expect(parseByteSize("64KiB")).toBe(65536);
    expect(parseByteSize("4096")).toBe(4096);
    for (const bad of ["", "abc", "-1", "0", "1x"]) expect(parseByteSize(bad), bad).toBeNull();
  });

  it("refuses /dev/zero after its first 64 KiB, politely", async () => {
    await expect(readInputLimited("/dev/zero", "log", 1024 ** 3)).rejects.toThrow(/NUL bytes — this is binary data.*Stopped reading/);
  });

  it("stops reading an endless device at the cap", async () => {
    const err = await readInputLimited("/dev/urandom", "log", 3 * 1024 * 1024).catch((e) => e);
    expect(err).toBeInstanceOf(InputLimitError);
    expect(String(err.message)).toMatch(/goes on past the limit of 3 MiB \(--max-bytes\); stopped reading there/);
  });

  it("refuses a regular file over the cap from its size", async () => {
    const f = path.join(dir, "big.log");
    writeFileSync(f, "x".repeat(2 * 1024 * 1024));
    await expect(readInputLimited(f, "log", 1024 * 1024)).rejects.toThrow(/is 2 MiB, more than the limit of 1 MiB/);
    expect((await readInputLimited(f, "log", 4 * 1024 * 1024)).byteLength).toBe(2 * 1024 * 1024);
  });
});

import { buildProgram } from "./main";

async function cli(args: string[]): Promise<{ out: string; err: string; error: unknown }> {
  let out = "";
  let err = "";
  const program = buildProgram({ out: (s) => void (out += s), err: (s) => void (err += s) });
  let error: unknown = null;
  try {
    await program.parseAsync(["node", "cachescope", ...args]);
  } catch (e) {
    error = e;
  }
  return { out, err, error };
}

describe("CLI hooks", () => {
  const log = path.join(dir, "planted.log");
  const token = "ghp_FAKE0gh28ClassicABCDEFGHIJKLMNOPQRSTU";
  writeFileSync(
    log,
    ['#0 building with "default" instance using docker driver', "", "#1 [1/2] FROM docker.io/library/alpine", "#1 DONE 0.0s", "", `#2 [2/2] RUN echo ${token}`, `#2 0.1 ${token}`, "#2 DONE 0.1s", ""].join("\n"),
  );

  it("--redact removes secrets from json and text output; markdown always", async () => {
    for (const format of ["json", "text"]) {
      const r = await cli(["analyze", "--log", log, "--format", format, "--redact"]);
      expect(r.error).toBeNull();
      expect(r.out).not.toContain(token);
      expect(r.err).toMatch(/redacted before rendering: .*GitHub token/);
    }
    const md = await cli(["analyze", "--log", log, "--format", "markdown"]);
    expect(md.out).not.toContain(token);
  });

  it("--max-bytes refuses a log over the cap with the reason", async () => {
    const r = await cli(["analyze", "--log", log, "--max-bytes", "100"]);
    expect(String((r.error as Error)?.message)).toMatch(/more than the limit of 100 bytes \(--max-bytes\)/);
    const bad = await cli(["analyze", "--log", log, "--max-bytes", "lots"]);
    expect(String((bad.error as Error)?.message)).toMatch(/expected a size/);
  });
});
