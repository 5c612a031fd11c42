/**
 * `npm run bench` — performance budgets of shared/docs/design.md ("Performance budgets").
 *
 *   npm run bench                       everything (engine 1/10/50 MB, large graph, browser, load)
 *   npm run bench -- --sizes=1,10       skip the 50 MB logs
 *   npm run bench -- --no-browser --no-load
 *   npm run bench -- --no-engine        only the browser and load parts
 *   npm run bench -- --no-history       do not append to bench/history.jsonl
 *   npm run bench -- --no-hostile       skip the hostile-input / loopback rows (bench/hostile.ts; --quick-hostile: no parser-scale rows)
 *   npm run bench -- --no-cold-start    skip the installed command's cold start (bench/cold-start.ts)
 *
 * Engine figures: bare line split (`text.split("\n")` + a loop over the lines), parseLog, analyze
 * (parse + analysis), the ratio analyze / split (target ≤ 5×) and the peak memory rise while
 * analysing (peak RSS rise in a fresh process running analyze() once, target ≤ 4× input).
 * Medians of a few runs (one run for 50 MB). Browser figures need a production build (.next/) and a
 * Chromium (CHROMIUM_PATH or /usr/bin/chromium). Every run is appended to bench/history.jsonl.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateLargeGraph, generateSizedBuild } from "./generate";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const args = new Set(process.argv.slice(2));
const argValue = (name: string) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const sizes = (argValue("sizes") ?? "1,10,50").split(",").map(Number).filter((n) => n > 0);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
if (!(globalThis as { gc?: unknown }).gc) console.warn("note: run with --expose-gc (npm run bench does) for steadier memory figures");

const MB = 1024 * 1024;
const TARGET_RATIO = 5;
const TARGET_MEM = 4;
const TARGET_LARGE_GRAPH_MS = 1000;

type Row = Record<string, string | number | null | boolean>;
const figures: Record<string, unknown> = {};
const misses: string[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function fmt(n: number | null | undefined, d = 1): string {
  return n == null || !Number.isFinite(n) ? "–" : n.toFixed(d);
}
function verdict(ok: boolean | null): string {
  return ok == null ? "" : ok ? "PASS" : "MISS";
}
function timeIt(fn: () => unknown, runs: number): number {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}
function table(rows: Row[]) {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? "")));
  const w = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (xs: string[]) => "| " + xs.map((x, i) => x.padEnd(w[i]!)).join(" | ") + " |";
  console.log(line(cols));
  console.log("|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|");
  for (const r of cells) console.log(line(r));
}

function lineSplit(text: string): number {
  const lines = text.split("\n");
  let n = 0;
  for (const l of lines) n += l.length;
  return n;
}

/** Peak RSS rise while a fresh child process runs analyze() once on the input (bench/mem-child.ts). */
function peakMemory(logFile: string, dfFile: string): { peakRss: number; heapRetained: number; hwmReset: boolean } {
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", path.join(here, "mem-child.ts"), logFile, dfFile], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split("\n").pop()!) as { peakRssDelta: number; heapRetained: number; hwmReset: boolean };
  return { peakRss: r.peakRssDelta, heapRetained: r.heapRetained, hwmReset: r.hwmReset };
}

async function engine() {
  let parseLog: (t: string) => unknown;
  let analyze: (i: { log: string; dockerfile?: string | null }) => { steps: unknown[] };
  try {
    ({ parseLog } = (await import("../lib/parse/log/index")) as never);
    ({ analyze } = (await import("../lib/analyze/index")) as never);
  } catch (e) {
    console.log(`engine: SKIPPED — the engine does not load yet (${(e as Error).message.split("\n")[0]})`);
    figures.engine = "skipped";
    return;
  }
  console.log(`\n## Engine (node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"})\n`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "cachescope-bench-"));
  const rows: Row[] = [];
  const engineFigures: Row[] = [];
  for (const size of sizes) {
    for (const format of ["plain", "rawjson"] as const) {
      const t0 = performance.now();
      const build = generateSizedBuild(format, size * MB, 42 + size);
      const genMs = performance.now() - t0;
      const runs = size >= 50 ? 1 : size >= 10 ? 3 : 7;
      // Warm up the JIT on small inputs (not counted).
      if (size < 50) {
        lineSplit(build.log);
        parseLog(build.log);
        analyze({ log: build.log, dockerfile: build.dockerfile });
      }
      const split = timeIt(() => lineSplit(build.log), Math.max(3, runs));
      const parse = timeIt(() => parseLog(build.log), runs);
      const full = timeIt(() => analyze({ log: build.log, dockerfile: build.dockerfile }), runs);
      const memRuns = size >= 50 ? 1 : 3;
      const logFile = path.join(tmp, `${format}-${size}.log`);
      const dfFile = path.join(tmp, `${format}-${size}.Dockerfile`);
      writeFileSync(logFile, build.log);
      writeFileSync(dfFile, build.dockerfile);
      const mems: { peakRss: number; heapRetained: number; hwmReset: boolean }[] = [];
      for (let i = 0; i < memRuns; i++) mems.push(peakMemory(logFile, dfFile));
      rmSync(logFile);
      rmSync(dfFile);
      if (mems.some((m) => !m.hwmReset)) console.error("  (note: /proc/self/clear_refs not writable; the peak includes reading the input)");
      const peak = median(mems.map((m) => m.peakRss));
      const heapGrowth = median(mems.map((m) => m.heapRetained));
      const ratio = full / split;
      const memRatio = peak / build.bytes;
      const row: Row = {
        log: `${format} ${size} MB`,
        "bytes": build.bytes,
        "vertices(steps)": build.steps,
        "split ms": fmt(split),
        "parseLog ms": fmt(parse),
        "analyze ms": fmt(full),
        "analyze/split": `${fmt(ratio)}×`,
        "≤5×": verdict(ratio <= TARGET_RATIO),
        "peak RSS Δ MB": fmt(peak / MB),
        "report heap MB": fmt(heapGrowth / MB),
        "mem/input": `${fmt(memRatio, 2)}×`,
        "≤4×": verdict(memRatio <= TARGET_MEM),
        runs,
      };
      rows.push(row);
      engineFigures.push({ format, sizeMB: size, bytes: build.bytes, genMs: Math.round(genMs), splitMs: split, parseMs: parse, analyzeMs: full, ratio, peakRssBytes: peak, reportHeapBytes: heapGrowth, memRatio, runs });
      if (ratio > TARGET_RATIO) misses.push(`${format} ${size} MB: analyze ${fmt(ratio)}× line split (target ≤ ${TARGET_RATIO}×)`);
      if (memRatio > TARGET_MEM) misses.push(`${format} ${size} MB: peak memory ${fmt(memRatio, 2)}× input (target ≤ ${TARGET_MEM}×)`);
      console.error(`  … ${format} ${size} MB done`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  table(rows);
  figures.engine = engineFigures;

  // 100-stage / 2,000-step build.
  const large: Row[] = [];
  const largeFigures: Row[] = [];
  for (const format of ["plain", "rawjson"] as const) {
    const g = generateLargeGraph(format);
    analyze({ log: g.log, dockerfile: g.dockerfile });
    let steps = 0;
    const ms = timeIt(() => {
      steps = analyze({ log: g.log, dockerfile: g.dockerfile }).steps.length;
    }, 5);
    large.push({ build: `100 stages / 2,000 steps (${format})`, "log KB": fmt(g.bytes / 1024, 0), "report steps": steps, "analyze ms": fmt(ms), [`≤${TARGET_LARGE_GRAPH_MS} ms`]: verdict(ms <= TARGET_LARGE_GRAPH_MS) });
    largeFigures.push({ format, bytes: g.bytes, steps, analyzeMs: ms });
    if (ms > TARGET_LARGE_GRAPH_MS) misses.push(`100-stage build (${format}): analyze ${fmt(ms)} ms (target ≤ ${TARGET_LARGE_GRAPH_MS} ms)`);
  }
  console.log("");
  table(large);
  figures.largeGraph = largeFigures;
}

async function main() {
  const started = new Date();
  if (!args.has("--no-engine")) await engine();
  if (!args.has("--no-hostile")) {
    // Hostile inputs and the loopback share server (issue 9): bench/hostile.ts.
    const { hostileBench } = await import("./hostile");
    const h = await hostileBench({ quick: args.has("--quick-hostile") });
    console.log("\n## Hostile inputs and loopback (bench/hostile.ts)\n");
    table(h.rows);
    figures.hostile = h.figures;
    misses.push(...h.misses);
  }
  if (!args.has("--no-engine") && !args.has("--no-records")) { const r = await (await import("./records")).recordsBench(); figures.records = r.figures; misses.push(...r.misses); }
  if (!args.has("--no-fingerprint")) ({ figures: figures.fingerprint } = await import("./fingerprint").then((m) => m.fingerprintBench()).then((r) => (misses.push(...r.misses), r)));
  if (!args.has("--no-cold-start")) {
    const { coldStartBench } = await import("./cold-start");
    const c = await coldStartBench(root);
    figures.coldStart = c.figures;
    misses.push(...c.misses);
  }

  let server: { url: string; pid: number; stop: () => Promise<void> } | null = null;
  const browserWanted = !args.has("--no-browser");
  const loadWanted = !args.has("--no-load");
  if (browserWanted || loadWanted) {
    const { startServer, productionBuildPresent } = await import("./server");
    const why = productionBuildPresent(root);
    if (why) {
      console.log(`\nbrowser + load: SKIPPED — ${why}`);
      figures.browser = figures.load = `skipped: ${why}`;
    } else {
      try {
        server = await startServer(root);
      } catch (e) {
        console.log(`\nbrowser + load: SKIPPED — next start failed: ${(e as Error).message}`);
        figures.browser = figures.load = "skipped: next start failed";
      }
    }
  }
  try {
    if (server && browserWanted) {
      const { browserBench } = await import("./browser");
      const b = await browserBench(server.url, root);
      figures.browser = b.figures;
      misses.push(...b.misses);
    }
    if (server && loadWanted) {
      const { loadBench } = await import("./load");
      const l = await loadBench(server.url, server.pid, root);
      figures.load = l.figures;
      misses.push(...l.misses);
    }
  } finally {
    await server?.stop();
  }

  console.log(misses.length ? `\nMISSES (${misses.length}):\n- ${misses.join("\n- ")}` : "\nAll measured targets PASS.");
  if (!args.has("--no-history")) {
    let commit: string | null = null;
    try {
      commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    } catch {
      /* not a git checkout */
    }
    const entry = { date: started.toISOString(), commit, node: process.version, cpus: os.cpus().length, sizes, figures, misses };
    appendFileSync(path.join(here, "history.jsonl"), JSON.stringify(entry) + "\n");
    console.log(`(appended to bench/history.jsonl)`);
  }
}

if (!existsSync(path.join(root, "package.json"))) throw new Error("run from the project");
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
