/**
 * The context fingerprint of `cachescope build` (cli/fingerprint.ts) on a generated context of
 * 6,000 files / 50 MB: cold (no baseline: every file hashed), warm (baseline, nothing changed:
 * metadata only) and warm after 20 edits, next to the floor — a bare recursive directory walk with
 * `lstat` of the same tree. Target: warm ≤ 150 ms.
 *
 *   node --import tsx bench/fingerprint.ts          (also run by `npm run bench`, unless --no-fingerprint)
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { diffFingerprints, fingerprintContext } from "../cli/fingerprint";
import { loadBaseline, saveBaseline } from "../cli/fingerprint-store";

const TARGET_WARM_MS = 150;
const FILES = 6000;
const TOTAL_BYTES = 50 * 1024 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
function time(fn: () => unknown, runs: number): number {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

/** 6,000 files in 60 folders of 100, 3 levels deep, plus an ignored node_modules of 500 files. */
function generate(root: string): string[] {
  const paths: string[] = [];
  const per = Math.floor(TOTAL_BYTES / FILES);
  const chunk = new Uint8Array(per);
  for (let i = 0; i < per; i++) chunk[i] = (i * 31) & 0xff;
  for (let d = 0; d < 60; d++) {
    const dir = path.join(root, `pkg${d % 6}`, `mod${d}`, "src");
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES / 60; f++) {
      const p = path.join(dir, `file${f}.ts`);
      chunk[0] = d;
      chunk[1] = f & 0xff;
      writeFileSync(p, chunk);
      paths.push(p);
    }
  }
  mkdirSync(path.join(root, "node_modules", "x"), { recursive: true });
  for (let f = 0; f < 500; f++) writeFileSync(path.join(root, "node_modules", "x", `f${f}.js`), "x");
  return paths;
}

function bareWalk(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += bareWalk(p);
    else {
      lstatSync(p);
      n++;
    }
  }
  return n;
}

export function fingerprintBench(): { figures: Record<string, number | boolean>; misses: string[] } {
  const root = mkdtempSync(path.join(os.tmpdir(), "cachescope-fp-bench-"));
  try {
    const files = generate(root);
    const ignore = "node_modules\n";
    const walkMs = time(() => bareWalk(root), 5);
    const cold = time(() => fingerprintContext(root, ignore, null), 3);
    const baseline = fingerprintContext(root, ignore, null).fingerprint;
    const warm = time(() => fingerprintContext(root, ignore, baseline), 7);
    const now = Date.now() / 1000;
    for (const p of files.slice(0, 20)) utimesSync(p, now, now + 5);
    const edited = time(() => fingerprintContext(root, ignore, baseline), 5);
    // What a warm `cachescope build` does around the walk: read the baseline, diff, write it back.
    const store = path.join(os.tmpdir(), `cachescope-fp-bench-${process.pid}.json`);
    saveBaseline(store, baseline);
    const whole = time(() => {
      const b = loadBaseline(store)!;
      const fp = fingerprintContext(root, ignore, b).fingerprint;
      diffFingerprints(b, fp);
      saveBaseline(store, fp);
    }, 5);
    rmSync(store, { force: true });
    const ok = warm <= TARGET_WARM_MS;
    console.log("\nContext fingerprint (6,000 files / 50 MB, node_modules ignored):");
    console.log(`  bare walk + lstat   ${walkMs.toFixed(1)} ms   (floor)`);
    console.log(`  cold (hash all)     ${cold.toFixed(1)} ms`);
    console.log(`  warm (no change)    ${warm.toFixed(1)} ms   target ≤ ${TARGET_WARM_MS} ms  ${ok ? "PASS" : "MISS"}  (${(warm / walkMs).toFixed(2)}× the walk)`);
    console.log(`  warm, 20 touched    ${edited.toFixed(1)} ms`);
    console.log(`  warm + baseline read, diff, atomic write  ${whole.toFixed(1)} ms`);
    return {
      figures: { walkMs, coldMs: cold, warmMs: warm, warmTouchedMs: edited, warmWithStoreMs: whole, warmPass: ok },
      misses: ok ? [] : [`fingerprint warm ${warm.toFixed(0)} ms > ${TARGET_WARM_MS} ms`],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) fingerprintBench();
