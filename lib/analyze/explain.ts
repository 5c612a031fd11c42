import type { DockerfileInstruction, DockerfileModel, DockerfileStage } from "../model/dockerfile";
import type { LogBuild } from "../model/log";
import type { BuildDiagnosis, CauseCode, Evidence, Miss, ReportStage, ReportStep, RootCause } from "../model/report";
import { candidateTexts, causeInfo, causeLabels, diagnosisTexts, evidenceTexts, stepNotes, type CauseParams } from "./catalog";
import type { CompareFacts } from "./compare";
import { digestOf, expandedValues } from "./compare";
import type { StepGraph } from "./graph";
import { formatBytes } from "../view/format";
import {
  argsDeclaredRightBefore,
  buildFacts,
  cacheMountTargets,
  contextMountSources,
  copiesManifestsOnly,
  isUnderPath,
  type BuildFacts,
} from "./explain-facts";
import { buildChecks, buildFailure } from "./outcome";
import { rebuiltSeconds } from "./numbers";
import type { BuildCheck } from "../model/report";

/**
 * The explanation engine. BuildKit semantics decide: a step is rebuilt either because its own
 * cache key changed (a root cause) or because the step it is built on was rebuilt (invalidated by
 * its parent). `COPY --from` / `RUN --mount=from=` key on the *content* of the source stage, so a
 * rebuilt source stage only matters when its output changed — which the log proves by the copy
 * itself re-running.
 *
 * Every cause carries its evidence: `exact` when an input names it (a Dockerfile diff, a changed
 * value in a step name, a base digest, the command line), `inferred` when BuildKit semantics leave
 * one fit for what the log shows, else `candidates` in order with the input that would decide.
 * Nothing here reads an engine-specific byte count.
 */
export interface ExplainInput {
  dockerfile: DockerfileModel | null;
  build: LogBuild;
  stages: ReportStage[];
  steps: ReportStep[];
  graph: StepGraph;
  compare: CompareFacts | null;
  /** Builds earlier in the same log (CI: `--target test`, then the image). */
  earlierBuilds?: LogBuild[];
  /** Steps BuildKit merged into one vertex: twin → the step that stands for the group. */
  mergedInto?: Map<string, string>;
  /** The log has exact times (rawjson): rebuilt time is a wall-clock union. */
  exactTiming?: boolean;
}

export interface ExplainResult {
  rootCauses: RootCause[];
  diagnosis: BuildDiagnosis;
  checks: BuildCheck[];
  /** The diagnosis again, from the root causes as they are now (a later pass, such as the
   *  changed-files list, may have decided some), so the headline never contradicts them. */
  rediagnose: () => BuildDiagnosis;
}

const RAN = new Set(["rebuilt", "error", "canceled", "unfinished"]);
const REMOTE = /^(https?:\/\/|git@|git:\/\/)|\.git(#.*)?$/;
const BUILD_WIDE = new Set<CauseCode>(["no-cache", "cold-cache", "cache-import-failed"]);
const METADATA_CHANGE = /^(ENV|ARG|USER|SHELL)\s/i;

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

/** Who decides between candidates: each candidate's deciding inputs, once each. */
export function decidedByFor(candidates: CauseCode[]): string | null {
  const parts: string[] = [];
  for (const c of candidates) {
    if (c === "cache-evicted" && candidates.length > 1) continue;
    for (const d of causeInfo[c].decidedBy) if (!parts.includes(d)) parts.push(d);
  }
  if (parts.length <= 1) return parts[0] ?? null;
  return `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}

export function explainMisses(input: ExplainInput): ExplainResult {
  const { steps, graph, build, dockerfile, compare } = input;
  const mergedInto = input.mergedInto ?? new Map<string, string>();
  const ins = instructionIndex(dockerfile);
  const stageName = new Map(input.stages.map((st) => [st.index, st.name]));
  const stageNames = new Set(input.stages.map((st) => st.name.toLowerCase()));
  const facts = buildFacts({ build, earlierBuilds: input.earlierBuilds ?? [], stages: input.stages, steps, graph, isMiss });
  const cmd = build.command;
  const failedImports = build.cacheImports.filter((c) => c.status === "not-found" || c.status === "error");
  const okImports = build.cacheImports.filter((c) => c.status === "ok");

  // Build-wide causes an input decides: the command line, or a failed import with nothing cached.
  let buildCause: CauseCode | null = null;
  let buildEvidence: Evidence = "inferred";
  let buildDecidedBy: string | null = null;
  if (cmd?.noCache && (facts.onlyWorkdirCached || facts.nothingCached)) {
    buildCause = "no-cache";
    buildEvidence = "exact";
    buildDecidedBy = "the build command line in the log";
  } else if (facts.nothingCached && failedImports.length > 0 && okImports.length === 0) {
    buildCause = "cache-import-failed";
    buildDecidedBy = "the failed cache import in the log, and no step came from the cache";
  }
  const noCacheUnknown = !cmd || cmd.noCache === undefined;
  const fromOfStage = new Map<number, ReportStep>();
  for (const st of steps) if (st.instruction === "FROM" && st.status !== "not-run" && !fromOfStage.has(st.stageIndex)) fromOfStage.set(st.stageIndex, st);
  const reportStageOf = new Map(input.stages.map((st) => [st.index, st]));
  const stageIndexByName = new Map(input.stages.map((st) => [st.name.toLowerCase(), st.index]));

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
    const base: CauseParams = { step: stepLabel(s), line: s.line };

    // One vertex for several steps: the twin shares the status and cause of the step that stands for it.
    const canonical = mergedInto.get(s.id);
    const cm = canonical ? missOf(canonical) : null;
    if (canonical && cm) {
      const c = graph.byId.get(canonical)!;
      return {
        ...cm,
        rootCause: false,
        rootStep: cm.rootCause ? canonical : cm.rootStep,
        explanation: `${stepNotes.mergedWith(stepLabel(c))} ${cm.explanation}`,
        fix: null,
      };
    }

    const parentId = graph.chainParent.get(s.id) ?? null;
    const parentMiss = parentId ? missOf(parentId) : null;
    const instr = s.line != null ? ins.byLine.get(s.line) ?? null : null;

    if (parentMiss) {
      const rootStep = parentMiss.rootStep;
      const root = graph.byId.get(rootStep);
      // Without any cache every step runs on its own account, not only because its parent did. A
      // step that failed or was canceled ran because of its parent, never "because of a cold cache".
      if (buildCause && parentMiss.cause === buildCause && s.status === "rebuilt")
        return miss(buildCause, false, rootStep, [buildCause], { ...base, cacheRef: failedImports[0]?.ref }, buildDecidedBy, buildEvidence);
      return miss("parent-rebuilt", false, rootStep, ["parent-rebuilt"], { ...base, rootStep: root ? stepLabel(root) : rootStep, rootCause: parentMiss.cause }, "BuildKit keys each step on the one before it");
    }

    // Files from another stage that changed. (Without any cache, the copy runs regardless.)
    const sources = buildCause ? [] : graph.sourceStages.get(s.id) ?? [];
    for (const src of sources) {
      const rootStep = stageRoot(src);
      if (!rootStep) continue;
      const root = graph.byId.get(rootStep);
      const params = { ...base, stage: stageName.get(src) ?? String(src), rootStep: root ? stepLabel(root) : rootStep };
      // Where only WORKDIRs stayed cached, --no-cache re-runs this copy on its own account too.
      if (noCacheUnknown && facts.onlyWorkdirCached && facts.noCacheShapedStages.has(s.stageIndex))
        return miss("source-stage-changed", true, s.id, ["source-stage-changed", "no-cache"], params);
      return miss("source-stage-changed", false, rootStep, ["source-stage-changed"], params, "the copy re-ran while its source stage was rebuilt: its files changed");
    }

    if (buildCause) return miss(buildCause, true, s.id, [buildCause], { ...base, cacheRef: failedImports[0]?.ref }, buildDecidedBy, buildEvidence);
    return rootCause(s, instr, parentId, base);
  };

  const rootCause = (s: ReportStep, instr: DockerfileInstruction | null, parentId: string | null, base: CauseParams): Miss => {
    const parent = parentId ? graph.byId.get(parentId) ?? null : null;
    const stage = dockerfile?.stages[s.stageIndex] ?? null;
    const reportStage = reportStageOf.get(s.stageIndex);
    const afterFrom = parent?.instruction === "FROM" || (parent == null && s.position <= 2 && reportStage?.baseKind !== "stage");
    const keyword = s.instruction;
    const copyFrom = instr?.copyFrom ?? /--from=(\S+)/.exec(s.text)?.[1] ?? null;
    const srcs = instr ? copySources(instr) : textSources(s.text);
    const mountSources = keyword === "RUN" ? contextMountSources(instr, s.text) : [];
    const image = resolvedBase(fromOfStage.get(s.stageIndex), stage);

    // Compare mode: the Dockerfile text diff decides.
    if (compare && s.line != null && compare.changes.length > 0) {
      const end = s.endLine ?? s.line;
      const own = compare.changes.find((c) => c.line != null && c.line >= s.line! && c.line <= end && c.kind !== "removed");
      if (own)
        return miss("instruction-changed", true, s.id, ["instruction-changed"], { ...base, changedLine: { line: own.line, before: own.before, after: own.after } }, "the Dockerfile diff", "exact");
      const up = upstreamChange(s, parent, stage, instr, compare, dockerfile);
      if (up) {
        const text = up.after ?? up.before ?? "";
        if (/^ARG\s/i.test(text)) {
          const name = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(text)?.[1] ?? "?";
          return miss("build-arg-changed", true, s.id, ["build-arg-changed"], { ...base, args: [argValue(name, s, instr, compare)], argDeclaredRightBefore: argsDeclaredRightBefore([name], s, dockerfile) }, "the Dockerfile diff", "exact");
        }
        return miss("instruction-changed", true, s.id, ["instruction-changed"], { ...base, changedLine: { line: up.line, before: up.before, after: up.after } }, "the Dockerfile diff", "exact");
      }
    }

    // Compare mode with only the previous log: a vertex name that reads differently, with no
    // build arg to explain it, is an edited instruction.
    if (compare && !compare.hasPreviousDockerfile) {
      const previous = compare.previousSteps?.get(s.id);
      if (previous && previous.status !== "not-run" && previous.text !== s.text && keyword !== "FROM" && compare.argChanges.size === 0)
        return miss("instruction-changed", true, s.id, ["instruction-changed"], { ...base, changedLine: { line: s.line, before: previous.text, after: s.text } }, "the step names of the two logs", "exact");
    }

    if (keyword === "FROM") {
      const img = s.text.replace(/^FROM\s+/i, "");
      if (compare?.baseChanges.has(s.stage))
        return miss("base-image-changed", true, s.id, ["base-image-changed"], { ...base, image: img, digests: baseDigests(s) }, "the FROM references of the two logs", "exact");
      return miss("base-image-changed", true, s.id, ["base-image-changed", "cold-cache"], { ...base, image: img, digests: baseDigests(s) });
    }

    // Build args: changed values seen by comparing logs, or ARGs whose first use is this step.
    const argNames = affectingArgs(s, instr, stage);
    const argParams = () => ({ args: argNames.map((a) => argValue(a, s, instr, compare)), argDeclaredRightBefore: argsDeclaredRightBefore(argNames, s, dockerfile) });
    if (compare && compare.argChanges.size > 0) {
      const changed = argNames.filter((a) => compare.argChanges.has(a));
      if (changed.length)
        return miss("build-arg-changed", true, s.id, ["build-arg-changed"], { ...base, args: changed.map((a) => argValue(a, s, instr, compare)), argDeclaredRightBefore: argsDeclaredRightBefore(changed, s, dockerfile) }, "the values in the step names of the two logs", "exact");
    }

    // The base image changed under this stage (compare mode knows).
    if (afterFrom && compare?.baseChanges.has(s.stage)) {
      const b = compare.baseChanges.get(s.stage)!;
      return miss("base-image-changed", true, s.id, ["base-image-changed"], { ...base, image: b.image, digests: { before: b.before, after: b.after } }, "the FROM references of the two logs", "exact");
    }

    const params: CauseParams = { ...base, sources: srcs, image, ...argParams(), digests: undefined };
    const candidates: CauseCode[] = [];
    const isCopy = keyword === "COPY" || keyword === "ADD";
    const namedContext = copyFrom && facts.namedContexts.has(copyFrom.toLowerCase()) ? copyFrom : null;
    if (keyword === "ADD" && srcs.some((x) => REMOTE.test(x))) candidates.push("remote-source");
    if (isCopy && copyFrom && !namedContext) {
      const fromStage = stageNames.has(copyFrom.toLowerCase()) || /^\d+$/.test(copyFrom);
      if (!fromStage) {
        params.image = copyFrom;
        params.copyFromImage = true;
        candidates.push("base-image-changed", "instruction-changed", "cache-evicted");
      } else {
        const srcIndex = /^\d+$/.test(copyFrom) ? Number(copyFrom) : stageIndexByName.get(copyFrom.toLowerCase());
        const earlier = srcIndex != null ? rebuiltEarlierIn(srcIndex) : null;
        params.stage = copyFrom;
        if (earlier) {
          // A build earlier in this log rebuilt the source stage: that seeded the cache this build
          // found, and the copy re-ran because those files changed.
          return miss("source-stage-changed", true, s.id, ["source-stage-changed"], { ...params, earlierBuild: earlier.build, rootStep: earlier.step }, `build ${earlier.build} of this log rebuilt stage \`${copyFrom}\``, "inferred");
        }
        candidates.push("instruction-changed", "source-stage-changed", "cache-evicted");
      }
    } else {
      if (argNames.length) candidates.push("build-arg-changed");
      if (isCopy && !candidates.includes("remote-source")) {
        candidates.push("context-changed");
        if (namedContext) params.namedContext = namedContext;
        else params.manifestOnly = copiesManifestsOnly(srcs);
      }
      if (mountSources.length) {
        candidates.push("context-changed");
        params.mountSources = mountSources;
      }
      if (afterFrom && !facts.baseUnchanged.has(s.stageIndex) && reportStage?.baseKind !== "scratch") candidates.push("base-image-changed");
      candidates.push("instruction-changed", "cache-evicted");
    }
    // What --no-cache (or --no-cache-filter <stage>) would look like: only WORKDIRs stayed cached.
    // The log cannot tell it from a change the first candidate explains, so it comes second.
    if (noCacheUnknown && facts.noCacheShapedStages.has(s.stageIndex)) candidates.splice(1, 0, "no-cache");
    // Nothing came from the cache: a cold builder explains every root at once.
    if (facts.nothingCached) {
      const cold: CauseCode[] = ["cold-cache"];
      if (failedImports.length) cold.push("cache-import-failed");
      if (noCacheUnknown && !facts.workdirAfterFromRan.has(s.stageIndex)) cold.push("no-cache");
      // A build arg that reaches this first step, or a base chosen by a build arg, explains
      // everything just as well: those come first.
      const baseFromArg = !!stage && stage.base.kind === "image" && stage.base.raw.includes("$");
      const lead = candidates.includes("build-arg-changed") ? "build-arg-changed" : baseFromArg && candidates.includes("base-image-changed") ? "base-image-changed" : null;
      if (lead) candidates.splice(candidates.indexOf(lead) + 1, 0, ...cold);
      else candidates.unshift(...cold);
    }
    const unique = [...new Set(candidates)];
    // The previous Dockerfile, or the same vertex name in the previous log, shows the instruction
    // itself did not change; the same base digest in both logs shows the base did not.
    const previous = compare?.previousSteps?.get(s.id);
    const sameText = !!previous && previous.status !== "not-run" && previous.text === s.text;
    let pruned = compare?.hasPreviousDockerfile || sameText ? unique.filter((c) => c !== "instruction-changed") : unique;
    if (compare && sameBaseDigest(fromOfStage.get(s.stageIndex), compare)) pruned = pruned.filter((c) => c !== "base-image-changed");
    // Eviction is the explanation of last resort: with the instruction ruled out, one other fit decides.
    const real = pruned.filter((c) => c !== "cache-evicted");
    const ruledOut = pruned.length < unique.length;
    const decided = pruned.length === 1 ? pruned[0] : ruledOut && real.length === 1 ? real[0] : null;
    if (decided)
      return miss(decided, true, s.id, [decided], params, compare ? "the previous build: the instruction did not change, so this is the one cause left" : null, "inferred");
    const cause = pruned[0] ?? "unknown";
    return miss(cause, true, s.id, pruned.length ? pruned : ["unknown"], params, decidedByFor(pruned));
  };

  // Stage step texts up to each step (computed once per stage, only when the log has earlier builds).
  const chainKeys = new Map<string, string>();
  if (facts.rebuiltEarlier.size) {
    const byStage = new Map<number, ReportStep[]>();
    for (const st of steps) if (st.status !== "not-run" && st.instruction !== "FROM") byStage.set(st.stageIndex, [...(byStage.get(st.stageIndex) ?? []), st]);
    for (const l of byStage.values()) {
      l.sort((a, b) => a.position - b.position);
      let key = l[0].stage.toLowerCase();
      for (const st of l) {
        key += `\n${st.text}`;
        chainKeys.set(st.id, key);
      }
    }
  }
  const chainKeyOf = (st: ReportStep) => chainKeys.get(st.id) ?? "";
  const rebuiltEarlierIn = (stageIndex: number): { build: number; step: string } | null => {
    if (facts.rebuiltEarlier.size === 0) return null;
    for (const st of steps) {
      if (st.stageIndex !== stageIndex || st.status !== "cached") continue;
      const b = facts.rebuiltEarlier.get(chainKeyOf(st));
      if (b != null) return { build: b, step: stepLabel(st) };
    }
    return null;
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

  // Cached copies from a stage that re-ran: identical output — or a stale file when the copied
  // path lies in the source stage's cache mount (which is never part of its layers).
  for (const s of steps) {
    if (s.status !== "cached" || s.note) continue;
    for (const src of graph.sourceStages.get(s.id) ?? []) {
      if (!stageRoot(src)) continue;
      const instr = s.line != null ? ins.byLine.get(s.line) : undefined;
      const targets = cacheMountTargets(dockerfile, src);
      const path = instr ? copySources(instr).find((p) => p.startsWith("/") && targets.some((t) => isUnderPath(p, t))) : undefined;
      s.note = path
        ? stepNotes.staleCacheMountCopy(stageName.get(src) ?? String(src), path, targets.find((t) => isUnderPath(path, t))!)
        : stepNotes.identicalOutput(stageName.get(src) ?? String(src));
      break;
    }
  }
  // Secret and cache mounts never change the key: say so on cached steps that use them.
  for (const s of steps) {
    if (s.note || s.line == null) continue;
    const i = ins.byLine.get(s.line);
    if (i && s.status === "cached" && i.mounts.some((m) => m.type === "secret" || m.type === "cache")) s.note = stepNotes.secretNotInKey();
  }
  // Steps an earlier build of this log rebuilt and this one found in the cache.
  let seeded = 0;
  let seededBy = 0;
  for (const s of steps) {
    if (s.status !== "cached") continue;
    const b = facts.rebuiltEarlier.get(chainKeyOf(s));
    if (b == null) continue;
    seeded++;
    seededBy = b;
    if (!s.note) s.note = stepNotes.seededByEarlierBuild(b);
  }

  // Costs: a root cause is charged with every rebuilt second it caused (a merged vertex once).
  const groups = new Map<string, ReportStep[]>();
  for (const s of steps) {
    if (!s.miss) continue;
    const l = groups.get(s.miss.rootStep);
    if (l) l.push(s);
    else groups.set(s.miss.rootStep, [s]);
  }
  const rootCauses: RootCause[] = [];
  for (const [rootStep, members] of groups) {
    const cost = rebuiltSeconds(members, !!input.exactTiming);
    for (const m of members) m.miss!.costSeconds = cost;
    const root = graph.byId.get(rootStep);
    const rootMiss = root?.miss;
    if (!root || !rootMiss || !rootMiss.rootCause) continue;
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

  const checks = buildChecks(build);
  const rediagnose = () =>
    diagnose({ exactTiming: !!input.exactTiming, steps, build, rootCauses, buildCause, buildEvidence, facts, checks, seeded, seededBy, okImports: okImports.map((c) => c.ref), failedImports });
  return { rootCauses, diagnosis: rediagnose(), checks, rediagnose };
}

/** The reference the log resolved for this stage's base (`FROM image:${TAG}` → the tag it used). */
function resolvedBase(from: ReportStep | undefined, stage: DockerfileStage | null): string | undefined {
  if (from) return from.text.replace(/^FROM\s+/i, "").replace(/\s+AS\s+\S+$/i, "");
  return stage && stage.base.kind === "image" ? stage.base.ref : undefined;
}

/** Both logs show the same base digest for this stage (registry images print one). */
function sameBaseDigest(from: ReportStep | undefined, compare: CompareFacts): boolean {
  if (!from) return false;
  const prev = compare.previousSteps?.get(from.id);
  const a = digestOf(from.text);
  return !!prev && a != null && digestOf(prev.text) === a;
}

/**
 * A Dockerfile change that reached this step from before its chain parent: an ENV / ARG / USER /
 * SHELL line (not a step of its own) earlier in this stage or in a parent stage, which BuildKit
 * applies from the first step it affects. Lines between the parent step and this one count too.
 */
function upstreamChange(
  s: ReportStep,
  parent: ReportStep | null,
  stage: DockerfileStage | null,
  instr: DockerfileInstruction | null,
  compare: CompareFacts,
  df: DockerfileModel | null,
): CompareFacts["changes"][number] | null {
  const line = s.line!;
  const lo = parent?.line != null && parent.stageIndex === s.stageIndex ? (parent.endLine ?? parent.line) + 1 : stage?.line ?? 1;
  const between = compare.changes.find((c) => c.line != null && c.line >= lo && c.line <= line);
  if (between) return between;
  if (!stage || !df) return null;
  // Ranges of this stage (before the step) and of its parent stages.
  const ranges: [number, number][] = [[stage.line, line - 1]];
  let cur: DockerfileStage | null = stage;
  const seen = new Set<number>();
  while (cur && cur.base.kind === "stage" && cur.base.stageIndex != null && !seen.has(cur.base.stageIndex)) {
    seen.add(cur.base.stageIndex);
    cur = df.stages[cur.base.stageIndex] ?? null;
    if (cur) ranges.push([cur.line, cur.endLine]);
  }
  const affects = (text: string) => {
    if (s.instruction === "RUN") return true; // RUN gets every ENV / ARG in scope
    const name = /^(?:ENV|ARG)\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(text)?.[1];
    return !!name && !!instr && instr.variables.includes(name);
  };
  let best: CompareFacts["changes"][number] | null = null;
  for (const c of compare.changes) {
    if (c.line == null) continue;
    const text = c.after ?? c.before ?? "";
    if (!METADATA_CHANGE.test(text) || !affects(text)) continue;
    if (!ranges.some(([a, b]) => c.line! >= a && c.line! <= b)) continue;
    if (!best || c.line > best.line!) best = c;
  }
  return best;
}

function miss(
  cause: CauseCode,
  rootCause: boolean,
  rootStep: string,
  candidates: CauseCode[],
  params: CauseParams,
  decidedBy: string | null = null,
  evidence: "exact" | "inferred" = "inferred",
): Miss {
  const info = causeInfo[cause];
  const undecided = candidates.length > 1;
  const by = undecided ? decidedBy ?? decidedByFor(candidates) ?? info.decideWith : decidedBy;
  return {
    cause,
    rootCause,
    rootStep,
    candidates,
    costSeconds: null,
    // An undecided cause is not stated as fact: the text says it is one candidate of several.
    explanation: undecided ? candidateTexts.explain(info.label, candidates.length, info.explain(params)) : info.explain(params),
    fix: info.fix(params),
    decideWith: undecided ? by : null,
    certainty: !undecided && evidence === "exact" ? "exact" : "inferred",
    evidence: undecided ? "candidates" : evidence,
    decidedBy: by,
    changedFiles: null,
  };
}

const GRADE: Record<Evidence, number> = { exact: 0, inferred: 1, candidates: 2 };

function diagnose(x: {
  exactTiming: boolean;
  steps: ReportStep[];
  build: LogBuild;
  rootCauses: RootCause[];
  buildCause: CauseCode | null;
  buildEvidence: Evidence;
  facts: BuildFacts;
  checks: BuildCheck[];
  seeded: number;
  seededBy: number;
  okImports: string[];
  failedImports: { ref: string; message: string | null }[];
}): BuildDiagnosis {
  const { steps, build, rootCauses, facts } = x;
  const ran = steps.filter((s) => s.instruction !== "FROM" && s.status !== "not-run");
  const misses = ran.filter(isMiss);
  const failure = buildFailure(build, steps, x.exactTiming);
  const extra = [diagnosisTexts.imports(x.okImports, x.failedImports, facts.nothingCached), x.seeded ? diagnosisTexts.seeded(x.seededBy, x.seeded) : ""].filter(Boolean).join(" ");
  const withExtra = (d: string) => (extra ? `${d} ${extra}` : d);
  const worst: Evidence | null = rootCauses.length ? rootCauses.reduce<Evidence>((w, r) => (GRADE[r.evidence] > GRADE[w] ? r.evidence : w), "exact") : null;
  const undecided = rootCauses.filter((r) => r.evidence === "candidates");
  const byId = new Map(steps.map((s) => [s.id, s]));
  const candidateText = () => {
    const codes: CauseCode[] = [];
    for (const r of undecided) for (const c of byId.get(r.rootStep)?.miss?.candidates ?? []) if (!codes.includes(c)) codes.push(c);
    return { labels: codes.map((c) => causeLabels[c]), by: decidedByFor(codes) ?? "more inputs" };
  };

  let d: BuildDiagnosis;
  if (ran.length === 0) {
    const lint = /lint violation/i.test(build.errorMessage ?? "");
    if (build.outcome !== "success" && build.errorMessage)
      d = lint
        ? { kind: "failed-early", title: diagnosisTexts.lintFailed.title, detail: diagnosisTexts.lintFailed.detail(x.checks.map((c) => c.rule), build.errorMessage), fix: null, evidence: null, failure }
        : { kind: "failed-early", title: diagnosisTexts["failed-early"].title, detail: diagnosisTexts["failed-early"].detail(build.errorMessage), fix: null, evidence: null, failure };
    else if (x.checks.length > 0 && build.outcome === "success")
      d = { kind: "no-steps", title: diagnosisTexts.checksOnly.title, detail: diagnosisTexts.checksOnly.detail(x.checks.length), fix: null, evidence: null, failure };
    else d = { kind: "no-steps", title: diagnosisTexts["no-steps"].title, detail: diagnosisTexts["no-steps"].detail(), fix: null, evidence: null, failure };
    return d;
  }
  const counts = diagnosisTexts.partial.detail(misses.length, ran.length, rootCauses.length);
  if (misses.length === 0) {
    d = { kind: "fully-cached", title: diagnosisTexts["fully-cached"].title, detail: withExtra(diagnosisTexts["fully-cached"].detail(ran.length)), fix: null, evidence: null, failure };
  } else if (x.buildCause === "no-cache") {
    d = { kind: "no-cache", title: diagnosisTexts["no-cache"].title, detail: withExtra(diagnosisTexts["no-cache"].detail()), fix: diagnosisTexts["no-cache"].fix, evidence: x.buildEvidence, failure };
  } else if (x.buildCause === "cache-import-failed") {
    const ref = x.failedImports[0]?.ref ?? "?";
    d = { kind: "cache-import-failed", title: diagnosisTexts["cache-import-failed"].title, detail: diagnosisTexts["cache-import-failed"].detail(ref), fix: diagnosisTexts["cache-import-failed"].fix, evidence: x.buildEvidence, failure };
  } else if (facts.nothingCached && rootCauses.length > 0 && rootCauses.every((r) => r.evidence === "candidates" && byId.get(r.rootStep)?.miss?.candidates.includes("cold-cache"))) {
    const c = candidateText();
    const allCold = rootCauses.every((r) => r.cause === "cold-cache");
    d = {
      kind: "cold-cache",
      title: allCold && c.labels.length === 1 ? diagnosisTexts["cold-cache"].title : diagnosisTexts.coldOrBase.title,
      detail: withExtra(diagnosisTexts.coldOrBase.detail(c.labels.join(", "), c.by)),
      fix: diagnosisTexts["cold-cache"].fix,
      evidence: "candidates",
      failure,
    };
  } else if (facts.onlyWorkdirCached && undecided.length > 0 && undecided.length === rootCauses.length && undecided.every((r) => byId.get(r.rootStep)?.miss?.candidates.includes("no-cache"))) {
    const c = candidateText();
    d = { kind: "partial", title: diagnosisTexts.noCacheOrChanged.title, detail: withExtra(`${counts} ${diagnosisTexts.noCacheOrChanged.detail(c.labels.join(", "), c.by)}`), fix: null, evidence: "candidates", failure };
  } else {
    let detail = counts;
    if (undecided.length) {
      const c = candidateText();
      detail += ` ${undecided.length === rootCauses.length ? "The cause" : `The cause of ${undecided.length}`} is ${evidenceTexts.candidates(c.labels, c.by)}.`;
    } else if (worst) detail += ` ${diagnosisTexts.evidence(worst)}`;
    d = { kind: "partial", title: diagnosisTexts.partial.title, detail: withExtra(detail.trim()), fix: null, evidence: worst, failure };
  }
  if (failure) {
    // The failure leads; the cache story follows.
    const where = failure.step ? byId.get(failure.step) : null;
    d.detail = `${diagnosisTexts.failed.detail(failure.canceled.length)}Before it failed — ${d.title}: ${d.detail}`;
    d.title = diagnosisTexts.failed.title(where ? stepLabel(where) : null, failure.exitCode);
  }
  return d;
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

export { BUILD_WIDE };
