/** Step table view model: filtering and sorting of report steps. Pure. */
import type { ReportStep, StepStatus } from "../model/report";

export type StepSort = "order" | "cost" | "duration";

export interface StepFilter {
  status: StepStatus | "all" | "missed";
  /** Stage index, or "all". */
  stage: number | "all";
  /** Case-insensitive text match on the instruction text. */
  query: string;
}

export const DEFAULT_STEP_FILTER: StepFilter = { status: "all", stage: "all", query: "" };

/** Seconds this step is responsible for: a root cause's cost, else its own duration. */
export function stepCost(s: ReportStep): number | null {
  if (s.miss?.rootCause && s.miss.costSeconds != null) return s.miss.costSeconds;
  if (s.status === "rebuilt" || s.status === "error") return s.durationSeconds;
  return null;
}

export function filterSteps(steps: readonly ReportStep[], f: StepFilter): ReportStep[] {
  const q = f.query.trim().toLowerCase();
  return steps.filter((s) => {
    if (f.status === "missed") {
      if (s.status !== "rebuilt" && s.status !== "error") return false;
    } else if (f.status !== "all" && s.status !== f.status) return false;
    if (f.stage !== "all" && s.stageIndex !== f.stage) return false;
    if (q && !s.text.toLowerCase().includes(q) && !s.stage.toLowerCase().includes(q)) return false;
    return true;
  });
}

/** Stable sort; nulls last; "order" keeps the report order (stage, then position). */
export function sortSteps(steps: readonly ReportStep[], by: StepSort): ReportStep[] {
  const indexed = steps.map((s, i) => ({ s, i }));
  const key = (s: ReportStep): number | null =>
    by === "cost" ? stepCost(s) : by === "duration" ? s.durationSeconds : null;
  if (by !== "order") {
    indexed.sort((a, b) => {
      const ka = key(a.s);
      const kb = key(b.s);
      if (ka == null && kb == null) return a.i - b.i;
      if (ka == null) return 1;
      if (kb == null) return -1;
      return kb - ka || a.i - b.i;
    });
  }
  return indexed.map((x) => x.s);
}

/** Order of steps for keyboard navigation / "next miss". */
export function firstInterestingStep(steps: readonly ReportStep[]): ReportStep | null {
  return (
    steps.find((s) => s.status === "error") ??
    steps.find((s) => s.miss?.rootCause) ??
    steps.find((s) => s.status === "rebuilt") ??
    null
  );
}
