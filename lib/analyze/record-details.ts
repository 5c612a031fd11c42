/**
 * What one record adds to a report beyond the log model: the record basics (`report.record`),
 * build checks from the record's warnings (`report.checks`), and steps BuildKit merged into one
 * op (the record's source map gives that op two line ranges; the log shows only one vertex).
 */
import type { BuildCheck, Report } from "../model/report";
import type { DigestRecord } from "../parse/record/types";
import { recordTexts } from "./record-catalog";
import { opIndex } from "./record-ops";

export function applyRecordDetails(report: Report, rec: DigestRecord, prev: DigestRecord | null, ownDockerfile: boolean): void {
  report.record = {
    ref: rec.ref,
    name: rec.name,
    createdAt: rec.createdAt,
    target: rec.attrs.target,
    filename: rec.attrs.filename,
    buildArgs: rec.attrs.buildArgs.map((a) => ({ name: a.name, value: a.secret ? null : a.value, secret: a.secret })),
    noCache: rec.attrs.noCache,
    noCacheFilter: rec.attrs.noCacheFilter,
    namedContexts: rec.attrs.namedContexts,
    materials: rec.materials,
    provenance: rec.provenance,
    previousRef: prev?.ref ?? null,
  };
  const checks: BuildCheck[] = [];
  for (const w of rec.warnings) {
    if (checks.some((c) => c.message === w.message && c.line === w.line)) continue;
    checks.push({ rule: w.rule ?? "warning", message: w.message, line: w.line, url: w.url });
  }
  if (checks.length) report.checks = checks;
  // Line numbers from the record's own source map (they hold even where the log join guessed) —
  // unless a Dockerfile was given, which then decides the lines.
  if (!ownDockerfile) return;
  const ix = opIndex(rec);
  for (const s of report.steps) {
    const o = s.vertex ? ix.byVertex.get(s.vertex) : undefined;
    if (!o || o.lines.length !== 1) continue;
    s.line = o.lines[0][0];
    s.endLine = o.lines[0][1];
  }
}

/**
 * A merged op (two source ranges) runs once; the log names one of its steps. The twin step of the
 * other range gets the same status and timing, with a note saying why.
 */
export function markMergedSteps(report: Report, rec: DigestRecord): boolean {
  let changed = false;
  const ix = opIndex(rec);
  const byLine = new Map(report.steps.filter((s) => s.line != null).map((s) => [s.line!, s]));
  for (const s of report.steps) {
    if (!s.vertex || s.line == null) continue;
    const o = ix.byVertex.get(s.vertex);
    if (!o || o.lines.length < 2) continue;
    for (const [start] of o.lines) {
      if (start === s.line) continue;
      const twin = byLine.get(start);
      if (!twin || twin.vertex === s.vertex) continue;
      if (twin.vertex && ix.byVertex.get(twin.vertex)?.id !== o.id) continue; // joined with a vertex of its own
      twin.vertex = s.vertex;
      twin.status = s.status;
      twin.durationSeconds = s.durationSeconds;
      twin.startSeconds = s.startSeconds;
      twin.endSeconds = s.endSeconds;
      twin.note = recordTexts.mergedWith(s.line);
      twin.error = s.error;
      // Same op, same cause; not a root of its own (its time is the sibling's, counted once).
      twin.miss = s.miss ? { ...s.miss, rootCause: false } : null;
      if (!s.note) s.note = recordTexts.mergedWith(start);
      changed = true;
    }
  }
  return changed;
}
