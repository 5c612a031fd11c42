import type { ReportStep, ReportSummary } from "../model/report";
import { isMiss } from "./explain";
import { rebuiltSeconds } from "./numbers";

/** The report summary: counts, cache hit ratio (FROM steps excluded), rebuilt seconds (one definition: lib/analyze/numbers.ts). */
export function summarize(steps: ReportStep[], criticalPathSeconds: number | null, exactTiming: boolean): ReportSummary {
  let cached = 0;
  let rebuilt = 0;
  let errors = 0;
  let notRun = 0;
  let canceled = 0;
  let unfinished = 0;
  let hitCached = 0;
  let hitMissed = 0;
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
  }
  return {
    steps: steps.length,
    cached,
    rebuilt,
    errors,
    cacheHitRatio: hitCached + hitMissed > 0 ? Math.round((hitCached / (hitCached + hitMissed)) * 100) / 100 : null,
    rebuiltSeconds: rebuiltSeconds(steps.filter(isMiss), exactTiming),
    criticalPathSeconds,
    notRun,
    canceled,
    unfinished,
  };
}

