import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLog } from "./index";
import { LogParser } from "./stream";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..", "..");

/** Every captured log: the scenarios, and the shared corpus when it is there. */
function realLogs(): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = [];
  const scenarios = path.join(root, "fixtures", "scenarios");
  for (const d of readdirSync(scenarios)) {
    const dir = path.join(scenarios, d);
    if (!existsSync(path.join(dir, "expected.json"))) continue;
    for (const f of readdirSync(dir)) if (f.endsWith(".log")) out.push({ name: `${d}/${f}`, bytes: new Uint8Array(readFileSync(path.join(dir, f))) });
  }
  const corpus = path.resolve(root, "..", "shared", "corpus");
  if (existsSync(corpus)) {
    for (const d of readdirSync(corpus)) {
      const dir = path.join(corpus, d);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir)) if (/\.(log|txt|json)$/.test(f) && f !== "expected.json") out.push({ name: `corpus/${d}/${f}`, bytes: new Uint8Array(readFileSync(path.join(dir, f))) });
    }
  }
  return out;
}

function chunked(bytes: Uint8Array, size: number): ReturnType<typeof parseLog> {
  const p = new LogParser();
  for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
  return p.end();
}

function utf16le(text: string, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let o = 0;
  const put = (c: number) => {
    out[o++] = c & 0xff;
    out[o++] = c >> 8;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
  return out;
}

describe("LogParser (streaming)", () => {
  const logs = realLogs();

  it("gives exactly what parseLog gives on the whole text, whatever the chunk size (every real log)", () => {
    expect(logs.length).toBeGreaterThan(20);
    for (const { name, bytes } of logs) {
      const whole = parseLog(bytes);
      for (const size of [1, 3, 4095, 4097, 65536]) {
        if (size < 64 && bytes.length > 200_000) continue;
        expect(chunked(bytes, size), `${name} in ${size}-byte chunks`).toEqual(whole);
      }
    }
  });

  it("text chunks give what the whole text gives", () => {
    for (const { name, bytes } of logs.slice(0, 12)) {
      const text = new TextDecoder().decode(bytes);
      const p = new LogParser();
      for (let i = 0; i < text.length; i += 777) p.push(text.slice(i, i + 777));
      expect(p.end(), name).toEqual(parseLog(text));
    }
  });

  it("UTF-16 (with and without BOM) and CRLF survive any chunk boundary", () => {
    const { bytes } = logs[0]!;
    const text = new TextDecoder().decode(bytes);
    const reference = parseLog(text);
    for (const bom of [true, false]) {
      const u16 = utf16le(text, bom);
      for (const size of [1, 5, 4096]) expect(chunked(u16, size).builds).toEqual(reference.builds);
    }
    const crlf = new TextEncoder().encode(text.replace(/\n/g, "\r\n"));
    for (const size of [1, 2, 4097]) expect(chunked(crlf, size).builds).toEqual(parseLog(crlf).builds);
  });

  it("keeps no chunk alive through a kept output line or name (the output tail owns its text)", () => {
    const lines = ["#1 [a 1/2] FROM x", "#1 DONE 0.1s", "#2 [a 2/2] RUN long"];
    for (let i = 0; i < 200; i++) lines.push(`#2 ${(i / 10).toFixed(3)} output line number ${i} with some text`);
    lines.push("#2 DONE 20.0s");
    const p = new LogParser();
    for (const l of lines) p.push(l + "\n");
    const v = p.end().builds[0]!.vertices[1]!;
    expect(v.outputLineCount).toBe(200);
    expect(v.output.at(-1)).toEqual({ t: 19.9, text: "output line number 199 with some text" });
  });

  it("empty and blank input, pushed in pieces", () => {
    const p = new LogParser();
    p.push("  ").push(new Uint8Array(0)).push("\n\n");
    const r = p.end();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["log/empty"]);
    expect(r.lineCount).toBe(3);
    expect(new LogParser().end().lineCount).toBe(0);
  });
});

describe("LogParser decoding at chunk boundaries", () => {
  it("a multi-byte character cut by any chunk boundary decodes as in one piece", () => {
    const text = "#1 [a 1/2] FROM x\n#1 DONE 0.1s\n#2 [a 2/2] RUN x\n" + Array.from({ length: 30 }, (_, i) => `#2 0.${i} ünïcödé 日本語 🚀 ${i}\n`).join("") + "#2 DONE 1.0s\n";
    const bytes = new TextEncoder().encode(text);
    const whole = parseLog(bytes);
    for (const size of [1, 2, 3, 5, 7]) expect(chunked(bytes, size)).toEqual(whole);
    expect(whole.builds[0]!.vertices[1]!.output.at(-1)!.text).toBe("ünïcödé 日本語 🚀 29");
  });
});
