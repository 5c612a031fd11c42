/**
 * Small helpers shared by the text, Markdown and SVG renderers. Pure: no DOM, no Node.
 */
import type { Miss, Report, ReportStep } from "../model/report";
import { causeLabels, evidenceTexts } from "../analyze/catalog";
export { stepCounts } from "../analyze/numbers";

// The display formatters are the web views' own (one definition for every output).
export { formatDuration as formatSeconds, formatPercent as formatRatio, formatBytes, plural } from "../view/format";
import { formatDuration as formatSeconds } from "../view/format";

/** Collapses whitespace (incl. newlines) and cuts to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  // Do not split a UTF-16 surrogate pair.
  let cut = Math.max(0, max - 1);
  const code = flat.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return flat.slice(0, cut) + "…";
}

/** `[build 3/5]` as BuildKit prints it. */
export function stepLabel(step: Pick<ReportStep, "stage" | "position" | "of">): string {
  return `[${step.stage} ${step.position}/${step.of}]`;
}

/** Finds a step by its "<stageIndex>:<position>" id. */
export function stepById(report: Report, id: string): ReportStep | undefined {
  return report.steps.find((s) => s.id === id);
}

/** Seconds the build spent in total: the build duration, else the critical path. */
export function totalSeconds(report: Report): number | null {
  return report.build.durationSeconds ?? report.summary.criticalPathSeconds ?? null;
}

/** Counts UTF-8 bytes without allocating (what GitHub's comment limit is safely measured in). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * "rebuilt 2.4s of 12.3s" — or, when steps ran in parallel so their summed time exceeds the wall
 * time, "rebuilt 16m 35s (wall 15m 43s)".
 */
export function rebuiltVsTotal(rebuilt: number | null, total: number | null): string {
  if (rebuilt == null) return `rebuilt ${formatSeconds(rebuilt)}`;
  if (total == null) return `rebuilt ${formatSeconds(rebuilt)}`;
  if (rebuilt <= total * 1.001 + 0.05) return `rebuilt ${formatSeconds(rebuilt)} of ${formatSeconds(total)}`;
  return `rebuilt ${formatSeconds(rebuilt)} (wall ${formatSeconds(total)})`;
}

/** A FROM that only resolved its image: BuildKit prints DONE, but it is not a cache miss. */
export function isResolvedFrom(step: Pick<ReportStep, "status" | "miss" | "instruction">): boolean {
  return step.status === "rebuilt" && !step.miss && step.instruction.toUpperCase() === "FROM";
}

/**
 * Cached / rebuilt / failed steps counted the way the cache hit ratio is (a FROM that only
 * resolved is neither), for the whole build or one stage.
 */
export function missCounts(report: Pick<Report, "steps">, stageIndex?: number): { cached: number; rebuilt: number; error: number } {
  let cached = 0;
  let rebuilt = 0;
  let error = 0;
  for (const s of report.steps) {
    if (stageIndex !== undefined && s.stageIndex !== stageIndex) continue;
    if (s.status === "cached") cached++;
    else if (s.status === "error") error++;
    else if (s.status === "rebuilt" && !isResolvedFrom(s)) rebuilt++;
  }
  return { cached, rebuilt, error };
}

/** Status word for a step; a FROM that only resolved reads RESOLVED, not REBUILT. */
export function stepStatusWord(step: ReportStep, words: Record<ReportStep["status"], string>): string {
  return isResolvedFrom(step) ? "RESOLVED" : words[step.status];
}

/**
 * How sure a cause is, in the words every output uses: "exact (the Dockerfile diff)",
 * "inferred", or "one of: context changed, --no-cache — decided by …".
 */
export function evidencePhrase(miss: Pick<Miss, "evidence" | "candidates" | "decidedBy">): string {
  if (miss.evidence === "candidates") return evidenceTexts.candidates(miss.candidates.map((c) => causeLabels[c] ?? c), miss.decidedBy);
  return miss.evidence === "exact" ? evidenceTexts.exact(miss.decidedBy) : evidenceTexts.inferred(null);
}
