/**
 * The dockerfile-ast adapter. The library tokenises one instruction header at a time (keyword,
 * flags, arguments, ENV/ARG properties); lib/parse/dockerfile/split.ts has already decided where
 * instructions and heredoc bodies are, so the library never walks a heredoc body or the rest of
 * the file again.
 *
 * dockerfile-ast recomputes an instruction's arguments on every question (getFlags, getArguments,
 * getHeredocs, getProperties each re-scan the text: six scans per instruction while parsing
 * alone). Its instructions are immutable once made, so the scan is cached per instance.
 */
import { DockerfileParser } from "dockerfile-ast";

export interface Pos {
  line: number;
  character: number;
}
export interface AstRange {
  start: Pos;
  end: Pos;
}
export interface AstArg {
  getValue(): string;
  getRange(): AstRange;
}
export interface AstFlag {
  getName(): string;
  getValue(): string | null;
  getRange(): AstRange;
}
export interface AstProperty {
  getName(): string;
  getValue(): string | null;
  getUnescapedValue(): string | null;
}
export interface AstInstruction {
  getKeyword(): string;
  getRange(): AstRange;
  getArguments(): AstArg[];
  getFlags?(): AstFlag[];
  getProperties?(): AstProperty[];
}

let cached = false;

/** Memoises Instruction.prototype.getRawArguments (each caller gets its own copy of the list). */
function cacheArgumentScans(): void {
  if (cached) return;
  cached = true;
  try {
    const sample = DockerfileParser.parse("RUN x").getInstructions()[0] as unknown as object;
    let proto: Record<string, unknown> | null = Object.getPrototypeOf(sample) as Record<string, unknown> | null;
    while (proto && !Object.prototype.hasOwnProperty.call(proto, "getRawArguments")) proto = Object.getPrototypeOf(proto) as Record<string, unknown> | null;
    if (!proto) return;
    const scan = proto.getRawArguments as (this: object) => AstArg[];
    const memo = new WeakMap<object, AstArg[]>();
    proto.getRawArguments = function (this: object): AstArg[] {
      let args = memo.get(this);
      if (args === undefined) {
        args = scan.call(this);
        memo.set(this, args);
      }
      // Callers shift flags off the list they get: hand out a copy.
      return args.slice();
    };
  } catch {
    /* an unexpected library shape: stay uncached, still correct */
  }
}

export interface ParsedHeader {
  /** The instruction (null when the text held none). */
  ins: AstInstruction | null;
  /** Line of the header's first line inside the parsed text (1 when an escape directive was prepended). */
  lineShift: number;
}

/** Keywords whose flags dockerfile-ast reads while each argument contains `--` (RUN/COPY/ADD/FROM). */
const DASH_FLAGS = new Set(["RUN", "COPY", "ADD", "FROM"]);
/** Keywords dockerfile-ast gives no flags to (plain and JSON-form instructions without --options). */
const NO_FLAGS = new Set(["WORKDIR", "USER", "EXPOSE", "CMD", "ENTRYPOINT", "VOLUME", "STOPSIGNAL", "SHELL", "MAINTAINER"]);

class SimpleArg implements AstArg {
  constructor(private readonly value: string) {}
  getValue(): string {
    return this.value;
  }
  getRange(): AstRange {
    return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }
}

class SimpleFlag implements AstFlag {
  constructor(
    private readonly name: string,
    private readonly value: string | null,
  ) {}
  getName(): string {
    return this.name;
  }
  getValue(): string | null {
    return this.value;
  }
  getRange(): AstRange {
    return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }
}

/**
 * The common header — one line, no escape character, no CR, a keyword without properties —
 * tokenised the way dockerfile-ast tokenises it (words split on spaces and tabs; flags read while
 * each word contains `--`, taken when it starts with `--`, then that many words dropped from the
 * front), without building a document for it. Anything else goes to the library.
 */
export function simpleHeader(line: string, escapeChar: string): AstInstruction | null {
  if (line.indexOf("\r") !== -1) return null;
  const escaped = line.indexOf(escapeChar) !== -1;
  // dockerfile-ast reads a flag's name and value partly from the raw text: escapes there go to it.
  if (escaped && flagWithEscape(line, escapeChar)) return null;
  const words = escaped ? splitEscapedWords(line, escapeChar) : splitWords(line);
  if (words === null) return null;
  if (words.length > 0 && words[0] === "") words.shift();
  if (words.length > 0 && words[words.length - 1] === "") words.pop();
  if (words.length === 0 || words[0].indexOf(escapeChar) !== -1) return null;
  const keyword = words[0].toUpperCase();
  const dashFlags = DASH_FLAGS.has(keyword);
  if (!dashFlags && !NO_FLAGS.has(keyword)) return null;
  const raw = words.slice(1);
  const flags: AstFlag[] = [];
  if (dashFlags) {
    for (const w of raw) {
      if (w.indexOf("--") === -1) break;
      if (w.indexOf("--") !== 0) continue;
      const eq = w.indexOf("=");
      flags.push(eq === -1 ? new SimpleFlag(w.substring(2), null) : new SimpleFlag(w.substring(2, eq), w.substring(eq + 1)));
    }
  }
  const args = raw.slice(flags.length).map((w) => new SimpleArg(w));
  const ins: AstInstruction = {
    getKeyword: () => keyword,
    getRange: () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: line.length } }),
    getArguments: () => args.slice(),
  };
  if (dashFlags) ins.getFlags = () => flags;
  return ins;
}

function flagWithEscape(line: string, esc: string): boolean {
  for (const w of line.split(/[ \t]+/)) if (w.startsWith("--") && w.indexOf(esc) !== -1) return true;
  return false;
}

function splitWords(line: string): string[] {
  return line.split(/[ \t]+/);
}

/**
 * Words of a line holding the escape character, as dockerfile-ast's argument scan reads them: the
 * escape drops itself and keeps the next character (`\\$` stays as it is), a final escape is
 * dropped. An escape before a blank has quirks of its own: that line goes to the library.
 */
function splitEscapedWords(line: string, esc: string): string[] | null {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === " " || c === "\t") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      continue;
    }
    if (c === esc) {
      if (words.length === 0) return null; // inside the keyword: the library's rules
      const next = line[i + 1];
      if (next === undefined) break;
      if (next === " " || next === "\t") return null;
      cur += next === "$" ? c + next : next;
      inWord = true;
      i++;
      continue;
    }
    cur += c;
    inWord = true;
  }
  if (inWord) words.push(cur);
  return words;
}

/**
 * A header over several lines (continuations), tokenised as dockerfile-ast's argument scan does
 * (Instruction.getRawArguments, ported without the positions): escaped newlines join lines,
 * comment lines inside the continuation are skipped, `\\ ` before blanks splits words the way
 * the library does. Headers whose keyword or flags hold escapes go to the library.
 */
export function continuedHeader(text: string, esc: string): AstInstruction | null {
  if (text.indexOf("\r") !== -1 || !plainContinuation(text, esc)) return null;
  const m = /^[ \t]*([^ \t\n]+)/.exec(text);
  if (!m || m[1]!.indexOf(esc) !== -1) return null;
  const after = m[0].length;
  const c = text[after];
  if (c !== undefined && c !== " " && c !== "\t" && c !== "\n") return null;
  const keyword = m[1]!.toUpperCase();
  const dashFlags = DASH_FLAGS.has(keyword);
  if (!dashFlags && !NO_FLAGS.has(keyword)) return null;
  const scanned = scanArguments(text.slice(after), esc);
  if (scanned === null) return null;
  const flags: AstFlag[] = [];
  if (dashFlags) {
    for (const a of scanned) {
      if (a.value.indexOf("--") === -1) break;
      if (a.value.indexOf("--") !== 0) continue;
      if (a.escaped) return null; // the library reads such a flag partly from its raw text
      const eq = a.value.indexOf("=");
      flags.push(eq === -1 ? new SimpleFlag(a.value.substring(2), null) : new SimpleFlag(a.value.substring(2, eq), a.value.substring(eq + 1)));
    }
  }
  const args = scanned.slice(flags.length).map((a) => new SimpleArg(a.value));
  const ins: AstInstruction = {
    getKeyword: () => keyword,
    getRange: () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
    getArguments: () => args.slice(),
  };
  if (dashFlags) ins.getFlags = () => flags;
  return ins;
}

/**
 * The common shape only: the escape character appears solely as the continuation mark at the end
 * of a line that has a word before it; other lines are blank, comments without the escape, or the
 * last line without it. (Escapes elsewhere have quirks in how the library cuts instructions.)
 */
function plainContinuation(text: string, esc: string): boolean {
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    const at = l.indexOf(esc);
    if (at === -1) continue;
    if (k === lines.length - 1 || /^\s*#/.test(l)) return false;
    if (at !== l.lastIndexOf(esc) || l.slice(at + 1).trim() !== "" || l.slice(0, at).trim() === "") return false;
  }
  return true;
}

/** Argument values of the text after the keyword (dockerfile-ast's getRawArguments, values only). */
function scanArguments(s: string, esc: string): { value: string; escaped: boolean }[] | null {
  const args: { value: string; escaped: boolean }[] = [];
  let start = false;
  let comment = false;
  let found = -1;
  let escapedWhitespaceDetected = false;
  let escaping = false;
  let escapeMarker = -1;
  let arg = "";
  let argEscaped = false;
  const push = () => {
    args.push({ value: arg, escaped: argEscaped });
    arg = "";
    argEscaped = false;
    found = -1;
  };
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const ch = s[i]!;
    if (ch === " " || ch === "\t" || ch === "\n") {
      if (escaping) {
        escapedWhitespaceDetected = true;
        if (ch === "\n") {
          escapedWhitespaceDetected = false;
          if (comment) {
            comment = false;
            start = true;
          }
        }
        continue;
      } else if (ch === "\n") {
        return null; // the instruction ends here for the library: not one header
      } else if (found !== -1) {
        push();
        escapeMarker = -1;
      }
    } else if (ch === esc) {
      const next = i + 1 < n ? s[i + 1]! : "";
      if (found !== -1) argEscaped = true;
      if (next === " " || next === "\t") {
        // Escape, blanks, newline: a continuation. Escape then blanks then a word has quirks of
        // its own in the library (escapeMarker): leave that header to it.
        let j = i + 2;
        while (j < n && (s[j] === " " || s[j] === "\t")) j++;
        if (j >= n || s[j] !== "\n") return null;
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1) escapeMarker = i;
        i = j;
      } else if (next === "\n") {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i++;
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) push();
        escapeMarker = -1;
        escapedWhitespaceDetected = false;
        escaping = false;
        if (next === "$") arg += ch + next;
        else if (next === "") break;
        else arg += next;
        if (found === -1) found = i;
        argEscaped = true;
        i++;
      }
    } else if (!comment) {
      if (start && ch === "#") comment = true;
      else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) push();
        escapedWhitespaceDetected = false;
        escaping = false;
        escapeMarker = -1;
        arg += ch;
        if (found === -1) found = i;
      }
      start = false;
    }
  }
  if (found !== -1) push();
  return args;
}

/** Tokenises one instruction header (its lines joined with "\n"). */
export function parseHeader(text: string, escapeChar: string, simple = true): ParsedHeader {
  if (simple) {
    const fast = text.indexOf("\n") === -1 ? simpleHeader(text, escapeChar) : continuedHeader(text, escapeChar);
    if (fast) return { ins: fast, lineShift: 0 };
  }
  cacheArgumentScans();
  const prefix = escapeChar !== "\\" ? `# escape=${escapeChar}\n` : "";
  const list = DockerfileParser.parse(prefix + text).getInstructions() as unknown as AstInstruction[];
  return { ins: list[0] ?? null, lineShift: prefix ? 1 : 0 };
}

/** Directives (`# syntax=`, `# escape=`) and the escape character, from the lines before the first instruction. */
export function parseDirectives(preamble: string): { escapeChar: string; syntax: string | null } {
  const df = DockerfileParser.parse(preamble);
  let syntax: string | null = null;
  for (const d of df.getDirectives()) {
    if (d.getName().toLowerCase() === "syntax" && syntax === null) syntax = d.getValue();
  }
  return { escapeChar: df.getEscapeCharacter() || "\\", syntax };
}
