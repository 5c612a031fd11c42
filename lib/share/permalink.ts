/**
 * Permalinks: the analysis inputs travel in the URL fragment (never sent to a server).
 * Browser-safe: no Node.js APIs.
 *
 *   #v1.<base64url(deflate(JSON.stringify({ inputs, selectedStep, view })))>
 *
 * Compatibility rules: a version number is never reused; v1 payloads may only gain optional
 * fields (readers ignore unknown ones); a reader refuses newer versions with a clear message
 * instead of guessing. Inputs are redacted (redact.ts) before encoding, and may be trimmed
 * (RUN output lines the views do not need) to keep links short.
 */
import { Inflate, deflateSync, strToU8, strFromU8 } from "fflate";
import { base64UrlToBytes, bytesToBase64Url } from "./base64";
import { redactInputs, type Redaction } from "./redact";
import { describeZodError, shareStateSchema, type ShareInputs, type ShareState } from "./schema";

export const PERMALINK_VERSION = 1;
export const PERMALINK_PREFIX = `v${PERMALINK_VERSION}.`;
/** Longest URL we hand out as a link; longer ones get a stored link instead. */
export const MAX_PERMALINK_LENGTH = 32_000;
/**
 * Refuse fragments / payloads beyond these before doing any work. No link longer than
 * MAX_PERMALINK_LENGTH is ever handed out, so twice that is generous; deflate can expand ~1000×,
 * so the inflated size is capped too (real logs compress 5–30×): a crafted 16 KB link cannot make
 * the page inflate, parse and analyse tens of megabytes.
 */
export const MAX_HASH_CHARS = 2 * MAX_PERMALINK_LENGTH;
export const MAX_DECODED_BYTES = 8 * 1024 * 1024;
/** Real logs deflate 5–50×; a payload that inflates more than this (and past 1 MB) was crafted. */
export const MAX_INFLATE_RATIO = 100;
const RATIO_FREE_BYTES = 1024 * 1024;
/** Output lines kept per vertex when trimming. */
export const DEFAULT_KEEP_OUTPUT_LINES = 8;

export type { ShareState, ShareInputs } from "./schema";

export { bytesToBase64Url, base64UrlToBytes } from "./base64";

function inflateLimited(data: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit) {
      tooBig = true;
      throw new Error("too big");
    }
    chunks.push(chunk);
  });
  try {
    // Small input pieces: fflate inflates a whole push at once, so the limit is checked every
    // ≤ 1 MB of output instead of after inflating everything.
    const PIECE = 1024;
    for (let i = 0; i < data.length; i += PIECE) inflater.push(data.subarray(i, Math.min(data.length, i + PIECE)), i + PIECE >= data.length);
    if (data.length === 0) inflater.push(data, true);
  } catch (e) {
    if (tooBig) throw new Error(`the link expands to more than ${Math.round((limit / 1024 / 1024) * 10) / 10} MB, far more than a Cachescope link holds`);
    throw e;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

// ---------------------------------------------------------------- trimming

/**
 * Drops RUN output lines a shared view does not need from a plain BuildKit log: every vertex
 * keeps its header, status (CACHED/DONE/ERROR/CANCELED) and other non-output lines, plus its last
 * `keep` output lines (`#N 1.234 …`). Other log formats are returned unchanged.
 */
export function trimLog(log: string, keep = DEFAULT_KEEP_OUTPUT_LINES): { log: string; droppedLines: number } {
  const lines = log.split("\n");
  const OUTPUT = /^[^#\n]{0,80}#(\d{1,6}) \d{1,7}\.\d{1,4} /;
  const BUILD_START = /^[^#\n]{0,80}#0 building with /;
  // Pass 1: count output lines per (build, vertex).
  const counts = new Map<string, number>();
  let buildNo = 0;
  const keys: (string | null)[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (BUILD_START.test(line)) buildNo++;
    const m = OUTPUT.exec(line);
    if (m) {
      const key = `${buildNo}:${m[1]}`;
      keys[i] = key;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } else keys[i] = null;
  }
  if (counts.size === 0) return { log, droppedLines: 0 };
  // Pass 2: keep the last `keep` of each.
  const seen = new Map<string, number>();
  const out: string[] = [];
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    const key = keys[i];
    if (key == null) {
      out.push(lines[i]!);
      continue;
    }
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > counts.get(key)! - keep) out.push(lines[i]!);
    else dropped++;
  }
  return { log: out.join("\n"), droppedLines: dropped };
}

// ---------------------------------------------------------------- encode / decode

/** Low level: state → `v1.<data>` (no `#`). Does NOT redact: use createPermalink. */
export function encodePermalinkState(state: ShareState): string {
  const json = JSON.stringify({ inputs: state.inputs, selectedStep: state.selectedStep, view: state.view });
  return PERMALINK_PREFIX + bytesToBase64Url(deflateSync(strToU8(json), { level: 9, mem: 8 }));
}

export interface PermalinkOptions {
  /** Page URL the fragment is appended to (any existing fragment is replaced). Default "". */
  baseUrl?: string;
  /** Drop RUN output lines beyond the last few per step. Default false. */
  trim?: boolean;
  keepOutputLines?: number;
}

export interface Permalink {
  /** Full URL: baseUrl + "#v1.…" */
  url: string;
  /** "#v1.…" */
  hash: string;
  length: number;
  /** Over MAX_PERMALINK_LENGTH: offer a stored link instead. */
  tooLong: boolean;
  redactions: Redaction[];
  trimmedLines: number;
  /** The exact state encoded (redacted, maybe trimmed). */
  state: ShareState;
}

/** Redacts (and optionally trims) the inputs, then encodes them into a URL fragment. */
export function createPermalink(state: ShareState, options: PermalinkOptions = {}): Permalink {
  const { inputs: redacted, redactions } = redactInputs(state.inputs);
  let inputs: ShareInputs = { ...redacted };
  let trimmedLines = 0;
  if (options.trim) {
    const keep = options.keepOutputLines ?? DEFAULT_KEEP_OUTPUT_LINES;
    const a = trimLog(inputs.log, keep);
    inputs = { ...inputs, log: a.log };
    trimmedLines += a.droppedLines;
    if (inputs.previousLog) {
      const b = trimLog(inputs.previousLog, keep);
      inputs = { ...inputs, previousLog: b.log };
      trimmedLines += b.droppedLines;
    }
  }
  const encoded: ShareState = { inputs, selectedStep: state.selectedStep ?? null, view: state.view || "graph" };
  const hash = "#" + encodePermalinkState(encoded);
  const base = (options.baseUrl ?? "").split("#")[0]!;
  const url = base + hash;
  return { url, hash, length: url.length, tooLong: url.length > MAX_PERMALINK_LENGTH, redactions, trimmedLines, state: encoded };
}

/** Length of the URL createPermalink would produce. */
export function permalinkLength(state: ShareState, options: PermalinkOptions = {}): number {
  return createPermalink(state, options).length;
}

export type PermalinkReadResult = { ok: true; state: ShareState } | { ok: false; error: string; code: PermalinkErrorCode };
export type PermalinkErrorCode = "empty" | "foreign" | "newer-version" | "corrupt" | "too-large" | "invalid";

/**
 * Reads `location.hash` (with or without the leading `#`). Never throws: a corrupt, foreign or
 * newer-version link gives `{ ok: false, error }` with a sentence for the person.
 */
export function readPermalinkFromHash(hash: string | null | undefined): PermalinkReadResult {
  const fail = (code: PermalinkErrorCode, error: string): PermalinkReadResult => ({ ok: false, code, error });
  try {
    const h = (hash ?? "").replace(/^#/, "").trim();
    if (!h) return fail("empty", "This link does not contain a shared build.");
    if (h.length > MAX_HASH_CHARS)
      return fail("too-large", `This link is ${h.length.toLocaleString("en-US")} characters long; Cachescope links are at most ${MAX_PERMALINK_LENGTH.toLocaleString("en-US")}. It was not made by Cachescope or was altered, so it was not opened.`);
    const m = /^v(\d{1,6})\.([\s\S]*)$/.exec(h);
    if (!m) return fail("foreign", "This link was not made by Cachescope: its fragment is not a Cachescope share (expected #v1.…).");
    const version = Number(m[1]);
    if (version > PERMALINK_VERSION) {
      return fail(
        "newer-version",
        `This link was made by a newer version of Cachescope (link format v${version}; this page reads v${PERMALINK_VERSION}). Reload the page or update Cachescope to open it.`,
      );
    }
    if (version < 1) return fail("foreign", `Unknown link format v${version}.`);
    let bytes: Uint8Array;
    try {
      bytes = base64UrlToBytes(m[2]!);
    } catch {
      return fail("corrupt", "This link is damaged: it contains characters a Cachescope link never has (was it cut or altered when copied?).");
    }
    let json: string;
    try {
      json = strFromU8(inflateLimited(bytes, Math.min(MAX_DECODED_BYTES, Math.max(RATIO_FREE_BYTES, bytes.length * MAX_INFLATE_RATIO))));
    } catch (e) {
      const msg = e instanceof Error && e.message.startsWith("the link expands") ? e.message : "the data could not be decompressed";
      if (msg.startsWith("the link expands")) return fail("too-large", `This link was not opened: ${msg}. It was not made by Cachescope, or it was altered.`);
      return fail("corrupt", `This link is damaged: ${msg}. It may have been cut off when copied.`);
    }
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch {
      return fail("corrupt", "This link is damaged: its contents are not valid JSON.");
    }
    const parsed = shareStateSchema.safeParse(data);
    if (!parsed.success) return fail("invalid", `This link's contents are not a valid Cachescope share (${describeZodError(parsed.error)}).`);
    return { ok: true, state: parsed.data };
  } catch {
    // Defensive: nothing above should throw, but a link must never crash the page.
    return fail("corrupt", "This link could not be read.");
  }
}
