/**
 * Short labels used by the renderers (text, Markdown, Mermaid, SVG). Cause labels come from the
 * engine's one catalog; these are only names for enums, never explanations.
 */
import { causeLabels } from "../analyze/catalog";
import { STATUS_LABEL } from "../view/labels";
import type { CauseCode, Finding, Report, StepStatus } from "../model/report";

export { causeLabels };

export function causeLabel(code: CauseCode): string {
  return causeLabels[code] ?? code;
}

/** Step status words, shared with the web views. */
export const STATUS_WORD: Record<StepStatus, string> = STATUS_LABEL;

export const BUILD_STATUS_WORD = {
  success: "Success",
  failed: "Failed",
  canceled: "Canceled",
  incomplete: "Incomplete",
} as const satisfies Record<Report["build"]["status"], string>;

export const BUILD_STATUS_EMOJI = {
  success: "✅",
  failed: "❌",
  canceled: "⏹️",
  incomplete: "⚠️",
} as const satisfies Record<Report["build"]["status"], string>;

export const SEVERITY_WORD = {
  error: "error",
  warning: "warning",
  info: "info",
} as const satisfies Record<Finding["severity"], string>;

export const SEVERITY_EMOJI = {
  error: "🛑",
  warning: "⚠️",
  info: "ℹ️",
} as const satisfies Record<Finding["severity"], string>;
