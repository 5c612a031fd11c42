import type { ReportStep, ReportSummary } from "../model/report";
import { isMiss } from "./explain";
import { round1 } from "./timeline";

/** The report summary: counts, cache hit ratio (FROM steps excluded), rebuilt seconds. */
export function summarize(steps: ReportStep[], criticalPathSeconds: number | null): ReportSummary {
  let cached = 0;
  let rebuilt = 0;
  let errors = 0;
  let notRun = 0;
  let canceled = 0;
  let unfinished = 0;
  let hitCached = 0;
  let hitMissed = 0;
  let rebuiltSeconds = 0;
  for (const s of steps) {
    if (s.status === "cached") cached++;
    else if (s.status === "rebuilt") rebuilt++;
    else if (s.status === "error") errors++;
    else if (s.status === "not-run") notRun++;
    else if (s.status === "canceled") canceled++;
    else if (s.status === "unfinished") unfinished++;
    if (s.instruction !== "FROM") {
      if (s.status === "cached") hitCached++;
      else if (isMiss(s)) hitMissed++;
    }
    if (isMiss(s)) rebuiltSeconds += s.durationSeconds ?? 0;
  }
  return {
    steps: steps.length,
    cached,
    rebuilt,
    errors,
    cacheHitRatio: hitCached + hitMissed > 0 ? Math.round((hitCached / (hitCached + hitMissed)) * 100) / 100 : null,
    rebuiltSeconds: round1(rebuiltSeconds),
    criticalPathSeconds,
    notRun,
    canceled,
    unfinished,
  };
}
