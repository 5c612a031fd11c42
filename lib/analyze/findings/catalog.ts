import type { RuleId } from "./types";

/**
 * The one catalog of finding texts (the arethetypeswrong pattern). Rules never write prose of
 * their own: they fill these templates with the concrete file, arg, stage and line, so the CLI,
 * the Markdown comment and the web app all say the same thing.
 *
 * Placeholders are `{name}`; optional clauses (`{costNote}`, …) are given as "" when they do not
 * apply. `title` is the short heading for lists.
 */
export interface FindingText {
  title: string;
  why: string;
  fix: string;
}

export type TemplateParams = Record<string, string | number | null | undefined>;

export const findingTexts = {
  "copy-context-before-install": {
    title: "Whole build context copied before the dependency install",
    why: "`{copy}` (line {copyLine}) copies the whole build context before `{install}` (line {installLine}), so any change to any file re-runs the {tool} install{costNote}.",
    fix: "Copy only the dependency manifests ({manifests}) first, install, then copy the rest:",
  },
  "volatile-arg-early": {
    title: "Volatile build arg declared early",
    why: "`ARG {arg}` (line {line}) {looks}. A declared ARG is in the environment of every later RUN of stage `{stage}`, so each new value re-runs line {firstUse} and {after}{costNote}.",
    fix: "Declare `ARG {arg}` right before {where}, so a new value only re-runs the steps from there on:",
  },
  "secret-in-build-arg": {
    title: "Secret passed as a build arg or ENV",
    why: "{subject} {evidence}. {leak}",
    fix: "Pass it as a build secret, which is never stored in the image or its history: `docker buildx build --secret id={id},env={name} …` and mount it only in the RUN that needs it:",
  },
  "copy-from-cache-mount": {
    title: "COPY --from reads a path inside a cache mount",
    why: "`{copy}` (line {line}) copies `{path}` from stage `{stage}`, but that path lies inside the cache mount `{target}` of the RUN on line {runLine}. Cache mounts are not part of the layer, so the file is missing there or is a stale copy left by an earlier layer.{logNote}",
    fix: "Copy the artifact out of the mount in the same RUN, then COPY it from there:",
  },
  "apt-update-separate-run": {
    title: "Package index update in its own RUN",
    why: "`{update}` runs on its own on line {line} and `{install}` on line {installLine}. Once the update step is CACHED, later installs use an old package index and fail or install outdated packages when the mirror moves on.",
    fix: "Update and install in one RUN:",
  },
  "package-install-without-cache-mount": {
    title: "Package install without a cache mount",
    why: "`{command}` (line {line}) downloads {tool} packages with no cache mount, so every rebuild of this step downloads all of them again{costNote}.",
    fix: "Keep the {tool} download cache between builds with a cache mount (it never invalidates the step and is not shipped in the image){note}:",
  },
  "add-remote-url": {
    title: "ADD of a remote URL",
    why: "`{add}` (line {line}) fetches a remote {what} that BuildKit checks again on every build; whenever the remote content changes, this step and everything after it rebuild, and the build is not reproducible{costNote}.",
    fix: "Pin what is downloaded: {how}",
  },
  "large-context-no-dockerignore": {
    title: "Large build context",
    why: "The build context sent to the builder was {size}{ignoreNote}. Every build transfers it{timeNote}, and a broad COPY takes all of it, so changes to files the image does not need (`.git`, `node_modules`, build outputs) bust the cache.",
    fix: "Add a `.dockerignore` next to the Dockerfile that leaves out what the image does not need, for example:",
  },
  "no-external-cache-in-ci": {
    title: "Every step rebuilt in CI without a build cache",
    why: "This {ci} build rebuilt all {count} steps ({seconds}) and imported no build cache: CI runners start with an empty builder, so nothing can be CACHED.",
    fix: "Export the cache from every build and import it in the next one (`mode=max` also keeps the builder stages), for example:",
  },
  "stages-could-run-parallel": {
    title: "Stages chained that could build in parallel",
    why: "Stage `{stage}` (line {line}) is built `FROM {parent}`, {reason}. BuildKit builds independent stages in parallel, but this chain makes `{stage}` wait for `{parent}`{costNote}.",
    fix: "Start `{stage}` from `{base}` instead, so both stages build at the same time:",
  },
  "unpinned-base-image": {
    title: "Base image not pinned",
    why: "`FROM {image}` ({line}) {state}, so the image it resolves to changes whenever the tag is pushed again; that rebuilds every step of {stage} with no change of yours{costNote}.",
    fix: "Pin a version tag and its digest, and update them on purpose (e.g. with Renovate or Dependabot):",
  },
  "deleted-file-still-shipped": {
    title: "Files deleted in a later layer still ship",
    why: "Line {line} deletes `{path}`, which line {addLine} put into an earlier layer. Deleting in a later layer only hides files: they still ship in that layer{sizeNote}, and every pull downloads them.",
    fix: "Delete the files in the same RUN that creates them, or produce them in a separate stage and COPY only the result:",
  },
  "changed-files-not-needed": {
    title: "Changed files the image does not need broke the cache",
    why: "{story}{keptNote}",
    fix: "Leave them out of the build context in `.dockerignore`{caveat}:",
  },
} as const satisfies Record<RuleId, FindingText>;

/** Fills `{name}` placeholders; unknown names are left as they are (the tests catch them). */
export function fill(template: string, params: TemplateParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    return v == null ? whole : String(v);
  });
}
