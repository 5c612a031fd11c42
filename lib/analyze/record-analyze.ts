/**
 * Build records through the engine. A record (or a bundle of several) becomes a parsed log with
 * one build per record and, unless `--dockerfile` is given, the Dockerfile from the record's own
 * provenance; the previous build for compare mode is `--previous-log` (a record or a log) or, in a
 * multi-record bundle, the record before the chosen one. The record-only facts are set on top of
 * the ordinary report: causes the two records decide, build checks, the history, the record basics.
 */
import { diag, type Diagnostic } from "../model/diagnostics";
import type { DockerfileModel } from "../model/dockerfile";
import type { ParsedLog } from "../model/log";
import type { HistoryEntry, Report, ReportStep } from "../model/report";
import { parseDockerfile } from "../parse/dockerfile";
import { parseLog } from "../parse/log/index";
import { readRecordInput, type RecordRead } from "../parse/record/index";
import type { DigestRecord, RecordDigest } from "../parse/record/types";
import { joinBuild } from "./join";
import { imageKey } from "./record-ops";
import { digestToParsedLog } from "./record";
import { applyRecordCauses } from "./record-causes";
import { applyRecordDetails, markMergedSteps } from "./record-details";
import { summarize } from "./summary";
import type { AnalyzeInput } from "./types";

type AnalyzeParsed = (
  input: AnalyzeInput,
  log: ParsedLog,
  dockerfile: DockerfileModel | null,
  previous?: { log: ParsedLog; build: number; dockerfile: DockerfileModel | null } | null,
) => Report;

/** History entries computed at most (the newest builds); Depot shows 50. */
export const MAX_HISTORY = 100;

export function analyzeRecordInput(input: AnalyzeInput, analyzeParsed: AnalyzeParsed): Report | null {
  const cur = input.log != null ? readRecordInput(input.log, "log") : null;
  const prevRead = input.previousLog ? readRecordInput(input.previousLog, "previous-log") : null;
  if (!cur && !prevRead) return null;
  if (cur && !cur.ok) return unreadable(input, cur, analyzeParsed);
  if (!cur) {
    // A text log compared with a previous record: the record is just a better previous log.
    if (!prevRead!.ok) {
      const r = analyzeParsed({ ...input, previousLog: null }, parseLog(input.log ?? ""), dockerfileOf(input.dockerfile));
      r.diagnostics.push(...prevRead!.diagnostics);
      return r;
    }
    const pd = prevRead!.digest;
    const last = pd.records[pd.records.length - 1];
    const r = analyzeParsed({ ...input, previousLog: null }, parseLog(input.log ?? ""), dockerfileOf(input.dockerfile), {
      log: digestToParsedLog(pd),
      build: pd.records.length,
      dockerfile: dockerfileOf(input.previousDockerfile ?? last?.dockerfile?.text),
    });
    r.input.hasPreviousLog = true;
    r.diagnostics.push(...prevRead!.diagnostics);
    return r;
  }
  const digest = cur.digest;
  const n = digest.records.length;
  const buildIndex = input.build != null && input.build >= 1 && input.build <= n ? input.build : n;
  const log = digestToParsedLog(digest);
  let previous: { digest: RecordDigest; index: number } | null = null;
  if (prevRead?.ok) previous = { digest: prevRead.digest, index: prevRead.digest.records.length };
  else {
    const k = previousOfSameProject(digest.records, buildIndex);
    if (k) previous = { digest, index: k };
  }
  const report = analyzeOne(input, log, digest, buildIndex, previous, prevRead?.ok ? digestToParsedLog(prevRead.digest) : log, analyzeParsed);
  report.diagnostics.unshift(...cur.diagnostics);
  if (input.build != null && buildIndex !== input.build)
    report.diagnostics.push(diag("error", "log", null, "log/no-such-build", `The record bundle holds ${n} build${n === 1 ? "" : "s"}; there is no build ${input.build}. Showing the last one.`));
  if (prevRead) report.diagnostics.push(...prevRead.diagnostics);
  if (n > 1) report.history = buildHistory(input, log, digest, analyzeParsed);
  return report;
}

function analyzeOne(
  input: AnalyzeInput,
  log: ParsedLog,
  digest: RecordDigest,
  index: number,
  previous: { digest: RecordDigest; index: number } | null,
  previousLog: ParsedLog,
  analyzeParsed: AnalyzeParsed,
): Report {
  const rec = digest.records[index - 1];
  const dockerfile = dockerfileOf(input.dockerfile ?? rec.dockerfile?.text);
  const prevRec = previous ? previous.digest.records[previous.index - 1] : null;
  const prevDockerfile = prevRec ? dockerfileOf(input.previousDockerfile ?? prevRec.dockerfile?.text) : null;
  const report = analyzeParsed(
    { ...input, build: index, previousLog: null, previousDockerfile: null },
    log,
    dockerfile,
    prevRec ? { log: previousLog, build: previous!.index, dockerfile: prevDockerfile } : null,
  );
  report.input.logFormat = "record";
  report.input.hasPreviousLog = !!prevRec;
  report.input.hasPreviousDockerfile = !!prevDockerfile;
  // The "log" of a record is the digest, not lines a person could jump to.
  for (const s of report.steps) s.logLine = null;
  let prevSteps: Map<string, ReportStep> | null = null;
  if (prevRec) {
    const pb = previousLog.builds[previous!.index - 1];
    if (pb) prevSteps = new Map(joinBuild(prevDockerfile ?? dockerfile, pb).steps.map((s) => [s.id, s]));
  }
  applyRecordDetails(report, rec, prevRec, !input.dockerfile);
  applyRecordCauses(report, rec, prevRec, prevSteps);
  if (markMergedSteps(report, rec)) report.summary = summarize(report.steps, report.summary.criticalPathSeconds, report.build.timing === "exact");
  if (report.comparison) {
    // Record build args are exact: they replace what the log comparison could read from step names.
    if (prevRec) {
      report.comparison.buildArgChanges = argChanges(prevRec, rec);
      const bases = baseChanges(prevRec, rec);
      if (bases.length) report.comparison.baseImageChanges = bases;
    }
  }
  return report;
}

function argChanges(prev: DigestRecord, cur: DigestRecord): { name: string; before: string | null; after: string | null }[] {
  const out: { name: string; before: string | null; after: string | null }[] = [];
  const names = new Set([...prev.attrs.buildArgs, ...cur.attrs.buildArgs].map((a) => a.name));
  for (const name of [...names].sort()) {
    const a = prev.attrs.buildArgs.find((x) => x.name === name);
    const b = cur.attrs.buildArgs.find((x) => x.name === name);
    const va = a ? (a.secret ? `[redacted](fp:${a.fingerprint})` : a.value) : null;
    const vb = b ? (b.secret ? `[redacted](fp:${b.fingerprint})` : b.value) : null;
    if (va !== vb) out.push({ name, before: va && a?.secret ? "[redacted]" : va, after: vb && b?.secret ? "[redacted]" : vb });
  }
  return out;
}

/** Base images (materials) whose resolved digest differs between the records, by image reference. */
function baseChanges(prev: DigestRecord, cur: DigestRecord): { image: string; before: string | null; after: string | null }[] {
  const out: { image: string; before: string | null; after: string | null }[] = [];
  for (const m of cur.materials) {
    if (!m.uri.startsWith("pkg:docker/")) continue;
    const key = imageKey(m.uri);
    const p = prev.materials.find((x) => x.uri.startsWith("pkg:docker/") && imageKey(x.uri) === key);
    if (p && p.digest !== m.digest) out.push({ image: key, before: p.digest, after: m.digest });
  }
  return out;
}

function buildHistory(input: AnalyzeInput, log: ParsedLog, digest: RecordDigest, analyzeParsed: AnalyzeParsed): HistoryEntry[] {
  const n = digest.records.length;
  const first = Math.max(1, n - MAX_HISTORY + 1);
  const out: HistoryEntry[] = [];
  for (let k = first; k <= n; k++) {
    const rec = digest.records[k - 1];
    // History rows use each record's own Dockerfile, not a --dockerfile given for the chosen build.
    const p = previousOfSameProject(digest.records, k);
    const r = analyzeOne({ ...input, dockerfile: null, previousDockerfile: null, image: null }, log, digest, k, p ? { digest, index: p } : null, log, analyzeParsed);
    const byId = new Map(r.steps.map((s) => [s.id, s]));
    out.push({
      index: k,
      ref: rec.ref,
      name: rec.name,
      createdAt: rec.createdAt,
      status: rec.status,
      durationSeconds: r.build.durationSeconds,
      steps: r.summary.steps,
      cached: r.summary.cached,
      rebuilt: r.summary.rebuilt,
      cacheHitRatio: r.summary.cacheHitRatio,
      rebuiltSeconds: r.summary.rebuiltSeconds,
      ...countedSteps(r.steps),
      rootCauses: r.rootCauses.map((rc) => {
        const st = byId.get(rc.rootStep);
        return { step: rc.rootStep, text: st?.text ?? "", line: st?.line ?? null, cause: rc.cause, evidence: rc.evidence, costSeconds: rc.costSeconds };
      }),
      previousIndex: p,
      flipped: !p || !r.comparison
        ? []
        : r.comparison.flipped.filter((f) => byId.get(f.id)?.instruction !== "FROM" || f.after === "error").map((f) => {
            const m = byId.get(f.id)?.miss ?? null;
            return { ...f, cause: m?.cause ?? null, evidence: m?.evidence ?? null };
          }),
    });
  }
  return out;
}

/** As the build summary counts them: a FROM that only resolved its image is neither a hit nor a miss. */
function countedSteps(steps: ReportStep[]): { counted: number; reran: number } {
  let counted = 0;
  let reran = 0;
  for (const s of steps) {
    const resolvedFrom = s.status === "rebuilt" && !s.miss && s.instruction.toUpperCase() === "FROM";
    if (resolvedFrom || (s.status !== "cached" && s.status !== "rebuilt" && s.status !== "error" && s.status !== "canceled")) continue;
    counted++;
    if (s.status !== "cached") reran++;
  }
  return { counted, reran };
}

/**
 * The build to compare build `index` with: the latest earlier record of the same project (an
 * `export --all` of a busy builder mixes projects). Same project: the same image name, or — without
 * one — the same Dockerfile name and target.
 */
export function previousOfSameProject(records: DigestRecord[], index: number): number | null {
  const cur = records[index - 1];
  if (!cur) return null;
  for (let k = index - 1; k >= 1; k--) {
    const r = records[k - 1];
    const same = cur.name && r.name ? cur.name === r.name : r.attrs.filename === cur.attrs.filename && r.attrs.target === cur.attrs.target;
    if (same) return k;
  }
  return null;
}

function dockerfileOf(text: string | null | undefined): DockerfileModel | null {
  return text && text.trim() ? parseDockerfile(text) : null;
}

function unreadable(input: AnalyzeInput, read: RecordRead & { ok: false }, analyzeParsed: AnalyzeParsed): Report {
  const log: ParsedLog = { format: "unknown", wrapper: "none", encoding: "utf-8", builds: [], lineCount: 0, diagnostics: read.diagnostics as Diagnostic[] };
  const r = analyzeParsed({ ...input, previousLog: null, previousDockerfile: null }, log, null);
  if (!r.diagnostics.some((d) => d.code === "record/unreadable")) r.diagnostics.unshift(diag("error", "log", null, "record/unreadable", read.reason));
  return r;
}
