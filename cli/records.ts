/**
 * Build records on the command line. `--log build.dockerbuild` (or the Actions `.zip`, or
 * `history inspect --format json`) goes to the engine as bytes and is detected there; what the CLI
 * adds: for the shareable formats (Markdown, SVG) the record is decoded to its digest first and its
 * build-arg values dropped, so the share path only ever sees the redacted digest text; and the
 * history table of a multi-record bundle under the text / Markdown report.
 */
import type { Report } from "../lib/model/report";
import { readRecordInput } from "../lib/parse/record/index";
import { redactRecordDigestText } from "../lib/parse/record/redact";
import { renderHistoryMarkdown, renderHistoryText } from "../lib/render/record-history";

/** A record input as redacted digest text for the share path; null when the input is no record. */
export function recordTextForSharing(input: string | Uint8Array | null | undefined, what: string): string | null {
  if (input == null) return null;
  const r = readRecordInput(input);
  if (!r) return null;
  if (!r.ok) throw new RecordInputError(`${what}: ${r.reason}`);
  return redactRecordDigestText(JSON.stringify(r.digest)).text;
}

export class RecordInputError extends Error {}

/** The history table after the report, for text and Markdown output of multi-record bundles. */
export function withHistory(output: string, report: Report, format: string): string {
  if (!report.history || report.history.length < 2) return output;
  if (format === "markdown") return output.replace(/\s*$/, "\n\n") + renderHistoryMarkdown(report.history);
  if (format === "text") return output.replace(/\s*$/, "\n\n") + renderHistoryText(report.history);
  return output;
}
