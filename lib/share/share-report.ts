/**
 * The report a person may share: analysed from REDACTED inputs, then every string of the report
 * scrubbed of any known secret value and rule match (belt and braces), so the Markdown comment,
 * the JSON download, the text and the SVG card cannot carry a secret from the log or Dockerfile
 * (step names carry expanded build args). Pure.
 */
import { analyze } from "../analyze/index";
import type { Report } from "../model/report";
import { mergeRedactions, redactInputs, scrubReport, type KnownSecret, type Redaction } from "./redact";

export interface SharableInputs {
  log: string;
  dockerfile?: string | null;
  previousLog?: string | null;
  previousDockerfile?: string | null;
  image?: string | null;
  build?: number | null;
  /** Changed-files list and ignore file: paths only, passed through unredacted (H-files). */
  changedFiles?: string | null;
  changedFilesSource?: "list" | "fingerprint" | null;
  dockerignore?: string | null;
}

export interface SharableReport {
  report: Report;
  /** Everything removed: from the inputs, and anything the report scrub still found. */
  redactions: Redaction[];
  /** Secret values known (for scrubbing other texts made from this report). */
  known: KnownSecret[];
}

export function analyzeForSharing(inputs: SharableInputs): SharableReport {
  const { inputs: clean, redactions, known } = redactInputs({
    log: inputs.log,
    dockerfile: inputs.dockerfile ?? null,
    previousLog: inputs.previousLog ?? null,
    previousDockerfile: inputs.previousDockerfile ?? null,
    image: inputs.image ?? null,
  });
  const raw = analyze({
    log: clean.log ?? "",
    dockerfile: clean.dockerfile || null,
    previousLog: clean.previousLog || null,
    previousDockerfile: clean.previousDockerfile || null,
    image: clean.image || null,
    build: inputs.build ?? null,
    changedFiles: inputs.changedFiles ?? null,
    changedFilesSource: inputs.changedFilesSource ?? null,
    dockerignore: inputs.dockerignore ?? null,
  });
  const scrubbed = scrubReport(raw, known);
  return { report: scrubbed.report, redactions: mergeRedactions(redactions, scrubbed.redactions), known };
}

/** A report made elsewhere (the page's own) scrubbed for sharing with the inputs' known secrets. */
export function scrubForSharing(report: Report, known: KnownSecret[]): { report: Report; redactions: Redaction[] } {
  return scrubReport(report, known);
}
