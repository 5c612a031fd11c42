import type { Diagnostic } from "./diagnostics";

/** What the log parsers return: plain data, never thrown errors. */
export interface ParsedLog {
  format: LogFormat;
  /** CI wrapper(s) removed before parsing. */
  wrapper: LogWrapper;
  encoding: "utf-8" | "utf-16le" | "utf-16be";
  /** Builds in the log in order; plain logs split at `#0 building with`, legacy at `Step 1/`. */
  builds: LogBuild[];
  /** Total lines in the decoded input. */
  lineCount: number;
  diagnostics: Diagnostic[];
}

export type LogFormat = "plain" | "rawjson" | "legacy" | "record" | "unknown";
export type LogWrapper = "none" | "github-actions" | "gitea-actions" | "gitlab" | "render" | "go-log" | "timestamps";

export type VertexStatus = "cached" | "done" | "error" | "canceled" | "running";

export type VertexKind =
  | "step" // a Dockerfile instruction: name has `[... i/n]` (or legacy `Step i/n`)
  | "image" // unlabelled `FROM docker.io/...` (COPY --from=<image> source) or frontend image
  | "internal" // [internal] …, resolve image config…
  | "auth"
  | "cache-import"
  | "cache-export"
  | "export"
  | "other";

/** Parsed `[platform target stage i/n] TEXT` label. */
export interface StepLabel {
  platform: string | null;
  /** bake/compose target prefix, when present. */
  target: string | null;
  /** Stage label as printed (`builder`, `stage-1`), null for a one-stage `[1/5]`. */
  stage: string | null;
  position: number;
  of: number;
  /** Instruction text after the bracket, verbatim. */
  text: string;
  /** Upper-case first word of text (FROM, RUN, COPY, ADD, WORKDIR, ONBUILD, LINK…). */
  instruction: string;
}

export interface LogLine {
  /** Seconds since the vertex's run started as printed (`#9 1.234 text`), null when none. */
  t: number | null;
  text: string;
}

export interface LogVertex {
  /** As printed: "#9", rawjson digest, or "Step 3/9" for legacy. `#***` stays as printed. */
  id: string;
  /** Vertex number for plain logs, null otherwise. */
  number: number | null;
  name: string;
  kind: VertexKind;
  label: StepLabel | null;
  /** Legacy builder: `Step i/n` numbers (n counts every instruction). */
  legacyStep: { index: number; of: number } | null;
  status: VertexStatus;
  /** From `DONE 12.3s` (last one), or rawjson merged intervals. Null when unknown. */
  durationSeconds: number | null;
  /** Exact seconds from build start (rawjson, timestamped CI logs), null when unknown. */
  startSeconds: number | null;
  endSeconds: number | null;
  /** `#N sha256:` (old form) or rawjson digest. */
  digest: string | null;
  /** rawjson: input digests. */
  inputs: string[];
  /** Error text from `#N ERROR: …` / rawjson error / legacy failure. */
  error: string | null;
  /** Last output lines (at most OUTPUT_TAIL_LINES), and how many there were in all. */
  output: LogLine[];
  outputLineCount: number;
  /** Bytes of base-image layers downloaded by this vertex (sum of `x / total` status lines). */
  pulledBytes: number;
  /** `transferring context: 1.52MB` etc. */
  transferredBytes: number | null;
  /** Layer digests pulled, when visible. */
  pulledLayers: { digest: string; bytes: number }[];
  warnings: string[];
  /** 1-based line in the decoded log of the first header of this vertex, and of its last line. */
  line: number;
  lastLine: number;
  /** Number of times the header was printed (resumptions). */
  headerCount: number;
  /** True when `#A ...` followed by another header proved overlap with another vertex. */
  interrupted: boolean;
  /**
   * Other names printed for the same vertex id, in order of first appearance (compose/bake print a
   * vertex shared by two targets under each target's label, corpus 010). `name` is the first one.
   */
  otherNames?: string[];
}

export const OUTPUT_TAIL_LINES = 40;

export interface CacheImport {
  ref: string;
  status: "ok" | "not-found" | "error" | "unknown";
  message: string | null;
  line: number;
}

export interface LogBuild {
  /** 1-based index in the log. */
  index: number;
  line: number;
  lastLine: number;
  /** From `#0 building with "default" instance using docker driver`. */
  builder: { name: string; driver: string } | null;
  vertices: LogVertex[];
  outcome: "success" | "failed" | "canceled" | "incomplete";
  /** Final `ERROR: …` line text (or legacy failure), null when none. */
  errorMessage: string | null;
  errorLine: number | null;
  /** `[internal] load build context` transfer size. */
  contextTransferBytes: number | null;
  cacheImports: CacheImport[];
  cacheExports: { kind: string; line: number }[];
  /** Build-level warnings (summary items, WARNING: lines). */
  warnings: { message: string; line: number }[];
  /** Seconds between first start and last end when exact times exist, else sum heuristics (null when unknown). */
  durationSeconds: number | null;
  timing: "exact" | "estimated";
  /** Absolute start (ISO) when known from rawjson / CI timestamps. */
  startedAt: string | null;
  /** Command-line hints seen in the log (CI echoes like `docker buildx build --no-cache …`). */
  command: { text: string; noCache: boolean; cacheFrom: string[]; cacheTo: string[]; buildArgs: Record<string, string> } | null;
  /** Legacy: `Sending build context to Docker daemon  4.096kB`. */
  legacy: boolean;
  /** Dockerfile location of the failure, from the `Dockerfile:7` excerpt header printed before `ERROR:`. */
  errorSource?: { file: string; line: number };
}

/** A build with nothing in it: what a log with no build parses to. */
export function emptyLogBuild(): LogBuild {
  return {
    index: 1,
    line: 1,
    lastLine: 1,
    builder: null,
    vertices: [],
    outcome: "incomplete",
    errorMessage: null,
    errorLine: null,
    contextTransferBytes: null,
    cacheImports: [],
    cacheExports: [],
    warnings: [],
    durationSeconds: null,
    timing: "estimated",
    startedAt: null,
    command: null,
    legacy: false,
  };
}
