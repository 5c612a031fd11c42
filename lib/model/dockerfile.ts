import type { Diagnostic } from "./diagnostics";

/** Plain, serialisable view of a Dockerfile (adapted from dockerfile-ast). All lines are 1-based. */
export interface DockerfileModel {
  /** `# syntax=` directive value, if any. */
  syntax: string | null;
  /** Escape character from the `# escape=` directive (default "\\"). */
  escapeChar: string;
  /** ARGs declared before the first FROM. */
  globalArgs: ArgDeclaration[];
  stages: DockerfileStage[];
  /** Stage dependency edges (FROM <stage>, COPY --from, RUN --mount=from=). */
  edges: StageEdge[];
  lineCount: number;
  diagnostics: Diagnostic[];
  /**
   * (added) False when BuildKit prints steps as `[i/n]` with no stage token: one stage and no
   * COPY --from / RUN --mount from= naming an image (those add a hidden stage, see build-log-formats §2.4).
   */
  stageTokenInLog?: boolean;
}

export interface ArgDeclaration {
  name: string;
  /** Default value as written, null when none. */
  defaultValue: string | null;
  line: number;
  /** Line of the first instruction in scope that expands or is affected by this ARG (RUN gets every ARG in scope). */
  firstUseLine: number | null;
}

export interface DockerfileStage {
  index: number;
  /** Name from `AS name` (lowercased as BuildKit does), null when unnamed. */
  name: string | null;
  /** name ?? `stage-${index}` — the label BuildKit prints. */
  label: string;
  /** Line of the FROM instruction; endLine is the last line of the stage. */
  line: number;
  endLine: number;
  base: StageBase;
  platform: string | null;
  /** ARGs declared inside the stage (including re-declared globals). */
  args: ArgDeclaration[];
  instructions: DockerfileInstruction[];
  /** BuildKit's n in `[stage i/n]`: 1 for FROM <external image> + RUN/COPY/ADD/WORKDIR. */
  stepCount: number;
}

export interface StageBase {
  kind: "image" | "stage" | "scratch";
  /** As written after FROM (variables unexpanded). */
  raw: string;
  /** With ARG defaults expanded. */
  ref: string;
  /** For kind "stage": the index of the parent stage. */
  stageIndex: number | null;
  /** `@sha256:…` when pinned by digest. */
  digest: string | null;
  /** Tag part, null when none (which means `latest`). */
  tag: string | null;
  /** (added) For kind "image": the ref as BuildKit names it, `docker.io/library/node:20` (no resolved digest). */
  normalized?: string | null;
}

export type MountType = "cache" | "secret" | "bind" | "ssh" | "tmpfs";

export interface RunMount {
  type: MountType;
  target: string | null;
  /** Stage name / index / image for `from=`. */
  from: string | null;
  source: string | null;
  id: string | null;
  /** Any other options (sharing, mode, uid, env, required…), as written. */
  options: Record<string, string>;
}

export interface InstructionFlag {
  name: string;
  value: string | null;
}

export interface DockerfileInstruction {
  /** Upper-case keyword: FROM, RUN, COPY, ADD, WORKDIR, ENV, ARG, … (ONBUILD kept as ONBUILD). */
  keyword: string;
  /** Text as BuildKit names the vertex: continuations joined, comment lines dropped, keyword upper-cased. */
  text: string;
  /** Text exactly as in the file, lines included. */
  raw: string;
  line: number;
  endLine: number;
  flags: InstructionFlag[];
  /** Arguments after flags (for COPY/ADD: sources then destination; for ENV/ARG/LABEL the raw args). */
  args: string[];
  /** `--from` of COPY/ADD, null otherwise. */
  copyFrom: string | null;
  mounts: RunMount[];
  link: boolean;
  chown: string | null;
  chmod: string | null;
  heredocs: { delimiter: string; line: number; endLine: number }[];
  /** Variable names referenced ($X / ${X}) in the instruction. */
  variables: string[];
  /** For ENV/ARG: the declared names and values. */
  declares: { name: string; value: string | null }[];
  /** BuildKit's i in `[stage i/n]` when this instruction becomes a vertex, else null. */
  position: number | null;
  /** (added) Index of the stage the instruction belongs to; absent for instructions before the first FROM. */
  stageIndex?: number;
  /**
   * (added) For vertex instructions: `text` before variable expansion. `text` expands the ARG/ENV
   * values the file itself sets; a --build-arg or the base image's ENV can make the log differ, so
   * match with instructionTextMatches() from lib/parse/dockerfile.ts.
   */
  unexpandedText?: string;
}

export interface StageEdge {
  /** Stage index the dependency comes from; null for an external image. */
  fromStage: number | null;
  /** External image ref when fromStage is null. */
  fromImage: string | null;
  toStage: number;
  kind: "from" | "copy-from" | "mount-from";
  line: number;
}
