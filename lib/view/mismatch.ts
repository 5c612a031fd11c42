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
  if (!report.input.hasDockerfile) return null;
  const found = report.diagnostics.filter((d) => MISMATCH_CODE.test(d.code));
  if (!found.length) return null;
  const notRunStages = report.stages.filter((st) => {
    const steps = report.steps.filter((s) => s.stageIndex === st.index);
    return steps.length > 0 && steps.every((s) => s.status === "not-run");
  }).length;
  return { message: found.map((d) => d.message).join(" "), notRunStages };
}
