import type { DockerfileModel } from "../model/dockerfile";
import type { LogBuild, ParsedLog } from "../model/log";
import type { LayerInfo, ReportStage, ReportStep } from "../model/report";
import type { Diagnostic } from "../model/diagnostics";

/** Everything the engine accepts. Text only: the CLI and the browser read files themselves. */
export interface AnalyzeInput {
  log: string | Uint8Array;
  dockerfile?: string | null;
  previousLog?: string | Uint8Array | null;
  previousDockerfile?: string | null;
  /** docker history JSON lines, docker image inspect, image config, OCI manifest or index JSON. */
  image?: string | null;
  /** 1-based build inside the log; default the last one. */
  build?: number | null;
  /** Changed files, one context-relative path a line (e.g. `git diff --name-only`); null when unknown. */
  changedFiles?: string | null;
}

/** Parsed image metadata (lib/parse/image.ts). */
export interface ImageMetadata {
  kind: "history" | "inspect" | "config" | "manifest" | "index" | "dive";
  /** Layers bottom (base) first, with their history entries. */
  entries: ImageHistoryEntry[];
  /** Total size when the input states it. */
  totalBytes: number | null;
  diagnostics: Diagnostic[];
  /** (added) Image id / config digest when the input states it. */
  imageId?: string | null;
  /** (added) For kind "index": the platform manifest chosen (linux/amd64, else the first non-attestation one). */
  chosenManifest?: { digest: string; platform: string | null } | null;
}

export interface ImageHistoryEntry {
  createdBy: string;
  created: string | null;
  /** Uncompressed (history) or compressed (manifest) bytes; 0 for metadata entries; null when unknown. */
  sizeBytes: number | null;
  emptyLayer: boolean;
  comment: string | null;
  /** Files listed for this layer when the input has them (dive). */
  files?: { path: string; sizeBytes: number }[];
  /** (added) Layer digest when the input states it: diff id (inspect/config) or blob digest (manifest, dive). */
  digest?: string | null;
}

/** What findings rules and the explainer see: the joined model. */
export interface AnalysisContext {
  dockerfile: DockerfileModel | null;
  log: ParsedLog;
  build: LogBuild;
  stages: ReportStage[];
  steps: ReportStep[];
  layers: LayerInfo[] | null;
  image: ImageMetadata | null;
}
