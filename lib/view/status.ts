/**
 * What a step's status looks like in the web views. The DOM contract keeps `data-status` as the
 * report status; only the visible word and colour differ: a FROM that only resolved its base image
 * (BuildKit prints DONE for it) reads RESOLVED, not REBUILT, because it is not a cache miss. The
 * rule itself is the renderers' (`isResolvedFrom`), so the text/Markdown reports and the web views
 * agree.
 */
import type { Report, ReportStage, ReportStep, StepStatus } from "../model/report";
import { isResolvedFrom, missCounts } from "../render/format";
import { STATUS_LABEL } from "./labels";

export { isResolvedFrom, missCounts };

export type DisplayStatus = StepStatus | "resolved";

/** The fields `displayStatus` looks at (a report step, or a view model carrying them). */
export type StatusStep = Pick<ReportStep, "status" | "miss" | "instruction">;

export function displayStatus(step: StatusStep): DisplayStatus {
  return isResolvedFrom(step) ? "resolved" : step.status;
}

export const DISPLAY_STATUS_LABEL = {
  ...STATUS_LABEL,
  resolved: "RESOLVED",
} as const satisfies Record<DisplayStatus, string>;

/** Tooltips for status words that need one. */
export const DISPLAY_STATUS_TITLE: Partial<Record<DisplayStatus, string>> = {
  resolved: "This FROM only resolved its base image. BuildKit prints DONE for it, but a FROM that prints DONE is not a cache miss.",
};

/**
 * A stage's step counts the way the cache hit ratio and the Markdown comment count them: a FROM
 * that only resolved is neither cached nor rebuilt.
 */
export function stageCounts(report: Pick<Report, "steps">, stage: Pick<ReportStage, "index" | "counts">): ReportStage["counts"] {
  return { ...missCounts(report, stage.index), other: stage.counts.other };
}
