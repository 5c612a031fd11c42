/**
 * The report a person may share: analysed from REDACTED inputs, so the Markdown comment, the JSON
 * download and the SVG card cannot contain a secret from the log or Dockerfile (step names carry
 * expanded build args). Pure.
 */
import { analyze } from "../analyze/index";
import type { Report } from "../model/report";
import { redactInputs, type Redaction } from "./redact";

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

export function analyzeForSharing(inputs: SharableInputs): { report: Report; redactions: Redaction[] } {
  const { inputs: clean, redactions } = redactInputs({
    log: inputs.log,
    dockerfile: inputs.dockerfile ?? null,
    previousLog: inputs.previousLog ?? null,
    previousDockerfile: inputs.previousDockerfile ?? null,
    image: inputs.image ?? null,
  });
  const report = analyze({
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
  return { report, redactions };
}
