/**
 * Build records (`docker buildx history export` → `.dockerbuild`, a GitHub Actions `.zip`, several
 * dropped at once) as log input: decoded in the browser into the record digest (JSON text), which is
 * what the log input, local storage, permalinks and stored links then carry — never the raw bundle.
 */
import type { Diagnostic } from "../model/diagnostics";
import { decodeRecordInput, mergeRecordDigests } from "../parse/record/index";

export interface RecordInput {
  /** The record digest as text (what the log input receives). */
  text: string;
  /** One line for the person: which build, when, from which record. */
  summary: string;
  diagnostics: Diagnostic[];
}

export function readRecordInput(bytes: Uint8Array): RecordInput | null {
  return decodeRecordInput(bytes);
}

/** Several dropped records → one history (oldest first, duplicates dropped). */
export function mergeRecordInputs(texts: string[]): RecordInput | null {
  return mergeRecordDigests(texts);
}
