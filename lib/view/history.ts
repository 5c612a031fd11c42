/**
 * The trend over several build records (`report.history`, filled by the build-records work). The
 * type is declared here so the view compiles before that field exists on the report; the shape is
 * the records branch's contract. Pure.
 */
import type { Evidence, StepStatus } from "../model/report";

export interface HistoryEntry {
  index: number;
  ref: string;
  name: string;
  createdAt: string | null;
  status: "success" | "failed" | "canceled" | "incomplete" | string;
  durationSeconds: number | null;
  steps: number;
  cached: number;
  rebuilt: number;
  cacheHitRatio: number | null;
  rebuiltSeconds: number | null;
  flipped: { id: string; text: string; before: StepStatus | "absent"; after: StepStatus; cause: string | null; evidence: Evidence | null }[];
}

/** Read `report.history` when present (any report object: the field is not on the type yet). */
export function historyOf(report: object): HistoryEntry[] | null {
  const h = (report as { history?: unknown }).history;
  if (!Array.isArray(h) || h.length === 0) return null;
  return h.filter((e): e is HistoryEntry => typeof e === "object" && e !== null && typeof (e as HistoryEntry).ref === "string");
}

export interface TrendBar {
  entry: HistoryEntry;
  /** 0..1 of the tallest build. */
  height: number;
  /** Share of the bar that was rebuilt time (0..1 of the bar). */
  rebuiltShare: number;
}

export interface TrendView {
  bars: TrendBar[];
  maxSeconds: number;
  /** Hit ratio change from the first to the last build with one, in points; null without two. */
  hitRatioChange: number | null;
}

export function toTrend(history: HistoryEntry[]): TrendView {
  const ordered = [...history].sort((a, b) => a.index - b.index);
  const maxSeconds = Math.max(0, ...ordered.map((e) => e.durationSeconds ?? 0));
  const bars = ordered.map((entry) => {
    const d = entry.durationSeconds ?? 0;
    return {
      entry,
      height: maxSeconds > 0 ? d / maxSeconds : 0,
      rebuiltShare: d > 0 && entry.rebuiltSeconds != null ? Math.min(1, entry.rebuiltSeconds / d) : 0,
    };
  });
  const withRatio = ordered.filter((e) => e.cacheHitRatio != null);
  const hitRatioChange =
    withRatio.length >= 2 ? Math.round((withRatio[withRatio.length - 1].cacheHitRatio! - withRatio[0].cacheHitRatio!) * 100) : null;
  return { bars, maxSeconds, hitRatioChange };
}
