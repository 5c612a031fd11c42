/**
 * Does the Dockerfile given match the log? The engine says so in its diagnostics (join/*); when it
 * does not, the views must say why stages read NOT RUN instead of letting them look skipped. Pure.
 */
import type { Report } from "../model/report";

export interface DockerfileMismatch {
  message: string;
  /** Used-looking stages with every step NOT RUN: the visible symptom of the mismatch. */
  notRunStages: number;
}

/** The join's "is this the Dockerfile that was built?" family of diagnostics. */
const MISMATCH_CODE = /^join\/(text-mismatch|unplaced-steps|dockerfile-mismatch|mismatch)/;

export function dockerfileMismatch(report: Pick<Report, "diagnostics" | "steps" | "stages" | "input">): DockerfileMismatch | null {
  const found = report.diagnostics.filter((d) => MISMATCH_CODE.test(d.code));
  if (!found.length) return null;
  // A Dockerfile that does not fit at all is dropped by the engine (join/dockerfile-mismatch, then
  // hasDockerfile is false and the view is the log's own): the notice says why the lines are gone.
  if (!report.input.hasDockerfile && !found.some((d) => d.code === "join/dockerfile-mismatch")) return null;
  const notRunStages = report.stages.filter((st) => {
    const steps = report.steps.filter((s) => s.stageIndex === st.index);
    return steps.length > 0 && steps.every((s) => s.status === "not-run");
  }).length;
  return { message: found.map((d) => d.message).join(" "), notRunStages };
}
