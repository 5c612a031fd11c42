import type { ArgDeclaration, DockerfileInstruction } from "../../../model/dockerfile";
import type { Finding } from "../../../model/report";
import { defineRule } from "../types";
import { makeFinding, ownMiss, rebuiltSeconds, secs, snippet, stepOf } from "../util";

type Volatility = "cache-bust" | "commit" | "date" | "build-number" | "version";

const LOOKS: Record<Volatility, string> = {
  "cache-bust": "is a cache-bust value, meant to change on every build",
  commit: "looks like a commit id, which changes on every commit",
  date: "looks like a build date or timestamp, which changes on every build",
  "build-number": "looks like a CI build number, which changes on every build",
  version: "looks like a release version, which usually changes with every release or commit",
};

const VERSION_NAMES = new Set(["VERSION", "APP_VERSION", "BUILD_VERSION", "IMAGE_VERSION", "RELEASE_VERSION", "RELEASE", "SEMVER"]);

/** Classifies an ARG as volatile from its name (or its default value), null when it looks stable. */
export function volatility(name: string, defaultValue: string | null): Volatility | null {
  const n = name.toUpperCase();
  const parts = n.split(/[_-]+/);
  const has = (...xs: string[]) => xs.some((x) => parts.includes(x));
  if (/CACHE_?BUST/.test(n) || has("BUST", "CACHEBUSTER", "CACHEBUST", "NOCACHE")) return "cache-bust";
  if (n === "SOURCE_DATE_EPOCH" || has("TIMESTAMP", "EPOCH", "NOW") || (has("DATE", "TIME") && !has("TZ", "TIMEZONE", "ZONE", "OUT", "TIMEOUT")))
    return "date";
  if (has("SHA", "COMMIT", "REVISION", "REV", "GITSHA", "GITCOMMIT") || (has("GIT", "VCS") && has("REF", "HASH", "ID"))) return "commit";
  if ((has("BUILD", "RUN", "PIPELINE", "JOB") && has("NUMBER", "NUM", "ID")) || n === "GITHUB_RUN_ID" || n === "BUILD_NUMBER") return "build-number";
  if (VERSION_NAMES.has(n) && (defaultValue == null || /^(dev|devel|local|latest|unknown|snapshot|0\.0\.0|)$/i.test(defaultValue.trim())))
    return "version";
  if (defaultValue != null) {
    const v = defaultValue.trim().replace(/^["']|["']$/g, "");
    if (/^[0-9a-f]{12,40}$/.test(v) && /[a-f]/.test(v) && /\d/.test(v)) return "commit";
    if (/^\d{4}-\d{2}-\d{2}T\d{2}/.test(v) || /^1\d{9}$/.test(v)) return "date";
  }
  return null;
}

const isStep = (i: DockerfileInstruction) => i.position != null && i.keyword !== "FROM";
const uses = (i: DockerfileInstruction, name: string) => i.variables.includes(name) && i.keyword !== "ARG";

/**
 * Why: a declared ARG is in the environment of every RUN after it in its stage (§7.3), so a value
 * that changes every build (commit sha, date, cache-bust counter) re-runs the first RUN after the
 * ARG and, through it, every later step — including expensive installs that never read it.
 * Not a problem when the ARG sits right before the last steps that read it (only they re-run),
 * for global ARGs that are not redeclared in the stage (they only affect FROM lines), or when
 * nothing expensive comes after the first step it affects.
 */
export default defineRule({
  id: "volatile-arg-early",
  severity: "warning",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    for (const stage of df.stages) {
      for (const arg of stage.args) {
        const kind = volatility(arg.name, arg.defaultValue);
        if (!kind) continue;
        const after = stage.instructions.filter((i) => i.line > arg.line);
        // First affected step: the first RUN (every RUN gets the ARG), or a COPY/ADD/WORKDIR expanding it.
        const firstUse = after.find((i) => isStep(i) && (i.keyword === "RUN" || uses(i, arg.name)));
        if (!firstUse) continue;
        const firstNeed = after.find((i) => uses(i, arg.name)) ?? firstUse;
        const affected = after.filter((i) => isStep(i) && i.line >= firstUse.line);
        const wasted = affected.filter((i) => i !== firstNeed && !uses(i, arg.name));
        const savedByMove = affected.filter((i) => i.line < firstNeed.line);
        const expensiveWasted = wasted.filter((i) => i.keyword === "RUN" || i.keyword === "ADD");
        if (expensiveWasted.length === 0) continue;

        const useStep = stepOf(ctx, stage, firstUse);
        let cost: number | null = null;
        if (ownMiss(ctx, useStep, "build-arg-changed")) cost = rebuiltSeconds(wasted.map((i) => stepOf(ctx, stage, i)));

        const argLine = argText(arg);
        let rewritten: string[];
        let where: string;
        if (savedByMove.length > 0 && firstNeed !== firstUse) {
          where = `line ${firstNeed.line}, the first instruction that reads it`;
          rewritten = [`# remove line ${arg.line} (${argLine}), then:`, argLine, ...firstLines(firstNeed)];
        } else {
          where =
            firstNeed === firstUse && !uses(firstUse, arg.name)
              ? `the step it is meant to re-run (line ${firstUse.line}), and move that step below the steps that do not need it`
              : `the step that reads it (line ${firstNeed.line}), and move that step below the steps that do not need it`;
          const others = wasted.slice(0, 4).flatMap(firstLines);
          rewritten = [...others, ...(wasted.length > 4 ? ["# … the other steps that do not need it"] : []), argLine, ...firstLines(firstNeed)];
        }
        out.push(
          makeFinding(
            "volatile-arg-early",
            "warning",
            {
              arg: arg.name,
              line: arg.line,
              where,
              looks: LOOKS[kind],
              stage: stage.label,
              firstUse: firstUse.line,
              after: affected.length > 1 ? `the ${affected.length - 1} step${affected.length === 2 ? "" : "s"} after it` : "nothing else",
              costNote: cost ? ` (${secs(cost)} of steps that do not read it were rebuilt in this build)` : "",
            },
            {
              line: arg.line,
              steps: [useStep, ...wasted.map((i) => stepOf(ctx, stage, i))],
              costSeconds: cost,
              extraFix: snippet(rewritten),
            },
          ),
        );
      }
    }
    return out;
  },
});

function argText(arg: ArgDeclaration): string {
  return arg.defaultValue != null ? `ARG ${arg.name}=${arg.defaultValue}` : `ARG ${arg.name}`;
}

function firstLines(i: DockerfileInstruction): string[] {
  const lines = i.raw.trim().split(/\r?\n/);
  return lines.length > 3 ? [...lines.slice(0, 2), "    …"] : lines;
}
