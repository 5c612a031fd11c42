/**
 * The record digest: Cachescope's own compact, versioned, plain-data form of one or more build
 * records. It is what the web app keeps (log input, permalink, stored link) instead of the raw
 * bundle, so it holds only what the views and compare mode need — no stack traces, no local paths,
 * no exporter responses. Secret-named build args keep a fingerprint, never a value.
 */
export const DIGEST_VERSION = 1;

export interface RecordDigest {
  cachescopeRecord: typeof DIGEST_VERSION;
  /** What the digest was read from. */
  source: "bundle" | "inspect-json" | "metadata-json";
  /** Oldest first (the order of CreatedAt); the last one is "the latest build". */
  records: DigestRecord[];
}

export interface DigestBuildArg {
  name: string;
  /** null when the name looks secret (`secret: true`): only `fingerprint` is kept. */
  value: string | null;
  secret: boolean;
  /** FNV-1a 64 of the value, for secret-named args only: tells "changed" without the value. */
  fingerprint: string | null;
}

export interface DigestAttrs {
  filename: string | null;
  target: string | null;
  buildArgs: DigestBuildArg[];
  /** `--no-cache` (the `no-cache` attribute with an empty value). */
  noCache: boolean;
  /** `--no-cache-filter` stages. */
  noCacheFilter: string[];
  /** `--build-context NAME=…`: the attribute value with local paths cut to their last segment. */
  namedContexts: { name: string; value: string }[];
  /** Network mode when not default. */
  network: string | null;
  platform: string | null;
}

export interface DigestVertex {
  digest: string;
  name: string;
  inputs: string[];
  cached: boolean;
  error: string | null;
  group: { id: string; name: string; weak: boolean } | null;
  /** Run intervals: [start, end] epoch seconds (end null while open). */
  intervals: [number, number | null][];
  /** Last output lines: [epoch seconds | null, text]. */
  logs: [number | null, string][];
  logLineCount: number;
  contextBytes: number | null;
  pulledBytes: number | null;
}

export interface DigestWarning {
  vertex: string | null;
  rule: string | null;
  message: string;
  detail: string[];
  url: string | null;
  line: number | null;
  endLine: number | null;
}

/** What one LLB op does, reduced to what decides its cache key (compare by content). */
export type OpSummary =
  | { kind: "source"; identifier: string; attrs: Record<string, string> }
  | { kind: "exec"; args: string[]; env: string[]; cwd: string | null; user: string | null; network: string | null; mounts: MountSummary[] }
  | { kind: "file"; actions: FileActionSummary[] }
  | { kind: "merge" | "diff" | "build" | "other" };

export interface MountSummary {
  dest: string;
  type: string;
  /** Which op input feeds the mount (index into `inputs`), null for scratch/secret/cache. */
  input: number | null;
  selector: string | null;
  readonly: boolean;
  cacheId: string | null;
}

export type FileActionSummary =
  | { type: "copy"; src: string; dest: string; input: number | null; secondary: number | null }
  | { type: "mkdir"; path: string; input: number | null }
  | { type: "mkfile"; path: string; input: number | null; dataHash: string }
  | { type: "rm"; path: string; input: number | null }
  | { type: "symlink" | "other"; input: number | null };

export interface DigestOp {
  /** `stepN` as in the provenance definition. */
  id: string;
  op: OpSummary;
  /** Input op ids (`stepN`), in order. */
  inputs: string[];
  /** Dockerfile line ranges [start, end] (1-based); a merged op has several. */
  lines: [number, number][];
  /** Output layer digest (the top layer of output 0), when the provenance lists layers. */
  layer: string | null;
}

export interface DigestRecord {
  ref: string;
  name: string | null;
  createdAt: string | null;
  completedAt: string | null;
  status: "success" | "failed" | "canceled" | "incomplete";
  error: { message: string; exitCode: number | null; line: number | null; vertex: string | null } | null;
  attrs: DigestAttrs;
  counts: { cached: number | null; total: number | null; completed: number | null; warnings: number | null };
  vertices: DigestVertex[];
  warnings: DigestWarning[];
  dockerfile: { filename: string; text: string } | null;
  /** LLB ops by id, and vertex digest → op id (the provenance `digestMapping`). */
  ops: DigestOp[];
  vertexOps: Record<string, string>;
  materials: { uri: string; digest: string | null }[];
  provenance: "v0.2" | "v1" | null;
  /** Things this record lacks or could not be read (shown as diagnostics). */
  notes: string[];
}
