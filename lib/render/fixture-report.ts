/**
 * A small literal Report for pure formatting unit tests of the renderers (escaping, layout).
 * Behaviour on real builds is tested on reports the engine produces from fixtures.
 */
import type { Report, ReportStep } from "../model/report";

export function literalStep(over: Partial<ReportStep> & Pick<ReportStep, "stageIndex" | "stage" | "position" | "of" | "text">): ReportStep {
  return {
    id: `${over.stageIndex}:${over.position}`,
    vertex: null,
    instruction: over.text.split(" ")[0] ?? "RUN",
    line: null,
    endLine: null,
    status: "cached",
    durationSeconds: null,
    startSeconds: null,
    endSeconds: null,
    sizeBytes: null,
    miss: null,
    note: null,
    onCriticalPath: false,
    pulledBytes: null,
    error: null,
    output: [],
    outputLineCount: 0,
    logLine: null,
    ...over,
  };
}

export function literalReport(over: Partial<Report> = {}): Report {
  const steps = over.steps ?? [
    literalStep({ stageIndex: 0, stage: "build", position: 1, of: 3, text: "FROM local/busybox:latest", status: "rebuilt", durationSeconds: 0 }),
    literalStep({ stageIndex: 0, stage: "build", position: 2, of: 3, text: "COPY package.json ./", status: "cached", line: 3 }),
    literalStep({
      stageIndex: 0,
      stage: "build",
      position: 3,
      of: 3,
      text: "COPY . .",
      line: 5,
      status: "rebuilt",
      durationSeconds: 2.5,
      miss: {
        cause: "context-changed",
        rootCause: true,
        rootStep: "0:3",
        candidates: ["context-changed", "instruction-changed"],
        costSeconds: 2.5,
        explanation: "`[build 3/3] COPY . .` (line 5) copies `.` from the build context, and those files changed.",
        fix: "Copy `package.json` first.",
        decideWith: "the previous build's log",
        certainty: "inferred",
        evidence: "candidates",
        decidedBy: "the previous build's log",
        changedFiles: null,
      },
    }),
  ];
  return {
    schemaVersion: 1,
    input: { logFormat: "plain", wrapper: "none", hasDockerfile: true, buildsInLog: 1, build: 1, hasPreviousLog: false, hasPreviousDockerfile: false, hasImage: false },
    build: { status: "success", durationSeconds: 3.2, timing: "estimated", errorMessage: null, contextTransferBytes: null, builder: null },
    stages: [
      {
        index: 0,
        name: "build",
        line: 1,
        base: "local/busybox:latest",
        baseKind: "image",
        dependsOn: [],
        externalSources: [],
        platform: null,
        used: true,
        onCriticalPath: true,
        counts: { cached: 1, rebuilt: 1, error: 0, other: 1 },
        edges: [{ fromStage: null, fromImage: "local/busybox:latest", kind: "from", line: 1 }],
      },
    ],
    steps,
    summary: { steps: steps.length, cached: 1, rebuilt: 1, errors: 0, cacheHitRatio: 0.5, rebuiltSeconds: 2.5, criticalPathSeconds: 2.5, notRun: 0, canceled: 0, unfinished: 0 },
    findings: [
      { rule: "copy-context-before-install", severity: "warning", line: 5, message: "`COPY . .` before the install.", fix: "Copy manifests first.", steps: ["0:3"], costSeconds: 2.5 },
    ],
    rootCauses: [
      { rootStep: "0:3", cause: "context-changed", costSeconds: 2.5, steps: ["0:3"], explanation: "`[build 3/3] COPY . .` copies `.`; files changed.", fix: "Copy `package.json` first.", evidence: "candidates", changedFiles: null },
    ],
    diagnosis: { kind: "partial", title: "Partly rebuilt", detail: "1 of 2 steps re-ran, from 1 root cause.", fix: null, evidence: "candidates", failure: null },
    comparison: null,
    layers: null,
    otherVertices: [],
    checks: [],
    history: null,
    record: null,
    diagnostics: [],
    ...over,
  };
}
