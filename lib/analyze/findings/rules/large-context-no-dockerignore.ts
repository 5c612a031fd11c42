import { defineRule } from "../types";
import { bytes, copyParts, makeFinding, secs, snippet } from "../util";

export const LARGE_CONTEXT_BYTES = 50_000_000;
/** With no (or an empty) `.dockerignore`, a smaller context is already worth trimming. */
export const UNIGNORED_CONTEXT_BYTES = 10_000_000;

/**
 * Why: the whole context is sent to the builder on every build, and a broad `COPY . .` hashes
 * all of it — so `.git`, `node_modules`, build outputs and local caches both slow every build
 * down and bust the COPY cache when they change, although the image does not need them.
 * Not a problem for small contexts, or big ones that the image really uses (the `.dockerignore`
 * exists and the transfer is mostly the sources).
 */
export default defineRule({
  id: "large-context-no-dockerignore",
  severity: "warning",
  run(ctx) {
    const size = ctx.build.contextTransferBytes;
    if (size == null) return [];
    const ignoreVertex = ctx.build.vertices.find((v) => /load \.dockerignore/.test(v.name));
    const ignoreEmpty = ignoreVertex != null && ignoreVertex.transferredBytes != null && ignoreVertex.transferredBytes <= 2;
    const large = size > LARGE_CONTEXT_BYTES;
    if (!large && !(ignoreEmpty && size > UNIGNORED_CONTEXT_BYTES)) return [];
    const contextVertex = ctx.build.vertices.find((v) => /load build context/.test(v.name) || /^Sending build context/.test(v.name));
    const seconds = contextVertex?.durationSeconds ?? null;

    // Point at the broad COPY that takes it all, when there is one.
    let line: number | null = null;
    for (const st of ctx.dockerfile?.stages ?? []) {
      for (const ins of st.instructions) {
        if ((ins.keyword === "COPY" || ins.keyword === "ADD") && ins.copyFrom == null && copyParts(ins)?.sources.some((s) => s === "." || s === "./")) {
          line ??= ins.line;
        }
      }
    }
    const text = ctx.dockerfile?.stages.map((s) => s.instructions.map((i) => i.text).join("\n")).join("\n") ?? "";
    const suggest = [".git", "**/node_modules", "**/dist", "**/build", "target", "*.log", ".env*", "**/__pycache__", ".venv", "Dockerfile*", ".dockerignore"];
    // Keep entries out that the Dockerfile visibly copies by name.
    const lines = suggest.filter((p) => !new RegExp(`COPY[^\\n]*\\s${p.replace(/^\*\*\//, "").replace(/[.*]/g, "\\$&")}\\b`).test(text));
    return [
      makeFinding(
        "large-context-no-dockerignore",
        large ? "warning" : "info",
        {
          size: bytes(size),
          ignoreNote: ignoreEmpty ? " and the `.dockerignore` is missing or empty" : "",
          timeNote: seconds != null && seconds >= 0.1 ? ` (${secs(seconds)} in this build)` : "",
        },
        { line, steps: [], costSeconds: seconds, extraFix: snippet(["# .dockerignore", ...lines]) },
      ),
    ];
  },
});
