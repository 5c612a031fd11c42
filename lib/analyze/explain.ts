import type { DockerfileInstruction, DockerfileModel, DockerfileStage } from "../model/dockerfile";
import type { LogBuild } from "../model/log";
import type { BuildDiagnosis, CauseCode, Miss, ReportStage, ReportStep, RootCause } from "../model/report";
import { causeInfo, diagnosisTexts, stepNotes, type CauseParams } from "./catalog";
import type { CompareFacts } from "./compare";
import { digestOf, expandedValues } from "./compare";
import type { StepGraph } from "./graph";
import { round1 } from "./timeline";
import { formatBytes } from "../view/format";

/**
 * The explanation engine. BuildKit semantics decide: a step is rebuilt either because its own
 * cache key changed (a root cause) or because the step it is built on was rebuilt (invalidated by
 * its parent). `COPY --from` / `RUN --mount=from=` key on the *content* of the source stage, so a
 * rebuilt source stage only matters when its output changed — which the log proves by the copy
 * itself re-running.
 */
export interface ExplainInput {
  dockerfile: DockerfileModel | null;
  build: LogBuild;
  stages: ReportStage[];
  steps: ReportStep[];
  graph: StepGraph;
  compare: CompareFacts | null;
}

export interface ExplainResult {
  rootCauses: RootCause[];
  diagnosis: BuildDiagnosis;
}

const RAN = new Set(["rebuilt", "error", "canceled", "unfinished"]);
const REMOTE = /^(https?:\/\/|git@|git:\/\/)|\.git(#.*)?$/;

export function stepLabel(s: Pick<ReportStep, "stage" | "position" | "of" | "text">): string {
  const text = s.text.length > 80 ? `${s.text.slice(0, 77)}…` : s.text;
  return `\`[${s.stage} ${s.position}/${s.of}] ${text}\``;
}

/** A FROM only counts as a miss when it pulled layers: resolving a local image prints DONE too. */
export function isMiss(s: ReportStep): boolean {
  if (!RAN.has(s.status)) return false;
  if (s.instruction === "FROM") return s.status === "error" || (s.pulledBytes ?? 0) > 0;
  return true;
}

export function explainMisses(input: ExplainInput): ExplainResult {
  const { steps, graph, build, dockerfile, compare } = input;
  const ins = instructionIndex(dockerfile);
  const stageName = new Map(input.stages.map((st) => [st.index, st.name]));
  const stageNames = new Set(input.stages.map((st) => st.name.toLowerCase()));
  let diagnosis = diagnose(input);
  const buildCause: CauseCode | null =
    diagnosis.kind === "cold-cache" || diagnosis.kind === "no-cache" || diagnosis.kind === "cache-import-failed" ? diagnosis.kind : null;
  const failedImport = build.cacheImports.find((c) => c.status === "not-found" || c.status === "error");

  // Notes on steps that are not misses.
  for (const s of steps) {
    if (s.instruction === "FROM" && !isMiss(s) && s.status !== "not-run" && !s.note) {
      const image = s.text.replace(/^FROM\s+/i, "");
      s.note = (s.pulledBytes ?? 0) > 0 ? stepNotes.fromPulled(image, formatBytes(s.pulledBytes!)) : stepNotes.fromResolved(image);
    }
  }

  const memo = new Map<string, Miss | null>();
  const visiting = new Set<string>();
  const missOf = (id: string): Miss | null => {
    if (memo.has(id)) return memo.get(id)!;
    const s = graph.byId.get(id);
    if (!s || !isMiss(s) || visiting.has(id)) return null;
    visiting.add(id);
    const m = decide(s);
    visiting.delete(id);
    memo.set(id, m);
    return m;
  };

  /** The root step of the latest miss in a stage's chain (what made its output change). */
  const stageRoot = (stageIndex: number): string | null => {
    let cur: string | null = graph.lastStepOfStage.get(stageIndex) ?? null;
    const seen = new Set<string>();
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      const m = missOf(cur);
      if (m) return m.rootStep;
      cur = graph.chainParent.get(cur) ?? null;
    }
    return null;
  };

  const decide = (s: ReportStep): Miss => {
    const parentId = graph.chainParent.get(s.id) ?? null;
    const parentMiss = parentId ? missOf(parentId) : null;
    const instr = s.line != null ? ins.byLine.get(s.line) ?? null : null;
    const base: CauseParams = { step: stepLabel(s), line: s.line };

    if (parentMiss) {
      const rootStep = parentMiss.rootStep;
      const root = graph.byId.get(rootStep);
      // Without any cache every step runs on its own account, not only because its parent did.
      if (buildCause && parentMiss.cause === buildCause)
        return miss(buildCause, false, rootStep, [buildCause], { ...base, cacheRef: failedImport?.ref });
      return miss("parent-rebuilt", false, rootStep, ["parent-rebuilt"], {
        ...base,
        rootStep: root ? stepLabel(root) : rootStep,
        rootCause: parentMiss.cause,
      });
    }

    // Files from another stage that changed. (Without any cache, the copy runs regardless.)
    const sources = buildCause ? [] : graph.sourceStages.get(s.id) ?? [];
    for (const src of sources) {
      const rootStep = stageRoot(src);
      if (!rootStep) continue;
      const root = graph.byId.get(rootStep);
      return miss("source-stage-changed", false, rootStep, ["source-stage-changed"], {
        ...base,
        stage: stageName.get(src) ?? String(src),
        rootStep: root ? stepLabel(root) : rootStep,
      });
    }

    // A root cause: this step's own key changed.
    if (buildCause === "cold-cache") {
      // Everything re-ran. A declared ARG or a new base image explains that just as well as a
      // cold builder when the context shows that no file changed.
      const parent = parentId ? graph.byId.get(parentId) ?? null : null;
      const stage = dockerfile?.stages[s.stageIndex] ?? null;
      const args = affectingArgs(s, instr, stage);
      if (args.length)
        return miss("build-arg-changed", true, s.id, ["build-arg-changed", "cold-cache", "cache-evicted"], { ...base, args: args.map((a) => argValue(a, s, instr, compare)) });
      if ((parent?.instruction === "FROM" || parent == null) && contextUnchanged(build) && s.instruction !== "FROM") {
        const image = stage && stage.base.kind === "image" ? stage.base.ref : undefined;
        return miss("base-image-changed", true, s.id, ["base-image-changed", "cold-cache", "cache-evicted"], { ...base, image });
      }
    }
    if (buildCause) {
      return miss(buildCause, true, s.id, [buildCause, ...(buildCause === "cold-cache" ? (["no-cache", "cache-evicted"] as CauseCode[]) : [])], {
        ...base,
        cacheRef: failedImport?.ref,
      }, buildCause === "cold-cache" && !build.command ? "the build command line (was --no-cache or --cache-from used?)" : null);
    }
    return rootCause(s, instr, parentId, base);
  };

  const rootCause = (s: ReportStep, instr: DockerfileInstruction | null, parentId: string | null, base: CauseParams): Miss => {
    const parent = parentId ? graph.byId.get(parentId) ?? null : null;
    const afterFrom = parent?.instruction === "FROM" || (parent == null && s.position <= 2);
    const stage = dockerfile?.stages[s.stageIndex] ?? null;
    const keyword = s.instruction;
    const copyFrom = instr?.copyFrom ?? /--from=(\S+)/.exec(s.text)?.[1] ?? null;
    const srcs = instr ? copySources(instr) : textSources(s.text);

    // Compare mode: the Dockerfile text diff decides.
    if (compare && s.line != null && compare.changes.length > 0) {
      const lo = parent?.line != null && parent.stageIndex === s.stageIndex ? parent.line + 1 : stage?.line ?? 1;
      const own = compare.changes.find((c) => c.line === s.line && c.kind !== "removed");
      if (own) {
        return miss("instruction-changed", true, s.id, ["instruction-changed"], { ...base, changedLine: { line: own.line, before: own.before, after: own.after } }, null, "exact");
      }
      const between = compare.changes.find((c) => c.line != null && c.line >= lo && c.line <= s.line!);
      if (between) {
        const text = between.after ?? between.before ?? "";
        if (/^ARG\s/i.test(text)) {
          const name = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(text)?.[1] ?? "?";
          return miss("build-arg-changed", true, s.id, ["build-arg-changed"], { ...base, args: [argValue(name, s, instr, compare)] }, null, "exact");
        }
        return miss("instruction-changed", true, s.id, ["instruction-changed"], { ...base, changedLine: { line: between.line, before: between.before, after: between.after } }, null, "exact");
      }
    }

    // Compare mode with only the previous log: a vertex name that reads differently, with no
    // build arg to explain it, is an edited instruction.
    if (compare && !compare.hasPreviousDockerfile) {
      const previous = compare.previousSteps?.get(s.id);
      if (previous && previous.status !== "not-run" && previous.text !== s.text && keyword !== "FROM" && compare.argChanges.size === 0)
        return miss("instruction-changed", true, s.id, ["instruction-changed"], { ...base, changedLine: { line: s.line, before: previous.text, after: s.text } }, null, "exact");
    }

    if (keyword === "FROM") {
      const image = s.text.replace(/^FROM\s+/i, "");
      return miss("base-image-changed", true, s.id, ["base-image-changed"], { ...base, image, digests: baseDigests(s) }, null, compare?.baseChanges.has(s.stage) ? "exact" : "inferred");
    }

    // Build args: changed values seen by comparing logs, or ARGs whose first use is this step.
    const argNames = affectingArgs(s, instr, stage);
    if (compare && compare.argChanges.size > 0) {
      const changed = argNames.filter((a) => compare.argChanges.has(a));
      if (changed.length)
        return miss("build-arg-changed", true, s.id, ["build-arg-changed"], { ...base, args: changed.map((a) => argValue(a, s, instr, compare)) }, null, "exact");
    }

    // The base image changed under this stage (compare mode knows).
    if (afterFrom && compare?.baseChanges.has(s.stage)) {
      const b = compare.baseChanges.get(s.stage)!;
      return miss("base-image-changed", true, s.id, ["base-image-changed"], { ...base, image: b.image, digests: { before: b.before, after: b.after } }, null, "exact");
    }

    const candidates: CauseCode[] = [];
    const isCopy = keyword === "COPY" || keyword === "ADD";
    if (keyword === "ADD" && srcs.some((x) => REMOTE.test(x))) candidates.push("remote-source");
    if (isCopy && copyFrom) {
      const fromIsImage = !stageNames.has(copyFrom.toLowerCase()) && !/^\d+$/.test(copyFrom);
      if (fromIsImage) {
        candidates.push("base-image-changed", "instruction-changed");
        return miss(candidates[0], true, s.id, candidates, { ...base, image: copyFrom }, causeInfo["base-image-changed"].decideWith);
      }
      candidates.push("instruction-changed", "cache-evicted");
      return miss(candidates[0], true, s.id, candidates, { ...base, stage: copyFrom }, causeInfo["instruction-changed"].decideWith);
    }
    if (argNames.length) candidates.push("build-arg-changed");
    if (isCopy) {
      if (!candidates.includes("remote-source")) candidates.push("context-changed");
      if (afterFrom) candidates.push("base-image-changed");
    } else if (afterFrom) candidates.push("base-image-changed");
    candidates.push("instruction-changed", "cache-evicted");
    const unique = [...new Set(candidates)];
    // With the previous Dockerfile and no text change, the instruction did not change.
    // The previous Dockerfile, or the same vertex name in the previous log, shows the instruction
    // itself did not change.
    const previous = compare?.previousSteps?.get(s.id);
    const sameText = !!previous && previous.status !== "not-run" && previous.text === s.text;
    const pruned = compare?.hasPreviousDockerfile || sameText ? unique.filter((c) => c !== "instruction-changed") : unique;
    const cause = pruned[0] ?? "unknown";
    const params: CauseParams = {
      ...base,
      sources: srcs,
      image: stage && stage.base.kind === "image" ? stage.base.ref : undefined,
      args: argNames.map((a) => argValue(a, s, instr, compare)),
      digests: undefined,
    };
    // With the instruction ruled out, a re-run ADD <url> means the download changed; a COPY from
    // the context means files changed when the context transfer carried files.
    const ruledOut = pruned.length < unique.length;
    const decided = pruned.length === 1 || (ruledOut && (cause === "remote-source" || (cause === "context-changed" && contextChanged(compare))));
    return miss(cause, true, s.id, decided ? [cause] : pruned, params, decided ? null : causeInfo[cause].decideWith, decided && compare != null ? "exact" : "inferred");
  };

  const baseDigests = (s: ReportStep) => {
    const b = compare?.baseChanges.get(s.stage);
    if (b) return { before: b.before, after: b.after };
    return { before: null, after: digestOf(s.text) };
  };

  for (const s of steps) {
    const m = missOf(s.id);
    if (m) s.miss = m;
  }

  // Identical output: the source stage re-ran but this COPY --from stayed cached.
  for (const s of steps) {
    if (s.status !== "cached" || s.note) continue;
    for (const src of graph.sourceStages.get(s.id) ?? []) {
      if (stageRoot(src)) {
        s.note = stepNotes.identicalOutput(stageName.get(src) ?? String(src));
        break;
      }
    }
  }
  // Secret and cache mounts never change the key: say so on cached steps that use them.
  for (const s of steps) {
    if (s.note || s.line == null) continue;
    const i = ins.byLine.get(s.line);
    if (i && s.status === "cached" && i.mounts.some((m) => m.type === "secret" || m.type === "cache")) s.note = stepNotes.secretNotInKey();
  }

  // Costs: a root cause is charged with every rebuilt second it caused.
  const groups = new Map<string, ReportStep[]>();
  for (const s of steps) {
    if (!s.miss) continue;
    const l = groups.get(s.miss.rootStep);
    if (l) l.push(s);
    else groups.set(s.miss.rootStep, [s]);
  }
  const rootCauses: RootCause[] = [];
  for (const [rootStep, members] of groups) {
    const cost = round1(members.reduce((t, m) => t + (m.durationSeconds ?? 0), 0));
    for (const m of members) m.miss!.costSeconds = cost;
    const root = graph.byId.get(rootStep);
    const rootMiss = root?.miss;
    if (!root || !rootMiss) continue;
    rootCauses.push({
      rootStep,
      cause: rootMiss.cause,
      costSeconds: cost,
      steps: members.map((m) => m.id),
      explanation: rootMiss.explanation,
      fix: rootMiss.fix,
      evidence: rootMiss.evidence,
      changedFiles: rootMiss.changedFiles,
    });
  }
  rootCauses.sort((a, b) => b.costSeconds - a.costSeconds || a.rootStep.localeCompare(b.rootStep));
  // A "cold" build whose every root has a more specific explanation was only partly rebuilt.
  if (buildCause && rootCauses.length > 0 && rootCauses.every((r) => r.cause !== buildCause)) diagnosis = partialDiagnosis();
  if (diagnosis.kind === "partial")
    diagnosis.detail = diagnosisTexts.partial.detail(
      steps.filter((s) => s.instruction !== "FROM" && isMiss(s)).length,
      steps.filter((s) => s.instruction !== "FROM" && s.status !== "not-run").length,
      rootCauses.length,
    );
  return { rootCauses, diagnosis };
}

/** Files were sent with this build's context: more than the metadata of an unchanged context. */
function contextChanged(c: CompareFacts | null): boolean {
  return !!c && c.contextBytes.after != null && c.contextBytes.after >= SMALL_CONTEXT_BYTES;
}

function miss(
  cause: CauseCode,
  rootCause: boolean,
  rootStep: string,
  candidates: CauseCode[],
  params: CauseParams,
  decideWith: string | null = null,
  certainty: "exact" | "inferred" = "inferred",
): Miss {
  const info = causeInfo[cause];
  const undecided = candidates.length > 1;
  return {
    cause,
    rootCause,
    rootStep,
    candidates,
    costSeconds: null,
    explanation: info.explain(params),
    fix: info.fix(params),
    decideWith: undecided ? decideWith ?? info.decideWith : null,
    certainty,
    evidence: undecided ? "candidates" : certainty,
    decidedBy: undecided ? decideWith ?? info.decideWith : null,
    changedFiles: null,
  };
}

/**
 * BuildKit sends only the context files that changed since the builder last saw them; a transfer
 * this small carries metadata only, so no file content changed.
 */
export const SMALL_CONTEXT_BYTES = 40; // real captures: 27–33 B with no change, 49 B and up with one

function contextUnchanged(build: LogBuild): boolean {
  return build.contextTransferBytes != null && build.contextTransferBytes < SMALL_CONTEXT_BYTES;
}

function diagnose(input: ExplainInput): BuildDiagnosis {
  const { steps, build } = input;
  const ran = steps.filter((s) => s.instruction !== "FROM" && s.status !== "not-run");
  const misses = ran.filter(isMiss);
  const cached = ran.filter((s) => s.status === "cached");
  if (ran.length === 0) {
    if (build.outcome !== "success" && build.errorMessage)
      return { kind: "failed-early", title: diagnosisTexts["failed-early"].title, detail: diagnosisTexts["failed-early"].detail(build.errorMessage), fix: null, evidence: null, failure: null };
    return { kind: "no-steps", title: diagnosisTexts["no-steps"].title, detail: diagnosisTexts["no-steps"].detail(), fix: null, evidence: null, failure: null };
  }
  if (misses.length === 0)
    return { kind: "fully-cached", title: diagnosisTexts["fully-cached"].title, detail: diagnosisTexts["fully-cached"].detail(ran.length), fix: null, evidence: null, failure: null };
  // --no-cache does not mark WORKDIR, so a WORKDIR right after FROM still says CACHED while every
  // RUN/COPY/ADD runs. A change in the first COPY looks the same, unless the context transfer
  // shows that no file changed.
  const onlyWorkdirCached = cached.length > 0 && cached.every((s) => s.instruction === "WORKDIR");
  // A re-downloaded URL explains the misses as well, and is checked on every build.
  const remoteAdd = misses.some((s) => s.instruction === "ADD" && textSources(s.text).some((x) => REMOTE.test(x)));
  if (onlyWorkdirCached && (build.command?.noCache || (contextUnchanged(build) && !remoteAdd)))
    return { kind: "no-cache", title: diagnosisTexts["no-cache"].title, detail: diagnosisTexts["no-cache"].detail(), fix: diagnosisTexts["no-cache"].fix, evidence: null, failure: null };
  // One rebuilt step says nothing about the cache as a whole.
  if (cached.length === 0 && misses.length >= 2) {
    if (build.command?.noCache)
      return { kind: "no-cache", title: diagnosisTexts["no-cache"].title, detail: diagnosisTexts["no-cache"].detail(), fix: diagnosisTexts["no-cache"].fix, evidence: null, failure: null };
    const failedImport = build.cacheImports.find((c) => c.status === "not-found" || c.status === "error");
    if (failedImport)
      return {
        kind: "cache-import-failed",
        title: diagnosisTexts["cache-import-failed"].title,
        detail: diagnosisTexts["cache-import-failed"].detail(failedImport.ref),
        fix: diagnosisTexts["cache-import-failed"].fix,
        evidence: null,
        failure: null,
      };
    return { kind: "cold-cache", title: diagnosisTexts["cold-cache"].title, detail: diagnosisTexts["cold-cache"].detail(), fix: diagnosisTexts["cold-cache"].fix, evidence: null, failure: null };
  }
  return partialDiagnosis();
}

function partialDiagnosis(): BuildDiagnosis {
  return { kind: "partial", title: diagnosisTexts.partial.title, detail: "", fix: null, evidence: null, failure: null };
}

interface InstructionIndex {
  byLine: Map<number, DockerfileInstruction>;
}

function instructionIndex(df: DockerfileModel | null): InstructionIndex {
  const byLine = new Map<number, DockerfileInstruction>();
  if (df) for (const st of df.stages) for (const i of st.instructions) byLine.set(i.line, i);
  return { byLine };
}

function copySources(i: DockerfileInstruction): string[] {
  if (i.keyword !== "COPY" && i.keyword !== "ADD") return [];
  const args = i.args.filter((a) => !a.startsWith("--"));
  return args.slice(0, Math.max(0, args.length - 1));
}

function textSources(text: string): string[] {
  const parts = text.split(/\s+/).slice(1).filter((a) => a && !a.startsWith("--"));
  return parts.slice(0, Math.max(0, parts.length - 1));
}

/**
 * ARGs that can have changed this step's key without an earlier step missing first: for RUN,
 * every ARG declared in the stage since the previous RUN (RUN gets all ARGs in scope as env);
 * for any instruction, ARGs it expands.
 */
function affectingArgs(s: ReportStep, instr: DockerfileInstruction | null, stage: DockerfileStage | null): string[] {
  if (!stage || !instr || s.line == null) return [];
  const names = new Set<string>();
  const stageArgs = new Set(stage.args.map((a) => a.name));
  const envFromArg = new Map<string, string[]>();
  for (const i of stage.instructions) {
    if (i.line >= s.line) break;
    if (i.keyword === "ENV") for (const d of i.declares) envFromArg.set(d.name, i.variables.filter((v) => stageArgs.has(v)));
  }
  for (const v of instr.variables) {
    if (stageArgs.has(v)) names.add(v);
    for (const a of envFromArg.get(v) ?? []) names.add(a);
  }
  if (instr.keyword === "RUN") {
    let prevRunLine = stage.line;
    for (const i of stage.instructions) {
      if (i.line >= s.line) break;
      if (i.keyword === "RUN") prevRunLine = i.line;
    }
    for (const a of stage.args) if (a.line > prevRunLine && a.line < s.line) names.add(a.name);
  }
  return [...names];
}

function argValue(
  name: string,
  s: ReportStep,
  instr: DockerfileInstruction | null,
  compare: CompareFacts | null,
): { name: string; value: string | null; previous?: string | null } {
  const change = compare?.argChanges.get(name);
  if (change) return { name, value: change.after, previous: change.before };
  if (instr && instr.variables.includes(name)) {
    const v = expandedValues(instr.unexpandedText ?? instr.text, s.text).get(name);
    if (v !== undefined) return { name, value: v };
  }
  return { name, value: null };
}
