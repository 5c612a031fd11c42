/**
 * Property tests for parseLog: arbitrary text and bytes, real logs damaged in every way a paste or a
 * CI runner damages them, and every byte-prefix of a short real log. parseLog must never throw,
 * must return valid enum values and finite numbers, and must say something when it reads nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLog } from "../../lib/parse/log/index";
import { generateSmallBuild } from "../../bench/generate";
import { checkParsedLog, realLogs, runs, smallRealLogs } from "./helpers";
import { applyOps, interleave, lineOp, noiseLine, shuffleLines } from "./mutate";

const generated = [1, 2, 3].flatMap((seed) => (["plain", "old", "rawjson", "rawjson-lines"] as const).map((f) => generateSmallBuild(seed, f).log));
const bases = () => [...smallRealLogs().map((l) => l.text), ...generated];

function parseOk(input: string | Uint8Array) {
  const p = parseLog(input);
  checkParsedLog(p);
  return p;
}

describe("parseLog properties", () => {
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: "binary", maxLength: 400 }), fc.array(noiseLine, { maxLength: 40 }).map((ls) => ls.join("\n"))), (s) => {
        const p = parseOk(s);
        if (p.format === "unknown" && /\S/.test(s) && p.builds.every((b) => b.vertices.length === 0)) {
          // Unreadable input must be explained, not silently empty.
          expect(p.diagnostics.length, "a diagnostic for unreadable input").toBeGreaterThan(0);
        }
      }),
      runs(300),
    );
  });

  it("never throws on arbitrary bytes (NUL, invalid UTF-8, BOMs, UTF-16)", () => {
    const bom = fc.constantFrom(new Uint8Array([]), new Uint8Array([0xef, 0xbb, 0xbf]), new Uint8Array([0xff, 0xfe]), new Uint8Array([0xfe, 0xff]));
    fc.assert(
      fc.property(bom, fc.uint8Array({ maxLength: 2000 }), (b, body) => {
        const bytes = new Uint8Array(b.length + body.length);
        bytes.set(b);
        bytes.set(body, b.length);
        const copy = bytes.slice();
        parseOk(bytes);
        expect(bytes, "input bytes not mutated").toEqual(copy);
      }),
      runs(200),
    );
  });

  it("real logs with lines dropped, duplicated, swapped, cut, CRLF/ANSI and foreign lines injected", () => {
    const logs = bases();
    fc.assert(
      fc.property(fc.constantFrom(...logs), fc.array(lineOp, { minLength: 1, maxLength: 12 }), (log, ops) => {
        parseOk(applyOps(log, ops));
      }),
      runs(300),
    );
  });

  it("real logs shuffled and interleaved with each other", () => {
    const logs = bases();
    fc.assert(
      fc.property(fc.constantFrom(...logs), fc.constantFrom(...logs), fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, seed, keep) => {
        parseOk(shuffleLines(a, seed, keep));
        parseOk(interleave(a, b, seed));
      }),
      runs(120),
    );
  });

  it("every real log (fixtures and corpus) parses cleanly as bytes and as text, also as UTF-16 and CRLF", () => {
    for (const l of realLogs()) {
      const p = parseOk(l.bytes);
      parseOk(l.text);
      parseOk(l.text.replace(/\n/g, "\r\n"));
      if (l.bytes.length < 200_000) {
        const u16 = new Uint8Array(2 + l.text.length * 2);
        u16.set([0xff, 0xfe]);
        for (let i = 0; i < l.text.length; i++) {
          const c = l.text.charCodeAt(i);
          u16[2 + 2 * i] = c & 0xff;
          u16[3 + 2 * i] = c >> 8;
        }
        const q = parseOk(u16);
        expect(q.format, `${l.name}: UTF-16LE reads like UTF-8`).toBe(p.format);
      }
    }
  });

  it("every byte prefix of a short real log (cut anywhere, even inside a UTF-8 sequence)", () => {
    const short = [...smallRealLogs(4096)].sort((a, b) => a.bytes.length - b.bytes.length).find((l) => l.bytes.length >= 600);
    const samples = [short?.bytes, new TextEncoder().encode(generateSmallBuild(4, "rawjson").log.slice(0, 6000))].filter(Boolean) as Uint8Array[];
    for (const bytes of samples) {
      for (let i = 0; i <= bytes.length; i++) {
        const p = parseLog(bytes.subarray(0, i));
        // Cheap checks per prefix; the full invariant set every 50 bytes.
        if (i % 50 === 0 || i === bytes.length) checkParsedLog(p);
        else for (const b of p.builds) for (const v of b.vertices) expect(["cached", "done", "error", "canceled", "running"]).toContain(v.status);
      }
    }
  });
});
