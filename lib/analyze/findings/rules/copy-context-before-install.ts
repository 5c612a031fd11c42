import type { DockerfileInstruction, DockerfileStage } from "../../../model/dockerfile";
import type { AnalysisContext } from "../../types";
import type { Finding } from "../../../model/report";
import { commandsOf } from "../shell";
import { manifestCopyList, mentionedManifests, mountCoversTool, toolUse, type ToolId, type ToolUse } from "../tools";
import { defineRule } from "../types";
import { copyParts, makeFinding, ownMiss, ran, rebuiltSeconds, secs, snippet, stepOf } from "../util";

const BROAD_SOURCES = new Set([".", "./", "*", "./*", ".\\", "./."]);

/** `COPY . .`, `ADD . /app`, `COPY ./ /src/` — a copy of the whole build context. */
export function isBroadCopy(ins: DockerfileInstruction): boolean {
  if (ins.copyFrom != null) return false;
  const parts = copyParts(ins);
  return parts != null && parts.sources.some((s) => BROAD_SOURCES.has(s));
}

function destDir(dest: string): string {
  if (dest === "." || dest === "./") return "./";
  return dest.endsWith("/") ? dest : `${dest}/`;
}

function flagText(ins: DockerfileInstruction): string {
  return ins.flags
    .filter((f) => f.name !== "from")
    .map((f) => (f.value != null ? `--${f.name}=${f.value} ` : `--${f.name} `))
    .join("");
}

/**
 * Why: a RUN's cache key includes the whole filesystem it starts from, so after `COPY . .` any
 * edited file — a README, a test — re-runs the dependency install below it (§7.1).
 * Not a problem when the manifests are copied on their own and installed *before* the broad COPY
 * (the install stays CACHED until a manifest changes), for builds that fetch nothing (`go build`
 * after an earlier `go mod download`, or with a module cache mount), or for copies from another
 * stage.
 */
export default defineRule({
  id: "copy-context-before-install",
  severity: "warning",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    for (const stage of df.stages) {
      let broad: DockerfileInstruction | null = null;
      const fetchedBefore = new Set<ToolId>();
      stageLoop: for (const ins of stage.instructions) {
        if ((ins.keyword === "COPY" || ins.keyword === "ADD") && isBroadCopy(ins)) {
          broad ??= ins;
          continue;
        }
        if (ins.keyword !== "RUN") continue;
        const cacheMounts = ins.mounts.filter((m) => m.type === "cache");
        for (const c of commandsOf(ins, df.escapeChar)) {
          const use = toolUse(c);
          if (!broad) {
            if (use && use.kind === "deps") fetchedBefore.add(use.tool);
            continue;
          }
          let manifests: string[];
          if (use) {
            if (use.kind === "build" && (fetchedBefore.has(use.tool) || mountCoversTool(use.tool, cacheMounts))) continue;
            manifests = use.kind === "system" || use.tool === "pip" || use.tool === "uv" ? use.manifests : manifestCopyList(use);
          } else {
            manifests = mentionedManifests(c);
          }
          if (manifests.length === 0) continue;
          out.push(finding(ctx, stage, broad, ins, use, manifests, c.text));
          break stageLoop;
        }
      }
    }
    return out;
  },
});

function finding(
  c: AnalysisContext,
  stage: DockerfileStage,
  copy: DockerfileInstruction,
  install: DockerfileInstruction,
  use: ToolUse | null,
  manifests: string[],
  command: string,
): Finding {
  const copyStep = stepOf(c, stage, copy);
  const installStep = stepOf(c, stage, install);
  let cost: number | null = null;
  if (installStep && ran(installStep) && ownMiss(c, copyStep, "context-changed")) {
    const between = c.steps.filter((s) => s.stageIndex === stage.index && s.position > copyStep!.position && s.position <= installStep.position);
    cost = rebuiltSeconds(between);
  }
  const parts = copyParts(copy)!;
  const dest = destDir(parts.dest);
  const keyword = copy.keyword === "ADD" ? "COPY" : copy.keyword;
  const rewritten = [
    `${keyword} ${flagText(copy)}${manifests.join(" ")} ${dest}`,
    ...install.raw.trim().split(/\r?\n/),
    copy.raw.trim(),
  ];
  return makeFinding(
    "copy-context-before-install",
    "warning",
    {
      copy: copy.text,
      copyLine: copy.line,
      install: command.length > 60 ? `${command.slice(0, 57)}…` : command,
      installLine: install.line,
      tool: use ? use.tool : "dependency",
      manifests: manifests.map((m) => `\`${m}\``).join(", "),
      costNote: cost ? ` (${secs(cost)} rebuilt in this build)` : "",
    },
    { line: copy.line, steps: [copyStep, installStep], costSeconds: cost, extraFix: snippet(rewritten) },
  );
}
