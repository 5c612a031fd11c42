/** Builders for view-model tests: small report fragments with defaults. */
import type { ReportStage, ReportStep, StepStatus } from "../model/report";
import { literalStep } from "../render/fixture-report";

export function mkStage(index: number, over: Partial<ReportStage> = {}): ReportStage {
  return {
    index,
    name: over.name ?? `stage-${index}`,
    line: null,
    base: "local/busybox:latest",
    baseKind: "image",
    dependsOn: [],
    externalSources: [],
    platform: null,
    used: true,
    onCriticalPath: false,
    counts: { cached: 0, rebuilt: 0, error: 0, other: 0 },
    edges: [{ fromStage: null, fromImage: "local/busybox:latest", kind: "from", line: null }],
    ...over,
  };
}

export function mkStep(stageIndex: number, position: number, status: StepStatus, over: Partial<ReportStep> = {}): ReportStep {
  return literalStep({
    stageIndex,
    stage: `stage-${stageIndex}`,
    position,
    of: 9,
    instruction: position === 1 ? "FROM" : "RUN",
    text: position === 1 ? "FROM local/busybox:latest" : `RUN step ${position}`,
    status,
    durationSeconds: status === "cached" ? null : 1,
    ...over,
  });
}
