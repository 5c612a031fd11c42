/**
 * fast-check arbitraries that damage real logs the way copy-paste, CI runners and people do:
 * lines dropped, duplicated, swapped, shuffled, cut short; foreign lines interleaved; CRLF and ANSI
 * codes injected; several logs interleaved.
 */
import fc from "fast-check";
import { prng } from "../../bench/generate";

export const NOISE_LINES = [
  "",
  "#1 ...",
  "#0 building with \"default\" instance using docker driver",
  "##[group]Run docker/build-push-action@v6",
  "##[endgroup]",
  "2025-01-05T18:29:13.0319276Z #5 DONE 0.1s",
  "\u001b[0Ksection_start:1700000000:build[collapsed=true]\r\u001b[0KBuilding",
  "Step 1/3 : FROM alpine",
  " ---> Using cache",
  " ---> 1a2b3c4d5e6f",
  "Sending build context to Docker daemon  4.096kB",
  "{\"vertexes\":[",
  "}",
  "]}",
  "{\"stream\":\"Step 1/2 : FROM x\\n\"}",
  "ERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1",
  "------",
  " > [build 2/3] RUN make:",
  "Dockerfile:7",
  "   7 | >>> RUN npm run build",
  "#99999999999999999999999 CACHED",
  "#-1 DONE 1.0s",
  "#3 DONE NaNs",
  "#3 DONE 1e308s",
  "#3 DONE 99999999999999999999999999999.9s",
  "#4 ERROR: ",
  "#4 CANCELED",
  "#5 [stage-0 99999999999/1] RUN x",
  "#5 [ 0/0] FROM",
  "#5 [] ",
  "#5 [a b c d e f 1/2] COPY . .",
  "#6 sha256:abc 99999999999999999999.99EB / 1B 0.1s done",
  "#6 sha256:abc -5MB / 3MB",
  "#7 transferring context: 1.52MB 0.1s done",
  "#7 1e999 output",
  "#7 0.1",
  "#***",
  "#8 WARN: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 99999999999)",
  "WARNING: local cache import at /x not found due to err: could not read /x/index.json",
  "__proto__",
  "#9 [__proto__ 1/2] RUN constructor",
  "#10 [constructor 1/1] FROM toString",
  "npm WARN deprecated x@1.0.0",
  "\u0000\u0000\u0000",
  "\ufeff#1 [internal] load build definition from Dockerfile",
  "\ud800 lone surrogate",
];

const ANSI = ["\u001b[0m", "\u001b[33m", "\u001b[1;31m", "\u001b[2K", "\u001b[1A", "\u001b]8;;http://x\u0007", "\u001b[", "\u001b", "\r"];

export const noiseLine = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NOISE_LINES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(60), fc.string({ maxLength: 40 })).map(([n, s]) => `#${n} ${s}`) },
);

export type LineOp =
  | { k: "drop"; at: number; n: number }
  | { k: "dup"; at: number; n: number }
  | { k: "swap"; a: number; b: number }
  | { k: "insert"; at: number; text: string }
  | { k: "crlf"; at: number; n: number }
  | { k: "ansi"; at: number; pos: number; code: string }
  | { k: "cut"; at: number; len: number };

export const lineOp: fc.Arbitrary<LineOp> = fc.oneof(
  fc.record({ k: fc.constant("drop" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ k: fc.constant("dup" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ k: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant("insert" as const), at: fc.nat(), text: noiseLine }),
  fc.record({ k: fc.constant("crlf" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ k: fc.constant("ansi" as const), at: fc.nat(), pos: fc.nat(), code: fc.constantFrom(...ANSI) }),
  fc.record({ k: fc.constant("cut" as const), at: fc.nat(), len: fc.nat(30) }),
);

export function applyOps(text: string, ops: LineOp[]): string {
  const lines = text.split("\n");
  for (const op of ops) {
    const L = lines.length || 1;
    switch (op.k) {
      case "drop":
        lines.splice(op.at % L, op.n);
        break;
      case "dup":
        lines.splice(op.at % L, 0, ...lines.slice(op.at % L, (op.at % L) + op.n));
        break;
      case "swap": {
        const a = op.a % L;
        const b = op.b % L;
        [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
        break;
      }
      case "insert":
        lines.splice(op.at % (L + 1), 0, op.text);
        break;
      case "crlf":
        for (let i = op.at % L; i < Math.min(lines.length, (op.at % L) + op.n); i++) lines[i] += "\r";
        break;
      case "ansi": {
        const i = op.at % L;
        const s = lines[i] ?? "";
        const p = op.pos % (s.length + 1);
        lines[i] = s.slice(0, p) + op.code + s.slice(p);
        break;
      }
      case "cut": {
        const i = op.at % L;
        lines[i] = (lines[i] ?? "").slice(0, op.len);
        break;
      }
    }
  }
  return lines.join("\n");
}

/** Deterministic shuffle of the lines, keeping `keep` of them in place (0..1). */
export function shuffleLines(text: string, seed: number, keep: number): string {
  const r = prng(seed);
  const lines = text.split("\n");
  for (let i = lines.length - 1; i > 0; i--) {
    if (r() < keep) continue;
    const j = Math.floor(r() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return lines.join("\n");
}

/** Interleave the lines of two logs in random runs (two builds printed to one CI log). */
export function interleave(a: string, b: string, seed: number): string {
  const r = prng(seed);
  const A = a.split("\n");
  const B = b.split("\n");
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < A.length || j < B.length) {
    const fromA = j >= B.length || (i < A.length && r() < 0.5);
    const run = 1 + Math.floor(r() * 5);
    for (let k = 0; k < run; k++) {
      if (fromA && i < A.length) out.push(A[i++]!);
      else if (!fromA && j < B.length) out.push(B[j++]!);
    }
  }
  return out.join("\n");
}
