import type { Diagnostic } from "./diagnostics";
import type { LogFormat, LogWrapper } from "./log";

/**
 * The JSON report, schemaVersion 1 (shared/docs/report-format.md). Fields may be added; the ones
 * named in the contract keep their names and meaning. This is the single source for the CLI text,
 * the Markdown comment, the SVG card and every web view.
 */
export interface Report {
  schemaVersion: 1;
  input: ReportInput;
  build: ReportBuild;
  stages: ReportStage[];
  steps: ReportStep[];
  summary: ReportSummary;
  findings: Finding[];
  /** Root causes ordered by cost, most expensive first (added field). */
  rootCauses: RootCause[];
  /** Build-level diagnosis: fully cached / cold / no-cache / cache import failed (added field). */
  diagnosis: BuildDiagnosis;
  /** Compare mode result, null without a previous build (added field). */
  comparison: Comparison | null;
  /** Layer sizes from image metadata, null without it (added field). */
  layers: LayerInfo[] | null;
  /** Non-step vertices worth showing: context transfer, cache import/export, exporters (added field). */
  otherVertices: OtherVertex[];
  /** The changed files given (`--changed-files`, or `cachescope build`'s context fingerprint) and
   *  what became of them; null without a list (added field). */
  changedFiles?: ChangedFilesSummary | null;
  /** Build checks (BuildKit lint warnings: `WARN:` lines, the "N warnings found" trailer, record warnings) (added field). */
  checks: BuildCheck[];
  /** Build records only (added field): one entry per build of a multi-record bundle, oldest first; null otherwise. */
  history: HistoryEntry[] | null;
  /** Build records only (added field): what the record says about the analysed build; null for logs. */
  record: RecordInfo | null;
  diagnostics: Diagnostic[];
}

/** One build of a build-record history (`docker buildx history export --all`). */
export interface HistoryEntry {
  /** 1-based, oldest first (the `--build` number). */
  index: number;
  ref: string;
  name: string | null;
  /** ISO time the build started, null when the record does not say. */
  createdAt: string | null;
  status: "success" | "failed" | "canceled" | "incomplete";
  durationSeconds: number | null;
  steps: number;
  cached: number;
  rebuilt: number;
  cacheHitRatio: number | null;
  rebuiltSeconds: number;
  /** Steps counted for the cache (a FROM that only resolved its image is not) and how many of them re-ran (rebuilt, failed or canceled): the summary's "N of M steps re-ran". */
  counted: number;
  reran: number;
  /** The build this one is compared with (the latest earlier build of the same project), null for none. */
  previousIndex: number | null;
  /** Steps whose status changed from that build (empty without one). */
  flipped: { id: string; text: string; before: StepStatus | "absent"; after: StepStatus; cause: CauseCode | null; evidence: Evidence | null }[];
  /** This build's root causes (vs the build before), most expensive first. */
  rootCauses: { step: string; text: string; line: number | null; cause: CauseCode; evidence: Evidence; costSeconds: number }[];
}

/** The basics of the analysed build's record. Build-arg values are dropped by the share layer. */
export interface RecordInfo {
  ref: string;
  name: string | null;
  createdAt: string | null;
  target: string | null;
  filename: string | null;
  /** `secret: true` for secret-named args: `value` is then always null. */
  buildArgs: { name: string; value: string | null; secret: boolean }[];
  noCache: boolean;
  noCacheFilter: string[];
  namedContexts: { name: string; value: string }[];
  /** Base images and other resolved inputs, with their digests. */
  materials: { uri: string; digest: string | null }[];
  /** "v0.2" / "v1", null when the record has no provenance (then op contents are unknown). */
  provenance: "v0.2" | "v1" | null;
  /** The record compared against (compare mode), null without one. */
  previousRef: string | null;
}

export type StepStatus = "cached" | "rebuilt" | "error" | "canceled" | "unfinished" | "not-run";

export type CauseCode =
  | "context-changed"
  | "instruction-changed"
  | "build-arg-changed"
  | "base-image-changed"
  | "source-stage-changed"
  | "parent-rebuilt"
  | "no-cache"
  | "cold-cache"
  | "cache-import-failed"
  | "remote-source"
  | "cache-evicted"
  | "unknown";

/**
 * How sure a cause is. exact: an input names it (a Dockerfile diff, a changed build-arg value, a base
 * digest change, a record attribute, a changed-files list); inferred: BuildKit semantics make it the
 * only fit for what this log shows; candidates: the inputs cannot decide (`candidates` lists them in
 * order and `decidedBy` says what would decide).
 */
export type Evidence = "exact" | "inferred" | "candidates";

export interface ReportInput {
  logFormat: LogFormat;
  wrapper: LogWrapper;
  hasDockerfile: boolean;
  buildsInLog: number;
  /** Which build of the log this report is for (1-based). */
  build: number;
  hasPreviousLog: boolean;
  hasPreviousDockerfile: boolean;
  hasImage: boolean;
}

export interface ReportBuild {
  status: "success" | "failed" | "canceled" | "incomplete";
  durationSeconds: number | null;
  timing: "exact" | "estimated";
  errorMessage: string | null;
  contextTransferBytes: number | null;
  builder: string | null;
}

export interface ReportStage {
  index: number;
  name: string;
  /** FROM line, null without a Dockerfile. */
  line: number | null;
  /** Base image ref or parent stage name; null when unknown. */
  base: string | null;
  baseKind: "image" | "stage" | "scratch" | "unknown";
  /** Stage indices this stage needs (FROM, COPY --from, RUN --mount=from). */
  dependsOn: number[];
  /** External images this stage copies or mounts from (COPY --from=<image>). */
  externalSources: string[];
  platform: string | null;
  /** False when no step of the stage appears in the log (not needed by the target). */
  used: boolean;
  /** Steps of this stage on the critical path exist. */
  onCriticalPath: boolean;
  counts: { cached: number; rebuilt: number; error: number; other: number };
  edges: { fromStage: number | null; fromImage: string | null; kind: "from" | "copy-from" | "mount-from"; line: number | null }[];
}

export interface ReportStep {
  stageIndex: number;
  stage: string;
  position: number;
  of: number;
  /** "<stageIndex>:<position>" — the id used by the DOM contract and rootStep. */
  id: string;
  vertex: string | null;
  instruction: string;
  text: string;
  line: number | null;
  endLine: number | null;
  status: StepStatus;
  durationSeconds: number | null;
  startSeconds: number | null;
  endSeconds: number | null;
  sizeBytes: number | null;
  miss: Miss | null;
  /** Why a step is not-run / how a FROM resolved, etc. */
  note: string | null;
  onCriticalPath: boolean;
  /** Bytes pulled by a FROM step. */
  pulledBytes: number | null;
  error: string | null;
  /** Last output lines kept for the views. */
  output: string[];
  outputLineCount: number;
  /** Log line of the vertex header, for "show in log". */
  logLine: number | null;
}

export interface Miss {
  cause: CauseCode;
  rootCause: boolean;
  rootStep: string;
  candidates: CauseCode[];
  costSeconds: number | null;
  explanation: string;
  fix: string | null;
  /** What extra input would decide between candidates (null when decided). */
  decideWith: string | null;
  /** Exact (compare mode) or inferred from one log. Kept for older readers; `evidence` is the grade. */
  certainty: "exact" | "inferred";
  /** The evidence grade of `cause` (report contract `miss.evidence`). */
  evidence: Evidence;
  /** What decided the cause, or (evidence "candidates") what input would decide it. */
  decidedBy: string | null;
  /** Changed files (context-relative) this step copies or mounts, after .dockerignore; [] when none
   *  of the changed files reach it; null when the changed files are unknown. */
  changedFiles: string[] | null;
}

export interface RootCause {
  rootStep: string;
  cause: CauseCode;
  costSeconds: number;
  /** Steps (ids) it invalidated, root included. */
  steps: string[];
  explanation: string;
  fix: string | null;
  evidence: Evidence;
  changedFiles: string[] | null;
}

export interface BuildDiagnosis {
  kind: "fully-cached" | "partial" | "cold-cache" | "no-cache" | "cache-import-failed" | "failed-early" | "no-steps";
  title: string;
  detail: string;
  fix: string | null;
  /** How sure the headline's cache story is; null when there is no cache story (fully cached, no steps). */
  evidence: Evidence | null;
  /** Set when the build failed or was canceled: the headline leads with it, before any cache story. */
  failure: BuildFailure | null;
}

export interface BuildFailure {
  /** Step id ("<stageIndex>:<position>") of the failing step; null when the failure is not a step's
   *  (a lint failure, a failed base-image resolve, an internal vertex). */
  step: string | null;
  /** The failing step's instruction text, or the failing vertex's name. */
  text: string;
  line: number | null;
  exitCode: number | null;
  /** The error as BuildKit states it (e.g. `process "/bin/sh -c make" did not complete successfully: exit code: 2`). */
  message: string;
  /** The failing step's last output lines (at most 10). */
  lastLines: string[];
  /** Steps canceled because of the failure, with how long each had run. */
  canceled: { step: string; ranSeconds: number | null }[];
}

export interface ChangedFilesSummary {
  /** "list": a list given by the person (git diff); "fingerprint": cachescope build's context fingerprint. */
  source: "list" | "fingerprint";
  /** Every listed path, normalised (context-relative, `/`-separated), in input order. */
  listed: string[];
  /** Listed paths the ignore file leaves out of the context: BuildKit never saw them change. */
  ignored: string[];
  /** Listed paths sent to the builder that no rebuilt step copies or mounts: they did not matter. */
  unused: string[];
  /** An ignore file (`.dockerignore` / `<Dockerfile>.dockerignore`) was applied. */
  ignoreFile: boolean;
}

export interface BuildCheck {
  rule: string;
  message: string;
  line: number | null;
  url: string | null;
}

export interface ReportSummary {
  steps: number;
  cached: number;
  rebuilt: number;
  errors: number;
  /** cached / (cached + rebuilt), FROM steps excluded (a FROM that resolves locally is not a miss). */
  cacheHitRatio: number | null;
  rebuiltSeconds: number;
  criticalPathSeconds: number | null;
  notRun: number;
  canceled: number;
  unfinished: number;
}

export interface Finding {
  rule: string;
  severity: "error" | "warning" | "info";
  line: number | null;
  message: string;
  fix: string;
  /** Step ids involved. */
  steps: string[];
  /** Seconds this cost in this build, when the log shows it. */
  costSeconds: number | null;
}

export interface Comparison {
  /** Steps whose status flipped between the previous and this build. */
  flipped: { id: string; text: string; before: StepStatus | "absent"; after: StepStatus }[];
  /** Dockerfile text changes by line. */
  dockerfileChanges: { kind: "added" | "removed" | "changed"; line: number | null; previousLine: number | null; before: string | null; after: string | null }[];
  buildArgChanges: { name: string; before: string | null; after: string | null }[];
  baseImageChanges: { image: string; before: string | null; after: string | null }[];
  durationDeltas: { id: string; text: string; beforeSeconds: number | null; afterSeconds: number | null }[];
  previousDurationSeconds: number | null;
}

export interface LayerInfo {
  index: number;
  createdBy: string;
  sizeBytes: number;
  emptyLayer: boolean;
  /** Step id this layer maps to, null for base-image layers or unmatched ones. */
  step: string | null;
  fromBaseImage: boolean;
}

export interface OtherVertex {
  vertex: string;
  name: string;
  kind: string;
  status: string;
  durationSeconds: number | null;
  startSeconds: number | null;
  endSeconds: number | null;
}
