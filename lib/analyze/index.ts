import { parseLog } from "../parse/log/index";
import { parseDockerfile } from "../parse/dockerfile";
import { parseImageMetadata } from "../parse/image";
import { diag, type Diagnostic, type InputSource } from "../model/diagnostics";
import type { DockerfileModel } from "../model/dockerfile";
import { emptyLogBuild, type LogBuild, type ParsedLog } from "../model/log";
import type { OtherVertex, Report, ReportStep } from "../model/report";
import type { AnalyzeInput, AnalysisContext, ImageMetadata } from "./types";
import { joinBuild } from "./join";
import { buildStepGraph } from "./graph";
import { round1, schedule } from "./timeline";
import { explainMisses } from "./explain";
import { diagnosisTexts } from "./catalog";
import { compareBuilds, toComparison, type CompareFacts } from "./compare";
import { mapLayersToSteps } from "./layers";
import { runFindings } from "./findings/index";
import { applyChangedFiles } from "./changed-files";
import { analyzeRecordInput } from "./record-analyze";
import { summarize } from "./summary";

export type { AnalyzeInput } from "./types";

/**
 * The whole engine: parse → join → schedule → explain → findings → report. Never throws on user
 * input: whatever could not be read becomes a located diagnostic in `report.diagnostics`.
 */
export function analyze(input: AnalyzeInput): Report {
  // Build records (bundle bytes, digest text, history inspect JSON) take their own path.
  const fromRecord = analyzeRecordInput(input, analyzeParsed);
  if (fromRecord) return fromRecord;
  const log = parseLog(input.log ?? "");
  const dockerfile = input.dockerfile && input.dockerfile.trim() ? parseDockerfile(input.dockerfile) : null;
  return analyzeParsed(input, log, dockerfile);
}

/** `previous`: an already parsed previous build (a build record), used instead of parsing `input.previousLog`. */
export function analyzeParsed(
  input: AnalyzeInput,
  log: ParsedLog,
  givenDockerfile: DockerfileModel | null,
  previous?: { log: ParsedLog; build: number; dockerfile: DockerfileModel | null } | null,
): Report {
  let dockerfile = givenDockerfile;
  const diagnostics: Diagnostic[] = [...log.diagnostics, ...(dockerfile?.diagnostics ?? [])];
  const buildCount = log.builds.length;
  let buildIndex = input.build ?? buildCount;
  if (input.build != null && (input.build < 1 || input.build > buildCount)) {
    diagnostics.push(
      diag("error", "log", null, "log/no-such-build", `The log holds ${buildCount} build${buildCount === 1 ? "" : "s"}; there is no build ${input.build}. Showing the last one.`),
    );
    buildIndex = buildCount;
  }
  const build = log.builds[buildIndex - 1] ?? emptyLogBuild();

  let joined = joinBuild(dockerfile, build);
  if (joined.dockerfileMismatch) {
    // Statuses on the wrong lines are worse than no lines: show what the log alone says.
    diagnostics.push(diag("warning", "dockerfile", null, "join/dockerfile-mismatch", diagnosisTexts.dockerfileMismatch(joined.dockerfileMismatch)));
    dockerfile = null;
    joined = joinBuild(null, build);
  }
  diagnostics.push(...joined.diagnostics);
  const { stages, steps } = joined;
  const graph = buildStepGraph(stages, steps);
  const sched = schedule(steps, graph, build.timing);
  // Legacy logs carry no timings at all: say "unknown", not 0 s.
  const anyTiming = steps.some((s) => s.durationSeconds != null || s.startSeconds != null);
  if (!anyTiming) {
    sched.makespan = null;
    sched.criticalPathSeconds = null;
  }
  for (const s of steps) {
    if (s.startSeconds == null && sched.start.has(s.id)) s.startSeconds = round1(sched.start.get(s.id)!);
    if (s.endSeconds == null && sched.end.has(s.id)) s.endSeconds = round1(sched.end.get(s.id)!);
  }
  const onPath = new Set(sched.criticalPath);
  for (const s of steps) s.onCriticalPath = onPath.has(s.id);
  const critStages = new Set(steps.filter((s) => s.onCriticalPath).map((s) => s.stageIndex));
  for (const st of stages) st.onCriticalPath = critStages.has(st.index);

  // Compare mode.
  let compare: CompareFacts | null = null;
  let previousDuration: number | null = null;
  if (input.previousLog || input.previousDockerfile || previous) {
    const prevDockerfile = input.previousDockerfile?.trim() ? parseDockerfile(input.previousDockerfile) : previous?.dockerfile ?? null;
    diagnostics.push(...relabel(prevDockerfile?.diagnostics ?? [], "previous-dockerfile"));
    let prevSteps: ReportStep[] | null = null;
    let prevBuild: LogBuild | null = null;
    if (input.previousLog || previous) {
      const prevLog = previous?.log ?? parseLog(input.previousLog ?? "");
      diagnostics.push(...relabel(prevLog.diagnostics, "previous-log"));
      prevBuild = prevLog.builds[(previous?.build ?? prevLog.builds.length) - 1] ?? null;
      if (prevBuild) {
        prevSteps = joinBuild(prevDockerfile ?? dockerfile, prevBuild).steps;
        previousDuration = prevBuild.durationSeconds;
      }
    }
    compare = compareBuilds({
      current: { steps, build, dockerfile },
      previous: { steps: prevSteps, build: prevBuild, dockerfile: prevDockerfile },
    });
  }

  const explained = explainMisses({
    dockerfile,
    build,
    stages,
    steps,
    graph,
    compare,
    earlierBuilds: log.builds.slice(0, buildIndex - 1),
    mergedInto: joined.mergedInto,
    exactTiming: sched.timing === "exact",
  });
  const { rootCauses, checks } = explained;
  const changed = applyChangedFiles({ changedFiles: input.changedFiles, source: input.changedFilesSource, dockerignore: input.dockerignore, dockerfile, steps, rootCauses });
  diagnostics.push(...changed.diagnostics);
  // The changed-files list may have decided root causes: the headline follows them.
  const diagnosis = changed.facts ? explained.rediagnose() : explained.diagnosis;
  if (log.format === "unknown") {
    diagnosis.title = diagnosisTexts.unreadable.title;
    diagnosis.detail = diagnosisTexts.unreadable.detail();
  }

  // Layer sizes.
  let image: ImageMetadata | null = null;
  let layers: Report["layers"] = null;
  if (input.image && input.image.trim()) {
    image = parseImageMetadata(input.image);
    diagnostics.push(...image.diagnostics);
    layers = mapLayersToSteps(image, dockerfile, steps);
    for (const l of layers) {
      if (!l.step) continue;
      const s = graph.byId.get(l.step);
      if (s) s.sizeBytes = (s.sizeBytes ?? 0) + l.sizeBytes;
    }
  }

  const ctx: AnalysisContext = { dockerfile, log, build, stages, steps, layers, image, changedFiles: changed.facts };
  const findings = runFindings(ctx);

  const report: Report = {
    schemaVersion: 1,
    input: {
      logFormat: log.format,
      wrapper: log.wrapper,
      hasDockerfile: dockerfile != null,
      buildsInLog: buildCount,
      build: buildIndex,
      hasPreviousLog: !!input.previousLog,
      hasPreviousDockerfile: !!input.previousDockerfile,
      hasImage: !!input.image,
    },
    build: {
      status: build.outcome,
      durationSeconds: build.durationSeconds ?? sched.makespan,
      timing: sched.timing,
      errorMessage: build.errorMessage,
      contextTransferBytes: build.contextTransferBytes,
      builder: build.builder ? `${build.builder.name} (${build.builder.driver})` : null,
    },
    stages,
    steps,
    summary: summarize(steps, sched.criticalPathSeconds, sched.timing === "exact"),
    findings,
    rootCauses,
    diagnosis,
    comparison: compare ? toComparison(compare, steps, previousDuration) : null,
    layers,
    otherVertices: otherVertices(build),
    changedFiles: changed.facts?.summary ?? null,
    checks,
    history: null,
    record: null,
    diagnostics,
  };
  return report;
}

function otherVertices(build: LogBuild): OtherVertex[] {
  return build.vertices
    .filter((v) => v.kind !== "step")
    .map((v) => ({
      vertex: v.id,
      name: v.name,
      kind: v.kind,
      status: v.status,
      durationSeconds: v.durationSeconds,
      startSeconds: v.startSeconds,
      endSeconds: v.endSeconds,
    }));
}

function relabel(ds: Diagnostic[], source: InputSource): Diagnostic[] {
  return ds.map((d) => ({ ...d, source }));
}

/** True when the log could not be read as a build log at all (the CLI exits 2). */
export function isUnreadable(report: Report): boolean {
  // Steps from a given Dockerfile are all not-run when the log said nothing about them.
  return report.input.logFormat === "unknown" && report.steps.every((s) => s.status === "not-run") && report.otherVertices.length === 0;
}
