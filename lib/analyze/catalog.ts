import type { CauseCode } from "../model/report";

/**
 * The one catalog of cache-miss explanation texts. The CLI text, the Markdown comment, the SVG
 * card and the web app all print what the engine put into the report from here; renderers only
 * use `causeInfo[code].label` for short labels.
 */

export interface CauseParams {
  /** Step as people read it: `[build 5/6] COPY . .` */
  step: string;
  line: number | null;
  /** Files / sources of a COPY or ADD. */
  sources?: string[];
  /** Build arg / env names involved, with the value seen in the vertex name when visible. */
  args?: { name: string; value: string | null; previous?: string | null }[];
  /** Source stage of COPY --from / RUN --mount=from. */
  stage?: string;
  /** Base or source image. */
  image?: string;
  /** A Dockerfile line that changed (compare mode) or a metadata instruction that matters. */
  changedLine?: { line: number | null; before: string | null; after: string | null };
  /** Root step for invalidated steps. */
  rootStep?: string;
  rootCause?: CauseCode;
  /** Cache import reference that failed. */
  cacheRef?: string;
  digests?: { before: string | null; after: string | null };
  /** COPY --from=<name> where <name> is a named build context (`--build-context name=…`). */
  namedContext?: string;
  /** COPY --from=<image>: the image is a copy source, not the stage's base. */
  copyFromImage?: boolean;
  /** Context files a RUN bind-mounts (`--mount=type=bind,source=…`). */
  mountSources?: string[];
  /** The step copies dependency manifests only (package.json, go.mod, …). */
  manifestOnly?: boolean;
  /** Every ARG named is declared right before this step already. */
  argDeclaredRightBefore?: boolean;
  /** Build number (1-based) of an earlier build in the same log that rebuilt the source stage. */
  earlierBuild?: number;
}

export interface CauseInfo {
  /** Short label for badges and tables. */
  label: string;
  /** One or two plain sentences. */
  explain(p: CauseParams): string;
  /** What to change, or null when nothing should change. */
  fix(p: CauseParams): string | null;
  /** What extra input would make an inferred cause exact. */
  decideWith: string | null;
  /** The same, as separate inputs (joined without repeats when several candidates are listed). */
  decidedBy: readonly string[];
}

const lineRef = (line: number | null) => (line != null ? ` (line ${line})` : "");
const list = (xs: string[] | undefined, fallback: string) =>
  xs && xs.length ? xs.map((x) => `\`${x}\``).join(", ") : fallback;
const argList = (args: CauseParams["args"]) =>
  args && args.length
    ? args
        .map((a) => {
          const now = a.value != null ? ` = \`${a.value}\`` : "";
          const before = a.previous !== undefined && a.previous !== null ? ` (was \`${a.previous}\`)` : "";
          return `\`${a.name}\`${now}${before}`;
        })
        .join(", ")
    : "a build argument";

export const causeInfo = {
  "context-changed": {
    label: "context changed",
    explain: (p) =>
      p.namedContext
        ? `${p.step}${lineRef(p.line)} copies ${list(p.sources, "files")} from the named build context \`${p.namedContext}\` (\`--build-context ${p.namedContext}=…\`), and those files changed since the cached build, so its cache key changed.`
        : p.mountSources?.length
          ? `${p.step}${lineRef(p.line)} bind-mounts ${list(p.mountSources, "files")} from the build context; a bind mount's content is part of the step's cache key, so a change to ${p.mountSources.length === 1 ? "that file" : "those files"} re-runs it.`
          : `${p.step}${lineRef(p.line)} copies ${list(p.sources, "files")} from the build context, and the content or metadata of those files changed since the cached build, so its cache key changed.`,
    fix: (p) =>
      p.manifestOnly
        ? `This step copies only dependency manifests, so it re-runs exactly when dependencies change: expected after a dependency change. Keep the install right after it and copy the rest of the sources later, as here.`
        : p.namedContext
          ? `A change in the named context \`${p.namedContext}\` is expected to re-run the steps that copy from it: copy from it as late as possible, and only the files you need.`
        : p.mountSources?.length
          ? `Mount only the files the step reads (${list(p.mountSources, "the needed files")}); a change to them is expected to re-run it.`
          : `If only unrelated files changed, narrow what this step copies (copy ${list(p.sources, "the needed files")} more selectively, or exclude generated files in .dockerignore); copy rarely-changing files such as dependency manifests in an earlier step so the expensive steps stay cached.`,
    decideWith: "the changed files (--changed-files) or a build record",
    decidedBy: ["the changed files (--changed-files)", "a build record"],
  },
  "instruction-changed": {
    label: "instruction changed",
    explain: (p) =>
      p.changedLine && (p.changedLine.before != null || p.changedLine.after != null)
        ? `The Dockerfile changed at line ${p.changedLine.line ?? "?"}: \`${p.changedLine.before ?? "(new)"}\` → \`${p.changedLine.after ?? "(removed)"}\`, which changes the cache key of ${p.step}.`
        : `The text of ${p.step}${lineRef(p.line)} (or an ENV, USER, SHELL or WORKDIR before it) differs from the cached build, so BuildKit could not reuse it.`,
    fix: () =>
      `Expected after an edit. If this step is expensive and edited often, move it later in the Dockerfile, after the steps that change less.`,
    decideWith: "the previous Dockerfile",
    decidedBy: ["the previous Dockerfile"],
  },
  "build-arg-changed": {
    label: "build arg changed",
    explain: (p) =>
      `${p.step}${lineRef(p.line)} is the first step affected by ${argList(p.args)}; a declared ARG is part of the environment of every later RUN in its stage, so a new value invalidates the cache from here on.`,
    fix: (p) =>
      p.argDeclaredRightBefore
        ? `${argList(p.args)} first reaches the cache at this step, which uses it: declaring it later would change nothing, and a new value rebuilds only from here. If the value changes on every build (a date, a commit), pass it to the last step only, or as a label.`
        : `Declare ${argList(p.args)} as late as possible — just before the step that needs it — so a new value only rebuilds that step and what follows.`,
    decideWith: "the previous build's log (it shows the old value in the step name)",
    decidedBy: ["the previous build's log (it shows the old value in the step name)"],
  },
  "base-image-changed": {
    label: "base image changed",
    explain: (p) =>
      p.digests && (p.digests.before || p.digests.after)
        ? `The base image ${p.image ? `\`${p.image}\` ` : ""}resolved to a different digest (${p.digests.before ?? "?"} → ${p.digests.after ?? "?"}), so every step built on it re-ran starting with ${p.step}.`
        : p.copyFromImage
          ? `${p.step}${lineRef(p.line)} copies files from the image ${p.image ? `\`${p.image}\`` : "it names"}; it re-ran although its own text did not need to change, which happens when the image behind that tag changed.`
          : `${p.step}${lineRef(p.line)} is the first step on top of ${p.image ? `\`${p.image}\`` : "the base image"}; it re-ran although its own text did not need to change, which happens when the base image behind the tag changed.`,
    fix: (p) =>
      `Pin ${p.image ? `\`${p.image}\`` : "the base image"} by digest (\`FROM image:tag@sha256:…\`) and update it deliberately, so base updates do not silently rebuild everything.`,
    decideWith: "the base image digests (the previous build's log with a registry image, or a build record)",
    decidedBy: ["the base image digests (the previous log, for a registry image)", "a build record"],
  },
  "source-stage-changed": {
    label: "source stage changed",
    explain: (p) =>
      p.earlierBuild != null
        ? `${p.step}${lineRef(p.line)} takes files from stage \`${p.stage ?? "?"}\`, which an earlier build in this log (build ${p.earlierBuild}) rebuilt${p.rootStep ? ` (starting at ${p.rootStep})` : ""}; this build found that stage in the cache, but its files differ from the ones this step last copied, so this step and the ones after it re-ran.`
        : `${p.step}${lineRef(p.line)} takes files from stage \`${p.stage ?? "?"}\`, which was rebuilt${p.rootStep ? ` (starting at ${p.rootStep})` : ""} and produced different files, so this step and the ones after it re-ran.`,
    fix: (p) =>
      `If the files of stage \`${p.stage ?? "?"}\` really changed, this is expected. Otherwise make the stage reproducible (SOURCE_DATE_EPOCH, no embedded timestamps) and copy only the files you need from it: byte-identical output keeps this COPY cached even when the stage re-runs.`,
    decideWith: null,
    decidedBy: [],
  },
  "parent-rebuilt": {
    label: "after a rebuilt step",
    explain: (p) =>
      `${p.step} was rebuilt because an earlier step in its chain${p.rootStep ? `, ${p.rootStep},` : ""} was rebuilt: BuildKit keys each step on the one before it, so everything after a miss re-runs.`,
    fix: () => null,
    decideWith: null,
    decidedBy: [],
  },
  "no-cache": {
    label: "--no-cache",
    explain: (p) =>
      `The build ran with \`--no-cache\` (or \`--no-cache-filter\`), so ${p.step} and every other RUN/COPY/ADD ran without looking at the cache.`,
    fix: () => `Drop \`--no-cache\` unless a clean build is the point; use \`--no-cache-filter <stage>\` to rebuild only one stage.`,
    decideWith: "the build command line or a build record",
    decidedBy: ["the build command line", "a build record"],
  },
  "cold-cache": {
    label: "cold cache",
    explain: (p) =>
      `Every step rebuilt and no cache was imported: the builder had no cache for this Dockerfile (a fresh CI runner, a pruned builder, or a new builder instance), so ${p.step} ran from scratch.`,
    fix: () =>
      `Give the builder a cache to start from: \`--cache-from type=registry,ref=<repo>:buildcache --cache-to type=registry,ref=<repo>:buildcache,mode=max\` (or \`type=gha\` on GitHub Actions).`,
    decideWith: "the build command line, the previous log on the same builder or a build record",
    decidedBy: ["the build command line", "the previous log on the same builder", "a build record"],
  },
  "cache-import-failed": {
    label: "cache import failed",
    explain: (p) =>
      `The build tried to import cache${p.cacheRef ? ` from \`${p.cacheRef}\`` : ""} but found nothing or failed, so everything was built from scratch, ${p.step} included.`,
    fix: (p) =>
      `Check that ${p.cacheRef ? `\`${p.cacheRef}\`` : "the cache reference"} exists and is readable, and that a previous build exported to it with \`--cache-to …,mode=max\` (cache is only written by a successful build).`,
    decideWith: null,
    decidedBy: [],
  },
  "remote-source": {
    label: "remote source",
    explain: (p) =>
      `${p.step}${lineRef(p.line)} downloads ${list(p.sources, "a remote source")}; BuildKit checks the URL or git ref on every build and re-runs the step when the content or ref changed.`,
    fix: () =>
      `Pin the download: \`ADD --checksum=sha256:… <url>\` for files, a commit SHA for git sources, or download a fixed version in a RUN.`,
    decideWith: null,
    decidedBy: [],
  },
  "cache-evicted": {
    label: "cache evicted",
    explain: (p) =>
      `Nothing in the inputs explains why ${p.step}${lineRef(p.line)} re-ran: the cache record was probably evicted (builder garbage collection, \`docker builder prune\`, or a different builder instance).`,
    fix: () =>
      `Raise the builder's cache limit (\`gc\` / \`keepBytes\` in buildkitd.toml), build on the same builder, or import cache with \`--cache-from\`.`,
    decideWith: "the previous build's log and the previous Dockerfile",
    decidedBy: ["the previous build's log", "the previous Dockerfile"],
  },
  unknown: {
    label: "unknown",
    explain: (p) => `Cachescope cannot tell why ${p.step}${lineRef(p.line)} re-ran from these inputs.`,
    fix: () => null,
    decideWith: "the Dockerfile, the previous build's log and the previous Dockerfile",
    decidedBy: ["the Dockerfile", "the previous build's log", "the previous Dockerfile"],
  },
} as const satisfies Record<CauseCode, CauseInfo>;

export const causeLabels: Record<CauseCode, string> = Object.fromEntries(
  Object.entries(causeInfo).map(([k, v]) => [k, v.label]),
) as Record<CauseCode, string>;

/** Notes attached to steps that are not misses. */
export const stepNotes = {
  fromResolved: (image: string) =>
    `Base image \`${image}\` was resolved without pulling new layers; a FROM that prints DONE is not a cache miss.`,
  fromPulled: (image: string, bytes: string) => `Base image \`${image}\` was pulled (${bytes}).`,
  fromShared: (stage: string) =>
    `BuildKit ran this FROM once for every stage on the same base; the log prints it under stage \`${stage}\`.`,
  mergedWith: (step: string) => `Identical to ${step}: BuildKit merged them into one vertex.`,
  identicalOutput: (stage: string) =>
    `Stage \`${stage}\` re-ran, but the files this step copies were byte-identical, so it stayed cached (COPY keys on content).`,
  cachedInFailedBuild: () =>
    `The build failed: BuildKit prints CACHED for some steps it skipped after the failure, so this may not be a real cache hit.`,
  notRunUnusedStage: (target: string) => `Stage not needed by the target \`${target}\`, so BuildKit never ran it.`,
  notRunAfterFailure: () => `Not reached: the build failed before this step could run.`,
  notRunCanceled: () => `Not reached: the build was canceled.`,
  notRunTruncated: () => `Not in the log: the log ends before this step.`,
  notRunUnknown: () => `This step does not appear in the log.`,
  staleCacheMountCopy: (stage: string, path: string, target: string) =>
    `Stage \`${stage}\` re-ran, but \`${path}\` lies in its cache mount \`${target}\`, which is not part of the layer: this COPY stayed cached because it copies what an earlier layer left at that path — a stale file, not the new build output.`,
  seededByEarlierBuild: (build: number) =>
    `Rebuilt by build ${build} earlier in this log; this build found it in the cache.`,
  secretNotInKey: () =>
    `Secret and cache mount contents are not part of the cache key: changing them never rebuilds this step.`,
} as const;

/** The explanation of a cause the inputs cannot decide. */
export const candidateTexts = {
  explain: (label: string, n: number, text: string) => `The log cannot decide between ${n} causes; the first is "${label}": ${text}`,
} as const;

/** How sure a cause is, as every output says it. */
export const evidenceTexts = {
  exact: (by: string | null) => `exact${by ? ` (${by})` : ""}`,
  inferred: (by: string | null) => `inferred${by ? ` (${by})` : ""}`,
  candidates: (labels: string[], by: string | null) => `one of: ${labels.join(", ")}${by ? ` — decided by ${by}` : ""}`,
} as const;

/** Build-level diagnosis texts. */
export const diagnosisTexts = {
  "fully-cached": {
    title: "Fully cached",
    detail: (n: number) => `All ${n} steps came from the cache.`,
    fix: null,
  },
  partial: {
    title: "Partly rebuilt",
    detail: (rebuilt: number, total: number, roots: number) =>
      `${rebuilt} of ${total} steps re-ran, from ${roots} root cause${roots === 1 ? "" : "s"}.`,
    fix: null,
  },
  "cold-cache": {
    title: "Cold cache",
    detail: () =>
      `Every step re-ran and no cache was imported: a fresh runner or a pruned builder builds everything from scratch.`,
    fix: `Export and import build cache: \`--cache-to type=registry,ref=<repo>:buildcache,mode=max --cache-from type=registry,ref=<repo>:buildcache\` (\`type=gha\` on GitHub Actions).`,
  },
  "no-cache": {
    title: "Built with --no-cache",
    detail: () => `The cache was switched off for this build, so every RUN, COPY and ADD ran.`,
    fix: `Remove \`--no-cache\`, or use \`--no-cache-filter <stage>\` to rebuild a single stage.`,
  },
  "cache-import-failed": {
    title: "Cache import failed",
    detail: (ref: string) => `The build asked for cache from \`${ref}\` but none was found, so it built from scratch.`,
    fix: `Make sure a successful build exports to the same reference (\`--cache-to …,mode=max\`) and that this build can read it.`,
  },
  failed: {
    title: (step: string | null, exitCode: number | null) =>
      `Build failed${step ? ` at ${step}` : ""}${exitCode != null ? ` (exit code ${exitCode})` : ""}`,
    detail: (canceled: number) => (canceled ? `${canceled} parallel step${canceled === 1 ? " was" : "s were"} canceled. ` : ""),
  },
  lintFailed: {
    title: "Build failed on build checks before any step ran",
    detail: (rules: string[], msg: string) =>
      `\`# check=error=true\` turns check warnings into errors: ${rules.length ? rules.map((r) => `\`${r}\``).join(", ") : "a check"} failed, so no Dockerfile step ran (${msg}).`,
  },
  checksOnly: {
    title: "Build checks only (--call=check): nothing was built",
    detail: (n: number) => `${n === 0 ? "No check warned" : `${n} check warning${n === 1 ? "" : "s"}`}; the build itself did not run.`,
  },
  noCacheOrChanged: {
    title: "Every RUN, COPY and ADD re-ran",
    detail: (causes: string, by: string) =>
      `Only WORKDIR steps stayed cached, which is what \`--no-cache\` looks like — and also what a change to the files of the first COPY (or to the first instructions) looks like. The log cannot tell them apart: ${causes}; decided by ${by}.`,
  },
  coldOrBase: {
    title: "Every step re-ran",
    detail: (causes: string, by: string) =>
      `Nothing came from the cache. One of: ${causes}; decided by ${by}.`,
  },
  imports: (ok: string[], failed: { ref: string; message: string | null }[], matchedNothing = false) =>
    [
      ok.length
        ? matchedNothing
          ? `The cache import from ${ok.map((r) => `\`${r}\``).join(", ")} succeeded but matched no step (it holds another Dockerfile's or another stage's cache, or a \`mode=min\` cache of the final stage only).`
          : `Cache imported from ${ok.map((r) => `\`${r}\``).join(", ")}.`
        : "",
      ...failed.map((f) => `The cache import from \`${f.ref}\` failed${f.message ? ` (${f.message.length > 160 ? `${f.message.slice(0, 157)}…` : f.message})` : ""}; the build went on without it.`),
    ]
      .filter(Boolean)
      .join(" "),
  seeded: (build: number, n: number) =>
    `Build ${build} earlier in this log rebuilt ${n} of the steps this build found in the cache.`,
  evidence: (grade: "exact" | "inferred" | "candidates") =>
    grade === "exact" ? "Causes: exact (named by the inputs)." : grade === "inferred" ? "Causes: inferred (the only fit for what the log shows)." : "",
  dockerfileMismatch: (reason: string) =>
    `The Dockerfile does not match this log (${reason}); showing the log-only view. Pass the Dockerfile that was built for line numbers and ARG/ENV semantics.`,
  "failed-early": {
    title: "Failed before any step ran",
    detail: (msg: string) => `The build stopped before running a Dockerfile step: ${msg}`,
    fix: null,
  },
  unreadable: {
    title: "Not a Docker build log",
    detail: () =>
      `Cachescope could not read this as the output of docker build / docker buildx build (plain, rawjson or legacy); see the message next to the log.`,
  },
  "no-steps": {
    title: "No Dockerfile steps found",
    detail: () => `The log holds no Dockerfile step vertices, so there is nothing to explain.`,
    fix: null,
  },
} as const;
