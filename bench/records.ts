/**
 * Bench rows for build records: decoding a `.dockerbuild` (readRecordInput: gunzip, untar, OCI
 * index, status stream protobuf, provenance → digest) and the whole analysis of it, against the
 * floor of the bare gunzip + untar of the same bundle (fflate + nanotar, nothing read). Inputs are
 * the captured bundles in fixtures/records/ (the large one: 40 stages × 4 RUNs × 150 output lines).
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "fflate";
import { parseTar } from "nanotar";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, "..", "fixtures", "records");
/** Decoding may cost this many times the bare gunzip+untar (it reads every message of the stream). */
export const TARGET_RECORD_RATIO = 20;

const INPUTS = [
  ["one record (r09, 16 steps)", "r09-parallel-stages/after.dockerbuild"],
  ["6-record history (export --all)", "history/history.dockerbuild"],
  ["large record (200 RUN steps, 30k output lines)", "large/large.dockerbuild"],
] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeIt(fn: () => unknown, runs: number): number {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

export async function recordsBench(): Promise<{ figures: Record<string, unknown>[]; misses: string[] }> {
  const { readRecordInput } = await import("../lib/parse/record/index");
  const { analyze } = await import("../lib/analyze/index");
  const rows: Record<string, string | number>[] = [];
  const figures: Record<string, unknown>[] = [];
  const misses: string[] = [];
  for (const [label, rel] of INPUTS) {
    const file = path.join(fixtures, rel);
    if (!existsSync(file)) continue;
    const bytes = new Uint8Array(readFileSync(file));
    const runs = bytes.length > 100_000 ? 7 : 21;
    for (let i = 0; i < 3; i++) readRecordInput(bytes); // warm up
    const floor = timeIt(() => parseTar(gunzipSync(bytes)), runs);
    const decode = timeIt(() => readRecordInput(bytes), runs);
    const whole = timeIt(() => analyze({ log: bytes }), Math.max(3, runs >> 1));
    const ratio = decode / floor;
    const ok = ratio <= TARGET_RECORD_RATIO;
    if (!ok) misses.push(`record decoding of ${label}: ${ratio.toFixed(1)}× gunzip+untar (target ≤ ${TARGET_RECORD_RATIO}×)`);
    rows.push({
      input: label,
      "bundle KB": Math.round(bytes.length / 1024),
      "gunzip+untar ms": floor.toFixed(2),
      "decode ms": decode.toFixed(2),
      ratio: `${ratio.toFixed(1)}×`,
      "analyze ms": whole.toFixed(1),
      "target ≤20×": ok ? "PASS" : "MISS",
    });
    figures.push({ input: rel, bytes: bytes.length, floorMs: floor, decodeMs: decode, ratio, analyzeMs: whole });
  }
  console.log("\nBuild records: decoding vs bare gunzip+untar of the same bundle (medians)");
  if (rows.length) {
    const cols = Object.keys(rows[0]!);
    const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
    const line = (xs: string[]) => "| " + xs.map((x, i) => x.padEnd(w[i]!)).join(" | ") + " |";
    console.log(line(cols));
    console.log("|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|");
    for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
  } else console.log("(no record fixtures found)");
  return { figures, misses };
}

// `node --import tsx bench/records.ts` runs just these rows.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void recordsBench();
