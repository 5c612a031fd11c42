import type { ReportStep } from "../../../model/report";
import { copiedByName } from "../../changed-files";
import { fileList } from "../../changed-files-catalog";
import { junkLine } from "../../../context/junk";
import { defineRule } from "../types";
import { makeFinding, secs, snippet } from "../util";

/** The build reads git metadata: `.git` must stay in the context. */
export const READS_GIT = /\bgit\s+(describe|rev-parse|log|show|status|rev-list|tag)\b|setuptools[-_]scm|hatch[-_]vcs|versioneer|dunamai|poetry-dynamic-versioning|\bGIT_DIR\b/i;

/**
 * Why: a changed file that the image never needs (`.git/` after a commit, `node_modules/` after a
 * local install, build outputs, editor files, logs) still changes the cache key of every COPY that
 * takes it, so the build re-runs from there. Leaving it out in `.dockerignore` keeps those steps
 * cached. Only suggested where it would really have kept the step cached: when another changed file
 * reaches the step too, the finding says so and claims no saving.
 * Not a problem when the build needs those files: a `.git` the build reads (setuptools-scm,
 * hatch-vcs, `git describe` in a RUN, a `COPY .git` or a bind mount of it) or a folder the
 * Dockerfile copies by name is never suggested — the finding says why instead.
 */
export default defineRule({
  id: "changed-files-not-needed",
  severity: "warning",
  run(ctx) {
    const facts = ctx.changedFiles;
    if (!facts) return [];
    const roots = ctx.steps.filter((s) => s.miss?.rootCause && s.miss.changedFiles && s.miss.changedFiles.length > 0 && s.miss.cause === "context-changed");
    if (!roots.length) return [];
    const runText = (ctx.dockerfile?.stages ?? []).flatMap((st) => st.instructions.filter((i) => i.keyword === "RUN").map((i) => i.text)).join("\n") || ctx.steps.filter((s) => s.instruction === "RUN").map((s) => s.text).join("\n");
    const gitReason = READS_GIT.exec(runText)?.[0] ?? (copiedByName(facts.uses, ".git") ? "a step copies or mounts `.git` by name" : null);

    const lines = new Map<string, { what: string; files: string[]; output: boolean }>();
    const kept: string[] = [];
    const notes: string[] = [];
    let saved = 0;
    const savedSteps: ReportStep[] = [];
    for (const s of roots) {
      const files = s.miss!.changedFiles!;
      const junk = files.map((f) => ({ f, j: junkLine(f) }));
      const usable = junk.filter((x) => x.j && !(x.j.line === ".git" && gitReason) && !copiedByName(facts.uses, x.j.line.replace(/^\*\*\//, "")));
      if (!usable.length) continue;
      for (const { f, j } of usable) {
        const e = lines.get(j!.line) ?? { what: j!.what, files: [], output: !!j!.output };
        e.files.push(f);
        lines.set(j!.line, e);
      }
      const others = files.filter((f) => !usable.some((u) => u.f === f));
      const label = `\`${s.text.replace(/`/g, "'")}\``;
      if (others.length === 0) {
        saved += s.miss!.costSeconds ?? 0;
        savedSteps.push(s);
        kept.push(label);
      } else notes.push(` ${label} would still have rebuilt: it also copies ${fileList(others, 3)}, which changed.`);
    }
    if (!lines.size) {
      if (gitReason && roots.some((s) => s.miss!.changedFiles!.some((f) => f.startsWith(".git/"))))
        return [gitOnly(gitReason, roots, ctx.steps.find((s) => s.miss && facts.uses.get(s.id)?.kind === "copy" && facts.uses.get(s.id)!.sources.some((x) => x.path === ".")) ?? null)];
      return [];
    }
    const groups = [...lines.entries()];
    const one = groups.length === 1 && groups[0]![1].files.length === 1;
    const story =
      groups.map(([line, g]) => `${fileList(g.files, 3)} (${g.what}, left out by \`${line}\`)`).join("; ") +
      ` changed, and the image does not need ${one ? "it" : "them"}.`;
    const keptNote =
      (kept.length ? ` Ignoring ${one ? "it" : "them"} would have kept ${kept.join(", ")} cached${saved > 0 ? ` and saved ${secs(saved)}` : ""}.` : "") +
      notes.join("") +
      (gitReason && roots.some((s) => s.miss!.changedFiles!.some((f) => f.startsWith(".git/"))) ? ` \`.git\` is not suggested: the build reads git metadata (${gitReason}).` : "");
    const caveat = groups.some(([, g]) => g.output) ? " (unless the image ships outputs built outside Docker)" : "";
    return [
      makeFinding(
        "changed-files-not-needed",
        saved > 0 ? "warning" : "info",
        { story, keptNote, caveat },
        { line: savedSteps[0]?.line ?? roots[0]!.line, steps: savedSteps.length ? savedSteps : roots, costSeconds: saved > 0 ? saved : null, extraFix: snippet(["# .dockerignore", ...groups.map(([l]) => l)]) },
      ),
    ];
  },
});

function gitOnly(reason: string, roots: ReportStep[], broadCopy: ReportStep | null) {
  const s = roots.find((r) => r.miss!.changedFiles!.some((f) => f.startsWith(".git/")))!;
  return makeFinding(
    "changed-files-not-needed",
    "info",
    {
      story: `\`${s.text.replace(/`/g, "'")}\` rebuilt because files in \`.git/\` changed (every commit rewrites them), and the build reads git metadata (${reason}), so \`.git\` must stay in the context and is not suggested for \`.dockerignore\`.`,
      keptNote: " Read it only where it is needed — a bind mount in the one RUN that reads it (`RUN --mount=type=bind,source=.git,target=.git …`), placed after the expensive steps — so a commit re-runs as little as possible.",
      caveat: broadCopy ? " — not `.git` here: keep it out of the broad COPY instead (Dockerfile 1.7+)" : " — not `.git` here, which the build reads",
    },
    { line: s.line, steps: [s], costSeconds: null, extraFix: broadCopy ? snippet([broadCopy.text.replace(/^(COPY|ADD)\s+/i, "$1 --exclude=.git ")]) : null },
  );
}
