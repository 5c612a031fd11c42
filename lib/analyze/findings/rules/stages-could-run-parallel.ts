import type { DockerfileModel, DockerfileStage } from "../../../model/dockerfile";
import type { Finding } from "../../../model/report";
import type { AnalysisContext } from "../../types";
import { absolutePaths, commandsOf, positional, runScript, type SimpleCommand } from "../shell";
import { toolUse } from "../tools";
import { defineRule } from "../types";
import { copyParts, isUnder, literalPrefix, makeFinding, ran, rebuiltSeconds, resolvePath, secs, snippet, stageByRef, stepOf, targetStage, workdirs } from "../util";

const TRIVIAL = new Set(["echo", "true", "set", "cd", "touch", "mkdir", "printf", "ls", "cat", ":"]);
const CHECK_SUBS: Record<string, RegExp> = {
  npm: /^(test|t|audit|run|run-script)$/,
  yarn: /^(test|lint|audit|run|typecheck|check)$/,
  pnpm: /^(test|t|audit|run|lint|typecheck)$/,
  go: /^(test|vet)$/,
  cargo: /^(test|clippy|fmt|check|audit)$/,
  make: /^(test|tests|check|lint|vet)$/,
  mvn: /^(test|verify|checkstyle:check)$/,
  gradle: /^(test|check|lint)$/,
  gradlew: /^(test|check|lint)$/,
  dotnet: /^test$/,
  bundle: /^exec$/,
};
const CHECK_PROGRAMS = new Set(["pytest", "ruff", "flake8", "mypy", "pylint", "black", "eslint", "prettier", "tsc", "golangci-lint", "staticcheck", "shellcheck", "hadolint", "rspec", "rubocop", "phpunit", "phpstan", "jest", "vitest", "tox"]);

/** `npm test`, `go vet ./...`, `pytest`, `npm run lint` — commands that verify but produce nothing later steps use. */
export function isCheckCommand(c: SimpleCommand): boolean {
  if (CHECK_PROGRAMS.has(c.program)) return true;
  if (c.program === "pip" || c.program === "python" || c.program === "python3") return false;
  const re = CHECK_SUBS[c.program];
  if (!re) return false;
  const sub = positional(c.args)[0] ?? "";
  if (!re.test(sub)) return false;
  if (sub === "run" || sub === "run-script") return /^(test|lint|check|typecheck|type-check|format:check|audit)(:|$)/.test(positional(c.args)[1] ?? "");
  return true;
}

/** The stage only runs checks: RUNs of check commands (and trivial ones), no COPY/ADD, no installs. */
function isCheckStage(df: DockerfileModel, a: DockerfileStage): SimpleCommand | null {
  let check: SimpleCommand | null = null;
  for (const ins of a.instructions) {
    if (ins.keyword === "FROM" || ins.keyword === "ENV" || ins.keyword === "ARG" || ins.keyword === "WORKDIR" || ins.keyword === "LABEL" || ins.keyword === "USER") continue;
    if (ins.keyword !== "RUN") return null;
    for (const c of commandsOf(ins, df.escapeChar)) {
      if (isCheckCommand(c)) check ??= c;
      else if (!TRIVIAL.has(c.program)) return null;
    }
  }
  return check;
}

/** Paths a stage creates: its WORKDIRs, COPY destinations and absolute paths its RUNs name. */
function createdPaths(df: DockerfileModel, st: DockerfileStage): string[] {
  const wd = workdirs(df, st).at;
  const out: string[] = [];
  for (const ins of st.instructions) {
    const cwd = wd.get(ins.line) ?? "/";
    if (ins.keyword === "WORKDIR" && ins.args[0]) out.push(resolvePath(cwd, ins.args[0]));
    const parts = copyParts(ins);
    if (parts) out.push(resolvePath(cwd, parts.dest));
    if (ins.keyword === "RUN") for (const p of absolutePaths(runScript(ins, df.escapeChar))) out.push(literalPrefix(p));
  }
  return [...new Set(out)].filter((p) => p !== "/" && !/^\/(tmp|dev|proc|sys|etc|usr|bin|sbin|lib|var)$/.test(p));
}

/**
 * Why: BuildKit builds stages that do not depend on each other at the same time. `FROM <stage>`
 * makes a stage wait for the whole parent, so a chain where the child uses nothing the parent
 * added (a `test`/`lint` stage in the middle of the chain, or a side stage that only produces its
 * own files for a later `COPY --from`) serialises work that could overlap.
 * Deliberately conservative. Not a problem — and not flagged — for a builder → runtime chain, a
 * child that can read anything the parent made (it runs in the parent's WORKDIR, names its
 * paths, or the parent installed tools or dependencies), or a child that is the built image.
 */
export default defineRule({
  id: "stages-could-run-parallel",
  severity: "info",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    const target = targetStage(ctx);
    const graph = stageGraph(df);
    for (const b of df.stages) {
      if (b.base.kind !== "stage" || b.base.stageIndex == null) continue;
      const a = df.stages[b.base.stageIndex];
      if (!a || (a.base.kind === "stage" && a.base.stageIndex === b.index)) continue;
      const check = isCheckStage(df, a);
      if (check) {
        out.push(build(ctx, a, b, `but \`${a.label}\` only runs checks (\`${check.text}\`) and adds nothing \`${b.label}\` needs`, true));
        continue;
      }
      if (independentSideStage(df, graph, a, b, target)) {
        out.push(build(ctx, a, b, `but uses nothing \`${a.label}\` adds: its steps work on their own files, and later stages copy only those from it`, false));
      }
    }
    return out;
  },
});

interface StageGraph {
  /** Stages built FROM each stage. */
  children: Map<number, number>;
  /** COPY --from=<stage> parts (null when unreadable), by source stage. */
  copiesFrom: Map<number, ({ sources: string[]; dest: string } | null)[]>;
}

function stageGraph(df: DockerfileModel): StageGraph {
  const children = new Map<number, number>();
  const copiesFrom = new Map<number, ({ sources: string[]; dest: string } | null)[]>();
  for (const s of df.stages) {
    if (s.base.kind === "stage" && s.base.stageIndex != null) children.set(s.base.stageIndex, (children.get(s.base.stageIndex) ?? 0) + 1);
    for (const i of s.instructions) {
      if (i.copyFrom == null) continue;
      const src = stageByRef(df, i.copyFrom, s.index);
      if (!src) continue;
      const list = copiesFrom.get(src.index) ?? [];
      list.push(copyParts(i));
      copiesFrom.set(src.index, list);
    }
  }
  return { children, copiesFrom };
}

function independentSideStage(df: DockerfileModel, graph: StageGraph, a: DockerfileStage, b: DockerfileStage, target: DockerfileStage | null): boolean {
  if (target && target.index === b.index) return false;
  // Nothing builds on b, and somebody copies from it.
  if (graph.children.has(b.index)) return false;
  const copies = graph.copiesFrom.get(b.index) ?? [];
  if (copies.length === 0 || copies.some((p) => p == null)) return false;
  // The parent adds files only: a tool or dependency install may be what b relies on.
  const aHasWork = a.instructions.some((i) => i.keyword === "RUN" || i.keyword === "COPY" || i.keyword === "ADD");
  if (!aHasWork) return false;
  for (const ins of a.instructions) for (const c of commandsOf(ins, df.escapeChar)) if (toolUse(c)) return false;
  // b must move to a working directory of its own before it runs anything.
  const aPaths = createdPaths(df, a);
  const aWorkdir = workdirs(df, a).final;
  let ownDir: string | null = null;
  for (const ins of b.instructions) {
    if (ins.keyword === "WORKDIR" && ins.args[0]) {
      ownDir = resolvePath(ownDir ?? aWorkdir, ins.args[0]);
      continue;
    }
    if (ins.keyword === "RUN" || ins.keyword === "COPY" || ins.keyword === "ADD") {
      if (ownDir == null && aWorkdir !== "/") return false;
      if (ownDir != null && aPaths.some((p) => isUnder(ownDir!, p) || isUnder(p, ownDir!))) return false;
    }
    if (ins.keyword === "RUN") {
      const script = runScript(ins, df.escapeChar);
      for (const p of absolutePaths(script)) if (aPaths.some((q) => isUnder(literalPrefix(p), q))) return false;
    }
    if (ins.copyFrom != null) return false;
  }
  if (ownDir == null) return false;
  // Later stages copy only what b itself made.
  const bPaths = createdPaths(df, b).filter((p) => !aPaths.includes(p));
  for (const p of copies) for (const s of p!.sources) if (!bPaths.some((q) => isUnder(literalPrefix(resolvePath("/", s)), q))) return false;
  return true;
}

function build(ctx: AnalysisContext, a: DockerfileStage, b: DockerfileStage, reason: string, checkStage: boolean): Finding {
  const stepsOf = (st: DockerfileStage) => ctx.steps.filter((s) => s.stageIndex === st.index);
  const aSteps = stepsOf(a).filter((s) => s.instruction !== "FROM");
  const bSteps = stepsOf(b).filter((s) => s.instruction !== "FROM");
  let cost: number | null = null;
  if (aSteps.some(ran) && bSteps.some(ran)) cost = Math.min(rebuiltSeconds(aSteps), rebuiltSeconds(bSteps));
  const base = a.base.raw;
  const from = b.instructions.find((i) => i.keyword === "FROM");
  const platform = from?.flags.find((f) => f.name === "platform");
  const rewritten = [`FROM ${platform?.value ? `--platform=${platform.value} ` : ""}${base} AS ${b.name ?? b.label}`];
  if (checkStage) {
    rewritten.push(
      `# ${a.label} is then only built when something needs it; to keep its checks in the build,`,
      `# let it leave a marker (RUN … && touch /checked) and copy that into the final stage:`,
      `COPY --from=${a.name ?? a.index} /checked /tmp/${a.label}-passed`,
    );
  }
  return makeFinding(
    "stages-could-run-parallel",
    "info",
    {
      stage: b.label,
      line: b.line,
      parent: a.label,
      reason,
      base,
      costNote: cost ? ` (in this build both rebuilt: up to ${secs(cost)} could overlap)` : "",
    },
    { line: b.line, steps: [from ? stepOf(ctx, b, from) : null], costSeconds: cost, extraFix: snippet(rewritten) },
  );
}
