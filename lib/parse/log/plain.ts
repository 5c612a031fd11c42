/**
 * BuildKit `--progress=plain` (spec §2): blocks of `#N …` lines, old (`#N sha256:` digest lines,
 * out-of-order numbers) and new forms, with or without blank lines between blocks (Gitea drops
 * them), several builds per log (split at `#0 building with`), masked ids (`#***`).
 *
 * One pass, first-character dispatch, no regex on the hot path.
 */
import type { Diagnostic } from "../../model/diagnostics";
import { diag } from "../../model/diagnostics";
import type { LogBuild } from "../../model/log";
import { BuildAcc, VertexAcc, own } from "./model";
import { parseProgress, parseSize } from "./size";
import { Trailer } from "./trailer";
import { finishTimes } from "./timing";

/** What the text after `#N ` is. */
const enum Body {
  Name, // header text or a status line, depending on position
  Done,
  Cached,
  Canceled,
  Error,
  Warn,
  Ellipsis,
  Log,
}

/** Status ids that must never be taken for a resumed header with a new name. */
const STATUS_STARTS = [
  "sha256:",
  "extracting ",
  "transferring ",
  "resolve ",
  "exporting ",
  "writing ",
  "naming to ",
  "unpacking ",
  "pushing ",
  "preparing ",
  "sending ",
  "inferred cache",
  "pulling ",
  "creating container",
  "copying ",
  "loading ",
];

export function parsePlain(lines: string[], times: Float64Array | null, diagnostics: Diagnostic[]): LogBuild[] {
  const p = new PlainParser(diagnostics);
  for (let i = 0; i < lines.length; i++) p.line(lines[i], i, times ? times[i] : NaN, lines[i + 1]);
  return p.end();
}

/**
 * One line at a time (index i is 0-based; `next` is the line after it, for the trailer's one-line
 * lookahead; `time` its CI timestamp or NaN). Keeps per build only its vertices (each with a
 * bounded output tail) and counts, so memory does not grow with the length of the log.
 */
export class PlainParser {
  private readonly builds: BuildAcc[] = [];
  private readonly trailer = new Trailer(null);
  private cur: BuildAcc | null = null;
  private prevBlank = true;
  private lastVertex: VertexAcc | null = null;
  private lastWasEllipsis = false;
  private missingHeaderReported: BuildAcc | null = null;
  private timed = false;
  /** Vertices whose output tail took lines since the last detach(). */
  private touched: VertexAcc[] = [];

  constructor(private readonly diagnostics: Diagnostic[]) {}

  line(s: string, i: number, time: number, next: string | undefined): void {
    this.handle(s, i, time, next);
    const b = this.cur;
    if (b === null) return;
    if (time === time) {
      this.timed = true;
      if (b.firstTsLine === 0) {
        b.firstTs = time;
        b.firstTsLine = i + 1;
      }
      b.latestTs = time;
    }
    if (b.lastLine === i + 1) b.lastLineTs = b.latestTs;
  }

  /**
   * Copies the output lines kept since the last call out of the text they were cut from, so the
   * caller's chunk can be collected (a kept slice would hold the whole chunk alive).
   */
  detach(): void {
    for (const v of this.touched) v.detach();
    this.touched.length = 0;
  }

  end(): LogBuild[] {
    if (this.cur) this.closeBuild(this.cur);
    this.detach();
    const out: LogBuild[] = [];
    for (const b of this.builds) {
      finishPlainBuild(b, this.timed, this.diagnostics);
      out.push(b.toBuild());
    }
    return out;
  }

  private startBuild(i: number): BuildAcc {
    if (this.cur) this.closeBuild(this.cur);
    const b = new BuildAcc(this.builds.length + 1, i + 1, false);
    this.trailer.adopt(b);
    this.trailer.reset();
    this.cur = b;
    this.lastVertex = null;
    this.lastWasEllipsis = false;
    return b;
  }

  private closeBuild(b: BuildAcc): void {
    // A `docker buildx inspect --bootstrap` before the build prints its own `#1 [internal] booting
    // buildkit` block (corpus 029). It is not a build of its own.
    if (b.errorMessage === null && b.vertices.length > 0 && b.vertices.every((v) => v.name.endsWith("booting buildkit"))) {
      this.diagnostics.push(diag("info", "log", b.line, "log/bootstrap", "a builder bootstrap (`booting buildkit`) before the build was skipped."));
      return;
    }
    if (b.hasContent()) this.builds.push(b);
    b.index = this.builds.length;
  }

  private handle(s: string, i: number, time: number, next: string | undefined): void {
    const len = s.length;
    if (len === 0) {
      this.prevBlank = true;
      return;
    }
    const c0 = s.charCodeAt(0);
    if (c0 === 35 /* # */) {
      // Vertex id: digits, or `*` where CI masking replaced digits.
      let j = 1;
      let num = 0;
      let numeric = true;
      while (j < len) {
        const c = s.charCodeAt(j);
        if (c >= 48 && c <= 57) num = num * 10 + (c - 48);
        else if (c === 42) numeric = false;
        else break;
        j++;
      }
      if (j > 1 && j < len && s.charCodeAt(j) === 32) {
        if (numeric && num === 0 && j === 2) {
          // `#0 building with "default" instance using docker driver`
          if (s.startsWith("building with ", 3)) {
            const b = this.startBuild(i);
            b.builder = parseBuilder(s);
          }
          this.prevBlank = false;
          return;
        }
        const key = numeric ? num : -1;
        const bodyStart = j + 1;
        const body = classifyBody(s, bodyStart);
        if (!this.cur) this.cur = this.startBuild(i);
        let b: BuildAcc = this.cur;
        let v = b.get(numeric ? "" : s.slice(0, j), key);
        const lastVertex = this.lastVertex;
        const headerPos = this.prevBlank || this.lastWasEllipsis || lastVertex === null || lastVertex !== v;
        if (body === Body.Name && (v === undefined || (headerPos && !looksLikeStatus(s, bodyStart, v)))) {
          const name = s.slice(bodyStart);
          if (v !== undefined && b.ended && v.terminal) {
            // The same ids again after the final line: a new build without a `#0` line.
            b = this.startBuild(i);
            v = undefined;
          }
          if (v === undefined) {
            v = new VertexAcc(s.slice(0, j), numeric ? num : null, name, i + 1);
            v.firstTs = time;
            b.add(v, key);
          } else {
            v.headerCount++;
            v.addName(name);
          }
          if (this.lastWasEllipsis && lastVertex && lastVertex !== v) lastVertex.interrupted = true;
          v.lastLine = i + 1;
          b.lastLine = i + 1;
          b.unplacedInside = b.unplacedCount;
          this.lastVertex = v;
          this.lastWasEllipsis = false;
          this.prevBlank = false;
          return;
        }
        if (v === undefined) {
          // A body line for a vertex whose header is not in the log (the log starts mid-build).
          v = new VertexAcc(s.slice(0, j), numeric ? num : null, "", i + 1);
          v.firstTs = time;
          b.add(v, key);
          if (this.missingHeaderReported !== b) {
            this.missingHeaderReported = b;
            this.diagnostics.push(diag("warning", "log", i + 1, "log/missing-header", `${v.id} has no header line; the log seems to start in the middle of a build.`));
          }
        }
        if (body === Body.Log) {
          if (v.fresh === 0) this.touched.push(v);
          v.pushRaw(s, bodyStart);
        } else applyBody(b, v, s, bodyStart, body, i, time);
        v.lastLine = i + 1;
        b.lastLine = i + 1;
        b.unplacedInside = b.unplacedCount;
        this.lastWasEllipsis = body === Body.Ellipsis;
        this.lastVertex = v;
        this.prevBlank = false;
        return;
      }
    }
    // Not a vertex line.
    this.prevBlank = false;
    if (!this.cur && this.trailer.pendingCommand && c0 === 69 && s.startsWith("ERROR")) this.startBuild(i);
    const b: BuildAcc | null = this.cur;
    if (!this.trailer.handle(s, i, b, next)) {
      if (b && !b.ended) b.noteUnplaced(i + 1);
    } else if (b && (c0 === 69 || c0 === 102 || c0 === 101) && b.errorLine === i + 1) {
      b.lastLine = i + 1;
    }
  }
}

function classifyBody(s: string, k: number): Body {
  const c = s.charCodeAt(k);
  const rest = s.length - k;
  switch (c) {
    case 68 /* D */:
      if (s.startsWith("DONE", k) && (rest === 4 || s.charCodeAt(k + 4) === 32)) return Body.Done;
      break;
    case 67 /* C */:
      if (rest === 6 && s.startsWith("CACHED", k)) return Body.Cached;
      if (rest === 8 && s.startsWith("CANCELED", k)) return Body.Canceled;
      break;
    case 69 /* E */:
      if (s.startsWith("ERROR", k) && (rest === 5 || s.charCodeAt(k + 5) === 58)) return Body.Error;
      break;
    case 87 /* W */:
      if (s.startsWith("WARN: ", k)) return Body.Warn;
      break;
    case 46 /* . */:
      if (rest === 3 && s.startsWith("...", k)) return Body.Ellipsis;
      break;
    default:
      if (c >= 48 && c <= 57 && isStamp(s, k)) return Body.Log;
  }
  return Body.Name;
}

/** `12.345` followed by a space or the end of the line (`1234.` in BuildKit ≤ 0.7). */
function isStamp(s: string, k: number): boolean {
  let i = k;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === k || i >= s.length || s.charCodeAt(i) !== 46) return false;
  i++;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i === s.length || s.charCodeAt(i) === 32;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** At a header position of a known vertex, a status-looking text is still a status. */
function looksLikeStatus(s: string, k: number, v: VertexAcc | undefined): boolean {
  if (!v) return false;
  if (s.length - k === v.name.length && s.endsWith(v.name)) return false;
  for (const p of STATUS_STARTS) if (s.startsWith(p, k)) return true;
  return false;
}

function applyBody(b: BuildAcc, v: VertexAcc, s: string, k: number, body: Body, i: number, time: number): void {
  switch (body) {
    case Body.Log:
      v.pushRaw(s, k);
      return;
    case Body.Done: {
      v.status = "done";
      v.terminal = true;
      v.error = null;
      if (s.length > k + 5) {
        const t = s.endsWith("s") ? Number(s.slice(k + 5, s.length - 1)) : NaN;
        if (Number.isFinite(t)) v.durationSeconds = t;
      }
      v.endTs = time;
      return;
    }
    case Body.Cached:
      v.status = "cached";
      v.terminal = true;
      v.durationSeconds = null;
      v.endTs = time;
      return;
    case Body.Canceled:
      v.status = "canceled";
      v.terminal = true;
      v.durationSeconds = null;
      v.endTs = time;
      return;
    case Body.Error:
      v.status = "error";
      v.terminal = true;
      v.durationSeconds = null;
      v.error = s.length > k + 7 ? own(s.slice(k + 7)) : "";
      v.endTs = time;
      return;
    case Body.Warn:
      v.warnings.push(own(s.slice(k + 6)));
      return;
    case Body.Ellipsis:
      return;
    case Body.Name:
      applyStatus(b, v, s, k, i);
      return;
  }
}

/** Status lines (spec §2.6): layer downloads, context transfer, the old-form digest line. */
function applyStatus(b: BuildAcc, v: VertexAcc, s: string, k: number, i: number): void {
  const c = s.charCodeAt(k);
  if (c === 115 /* s */ && s.startsWith("sha256:", k)) {
    const sp = s.indexOf(" ", k);
    if (sp < 0) {
      // Old form (BuildKit 0.8): `#N sha256:<vertex digest>` under the header.
      if (v.digest === null) v.digest = own(s.slice(k));
      return;
    }
    const p = parseProgress(s.slice(sp + 1));
    if (p) {
      const l = v.layer(s.slice(k, sp));
      l.current = p.current;
      if (p.total !== null) l.total = p.total;
      if (p.done) {
        l.done = true;
        if (l.total === null) l.total = p.current;
      }
    }
    return;
  }
  if (c === 116 /* t */ && s.startsWith("transferring context: ", k)) {
    const start = k + 22;
    const sp = s.indexOf(" ", start);
    const size = parseSize(sp < 0 ? s.slice(start) : s.slice(start, sp));
    if (size !== null) v.transferredBytes = size;
    return;
  }
  if (c === 112 /* p */ && s.startsWith("preparing layers for inline cache", k)) {
    if (b.inlineCacheLine === null) b.inlineCacheLine = i + 1;
  }
}

/** `#0 building with "default" instance using docker driver` */
function parseBuilder(s: string): { name: string; driver: string } | null {
  const m = /^#0 building with "([^"]*)" instance using (\S+) driver/.exec(s);
  return m ? { name: own(m[1]), driver: own(m[2]) } : null;
}

function finishPlainBuild(b: BuildAcc, timed: boolean, diagnostics: Diagnostic[]): void {
  for (const v of b.vertices) {
    if (v.kind === "export" && (v.status === "done" || v.status === "cached")) b.succeeded = true;
  }
  if (timed) finishTimes(b);
  // Unplaced lines before the last vertex line are inside the build output.
  const inside = b.unplacedInside;
  for (const n of b.unplacedFirst.slice(0, Math.min(3, inside))) {
    diagnostics.push(diag("info", "log", n, "log/unplaced-line", "this line inside the build output does not belong to any step; it was ignored."));
  }
  if (inside > 3) {
    diagnostics.push(diag("info", "log", b.unplacedFirst[3], "log/unplaced-line", `${inside - 3} more lines inside the build output were ignored.`));
  }
}
