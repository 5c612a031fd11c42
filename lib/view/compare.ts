/**
 * Compare mode, side by side: every step of this build next to its state in the previous build,
 * steps that flipped (cached → rebuilt and back, new steps) first, then the rest in build order.
 * Pure.
 */
import type { Comparison, ReportStep, StepStatus } from "../model/report";

export interface CompareRow {
  id: string;
  text: string;
  stage: string | null;
  before: StepStatus | "absent" | "unknown";
  after: StepStatus;
  beforeSeconds: number | null;
  afterSeconds: number | null;
  flipped: boolean;
}

export interface CompareView {
  rows: CompareRow[];
  flippedCount: number;
  previousSeconds: number | null;
}

export function toCompareView(comparison: Comparison, steps: Pick<ReportStep, "id" | "text" | "stage" | "status" | "durationSeconds">[]): CompareView {
  const flipped = new Map(comparison.flipped.map((f) => [f.id, f]));
  const deltas = new Map(comparison.durationDeltas.map((d) => [d.id, d]));
  const rows: CompareRow[] = steps.map((s) => {
    const f = flipped.get(s.id);
    const d = deltas.get(s.id);
    return {
      id: s.id,
      text: s.text,
      stage: s.stage,
      // Not flipped means the same status as now.
      before: f ? f.before : s.status,
      after: s.status,
      beforeSeconds: d?.beforeSeconds ?? null,
      afterSeconds: d?.afterSeconds ?? s.durationSeconds,
      flipped: !!f,
    };
  });
  // Flipped steps the current build does not have (removed or renamed) still belong in the list.
  const known = new Set(steps.map((s) => s.id));
  for (const f of comparison.flipped) {
    if (known.has(f.id)) continue;
    rows.push({ id: f.id, text: f.text, stage: null, before: f.before, after: f.after, beforeSeconds: null, afterSeconds: null, flipped: true });
  }
  const order = new Map(rows.map((r, i) => [r.id, i]));
  rows.sort((a, b) => Number(b.flipped) - Number(a.flipped) || order.get(a.id)! - order.get(b.id)!);
  return { rows, flippedCount: rows.filter((r) => r.flipped).length, previousSeconds: comparison.previousDurationSeconds };
}
