/**
 * A build record → the same `LogBuild` model a `--progress=rawjson` log gives. The record's status
 * stream IS the rawjson stream (both are BuildKit's SolveStatus), so the digest's vertices are
 * replayed as rawjson objects through the log parser: grouping, intervals, statuses and timings
 * come out exactly as for a rawjson log of the same build. What the record knows better is then
 * set on top: the failure (message, exit code, Dockerfile line), the build args / --no-cache /
 * target from the frontend attributes, and the total output line counts.
 */
import { parseLog } from "../parse/log/index";
import type { LogBuild, ParsedLog } from "../model/log";
import type { DigestRecord, RecordDigest } from "../parse/record/types";

const utf8 = new TextEncoder();

function iso(epochSeconds: number): string {
  // toISOString keeps milliseconds; finer digits go through the fraction by hand.
  const ms = Math.floor(epochSeconds * 1000);
  const base = new Date(ms).toISOString(); // 2026-12-01T09:16:00.443Z
  const micro = Math.round((epochSeconds * 1000 - ms) * 1000);
  return `${base.slice(0, 23)}${String(Math.min(999, micro)).padStart(3, "0")}Z`;
}

function b64(s: string): string {
  const bytes = utf8.encode(s);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The record's status stream as rawjson lines (one SolveStatus object per line). */
export function recordToRawJson(r: DigestRecord): string[] {
  const lines: string[] = [];
  for (const v of r.vertices) {
    const base: Record<string, unknown> = { digest: v.digest, name: v.name };
    if (v.inputs.length) base.inputs = v.inputs;
    if (v.cached) base.cached = true;
    if (v.error) base.error = v.error;
    if (v.group) base.progressGroup = v.group;
    if (v.intervals.length === 0) lines.push(JSON.stringify({ vertexes: [base] }));
    for (const [a, b] of v.intervals) {
      const x: Record<string, unknown> = { ...base, started: iso(a) };
      if (b !== null) x.completed = iso(b);
      lines.push(JSON.stringify({ vertexes: [x] }));
    }
    const t0 = v.intervals.length ? v.intervals[v.intervals.length - 1][1] ?? v.intervals[v.intervals.length - 1][0] : null;
    if (v.contextBytes !== null && t0 !== null)
      lines.push(JSON.stringify({ statuses: [{ id: "transferring context:", vertex: v.digest, current: v.contextBytes, timestamp: iso(t0), completed: iso(t0) }] }));
    if (v.pulledBytes && t0 !== null)
      lines.push(JSON.stringify({ statuses: [{ id: "sha256:record-pulled", vertex: v.digest, current: v.pulledBytes, total: v.pulledBytes, timestamp: iso(t0), completed: iso(t0) }] }));
    for (const [t, text] of v.logs) {
      const l: Record<string, unknown> = { vertex: v.digest, stream: 1, data: b64(text + "\n") };
      if (t !== null) l.timestamp = iso(t);
      lines.push(JSON.stringify({ logs: [l] }));
    }
  }
  if (r.error) lines.push(`ERROR: failed to build: failed to solve: ${r.error.message.split("\n")[0]}`);
  return lines;
}

/** One build of the digest as a parsed log build (index = its 1-based place in the digest). */
export function recordToLogBuild(r: DigestRecord, index: number): LogBuild | null {
  const parsed = parseLog(recordToRawJson(r).join("\n"));
  const b = parsed.builds[0];
  if (!b) return null;
  b.index = index;
  // Output line counts: the digest keeps the tail, the count is of the whole output.
  const counts = new Map(r.vertices.map((v) => [v.digest, v.logLineCount]));
  for (const v of b.vertices) {
    const n = counts.get(v.id) ?? (v.digest ? counts.get(v.digest) : undefined);
    if (n != null && n > v.outputLineCount) v.outputLineCount = n;
  }
  if (r.error) {
    b.errorMessage = r.error.message;
    if (r.error.line != null) b.errorSource = { file: r.dockerfile?.filename ?? r.attrs.filename ?? "Dockerfile", line: r.error.line };
    b.outcome = r.status === "canceled" ? "canceled" : "failed";
  } else if (r.status === "success" && b.outcome === "incomplete" && b.vertices.length > 0) b.outcome = "success";
  const buildArgs: Record<string, string> = {};
  for (const a of r.attrs.buildArgs) buildArgs[a.name] = a.value ?? (a.fingerprint ? `[redacted](fp:${a.fingerprint})` : "[redacted]");
  b.command = { text: "", noCache: r.attrs.noCache, cacheFrom: [], cacheTo: [], buildArgs };
  if (r.createdAt && r.completedAt) {
    const d = (Date.parse(r.completedAt) - Date.parse(r.createdAt)) / 1000;
    if (Number.isFinite(d) && d >= 0 && b.durationSeconds == null) b.durationSeconds = Math.round(d * 10) / 10;
  }
  if (!b.startedAt) b.startedAt = r.createdAt;
  return b;
}

/** The whole digest as a parsed log, one build per record (oldest first), format "record". */
export function digestToParsedLog(d: RecordDigest): ParsedLog {
  const builds: LogBuild[] = [];
  d.records.forEach((r, k) => {
    const b = recordToLogBuild(r, k + 1);
    builds.push(b ?? emptyRecordBuild(r, k + 1));
  });
  return { format: "record", wrapper: "none", encoding: "utf-8", builds, lineCount: 0, diagnostics: [] };
}

function emptyRecordBuild(r: DigestRecord, index: number): LogBuild {
  return {
    index,
    line: 1,
    lastLine: 1,
    builder: null,
    vertices: [],
    outcome: r.status,
    errorMessage: r.error?.message ?? null,
    errorLine: null,
    contextTransferBytes: null,
    cacheImports: [],
    cacheExports: [],
    warnings: [],
    durationSeconds: r.createdAt && r.completedAt ? Math.round((Date.parse(r.completedAt) - Date.parse(r.createdAt)) / 100) / 10 : null,
    timing: "exact",
    startedAt: r.createdAt,
    command: null,
    legacy: false,
  };
}
