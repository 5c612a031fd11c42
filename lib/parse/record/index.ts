/**
 * Build records in: bytes or text → a record digest (./types.ts), detected by content.
 *
 *   gzip / tar / zip bytes  → bundle(s) → records        (docker buildx history export, Actions artifact)
 *   `{"cachescopeRecord":1…`  → the digest itself         (what the web app stores)
 *   `{"Ref":…,"NumTotalSteps"…` → history inspect --format json (partial)
 *   `{"buildx.build.ref"…`    → --metadata-file JSON       (partial)
 * Never throws: an unreadable bundle gives a one-line reason.
 */
import { diag, type Diagnostic, type InputSource } from "../../model/diagnostics";
import { readBundle } from "./bundle";
import { gunzipCapped, newBudget, RecordReadError, sniffContainer, untar, unzipBundles, MAX_RECORD_BYTES } from "./container";
import { isInspectJson, isMetadataJson, recordFromInspect, recordFromMetadata } from "./inspect";
import { normalizeDigest } from "./normalize";
import { DIGEST_VERSION, type DigestRecord, type RecordDigest } from "./types";

export type { RecordDigest, DigestRecord, DigestVertex, DigestOp, OpSummary, DigestAttrs, DigestBuildArg, DigestWarning } from "./types";
export { DIGEST_VERSION } from "./types";
export { MAX_RECORD_BYTES } from "./container";
export { redactRecordDigestText } from "./redact";

export type RecordRead =
  | { ok: true; digest: RecordDigest; diagnostics: Diagnostic[] }
  /** The input is a record container but cannot be read: `reason` is one line for the person. */
  | { ok: false; reason: string; diagnostics: Diagnostic[] };

const utf8 = new TextDecoder("utf-8");

/** True when the input would be read as a record (cheap: looks at the first bytes only). */
export function looksLikeRecord(input: string | Uint8Array): boolean {
  if (typeof input !== "string") {
    if (sniffContainer(input)) return true;
    return jsonKind(utf8.decode(input.subarray(0, 4096))) !== null;
  }
  return jsonKind(input.slice(0, 4096)) !== null;
}

/** Which JSON record form the start of a text is, without parsing all of it. */
function jsonKind(head: string): "digest" | "inspect" | "metadata" | null {
  const s = head.replace(/^\uFEFF/, "").trimStart();
  if (!s.startsWith("{")) return null;
  if (/^\{\s*"cachescopeRecord"\s*:/.test(s)) return "digest";
  if (/"buildx\.build\.(ref|provenance)"\s*:/.test(s)) return "metadata";
  if (/^\{\s*"Name"\s*:[^]*"Ref"\s*:/.test(s) || /^\{\s*"Ref"\s*:/.test(s)) return "inspect";
  return null;
}

export function readRecordInput(input: string | Uint8Array, source: InputSource = "log"): RecordRead | null {
  try {
    if (typeof input !== "string" && sniffContainer(input)) return readContainer(input, source);
    const head = typeof input === "string" ? input.slice(0, 4096) : utf8.decode(input.subarray(0, 4096));
    const kind = jsonKind(head);
    if (!kind) return null;
    if (typeof input !== "string" && input.length > MAX_RECORD_BYTES) return fail(source, "the record JSON is larger than the cap; it is not read.");
    const text = typeof input === "string" ? input : utf8.decode(input);
    let j: unknown;
    try {
      j = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch {
      return fail(source, kind === "digest" ? "the record digest is not valid JSON (cut off?)." : "this record JSON could not be parsed (cut off?).");
    }
    if (!j || typeof j !== "object" || Array.isArray(j)) return null;
    const o = j as Record<string, unknown>;
    if (kind === "digest") {
      const d = normalizeDigest(o);
      if (!d) return fail(source, `this record digest has an unknown version (expected cachescopeRecord ${DIGEST_VERSION}).`);
      return done(d, source);
    }
    if (kind === "metadata" && isMetadataJson(o)) return done({ cachescopeRecord: DIGEST_VERSION, source: "metadata-json", records: [recordFromMetadata(o)] }, source);
    if (isInspectJson(o)) return done({ cachescopeRecord: DIGEST_VERSION, source: "inspect-json", records: [recordFromInspect(o)] }, source);
    return null;
  } catch (e) {
    if (e instanceof RecordReadError) return fail(source, e.message);
    return fail(source, `the build record could not be read (internal error: ${(e as Error).message}).`);
  }
}

function readContainer(bytes: Uint8Array, source: InputSource): RecordRead {
  const budget = newBudget();
  const kind = sniffContainer(bytes);
  let bundles: { name: string; data: Uint8Array }[];
  if (kind === "zip") {
    bundles = unzipBundles(bytes, budget);
    if (bundles.length === 0) return fail(source, "the zip holds no build record (.dockerbuild bundle).");
  } else bundles = [{ name: "", data: bytes }];
  const records: DigestRecord[] = [];
  const notes: string[] = [];
  for (const b of bundles) {
    let inner: Uint8Array;
    try {
      inner = sniffContainer(b.data) === "gzip" ? gunzipCapped(b.data, budget, true) : b.data;
    } catch (e) {
      if (bundles.length === 1 || !(e instanceof RecordReadError)) throw e;
      notes.push(`${b.name}: ${e.message}`);
      continue;
    }
    if (sniffContainer(inner) !== "tar") {
      if (bundles.length === 1) throw new RecordReadError("the gzip data holds no tar archive; it is not a build record bundle.");
      notes.push(`${b.name}: not a build record bundle; skipped.`);
      continue;
    }
    const read = readBundle(untar(inner));
    records.push(...read.records);
    for (const n of read.notes) notes.push(bundles.length > 1 ? `${b.name}: ${n}` : n);
  }
  if (records.length === 0) return fail(source, notes[0] ?? "no build record was found in the bundle.");
  records.sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
  const r = done({ cachescopeRecord: DIGEST_VERSION, source: "bundle", records }, source);
  for (const n of notes) r.diagnostics.push(diag("warning", source, null, "record/partial", n));
  return r;
}

function done(digest: RecordDigest, source: InputSource): RecordRead & { ok: true } {
  const diagnostics: Diagnostic[] = [];
  const last = digest.records[digest.records.length - 1];
  if (last) for (const n of last.notes) diagnostics.push(diag(last.vertices.length === 0 ? "warning" : "info", source, null, "record/partial", n));
  return { ok: true, digest, diagnostics };
}

function fail(source: InputSource, reason: string): RecordRead & { ok: false } {
  return { ok: false, reason, diagnostics: [diag("error", source, null, "record/unreadable", reason)] };
}

/** One line saying what was read, for the inputs panel and the CLI. */
export function summarizeDigest(d: RecordDigest): string {
  const n = d.records.length;
  const last = d.records[n - 1];
  if (!last) return "Build record: empty.";
  const what = d.source === "bundle" ? (n > 1 ? `Build records: ${n} builds` : "Build record") : d.source === "inspect-json" ? "Build record (history inspect JSON, no step list)" : "Build metadata (--metadata-file, no step list)";
  // BuildKit's own counts are of vertices (context loads and metadata included), not the report's step rows.
  const steps = last.counts.total != null ? `, ${last.counts.total} BuildKit vertices (${last.counts.cached ?? 0} cached)` : "";
  const df = last.dockerfile ? ", Dockerfile included" : "";
  const when = last.createdAt && /^\d{4}-\d\d-\d\dT\d\d:\d\d[^]*Z$/.test(last.createdAt) ? ` on ${last.createdAt.slice(0, 10)} ${last.createdAt.slice(11, 16)} UTC` : "";
  return `${what} — ${n > 1 ? "latest: " : ""}${last.name ?? last.ref}${when}, ${last.status}${steps}${df}.`;
}

/**
 * For the web app: a dropped file's bytes → the digest text to put into the log input (never the
 * raw bundle), a one-line summary, and diagnostics. null when the bytes are not a record at all.
 * An unreadable record gives `text: ""` and an error diagnostic saying why.
 */
export function decodeRecordInput(bytes: Uint8Array): { text: string; summary: string; diagnostics: Diagnostic[] } | null {
  const r = readRecordInput(bytes, "log");
  if (!r) return null;
  if (!r.ok) return { text: "", summary: `Not readable as a build record: ${r.reason}`, diagnostics: r.diagnostics };
  return { text: JSON.stringify(r.digest), summary: summarizeDigest(r.digest), diagnostics: r.diagnostics };
}

/**
 * For the web app's "several dropped files": digests (decodeRecordInput texts) merged into one
 * multi-record digest, oldest first, one entry per record ref — the history view of several
 * `.dockerbuild` files. Texts that are not digests are skipped with a diagnostic.
 */
export function mergeRecordDigests(texts: string[]): { text: string; summary: string; diagnostics: Diagnostic[] } | null {
  const records: DigestRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  texts.forEach((t, k) => {
    const r = readRecordInput(t);
    if (!r || !r.ok) {
      diagnostics.push(diag("warning", "log", null, "record/not-merged", `input ${k + 1} is not a readable build record; it was left out of the history.`));
      return;
    }
    for (const rec of r.digest.records) {
      const key = rec.ref || `${rec.createdAt}:${k}`;
      if (seen.has(key)) continue;
      seen.add(key);
      records.push(rec);
    }
  });
  if (records.length === 0) return null;
  records.sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
  const digest: RecordDigest = { cachescopeRecord: DIGEST_VERSION, source: "bundle", records };
  return { text: JSON.stringify(digest), summary: summarizeDigest(digest), diagnostics };
}
