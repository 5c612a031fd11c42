import type { Finding } from "../../../model/report";
import { defineRule } from "../types";
import { copyParts, costOfRoot, makeFinding, secs, snippet, stepOf } from "../util";

const HTTP = /^https?:\/\//i;
const GIT = /^(git@[^:]+:|git:\/\/|ssh:\/\/)|\.git(#.*)?$|^https?:\/\/(github\.com|gitlab\.com|bitbucket\.org)\/[^/]+\/[^/]+(\.git)?(#.*)?$/i;

/**
 * Why: `ADD <url>` is revalidated on every build (§7.2): BuildKit sends a request each time, and
 * when the remote file changes (a "latest" download, a branch of a git repository) the step and
 * everything after it rebuild — and the image is no longer reproducible.
 * Not a problem with `ADD --checksum=sha256:…` (the content is pinned) or a git source pinned to
 * a full commit sha (`#<40 hex>`).
 */
export default defineRule({
  id: "add-remote-url",
  severity: "warning",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    for (const stage of df.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== "ADD") continue;
        const parts = copyParts(ins);
        if (!parts) continue;
        const url = parts.sources.find((s) => HTTP.test(s) || GIT.test(s));
        if (!url) continue;
        const isGit = GIT.test(url);
        if (!isGit && ins.flags.some((f) => f.name === "checksum")) continue;
        if (isGit && /#[0-9a-f]{40}$/i.test(url)) continue;
        const step = stepOf(ctx, stage, ins);
        const cost = costOfRoot(ctx, step, ["remote-source", "unknown", "cache-evicted", "instruction-changed"]);
        const file = url.replace(/[?#].*$/, "").split("/").pop() || "download";
        const dest = parts.dest;
        const rewritten = isGit
          ? [`ADD ${url.replace(/#.*$/, "")}#<commit sha> ${dest}`]
          : [
              `ADD --checksum=sha256:<sha256 of ${file}> ${url} ${dest}`,
              `# or, with a versioned URL:`,
              `RUN curl -fsSL -o ${dest.endsWith("/") ? dest + file : dest} ${url} && echo "<sha256>  ${dest.endsWith("/") ? dest + file : dest}" | sha256sum -c -`,
            ];
        out.push(
          makeFinding(
            "add-remote-url",
            "warning",
            {
              add: ins.text.length > 90 ? `${ins.text.slice(0, 87)}…` : ins.text,
              line: ins.line,
              what: isGit ? "git repository" : "file",
              how: isGit
                ? "point the git source at a full commit sha instead of a branch or tag"
                : "add `--checksum=sha256:…` to the ADD (and use a versioned URL), or download a fixed version in a RUN and verify it",
              costNote: cost ? ` (${secs(cost)} rebuilt because of it in this build)` : "",
            },
            { line: ins.line, steps: [step], costSeconds: cost, extraFix: snippet(rewritten) },
          ),
        );
      }
    }
    return out;
  },
});
