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
