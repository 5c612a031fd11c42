import type { ReportStep } from "../model/report";
import { round1 } from "./timeline";

/**
 * Rebuilt time of a set of steps — one definition for the summary, every root cause's cost, the
 * text, the Markdown and the web panel. A vertex BuildKit merged for several steps counts once.
 * With exact times (rawjson) it is the wall-clock union of the steps' intervals, so it never
 * exceeds the build's wall time; with estimated times it is the sum of their durations.
 */
export function rebuiltSeconds(steps: ReportStep[], exact: boolean): number {
  const seen = new Set<string>();
  const unique: ReportStep[] = [];
  for (const s of steps) {
    const key = s.vertex ?? `step:${s.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(s);
  }
  if (exact && unique.every((s) => s.startSeconds != null && s.endSeconds != null)) {
    const spans = unique.map((s) => [s.startSeconds!, s.endSeconds!] as const).sort((a, b) => a[0] - b[0]);
    let total = 0;
    let curStart = -Infinity;
    let curEnd = -Infinity;
    for (const [a, b] of spans) {
      if (a > curEnd) {
        if (curEnd > curStart) total += curEnd - curStart;
        curStart = a;
        curEnd = b;
      } else curEnd = Math.max(curEnd, b);
    }
    if (curEnd > curStart) total += curEnd - curStart;
    return round1(total);
  }
  return round1(unique.reduce((t, s) => t + (s.durationSeconds ?? 0), 0));
}

/**
 * Step counts — one definition for the diagnosis ("N of M steps re-ran"), the text and Markdown
 * headers: Dockerfile steps other than FROM (a FROM resolves a base image; it is not a cache
 * decision), by status.
 */
export function stepCounts(steps: Pick<ReportStep, "instruction" | "status">[]): {
  cached: number;
  rebuilt: number;
  failed: number;
  canceled: number;
  ran: number;
  reran: number;
  notRun: number;
} {
  let cached = 0;
  let rebuilt = 0;
  let failed = 0;
  let canceled = 0;
  let notRun = 0;
  for (const s of steps) {
    if (s.instruction.toUpperCase() === "FROM") continue;
    if (s.status === "cached") cached++;
    else if (s.status === "rebuilt") rebuilt++;
    else if (s.status === "error") failed++;
    else if (s.status === "canceled" || s.status === "unfinished") canceled++;
    else notRun++;
  }
  return { cached, rebuilt, failed, canceled, ran: cached + rebuilt + failed + canceled, reran: rebuilt + failed + canceled, notRun };
}
