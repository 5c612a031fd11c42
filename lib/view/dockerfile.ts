/** Read-only Dockerfile view model: each line with the step that covers it and that step's status. */
import type { ReportStep, StepStatus } from "../model/report";
import { displayStatus, type DisplayStatus } from "./status";

export interface DockerfileLine {
  /** 1-based. */
  number: number;
  text: string;
  stepId: string | null;
  status: StepStatus | null;
  /** What the gutter shows (RESOLVED for a FROM that only resolved its image). */
  display: DisplayStatus | null;
  /** True on the first line of a step (where the gutter shows the badge). */
  stepStart: boolean;
}

export function toDockerfileLines(text: string, steps: readonly ReportStep[]): DockerfileLine[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const owner = new Array<ReportStep | null>(lines.length).fill(null);
  for (const s of steps) {
    if (s.line == null) continue;
    const end = Math.min(s.endLine ?? s.line, lines.length);
    for (let l = s.line; l <= end; l++) if (l >= 1) owner[l - 1] = s;
  }
  return lines.map((t, i) => {
    const s = owner[i];
    return {
      number: i + 1,
      text: t,
      stepId: s?.id ?? null,
      status: s?.status ?? null,
      display: s ? displayStatus(s) : null,
      stepStart: s != null && s.line === i + 1,
    };
  });
}
