/**
 * The trend over several build records (`report.history`): bars, and one row per build saying what
 * changed against the build it is compared with. Pure.
 */
import type { CauseCode, Evidence, StepStatus } from "../model/report";
import { formatDuration, formatPercent } from "./format";
import { CAUSE_LABEL } from "./labels";

export interface HistoryEntry {
  /** 1-based, oldest first (the `--build` number). */
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
  /** Counted for the cache / re-ran, as the build summary counts them (a FROM that only resolved is neither). */
  counted?: number;
  reran?: number;
  /** The build this one is compared with, null for none. */
  previousIndex?: number | null;
  /** This build's root causes (vs that build), most expensive first. */
  rootCauses?: { step: string; text: string; line: number | null; cause: CauseCode | string; evidence: Evidence; costSeconds: number }[];
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

/** At most this many builds are listed (newest first); Depot shows 50 too. */
export const HISTORY_ROWS = 50;

export interface HistoryRow {
  ref: string;
  index: number;
  /** "#6" */
  label: string;
  /** "vs #5", null when the build has no earlier build of its project. */
  versus: string | null;
  /** "2026-12-01 09:22:15 UTC", null when the record does not say. */
  when: string | null;
  status: HistoryEntry["status"];
  duration: string;
  hitRatio: string;
  /** "4 of 7 steps · 2.2s": re-ran of counted, as the build summary says it */
  rebuilt: string;
  causes: { step: string; text: string; line: number | null; label: string; evidence: Evidence; cost: string }[];
  /** Steps that went from cached (or absent) to rebuilt / failed against the compared build, with their cause. */
  missed: { id: string; text: string; before: StepStatus | "absent"; after: StepStatus; label: string | null; evidence: Evidence | null }[];
  /** Steps that went the other way (rebuilt → cached). */
  recovered: number;
  latest: boolean;
}

const causeLabel = (c: string | null | undefined): string | null => (c ? ((CAUSE_LABEL as Record<string, string>)[c] ?? c) : null);
const isMiss = (s: StepStatus) => s === "rebuilt" || s === "error";

/** One row per build, newest first, at most HISTORY_ROWS. */
export function toHistoryRows(history: HistoryEntry[]): HistoryRow[] {
  const ordered = [...history].sort((a, b) => b.index - a.index);
  const latest = ordered[0]?.index;
  return ordered.slice(0, HISTORY_ROWS).map((e) => {
    const iso = e.createdAt && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^]*Z$/.test(e.createdAt) ? e.createdAt : null;
    return {
      ref: e.ref,
      index: e.index,
      label: `#${e.index}`,
      versus: e.previousIndex != null ? `vs #${e.previousIndex}` : null,
      when: iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : null,
      status: e.status,
      duration: formatDuration(e.durationSeconds),
      hitRatio: formatPercent(e.cacheHitRatio),
      rebuilt: `${e.reran ?? e.rebuilt} of ${e.counted ?? e.steps} steps${e.rebuiltSeconds ? ` · ${formatDuration(e.rebuiltSeconds)}` : ""}`,
      causes: (e.rootCauses ?? []).map((c) => ({ step: c.step, text: c.text, line: c.line, label: causeLabel(c.cause)!, evidence: c.evidence, cost: formatDuration(c.costSeconds) })),
      missed: e.flipped.filter((f) => isMiss(f.after) && !(f.before !== "absent" && isMiss(f.before))).map((f) => ({ id: f.id, text: f.text, before: f.before, after: f.after, label: causeLabel(f.cause), evidence: f.evidence })),
      recovered: e.flipped.filter((f) => f.after === "cached" && f.before !== "absent" && isMiss(f.before)).length,
      latest: e.index === latest,
    };
  });
}
