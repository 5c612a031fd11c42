import type { DockerfileInstruction, DockerfileModel } from "../model/dockerfile";
import type { LogBuild } from "../model/log";
import type { ReportStage, ReportStep } from "../model/report";
import type { StepGraph } from "./graph";

/**
 * What the whole build shows, before any single step is explained: the shapes BuildKit semantics
 * let us read from one log (only WORKDIRs cached; nothing cached; a step on the same base that
 * stayed cached), named build contexts, and what earlier builds of the same log rebuilt.
 * Nothing here depends on an engine version's byte counts.
 */
export interface BuildFacts {
  /** Only WORKDIR steps stayed cached and something re-ran: what --no-cache looks like. */
  onlyWorkdirCached: boolean;
  /** No step (FROM aside) came from the cache, and at least two ran. */
  nothingCached: boolean;
  /** Stages in which every step but leading WORKDIRs re-ran: what --no-cache-filter <stage> looks like. */
  noCacheShapedStages: Set<number>;
  /** Stages whose base image is proven unchanged: a step built directly on the same base came back cached. */
  baseUnchanged: Set<number>;
  /** Stages where a WORKDIR right after FROM re-ran (--no-cache would have kept it CACHED). */
  workdirAfterFromRan: Set<number>;
  /** Names of named build contexts the log loaded (`[context NAME] load …`). */
  namedContexts: Set<string>;
  /** chainKey(stage, texts up to the step) → the earlier build (1-based) of this log that rebuilt it. */
  rebuiltEarlier: Map<string, number>;
}

const NAMED_CONTEXT = /^\[context ([^\]]+)\]/;

export function buildFacts(input: {
  build: LogBuild;
  earlierBuilds: LogBuild[];
  stages: ReportStage[];
  steps: ReportStep[];
  graph: StepGraph;
  isMiss: (s: ReportStep) => boolean;
}): BuildFacts {
  const { build, steps, graph, stages, isMiss } = input;
  const ran = steps.filter((s) => s.instruction !== "FROM" && s.status !== "not-run");
  const cached = ran.filter((s) => s.status === "cached");
  const misses = ran.filter(isMiss);
  const onlyWorkdirCached = misses.length > 0 && cached.length > 0 && cached.every((s) => s.instruction === "WORKDIR");
  const nothingCached = cached.length === 0 && misses.length >= 2;

  const onFrom = (s: ReportStep) => {
    const p = graph.chainParent.get(s.id);
    return p ? graph.byId.get(p)?.instruction === "FROM" : false;
  };
  const noCacheShapedStages = new Set<number>();
  const workdirAfterFromRan = new Set<number>();
  const byStage = new Map<number, ReportStep[]>();
  for (const s of ran) {
    const l = byStage.get(s.stageIndex);
    if (l) l.push(s);
    else byStage.set(s.stageIndex, [s]);
    if (s.instruction === "WORKDIR" && isMiss(s) && onFrom(s)) workdirAfterFromRan.add(s.stageIndex);
  }
  for (const [i, l] of byStage) {
    const sorted = [...l].sort((a, b) => a.position - b.position);
    let k = 0;
    while (k < sorted.length && sorted[k].instruction === "WORKDIR" && sorted[k].status === "cached") k++;
    const rest = sorted.slice(k);
    if (k > 0 && rest.length > 0 && rest.every(isMiss)) noCacheShapedStages.add(i);
  }

  // A cached step directly on a FROM proves that base did not change, for every stage on it.
  const baseKey = (st: ReportStage | undefined) => (st && st.baseKind === "image" && st.base ? `${st.base}|${st.platform ?? ""}` : null);
  const stageByIndex = new Map(stages.map((st) => [st.index, st]));
  const provenBases = new Set<string>();
  for (const s of steps) if (s.status === "cached" && onFrom(s)) {
    const k = baseKey(stageByIndex.get(s.stageIndex));
    if (k) provenBases.add(k);
  }
  const baseUnchanged = new Set<number>();
  for (const st of stages) {
    const k = baseKey(st);
    if (k && provenBases.has(k)) baseUnchanged.add(st.index);
  }

  const namedContexts = new Set<string>();
  for (const v of build.vertices) {
    const m = NAMED_CONTEXT.exec(v.name);
    if (m) namedContexts.add(m[1].trim().toLowerCase());
  }

  // Keyed by the stage's step texts up to and including the step, so that only the same chain
  // (not merely the same instruction text in another Dockerfile) counts as seeded.
  const rebuiltEarlier = new Map<string, number>();
  for (const b of input.earlierBuilds) {
    const byStage = new Map<string, { position: number; text: string; done: boolean }[]>();
    for (const v of b.vertices) {
      // FROM is left out: a shared FROM is printed under one stage's name only.
      if (v.kind !== "step" || !v.label || v.label.instruction === "FROM") continue;
      const stage = (v.label.stage ?? v.label.target ?? "stage-0").toLowerCase();
      const l = byStage.get(stage) ?? [];
      l.push({ position: v.label.position, text: v.label.text, done: v.status === "done" });
      byStage.set(stage, l);
    }
    for (const [stage, l] of byStage) {
      l.sort((x, y) => x.position - y.position);
      let key = stage;
      for (const x of l) {
        key += `\n${x.text}`;
        if (x.done) rebuiltEarlier.set(key, b.index);
      }
    }
  }

  return { onlyWorkdirCached, nothingCached, noCacheShapedStages, baseUnchanged, workdirAfterFromRan, namedContexts, rebuiltEarlier };
}

/** Files a RUN reads from the build context through `--mount=type=bind` (no `from=`). */
export function contextMountSources(instr: DockerfileInstruction | null, text: string): string[] {
  if (instr) return instr.mounts.filter((m) => m.type === "bind" && !m.from).map((m) => m.source ?? ".");
  const out: string[] = [];
  for (const m of text.matchAll(/--mount=(\S+)/g)) {
    const opts = m[1].split(",");
    const type = opts.find((o) => o.startsWith("type="))?.slice(5) ?? "bind";
    if (type !== "bind" || opts.some((o) => o.startsWith("from="))) continue;
    out.push(opts.find((o) => o.startsWith("source=") || o.startsWith("src="))?.replace(/^(source|src)=/, "") ?? ".");
  }
  return out;
}

const MANIFEST =
  /(^|\/)(package(-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|go\.(mod|sum)|Cargo\.(toml|lock)|requirements[^/]*\.txt|Pipfile(\.lock)?|poetry\.lock|pyproject\.toml|Gemfile(\.lock)?|composer\.(json|lock)|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|mix\.(exs|lock)|\*\.csproj|[^/]+\.csproj|packages\.lock\.json)$/;

/** True when every source of a COPY is a dependency manifest or lockfile. */
export function copiesManifestsOnly(sources: string[]): boolean {
  return sources.length > 0 && sources.every((s) => MANIFEST.test(s.replace(/^\.\//, "")));
}

/** ARGs whose declaration sits right before this step: no instruction that is a step between them. */
export function argsDeclaredRightBefore(names: string[], s: ReportStep, df: DockerfileModel | null): boolean {
  const stage = df?.stages[s.stageIndex];
  if (!stage || s.line == null || names.length === 0) return false;
  const instr = stage.instructions.find((i) => i.line === s.line);
  return names.every((name) => {
    const decl = [...stage.args].reverse().find((a) => a.name === name && a.line < s.line!);
    if (!decl) return false;
    // The step uses the value itself: declaring the ARG later cannot keep it cached. (The steps
    // between the declaration and this one did not depend on it, or one of them would be first.)
    if (instr?.variables.includes(name)) return true;
    return !stage.instructions.some((i) => i.position != null && i.line > decl.line && i.line < s.line!);
  });
}

/** Cache-mount targets of the RUNs of a stage (they are not part of its layers). */
export function cacheMountTargets(df: DockerfileModel | null, stageIndex: number): string[] {
  const st = df?.stages[stageIndex];
  if (!st) return [];
  return st.instructions.flatMap((i) => i.mounts.filter((m) => m.type === "cache" && m.target).map((m) => m.target!.replace(/\/+$/, "")));
}

export function isUnderPath(path: string, dir: string): boolean {
  const p = path.replace(/\/+$/, "");
  return p === dir || p.startsWith(`${dir}/`);
}

