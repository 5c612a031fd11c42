import type { DockerfileInstruction, DockerfileStage, RunMount } from "../../../model/dockerfile";
import type { Finding } from "../../../model/report";
import { runScript } from "../shell";
import { defineRule } from "../types";
import { ancestry, copyParts, isUnder, literalPrefix, makeFinding, resolvePath, snippet, stageByRef, stepOf, workdirs } from "../util";

interface CacheTarget {
  stage: DockerfileStage;
  run: DockerfileInstruction;
  mount: RunMount;
  target: string;
}

/**
 * `failed to calculate checksum of ref …: "/app/target/release/app": not found`, or on the docker
 * driver `failed to calculate checksum of ref …: failed to walk …/cache: lstat …: no such file or directory`.
 */
const CHECKSUM_NOT_FOUND = /failed to (?:calculate checksum|compute cache key)[^\n]*?(?:"([^"]+)": not found|no such file or directory)/;

/**
 * Why: a `--mount=type=cache` directory is not part of the layer (§7.7). Whatever the RUN wrote
 * there is invisible to `COPY --from=<stage>`: the copy fails with `failed to calculate checksum …
 * not found`, or — worse — silently copies stale files that an earlier layer left at that path.
 * Not a problem when the RUN copies the artifact out of the mount (to a path outside every cache
 * target) and the COPY reads that path, or when a later RUN without the mount writes the path.
 */
export default defineRule({
  id: "copy-from-cache-mount",
  severity: "warning",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    const errorText = (ins: DockerfileInstruction, stage: DockerfileStage): string | null => {
      const step = stepOf(ctx, stage, ins);
      const texts = [step?.error, step?.status === "error" ? ctx.build.errorMessage : null];
      for (const t of texts) if (t && CHECKSUM_NOT_FOUND.test(t)) return t;
      return null;
    };
    for (const stage of df.stages) {
      for (const ins of stage.instructions) {
        if ((ins.keyword !== "COPY" && ins.keyword !== "ADD") || ins.copyFrom == null) continue;
        const src = stageByRef(df, ins.copyFrom, stage.index);
        if (!src) continue;
        const parts = copyParts(ins);
        if (!parts) continue;
        const targets = cacheTargets(df, src);
        if (targets.length === 0) continue;
        const err = errorText(ins, stage);
        let hit: { source: string; path: string; t: CacheTarget } | null = null;
        for (const source of parts.sources) {
          const path = literalPrefix(resolvePath("/", source));
          const t = targets.find((c) => isUnder(path, c.target) && !writtenLater(df, src, c, path));
          if (t) {
            hit = { source, path: resolvePath("/", source), t };
            break;
          }
        }
        if (!hit && err) {
          // The log proves the path is missing; blame the cache mount the path is closest to.
          const missing = CHECKSUM_NOT_FOUND.exec(err)?.[1] ?? null;
          const source = (missing && parts.sources.find((s) => resolvePath("/", s) === resolvePath("/", missing))) || parts.sources[0]!;
          hit = { source, path: resolvePath("/", source), t: targets[targets.length - 1]! };
        }
        if (!hit) continue;
        const { t } = hit;
        const base = hit.path.replace(/\/+$/, "").split("/").pop() || "artifact";
        const outPath = `/out/${base}`;
        const logNote = err ? " This build failed at that COPY (`failed to calculate checksum …`: the path is not in the layer)." : "";
        out.push(
          makeFinding(
            "copy-from-cache-mount",
            err ? "error" : "warning",
            {
              copy: ins.text,
              line: ins.line,
              path: hit.path,
              stage: src.label,
              target: t.target,
              runLine: t.run.line,
              logNote,
            },
            {
              line: ins.line,
              steps: [stepOf(ctx, stage, ins), stepOf(ctx, t.stage, t.run)],
              extraFix: snippet([...rewriteRun(t.run, hit.path), rewriteCopy(ins, hit.source, outPath)]),
            },
          ),
        );
      }
    }
    return out;
  },
});

/** Cache-mount targets of every RUN in the source stage and the stages it is built on. */
function cacheTargets(df: Parameters<typeof ancestry>[0], src: DockerfileStage): CacheTarget[] {
  const out: CacheTarget[] = [];
  for (const st of ancestry(df, src)) {
    const wd = workdirs(df, st).at;
    for (const run of st.instructions) {
      if (run.keyword !== "RUN") continue;
      for (const mount of run.mounts) {
        if (mount.type !== "cache" || !mount.target) continue;
        out.push({ stage: st, run, mount, target: resolvePath(wd.get(run.line) ?? "/", mount.target) });
      }
    }
  }
  return out;
}

/** A later RUN of the chain that does not mount the target and names the path writes it into a layer. */
function writtenLater(df: Parameters<typeof ancestry>[0], src: DockerfileStage, c: CacheTarget, path: string): boolean {
  let after = false;
  for (const st of ancestry(df, src)) {
    const wd = workdirs(df, st).at;
    for (const ins of st.instructions) {
      if (ins === c.run) {
        after = true;
        continue;
      }
      if (!after || ins.keyword !== "RUN") continue;
      const mounted = ins.mounts.some((m) => m.type === "cache" && m.target != null && resolvePath(wd.get(ins.line) ?? "/", m.target) === c.target);
      if (!mounted && runScript(ins, df.escapeChar).includes(path)) return true;
    }
  }
  return false;
}

function rewriteRun(run: DockerfileInstruction, path: string): string[] {
  const lines = run.raw.trim().split(/\r?\n/);
  const extract = `mkdir -p /out && cp -a ${path} /out/`;
  if (run.heredocs.length > 0 && lines.length > 1) {
    return [...lines.slice(0, -1), extract, lines[lines.length - 1]!];
  }
  const last = lines.pop()!;
  return [...lines, `${last} \\`, `    && ${extract}`];
}

function rewriteCopy(ins: DockerfileInstruction, source: string, outPath: string): string {
  const text = ins.text;
  const i = text.indexOf(source);
  return i >= 0 ? text.slice(0, i) + outPath + text.slice(i + source.length) : text;
}
