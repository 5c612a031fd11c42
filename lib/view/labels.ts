/**
 * Short labels for report enums, shared by every web view. The explanations and fixes themselves
 * come from the engine's report (one catalog, no prose in JSX); these are only names.
 */
import type { CauseCode, Finding, StepStatus } from "../model/report";

export const STATUS_LABEL = {
  cached: "CACHED",
  rebuilt: "REBUILT",
  error: "ERROR",
  canceled: "CANCELED",
  unfinished: "UNFINISHED",
  "not-run": "NOT RUN",
} as const satisfies Record<StepStatus, string>;

export const STATUS_ORDER = ["rebuilt", "error", "cached", "canceled", "unfinished", "not-run"] as const satisfies readonly StepStatus[];

export const CAUSE_LABEL = {
  "context-changed": "Build context changed",
  "instruction-changed": "Instruction changed",
  "build-arg-changed": "Build argument changed",
  "base-image-changed": "Base image changed",
  "source-stage-changed": "Source stage changed",
  "parent-rebuilt": "Invalidated by an earlier step",
  "no-cache": "Cache disabled (--no-cache)",
  "cold-cache": "Cold cache",
  "cache-import-failed": "Cache import failed",
  "remote-source": "Remote source",
  "cache-evicted": "Cache evicted",
  unknown: "Unknown cause",
} as const satisfies Record<CauseCode, string>;

export const SEVERITY_LABEL = {
  error: "ERROR",
  warning: "WARNING",
  info: "INFO",
} as const satisfies Record<Finding["severity"], string>;

export const BUILD_STATUS_LABEL = {
  success: "SUCCESS",
  failed: "FAILED",
  canceled: "CANCELED",
  incomplete: "INCOMPLETE",
} as const;
