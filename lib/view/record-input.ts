/**
 * Build records (`docker buildx history export` → `.dockerbuild`, a GitHub Actions `.zip`) as log
 * input. H-records' decoder (`decodeRecordInput` in lib/parse/record/index.ts) is not on this branch
 * yet: until it is, this returns null and the workbench says how to get a log from the record
 * instead. When it lands, the integrator replaces the body with one line:
 *
 *   return decodeRecordInput(bytes);
 */
import type { Diagnostic } from "../model/diagnostics";

export interface RecordInput {
  /** The build's log as text (what the log input receives). */
  text: string;
  /** One line for the person: which build, when, from which record. */
  summary: string;
  diagnostics: Diagnostic[];
}

export function readRecordInput(bytes: Uint8Array): RecordInput | null {
  void bytes;
  return null;
}
