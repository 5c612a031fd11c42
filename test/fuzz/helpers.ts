/**
 * Shared helpers for the property-based tests: real logs (fixtures + shared corpus when present),
 * invariant checks for ParsedLog / DockerfileModel / Report, and a JSON round-trip check that names
 * the first offending path (NaN, Infinity, undefined, Map, class instances, cycles…).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { ParsedLog } from "../../lib/model/log";
import type { DockerfileModel } from "../../lib/model/dockerfile";
import type { Report } from "../../lib/model/report";

export const ROOT = path.resolve(__dirname, "../..");
export const CORPUS = path.resolve(ROOT, "../shared/corpus");
export const hasCorpus = existsSync(CORPUS);

/** Fixed seed so CI is deterministic; FUZZ_SEED=<n> explores, FUZZ_RUNS=<factor> runs more. */
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261122;
export const RUN_FACTOR = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
export const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * RUN_FACTOR)), seed: SEED, endOnFailure: true });

export interface RealLog {
  name: string;
  bytes: Uint8Array;
  text: string;
  dockerfile: string | null;
}

function dockerfileBeside(dir: string, logFile: string): string | null {
  const base = path.basename(logFile);
  const prefer = base.startsWith("before") && existsSync(path.join(dir, "Dockerfile.before")) ? "Dockerfile.before" : "Dockerfile";
  const p = path.join(dir, prefer);
  return existsSync(p) && statSync(p).isFile() ? readFileSync(p, "utf8") : null;
}

let cache: RealLog[] | null = null;

/** Every real log: fixtures/scenarios/<slug>/*.log and, when ../shared is present, corpus build.logs. */
export function realLogs(): RealLog[] {
  if (cache) return cache;
  const out: RealLog[] = [];
  const scen = path.join(ROOT, "fixtures", "scenarios");
  if (existsSync(scen)) {
    for (const d of readdirSync(scen).sort()) {
      const dir = path.join(scen, d);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith(".log")) continue;
        const bytes = new Uint8Array(readFileSync(path.join(dir, f)));
        out.push({ name: `fixtures/${d}/${f}`, bytes, text: new TextDecoder().decode(bytes), dockerfile: dockerfileBeside(dir, f) });
      }
    }
  }
  if (hasCorpus) {
    for (const d of readdirSync(CORPUS).sort()) {
      const p = path.join(CORPUS, d, "build.log");
      if (!existsSync(p)) continue;
      const bytes = new Uint8Array(readFileSync(p));
      const df = path.join(CORPUS, d, "Dockerfile");
      out.push({ name: `corpus/${d}`, bytes, text: new TextDecoder().decode(bytes), dockerfile: existsSync(df) ? readFileSync(df, "utf8") : null });
    }
  }
  cache = out;
  return out;
}

/** Real logs small enough to mutate many times within the suite's time budget. */
export function smallRealLogs(maxBytes = 64 * 1024): RealLog[] {
  return realLogs().filter((l) => l.bytes.length <= maxBytes);
}

// ---------------------------------------------------------------------------------------------
// Invariants

const LOG_FORMATS = ["plain", "rawjson", "legacy", "unknown"];
const WRAPPERS = ["none", "github-actions", "gitea-actions", "gitlab", "render", "go-log", "timestamps"];
const ENCODINGS = ["utf-8", "utf-16le", "utf-16be"];
const VERTEX_STATUS = ["cached", "done", "error", "canceled", "running"];
const VERTEX_KIND = ["step", "image", "internal", "auth", "cache-import", "cache-export", "export", "other"];
const OUTCOMES = ["success", "failed", "canceled", "incomplete"];
const STEP_STATUS = ["cached", "rebuilt", "error", "canceled", "unfinished", "not-run"];
const CAUSES = [
  "context-changed",
  "instruction-changed",
  "build-arg-changed",
  "base-image-changed",
  "source-stage-changed",
  "parent-rebuilt",
  "no-cache",
  "cold-cache",
  "cache-import-failed",
  "remote-source",
  "cache-evicted",
  "unknown",
];
const SEVERITIES = ["error", "warning", "info"];
const SOURCES = ["log", "dockerfile", "previous-log", "previous-dockerfile", "image"];
const DIAGNOSIS = ["fully-cached", "partial", "cold-cache", "no-cache", "cache-import-failed", "failed-early", "no-steps"];

const finiteOrNull = (x: unknown) => x === null || (typeof x === "number" && Number.isFinite(x));
const lineOrNull = (x: unknown) => x === null || (typeof x === "number" && Number.isInteger(x) && x >= 1);

function checkDiagnostics(ds: unknown, where: string) {
  expect(Array.isArray(ds), `${where}: diagnostics is an array`).toBe(true);
  for (const d of ds as Record<string, unknown>[]) {
    expect(SEVERITIES, `${where}: severity`).toContain(d.severity);
    expect(SOURCES, `${where}: source`).toContain(d.source);
    expect(lineOrNull(d.line), `${where}: diagnostic line ${String(d.line)}`).toBe(true);
    expect(typeof d.code === "string" && d.code.length > 0, `${where}: code`).toBe(true);
    expect(typeof d.message === "string" && d.message.length > 0, `${where}: message`).toBe(true);
  }
}

export function checkParsedLog(p: ParsedLog) {
  expect(LOG_FORMATS).toContain(p.format);
  expect(WRAPPERS).toContain(p.wrapper);
  expect(ENCODINGS).toContain(p.encoding);
  expect(Number.isInteger(p.lineCount) && p.lineCount >= 0, `lineCount ${p.lineCount}`).toBe(true);
  checkDiagnostics(p.diagnostics, "parseLog");
  for (const d of p.diagnostics) if (d.line != null) expect(d.line, "diagnostic line within the input").toBeLessThanOrEqual(Math.max(1, p.lineCount + 1));
  for (const b of p.builds) {
    expect(OUTCOMES).toContain(b.outcome);
    expect(["exact", "estimated"]).toContain(b.timing);
    expect(finiteOrNull(b.durationSeconds), `build duration ${b.durationSeconds}`).toBe(true);
    expect(finiteOrNull(b.contextTransferBytes)).toBe(true);
    for (const v of b.vertices) {
      expect(VERTEX_STATUS, `vertex ${v.id} status`).toContain(v.status);
      expect(VERTEX_KIND, `vertex ${v.id} kind`).toContain(v.kind);
      expect(typeof v.id === "string" && typeof v.name === "string").toBe(true);
      expect(finiteOrNull(v.durationSeconds), `vertex ${v.id} duration ${v.durationSeconds}`).toBe(true);
      expect(finiteOrNull(v.startSeconds) && finiteOrNull(v.endSeconds)).toBe(true);
      expect(Number.isFinite(v.pulledBytes) && v.pulledBytes >= 0, `pulledBytes ${v.pulledBytes}`).toBe(true);
      expect(v.output.length).toBeLessThanOrEqual(Math.max(40, v.outputLineCount));
      expect(v.outputLineCount).toBeGreaterThanOrEqual(v.output.length);
      if (v.label) {
        expect(Number.isInteger(v.label.position) && Number.isInteger(v.label.of)).toBe(true);
      }
    }
  }
}

export function checkDockerfile(m: DockerfileModel, text: string) {
  checkDiagnostics(m.diagnostics, "parseDockerfile");
  expect(Number.isInteger(m.lineCount) && m.lineCount >= 0).toBe(true);
  const lines = text.split(/\r\n|\r|\n/).length;
  m.stages.forEach((st, i) => {
    expect(st.index).toBe(i);
    expect(typeof st.label === "string" && st.label.length > 0).toBe(true);
    expect(["image", "stage", "scratch"]).toContain(st.base.kind);
    for (const ins of st.instructions) {
      expect(ins.line >= 1 && ins.endLine >= ins.line, `instruction lines ${ins.line}-${ins.endLine}`).toBe(true);
      expect(ins.endLine).toBeLessThanOrEqual(lines + 1);
      expect(typeof ins.keyword).toBe("string");
    }
  });
  for (const e of m.edges) {
    expect(e.toStage >= 0 && e.toStage < m.stages.length, `edge toStage ${e.toStage}`).toBe(true);
    if (e.fromStage != null) expect(e.fromStage >= 0 && e.fromStage < m.stages.length, `edge fromStage ${e.fromStage}`).toBe(true);
  }
}

export function checkReport(r: Report) {
  expect(r.schemaVersion).toBe(1);
  expect(LOG_FORMATS).toContain(r.input.logFormat);
  expect(OUTCOMES).toContain(r.build.status);
  expect(DIAGNOSIS).toContain(r.diagnosis.kind);
  checkDiagnostics(r.diagnostics, "report");
  const ids = new Set<string>();
  for (const s of r.steps) {
    expect(STEP_STATUS, `step ${s.id} status`).toContain(s.status);
    expect(s.id).toBe(`${s.stageIndex}:${s.position}`);
    expect(ids.has(s.id), `duplicate step id ${s.id}`).toBe(false);
    ids.add(s.id);
    expect(finiteOrNull(s.durationSeconds) && finiteOrNull(s.startSeconds) && finiteOrNull(s.endSeconds), `step ${s.id} times`).toBe(true);
    if (s.miss) {
      expect(CAUSES, `step ${s.id} cause`).toContain(s.miss.cause);
      for (const c of s.miss.candidates) expect(CAUSES).toContain(c);
      expect(finiteOrNull(s.miss.costSeconds)).toBe(true);
    }
  }
  for (const rc of r.rootCauses) {
    expect(CAUSES).toContain(rc.cause);
    expect(Number.isFinite(rc.costSeconds)).toBe(true);
  }
  for (const st of r.stages) {
    for (const d of st.dependsOn) expect(d >= 0 && d < Math.max(r.stages.length, 1) + 1000).toBe(true);
  }
  const s = r.summary;
  expect(s.steps).toBe(r.steps.length);
  expect(s.cacheHitRatio === null || (s.cacheHitRatio >= 0 && s.cacheHitRatio <= 1)).toBe(true);
  expect(Number.isFinite(s.rebuiltSeconds)).toBe(true);
  expect(jsonProblems(r), "report is plain JSON").toEqual([]);
  expect(JSON.parse(JSON.stringify(r))).toStrictEqual(r);
}

/** Paths where a value would not survive JSON.stringify → JSON.parse unchanged. */
export function jsonProblems(v: unknown, p = "$", seen = new Set<unknown>(), out: string[] = []): string[] {
  if (out.length > 10) return out;
  if (v === null || typeof v === "string" || typeof v === "boolean") return out;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) out.push(`${p} = ${v}`);
    else if (Object.is(v, -0)) out.push(`${p} = -0`);
    return out;
  }
  if (typeof v === "undefined") {
    out.push(`${p} = undefined`);
    return out;
  }
  if (typeof v !== "object") {
    out.push(`${p} is a ${typeof v}`);
    return out;
  }
  if (seen.has(v)) {
    out.push(`${p} is cyclic`);
    return out;
  }
  seen.add(v);
  if (Array.isArray(v)) {
    v.forEach((x, i) => jsonProblems(x, `${p}[${i}]`, seen, out));
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) out.push(`${p} is a ${proto?.constructor?.name ?? "non-plain object"}`);
    else for (const [k, x] of Object.entries(v)) jsonProblems(x, `${p}.${k}`, seen, out);
  }
  seen.delete(v);
  return out;
}

/** Median wall time (ms) of fn over n runs; the minimum is steadier on a shared machine. */
/**
 * Best CPU time (ms) of this test process (user + system) over n runs. Unlike wall time it does
 * not grow while other processes hold the cores (a loaded 2-core machine shows 3–5× wall time for
 * the same work), so ratios of it measure our code's growth, not the machine's load. Vitest runs
 * each test file in its own process (pool "forks"), so other files' work is not counted.
 */
export function minCpuTime(fn: () => unknown, n = 3): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const start = process.cpuUsage();
    fn();
    const d = process.cpuUsage(start);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

export function minTime(fn: () => unknown, n = 3): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}
