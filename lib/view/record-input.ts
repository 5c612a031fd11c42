/**
 * Build records (`docker buildx history export` → `.dockerbuild`, a GitHub Actions `.zip`, several
 * dropped at once) as log input: decoded in the browser into the record digest (JSON text), which is
 * what the log input, local storage, permalinks and stored links then carry — never the raw bundle.
 */
import type { Diagnostic } from "../model/diagnostics";
import { decodeRecordInput, looksLikeRecord, mergeRecordDigests, readRecordInput as readRecord, summarizeDigest } from "../parse/record/index";
import type { SniffedFile } from "./route-files";

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

/** Cheap: does this log text hold a record digest (what a dropped record becomes)? */
export function isRecordDigestText(text: string): boolean {
  return /^\s*\{\s*"cachescopeRecord"\s*:/.test(text.slice(0, 200));
}

/**
 * The line the inputs panel shows under a log input that holds a record digest (what was read);
 * null for any other text. Parses the digest: call it memoised on the text.
 */
export function recordSummaryOf(text: string): string | null {
  if (!text || !isRecordDigestText(text) || !looksLikeRecord(text)) return null;
  const r = readRecord(text);
  if (!r) return null;
  return r.ok ? summarizeDigest(r.digest) : `Not readable as a build record: ${r.reason}`;
}

/** The records a digest text holds: how many, and when the latest was made (epoch ms, null when unknown). */
function recordTimes(text: string): { count: number; latestAt: number | null } {
  const r = readRecord(text);
  if (!r || !r.ok) return { count: 0, latestAt: null };
  const last = r.digest.records[r.digest.records.length - 1];
  const t = last?.createdAt ? Date.parse(last.createdAt) : NaN;
  return { count: r.digest.records.length, latestAt: Number.isFinite(t) ? t : null };
}

export type DroppedFile = SniffedFile & { bytes: Uint8Array };

const utf8 = new TextEncoder();

/**
 * Dropped files with their records decoded, ready for routing (lib/view/route-files):
 * - a readable record becomes a log whose text is its digest;
 * - two records of one build each become two logs dated by the record's own creation time, so the
 *   router makes the older one the previous build (compare mode, exact causes);
 * - more records than that, or a bundle of several builds dropped with another record, are merged
 *   into one history (one log: the trend view, the latest compared with the one before it);
 * - an unreadable record is left out with its one-line reason.
 * `notes` are sentences for the person (what was done with the records).
 */
export function prepareRecordDrop(files: DroppedFile[]): { files: DroppedFile[]; notes: string[] } {
  const notes: string[] = [];
  const others: DroppedFile[] = [];
  const records: { file: DroppedFile; input: RecordInput; count: number; latestAt: number | null }[] = [];
  for (const f of files) {
    if (f.kind !== "record") {
      others.push(f);
      continue;
    }
    const input = readRecordInput(f.bytes);
    if (!input || !input.text) {
      notes.push(input ? `“${f.name}”: ${input.summary}` : `“${f.name}” is not a build record Cachescope can read.`);
      continue;
    }
    records.push({ file: f, input, ...recordTimes(input.text) });
  }
  if (records.length === 0) return { files: others, notes };
  const asLog = (f: DroppedFile, text: string, startedAt: number | null): DroppedFile => ({ ...f, kind: "log", text, startedAt });
  const pairable = records.length === 2 && records.every((r) => r.count === 1 && r.latestAt != null) && records[0].latestAt !== records[1].latestAt;
  if (records.length === 1 || pairable) {
    if (pairable) {
      const [older, newer] = records[0].latestAt! < records[1].latestAt! ? [records[0], records[1]] : [records[1], records[0]];
      notes.push(`Two build records: “${newer.file.name}” (the later build) is explained and compared with “${older.file.name}”.`);
    }
    return { files: [...others, ...records.map((r) => asLog(r.file, r.input.text, r.latestAt))], notes };
  }
  const merged = mergeRecordInputs(records.map((r) => r.input.text));
  if (!merged) return { files: others, notes };
  const builds = records.reduce((n, r) => n + r.count, 0);
  notes.push(`${records.length} build records (${builds} builds) were merged into one history, oldest first: the latest build is explained and compared with the one before it.`);
  for (const d of merged.diagnostics) notes.push(d.message);
  const text = merged.text;
  const file: DroppedFile = { name: records.map((r) => r.file.name).join(" + "), kind: "log", text, startedAt: null, bytes: utf8.encode(text) };
  return { files: [...others, file], notes };
}

/**
 * The Dockerfile a record digest carries for the shown build (`build`: 1-based, null = the latest),
 * so the views can show a step in its Dockerfile when none was pasted; null when the text is not a
 * digest or the record holds no Dockerfile. Parses the digest: call it memoised.
 */
export function recordDockerfileOf(text: string, build: number | null = null): string | null {
  if (!text || !isRecordDigestText(text)) return null;
  const r = readRecord(text);
  if (!r || !r.ok) return null;
  const records = r.digest.records;
  const rec = build != null && build >= 1 && build <= records.length ? records[build - 1] : records[records.length - 1];
  return rec?.dockerfile?.text ?? null;
}
