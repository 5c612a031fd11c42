import type { DockerfileInstruction, DockerfileModel, DockerfileStage } from "../../model/dockerfile";
import type { CauseCode, Finding, ReportStep } from "../../model/report";
import type { AnalysisContext } from "../types";
import { findingTexts, fill, type TemplateParams } from "./catalog";
import { maskSecrets } from "./secrets";
import type { RuleId, Severity } from "./types";

/** Helpers shared by the rules: Dockerfile ↔ step lookups, costs, paths and rewritten snippets. */

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** `12.34` → `12.3s`. */
export function secs(n: number): string {
  return `${round1(n)}s`;
}

/** Decimal units as Docker prints them: 3145728 → `3.15 MB`. */
export function bytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = Math.max(0, n);
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[u]}`;
}

/** Indented Dockerfile snippet appended to a fix (renderers keep the line breaks). */
export function snippet(lines: string[]): string {
  return lines.map((l) => `    ${l}`).join("\n");
}

/** Builds a finding from the catalog texts; `extraFix` (e.g. a rewritten snippet) follows the fix sentence. */
export function makeFinding(
  rule: RuleId,
  severity: Severity,
  params: TemplateParams,
  opts: { line: number | null; steps?: (ReportStep | null | undefined)[]; costSeconds?: number | null; extraFix?: string | null },
): Finding {
  const t = findingTexts[rule];
  const steps = [...new Set((opts.steps ?? []).filter((s): s is ReportStep => s != null).map((s) => s.id))];
  const fix = fill(t.fix, params) + (opts.extraFix ? `\n${opts.extraFix}` : "");
  return {
    rule,
    severity,
    line: opts.line,
    message: maskSecrets(fill(t.why, params)),
    fix: maskSecrets(fix),
    steps,
    costSeconds: opts.costSeconds != null && opts.costSeconds > 0 ? round1(opts.costSeconds) : null,
  };
}

// ─── Steps ────────────────────────────────────────────────────────────────────────────────────

const stepIndex = new WeakMap<ReportStep[], Map<string, ReportStep>>();

/** Step by id, through an index built once per step list. */
export function stepById(ctx: AnalysisContext, id: string): ReportStep | null {
  let idx = stepIndex.get(ctx.steps);
  if (!idx) {
    idx = new Map();
    for (const s of ctx.steps) {
      idx.set(s.id, s);
      if (s.line != null && !idx.has(`${s.stageIndex}@${s.line}`)) idx.set(`${s.stageIndex}@${s.line}`, s);
    }
    stepIndex.set(ctx.steps, idx);
  }
  return idx.get(id) ?? null;
}

/** The report step of an instruction (null for ARG/ENV/… or when the join did not place it). */
export function stepOf(ctx: AnalysisContext, stage: DockerfileStage, ins: DockerfileInstruction): ReportStep | null {
  if (ins.position != null) {
    const byId = stepById(ctx, `${stage.index}:${ins.position}`);
    if (byId) return byId;
  }
  return stepById(ctx, `${stage.index}@${ins.line}`);
}

/** Steps that did work in this build (rebuilt or failed part-way). */
export function ran(s: ReportStep | null | undefined): s is ReportStep {
  return s != null && (s.status === "rebuilt" || s.status === "error" || s.status === "canceled" || s.status === "unfinished");
}

export function rebuiltSeconds(steps: (ReportStep | null | undefined)[]): number {
  let total = 0;
  for (const s of steps) if (s && ran(s) && s.instruction !== "FROM") total += s.durationSeconds ?? 0;
  return total;
}

/**
 * Seconds rebuilt because `root` missed: the explainer's root-cause cost when it names this step
 * as its own root (optionally only for some causes), else the step's own rebuilt time when the
 * explainer did not run. Null when the step was cached or rebuilt for another reason.
 */
export function costOfRoot(ctx: AnalysisContext, root: ReportStep | null, causes?: CauseCode[]): number | null {
  if (!root || !ran(root)) return null;
  if (root.miss) {
    if (root.miss.rootStep !== root.id) return null;
    if (causes ? !causes.includes(root.miss.cause) : BUILD_WIDE.includes(root.miss.cause)) return null;
    if (root.miss.costSeconds != null) return root.miss.costSeconds;
    return rebuiltSeconds(ctx.steps.filter((s) => s.miss?.rootStep === root.id));
  }
  return rebuiltSeconds([root]);
}

/** Causes that say nothing about one step: everything rebuilt. */
const BUILD_WIDE: CauseCode[] = ["no-cache", "cold-cache", "cache-import-failed"];

export function joinAnd(xs: string[]): string {
  if (xs.length <= 1) return xs[0] ?? "";
  return `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}

/**
 * Whether the log shows that this step's own cache key changed for the given cause: the explainer
 * says so, or (when it names a build-wide cause or nothing) the step right before it was CACHED
 * while this one re-ran — proof that the miss started here.
 */
export function ownMiss(ctx: AnalysisContext, step: ReportStep | null, cause: CauseCode): boolean {
  if (!step || !ran(step)) return false;
  if (step.miss?.cause === cause) return true;
  if (step.miss && !BUILD_WIDE.includes(step.miss.cause) && step.miss.cause !== "parent-rebuilt" && step.miss.cause !== "unknown") return false;
  if (ctx.build.command?.noCache || step.miss?.cause === "no-cache") return false;
  const before = previousStep(ctx, step);
  return before != null && before.status === "cached";
}

/** The step of the same stage built right before `step` (null for the first). */
export function previousStep(ctx: AnalysisContext, step: ReportStep): ReportStep | null {
  return stepById(ctx, `${step.stageIndex}:${step.position - 1}`);
}

// ─── Stages ───────────────────────────────────────────────────────────────────────────────────

/** Resolves `--from=<name|index>` to a stage of the Dockerfile, null for an external image. */
export function stageByRef(df: DockerfileModel, ref: string | null, before?: number): DockerfileStage | null {
  if (ref == null) return null;
  const r = ref.toLowerCase();
  const limit = before ?? df.stages.length;
  let names = stageNames.get(df);
  if (!names) {
    names = new Map();
    for (const s of df.stages) {
      for (const key of [s.name, s.label]) if (key != null && !names.has(key)) names.set(key, s);
    }
    stageNames.set(df, names);
  }
  const named = names.get(r);
  if (named && named.index < limit) return named;
  if (/^\d+$/.test(r)) return df.stages[Number(r)] ?? null;
  return null;
}

const stageNames = new WeakMap<DockerfileModel, Map<string, DockerfileStage>>();

/** The stage and the stages it is built on through `FROM <stage>`, oldest first. */
export function ancestry(df: DockerfileModel, stage: DockerfileStage): DockerfileStage[] {
  const chain: DockerfileStage[] = [];
  const seen = new Set<number>();
  let cur: DockerfileStage | null = stage;
  while (cur && !seen.has(cur.index)) {
    seen.add(cur.index);
    chain.unshift(cur);
    cur = cur.base.kind === "stage" && cur.base.stageIndex != null ? (df.stages[cur.base.stageIndex] ?? null) : null;
  }
  return chain;
}

/** The stage the build produced: the last stage with a step in the log, else the last stage. */
export function targetStage(ctx: AnalysisContext): DockerfileStage | null {
  const df = ctx.dockerfile;
  if (!df || df.stages.length === 0) return null;
  const used = ctx.stages.filter((s) => s.used).map((s) => s.index);
  const idx = used.length ? Math.max(...used) : df.stages.length - 1;
  return df.stages[idx] ?? df.stages[df.stages.length - 1]!;
}

// ─── Paths ────────────────────────────────────────────────────────────────────────────────────

export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (!seg || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

export function resolvePath(cwd: string, p: string): string {
  return normalizePath(p.startsWith("/") ? p : `${cwd}/${p}`);
}

/** The fixed part of a path before any glob character (`/app/dist/*.js` → `/app/dist`). */
export function literalPrefix(p: string): string {
  const i = p.search(/[*?[]/);
  if (i < 0) return normalizePath(p);
  return normalizePath(p.slice(0, i).replace(/\/[^/]*$/, "") || "/");
}

/** True when `p` is `dir` or lies below it. */
export function isUnder(p: string, dir: string): boolean {
  const a = normalizePath(p);
  const d = normalizePath(dir);
  return d === "/" || a === d || a.startsWith(d + "/");
}

export interface StageState {
  /** Working directory in effect at each of the stage's own instruction lines. */
  at: Map<number, string>;
  /** Working directory at the end of the stage. */
  final: string;
  /** Tracked ENV values (TRACKED_ENV) and USER at the end of the stage (inherited through FROM <stage>). Read-only. */
  env: Map<string, string>;
  user: string | null;
  /** The same, as the stage starts. */
  inheritedEnv: Map<string, string>;
  inheritedUser: string | null;
}

/** ENV variables the rules read (package-manager cache locations); others are not kept. */
export const TRACKED_ENV = new Set([
  "npm_config_cache",
  "NPM_CONFIG_CACHE",
  "YARN_CACHE_FOLDER",
  "PIP_CACHE_DIR",
  "UV_CACHE_DIR",
  "POETRY_CACHE_DIR",
  "GOPATH",
  "GOMODCACHE",
  "CARGO_HOME",
  "COMPOSER_HOME",
  "GRADLE_USER_HOME",
]);
const EMPTY_ENV: Map<string, string> = new Map();

const stageStates = new WeakMap<DockerfileModel, Map<number, StageState>>();

/**
 * WORKDIR / ENV / USER state of a stage, inheriting its FROM <stage> parent's end state; computed
 * once per stage (so long FROM chains stay linear).
 */
export function stageState(df: DockerfileModel, stage: DockerfileStage): StageState {
  let memo = stageStates.get(df);
  if (!memo) {
    memo = new Map();
    stageStates.set(df, memo);
  }
  const hit = memo.get(stage.index);
  if (hit) return hit;
  // Resolve the chain iteratively, from the oldest ancestor not yet known.
  const pending: DockerfileStage[] = [];
  const seen = new Set<number>();
  let cur: DockerfileStage | null = stage;
  while (cur && !memo.has(cur.index) && !seen.has(cur.index)) {
    seen.add(cur.index);
    pending.unshift(cur);
    cur = cur.base.kind === "stage" && cur.base.stageIndex != null ? (df.stages[cur.base.stageIndex] ?? null) : null;
  }
  for (const st of pending) {
    const parent = st.base.kind === "stage" && st.base.stageIndex != null ? memo.get(st.base.stageIndex) : undefined;
    let cwd = parent?.final ?? "/";
    let env = parent?.env ?? EMPTY_ENV;
    let user = parent?.user ?? null;
    const at = new Map<number, string>();
    for (const ins of st.instructions) {
      at.set(ins.line, cwd);
      if (ins.keyword === "WORKDIR" && ins.args[0]) cwd = resolvePath(cwd, ins.args[0]);
      if (ins.keyword === "ENV") {
        for (const d of ins.declares) {
          if (d.value == null || !TRACKED_ENV.has(d.name)) continue;
          if (env === (parent?.env ?? EMPTY_ENV)) env = new Map(env); // copy on first write
          env.set(d.name, d.value.replace(/^["']|["']$/g, ""));
        }
      }
      if (ins.keyword === "USER") user = ins.args[0] ?? null;
    }
    memo.set(st.index, { at, final: cwd, env, user, inheritedEnv: parent?.env ?? new Map(), inheritedUser: parent?.user ?? null });
  }
  return memo.get(stage.index)!;
}

/** Working directory at each of the stage's instruction lines (inherits FROM <stage>), and at its end. */
export function workdirs(df: DockerfileModel, stage: DockerfileStage): { at: Map<number, string>; final: string } {
  return stageState(df, stage);
}

/** COPY/ADD sources and destination (`--from`-less COPY reads the build context). */
export function copyParts(ins: DockerfileInstruction): { sources: string[]; dest: string } | null {
  if (ins.keyword !== "COPY" && ins.keyword !== "ADD") return null;
  let args = ins.args;
  // JSON form: COPY ["a", "b", "/dest"]
  if (args.length === 1 && args[0]!.trim().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(args[0]!);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) args = parsed as string[];
    } catch {
      // not JSON after all: fall through with the words as they are
    }
  }
  if (args.length < 2) return null;
  return { sources: args.slice(0, -1), dest: args[args.length - 1]! };
}

export type { TemplateParams };
