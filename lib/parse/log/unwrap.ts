/**
 * Removes what CI systems and terminals wrap around build output, line by line:
 * timestamp prefixes (GitHub Actions, Gitea, Render, GitLab, `docker logs -t`), the Go `log`
 * prefix, GitLab section markers, BOMs, ANSI escapes and carriage returns (spec §6).
 *
 * The wrapper is decided once from a sample, then each line is cleaned with cheap
 * first-character checks; regexes run only on lines that contain an escape character.
 */
import type { LogWrapper } from "../../model/log";

export interface UnwrappedLog {
  /** Cleaned lines; index i is decoded line i + 1. */
  lines: string[];
  wrapper: LogWrapper;
  /** Epoch seconds of each line's CI timestamp (NaN when the line had none); null without timestamps. */
  times: Float64Array | null;
}

const SAMPLE_LINES = 400;

// CSI, OSC (terminated by BEL or ST), charset selection and other two-character escapes.
// Every quantifier applies to a single character class, so matching is linear.
const ANSI_RE = /\x1b(?:\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[()][0-9A-Za-z]|[@-Z\\-_])/g;

export function stripAnsi(s: string): string {
  return s.indexOf("\x1b") === -1 ? s : s.replace(ANSI_RE, "");
}

type TsKind = "iso" | "go-log" | null;

interface Sample {
  wrapper: LogWrapper;
  ts: TsKind;
  /** Strip `err: ` / `out: ` after the timestamp (Gitea relays of a remote script). */
  streamPrefix: boolean;
  /** Strip GitLab's `00O+` stream flags after the timestamp. */
  gitlabFlags: boolean;
}

export function unwrapLines(text: string): UnwrappedLog {
  const lines: string[] = [];
  const times: number[] = [];
  const u = new LineUnwrapper((s, t) => {
    lines.push(s);
    times.push(t);
  });
  u.push(text);
  u.end();
  return { lines, wrapper: u.wrapper, times: u.timestamped ? Float64Array.from(times) : null };
}

/**
 * The streaming form: text chunks in, cleaned lines out (with their CI timestamp, NaN when none).
 * The wrapper is decided from the first SAMPLE_LINES * 4 non-empty lines, which are held back
 * until then; after that each line is cleaned as soon as its newline arrives.
 */
export class LineUnwrapper {
  wrapper: LogWrapper = "none";
  /** Lines carry ISO timestamps (times are reported). */
  timestamped = false;
  private sample: Sample | null = null;
  private held: string[] = [];
  private heldNonEmpty = 0;
  private carry = "";
  private carryCr = false;
  private carryEsc = false;
  private gitlabSections = false;
  private readonly dateCache = { key: -1, epoch: 0 };

  constructor(private readonly sink: (line: string, time: number) => void) {}

  push(chunk: string): void {
    if (chunk === "") return;
    const cr = chunk.indexOf("\r") !== -1;
    const esc = chunk.indexOf("\x1b") !== -1;
    let pos = 0;
    let nl = chunk.indexOf("\n");
    if (nl === -1) {
      this.carry += chunk;
      this.carryCr ||= cr;
      this.carryEsc ||= esc;
      return;
    }
    // The first line joins what the previous chunk left over.
    const first = this.carry === "" ? chunk.slice(0, nl) : this.carry + chunk.slice(0, nl);
    this.raw(first, cr || this.carryCr, esc || this.carryEsc);
    pos = nl + 1;
    for (;;) {
      nl = chunk.indexOf("\n", pos);
      if (nl === -1) break;
      this.raw(chunk.slice(pos, nl), cr, esc);
      pos = nl + 1;
    }
    this.carry = chunk.slice(pos);
    this.carryCr = cr;
    this.carryEsc = esc;
  }

  end(): void {
    this.raw(this.carry, this.carryCr, this.carryEsc);
    this.carry = "";
    if (this.sample === null) this.decide();
    if (this.wrapper === "none" && this.gitlabSections) this.wrapper = "gitlab";
  }

  private raw(line: string, cr: boolean, esc: boolean): void {
    if (this.sample !== null) {
      this.clean(line, cr, esc);
      return;
    }
    this.held.push(line);
    if (line.length > 0 && ++this.heldNonEmpty >= SAMPLE_LINES * 4) this.decide();
  }

  private decide(): void {
    const held = this.held;
    this.held = [];
    this.sample = detectWrapper(held);
    this.wrapper = this.sample.wrapper;
    this.timestamped = this.sample.ts === "iso";
    for (const line of held) this.clean(line, true, true);
  }

  private clean(text: string, hasCr: boolean, hasEsc: boolean): void {
    const sample = this.sample!;
    let start = 0;
    let end = text.length;
    if (hasCr) while (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (start < end && text.charCodeAt(start) === 0xfeff) start++;
    let t = NaN;
    if (sample.ts === "iso") {
      const k = isoPrefixLength(text, start, end);
      if (k > 0) {
        t = parseIsoSeconds(text, this.dateCache, start);
        start = k;
        if (start < end && text.charCodeAt(start) === 32) start++;
        if (sample.gitlabFlags) start = skipGitlabFlags(text, start, end);
        if (sample.streamPrefix && end >= start + 4) {
          const c = text.charCodeAt(start);
          if ((c === 101 && text.startsWith("err:", start)) || (c === 111 && text.startsWith("out:", start))) {
            if (end === start + 4) start += 4;
            else if (text.charCodeAt(start + 4) === 32) start += 5;
          }
        }
      }
    } else if (sample.ts === "go-log") {
      const k = goLogPrefixLength(text, start, end);
      if (k > 0) start = k;
    }
    let s = start >= end ? "" : start === 0 && end === text.length ? text : text.slice(start, end);
    if (hasEsc && s.indexOf("\x1b") !== -1) s = s.replace(ANSI_RE, "");
    if (hasCr && s.indexOf("\r") !== -1) s = cleanInnerCr(s);
    if (s.length > 12 && s.charCodeAt(0) === 115 /* s */ && (s.startsWith("section_start:") || s.startsWith("section_end:"))) {
      this.gitlabSections = true;
      const cr = s.indexOf("\r");
      s = cr === -1 ? "" : s.slice(cr + 1);
    }
    this.sink(s, t);
  }
}

function trimTrailingCr(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 13) e--;
  return s.slice(0, e);
}

/**
 * A bare `\r` inside a line is a progress redraw. BuildKit lines (`#N …`) keep them (the parser
 * trims the output text later, and the `#N` prefix must survive); other lines keep the text after
 * the last `\r`, as a terminal would show it. GitLab section markers are left for the caller.
 */
function cleanInnerCr(s: string): string {
  if (s.charCodeAt(0) === 35 /* # */) return s;
  if (s.startsWith("section_")) return s;
  const cr = s.lastIndexOf("\r");
  const tail = s.slice(cr + 1);
  return tail.length > 0 ? tail : s.slice(0, s.indexOf("\r"));
}

/** Digit positions shared by `YYYY-MM-DDTHH:MM:SS` and `YYYY/MM/DD HH:MM:SS`. */
const DIGIT_POS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Length of `YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)` at the start of s, or 0.
 * Followed by a space or the end of the line.
 */
export function isoPrefixLength(s: string, o = 0, end = s.length): number {
  if (end - o < 20) return 0;
  // YYYY-MM-DDTHH:MM:SS
  for (let k = 0; k < DIGIT_POS.length; k++) if (!isDigit(s.charCodeAt(o + DIGIT_POS[k]))) return 0;
  if (s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45 || s.charCodeAt(o + 13) !== 58 || s.charCodeAt(o + 16) !== 58) return 0;
  const t = s.charCodeAt(o + 10);
  if (t !== 84 && t !== 32) return 0; // 'T' (or a space, as some tools print)
  let i = o + 19;
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < end && isDigit(s.charCodeAt(i))) i++;
  }
  const z = s.charCodeAt(i);
  if (z === 90 /* Z */) i++;
  else if ((z === 43 || z === 45) && end >= i + 6 && isDigit(s.charCodeAt(i + 1)) && s.charCodeAt(i + 3) === 58) i += 6;
  else return 0;
  if (i < end && s.charCodeAt(i) !== 32) return 0;
  return i;
}

function fractionDigits(s: string): number {
  if (s.charCodeAt(19) !== 46) return 0;
  let i = 20;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i - 20;
}

function num(s: string, a: number, b: number): number {
  let v = 0;
  for (let i = a; i < b; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/** Epoch seconds of an ISO prefix already validated by isoPrefixLength. */
export function parseIsoSeconds(s: string, cache: { key: number; epoch: number }, o = 0): number {
  const y = num(s, o, o + 4);
  const mo = num(s, o + 5, o + 7);
  const d = num(s, o + 8, o + 10);
  const key = y * 10000 + mo * 100 + d;
  if (key !== cache.key) {
    cache.key = key;
    cache.epoch = Date.UTC(y, mo - 1, d) / 1000;
  }
  let sec = cache.epoch + num(s, o + 11, o + 13) * 3600 + num(s, o + 14, o + 16) * 60 + num(s, o + 17, o + 19);
  let i = o + 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    let scale = 0.1;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      sec += (s.charCodeAt(i) - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  const z = s.charCodeAt(i);
  if (z === 43 || z === 45) {
    const off = num(s, i + 1, i + 3) * 3600 + num(s, i + 4, i + 6) * 60;
    sec += z === 43 ? -off : off;
  }
  return sec;
}

/** `2024/03/29 14:00:00 ` (optionally with `.000000` microseconds), the Go `log` default. */
function goLogPrefixLength(s: string, o = 0, end = s.length): number {
  if (end - o < 19) return 0;
  for (let k = 0; k < DIGIT_POS.length; k++) if (!isDigit(s.charCodeAt(o + DIGIT_POS[k]))) return 0;
  if (s.charCodeAt(o + 4) !== 47 || s.charCodeAt(o + 7) !== 47 || s.charCodeAt(o + 10) !== 32 || s.charCodeAt(o + 13) !== 58 || s.charCodeAt(o + 16) !== 58) return 0;
  let i = o + 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    while (i < end && isDigit(s.charCodeAt(i))) i++;
  }
  if (i >= end) return end;
  return s.charCodeAt(i) === 32 ? i + 1 : 0;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102);
}

/** GitLab's `00O ` / `01E+` stream/flag field after its timestamp. */
function skipGitlabFlags(s: string, i: number, end = s.length): number {
  if (end >= i + 3 && isHex(s.charCodeAt(i)) && isHex(s.charCodeAt(i + 1))) {
    const k = s.charCodeAt(i + 2);
    if (k === 79 || k === 69) {
      const j = i + 3;
      if (s.charCodeAt(j) === 43 /* + : continues the previous line */) return j + 1;
      if (j === end) return j;
      if (s.charCodeAt(j) === 32) return j + 1;
    }
  }
  return i;
}

function detectWrapper(lines: string[]): Sample {
  const raw: string[] = [];
  for (const l of lines) if (l.length > 0) raw.push(l.length > 512 ? l.slice(0, 512) : l);
  let seen = 0;
  let iso = 0;
  let goLog = 0;
  let ghaMarkers = 0;
  let stream = 0;
  let gitlab = 0;
  let frac7 = 0;
  let fracOther = 0;
  for (let i = 0; i < raw.length && seen < SAMPLE_LINES; i++) {
    let s = trimTrailingCr(raw[i]);
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    if (s.length === 0) continue;
    seen++;
    const n = isoPrefixLength(s);
    if (n > 0) {
      iso++;
      if (fractionDigits(s) === 7) frac7++;
      else fracOther++;
      let rest = n < s.length ? s.slice(n + 1) : "";
      if (rest.startsWith("##[")) ghaMarkers++;
      if (rest.startsWith("err: ") || rest.startsWith("out: ")) stream++;
      if (skipGitlabFlags(rest, 0) > 0) {
        gitlab++;
        rest = rest.slice(skipGitlabFlags(rest, 0));
      }
      continue;
    }
    if (goLogPrefixLength(s) > 0) goLog++;
  }
  const none: Sample = { wrapper: "none", ts: null, streamPrefix: false, gitlabFlags: false };
  if (seen === 0) return none;
  if (iso >= seen * 0.5) {
    let wrapper: LogWrapper = "timestamps";
    if (gitlab >= iso * 0.5) wrapper = "gitlab";
    else if (stream > 0) wrapper = "gitea-actions";
    else if (ghaMarkers > 0 || (frac7 > 0 && fracOther === 0)) wrapper = "github-actions";
    else if (fracOther > 0 && frac7 > 0) wrapper = "render";
    return { wrapper, ts: "iso", streamPrefix: stream > 0, gitlabFlags: wrapper === "gitlab" };
  }
  if (goLog >= seen * 0.5) return { wrapper: "go-log", ts: "go-log", streamPrefix: false, gitlabFlags: false };
  return none;
}
