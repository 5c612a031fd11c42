/**
 * Mutable accumulators shared by the plain, rawjson and legacy parsers, and their conversion to
 * the plain-data contract (`LogVertex`, `LogBuild`). Output is kept as a fixed-size ring so a
 * vertex with a million output lines costs forty slots.
 */
import type { CacheImport, LogBuild, LogLine, LogVertex, StepLabel, VertexKind, VertexStatus } from "../../model/log";
import { OUTPUT_TAIL_LINES } from "../../model/log";
import type { BuildCommand } from "./command";
import { cacheExportKind, cacheImportRef, classifyVertex, parseStepLabel } from "./label";

/** Longest name, output line or message kept (a 50 MB single line must not be echoed back). */
export const MAX_TEXT = 4096;

export function clip(s: string, max = MAX_TEXT): string {
  return s.length <= max ? s : s.slice(0, max) + "…";
}

/**
 * A copy of s that does not point into the text it was cut from. V8 keeps a slice of 13 or more
 * characters as a view of its parent, so one kept name would hold a whole streamed chunk alive;
 * flattening a concatenation makes a fresh string.
 */
export function own(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

export interface LayerProgress {
  current: number;
  total: number | null;
  done: boolean;
}

export class VertexAcc {
  id: string;
  number: number | null;
  name: string;
  otherNames: string[] | null = null;
  kind: VertexKind;
  label: StepLabel | null;
  legacyStep: { index: number; of: number } | null = null;
  status: VertexStatus = "running";
  /** A terminal line (DONE/CACHED/ERROR/CANCELED) was seen. */
  terminal = false;
  durationSeconds: number | null = null;
  startSeconds: number | null = null;
  endSeconds: number | null = null;
  /** Epoch seconds from CI timestamps of the first header and of the last terminal line. */
  firstTs = NaN;
  endTs = NaN;
  digest: string | null = null;
  inputs: string[] = [];
  error: string | null = null;
  // Output ring: raw line + offset of the `<t> <text>` part (plain), or the text itself with -1.
  private ringLine: string[] = [];
  private ringOff: number[] = [];
  /** Seconds of a text entry (off -1) when known, else NaN. */
  private ringT: number[] = [];
  private ringPos = 0;
  /** Lines pushed since the last detach() (at most OUTPUT_TAIL_LINES matter). */
  fresh = 0;
  outputLineCount = 0;
  layers: Map<string, LayerProgress> | null = null;
  transferredBytes: number | null = null;
  warnings: string[] = [];
  line: number;
  lastLine: number;
  headerCount = 1;
  interrupted = false;

  constructor(id: string, number: number | null, name: string, line: number) {
    this.id = own(clip(id, 256));
    this.number = number;
    name = own(clip(name));
    this.name = name;
    this.line = line;
    this.lastLine = line;
    this.label = parseStepLabel(name);
    this.kind = classifyVertex(name, this.label);
  }

  rename(name: string): void {
    name = own(clip(name));
    this.name = name;
    this.label = parseStepLabel(name);
    this.kind = classifyVertex(name, this.label);
  }

  addName(name: string): void {
    name = clip(name);
    if (name === this.name) return;
    name = own(name);
    if (this.name === "") {
      this.rename(name);
      return;
    }
    if (!this.otherNames) this.otherNames = [];
    if (!this.otherNames.includes(name)) this.otherNames.push(name);
  }

  /** Plain log line: `off` is where `<t> <text>` starts inside `raw`. */
  pushRaw(raw: string, off: number, t = NaN): void {
    this.outputLineCount++;
    this.fresh++;
    if (this.ringLine.length < OUTPUT_TAIL_LINES) {
      this.ringLine.push(raw);
      this.ringOff.push(off);
      this.ringT.push(t);
      return;
    }
    this.ringLine[this.ringPos] = raw;
    this.ringOff[this.ringPos] = off;
    this.ringT[this.ringPos] = t;
    this.ringPos = (this.ringPos + 1) % OUTPUT_TAIL_LINES;
  }

  /** Makes the lines pushed since the last call own their text (see own()). */
  detach(): void {
    const n = this.ringLine.length;
    const k = Math.min(this.fresh, n);
    for (let j = 1; j <= k; j++) {
      const idx = n < OUTPUT_TAIL_LINES ? n - j : (this.ringPos - j + OUTPUT_TAIL_LINES) % OUTPUT_TAIL_LINES;
      this.ringLine[idx] = own(this.ringLine[idx]);
    }
    this.fresh = 0;
  }

  /** Output text without a relative stamp (legacy, rawjson). */
  pushText(text: string): void {
    this.pushRaw(text, -1);
  }

  /** Output text with its seconds since the vertex started (rawjson), NaN when unknown. */
  pushTimed(text: string, t: number): void {
    this.pushRaw(text, -1, t);
  }

  /** Takes over another accumulator's output tail (rawjson progress groups). */
  adoptOutput(other: VertexAcc): void {
    this.ringLine = other.ringLine.slice();
    this.ringOff = other.ringOff.slice();
    this.ringT = other.ringT.slice();
    this.ringPos = other.ringPos;
    this.outputLineCount = other.outputLineCount;
  }

  layer(id: string): LayerProgress {
    if (!this.layers) this.layers = new Map();
    let l = this.layers.get(id);
    if (!l) {
      l = { current: 0, total: null, done: false };
      this.layers.set(own(id), l);
    }
    return l;
  }

  output(): LogLine[] {
    const n = this.ringLine.length;
    const out: LogLine[] = [];
    for (let k = 0; k < n; k++) {
      const idx = n < OUTPUT_TAIL_LINES ? k : (this.ringPos + k) % OUTPUT_TAIL_LINES;
      out.push(toLogLine(this.ringLine[idx], this.ringOff[idx], this.ringT[idx]));
    }
    return out;
  }

  toVertex(): LogVertex {
    let pulledBytes = 0;
    const pulledLayers: { digest: string; bytes: number }[] = [];
    if (this.layers) {
      for (const [digest, l] of this.layers) {
        const bytes = l.done && l.total !== null ? l.total : l.current;
        pulledBytes += bytes;
        pulledLayers.push({ digest, bytes });
      }
    }
    const v: LogVertex = {
      id: this.id,
      number: this.number,
      name: this.name,
      kind: this.kind,
      label: this.label,
      legacyStep: this.legacyStep,
      status: this.status,
      durationSeconds: this.durationSeconds,
      startSeconds: this.startSeconds,
      endSeconds: this.endSeconds,
      digest: this.digest,
      inputs: this.inputs,
      error: this.error === null ? null : clip(this.error, 4 * MAX_TEXT),
      output: this.output(),
      outputLineCount: this.outputLineCount,
      pulledBytes,
      transferredBytes: this.transferredBytes,
      pulledLayers,
      warnings: this.warnings.map((w) => clip(w)),
      line: this.line,
      lastLine: this.lastLine,
      headerCount: this.headerCount,
      interrupted: this.interrupted,
    };
    if (this.otherNames) v.otherNames = this.otherNames;
    return v;
  }
}

/** `12.34 text` → {t: 12.34, text}; a bare `\r` redraw keeps what a terminal would show last. */
function toLogLine(raw: string, off: number, t0: number): LogLine {
  // Rounded as a printed `12.345` stamp would be.
  if (off < 0) return { t: t0 === t0 ? Number(t0.toFixed(3)) : null, text: clip(lastRedraw(raw)) };
  let i = off;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 46) i++;
    else break;
  }
  const t = i > off ? Number(raw.slice(off, i)) : NaN;
  const text = i < raw.length ? raw.slice(i + 1) : "";
  return { t: Number.isFinite(t) ? t : null, text: clip(lastRedraw(text)) };
}

function lastRedraw(s: string): string {
  if (s.indexOf("\r") < 0) return s;
  const parts = s.split("\r");
  for (let k = parts.length - 1; k >= 0; k--) if (parts[k].length > 0) return parts[k];
  return "";
}

export class BuildAcc {
  index: number;
  line: number;
  lastLine: number;
  builder: { name: string; driver: string } | null = null;
  vertices: VertexAcc[] = [];
  /** Numeric ids (plain) → vertex; other ids in byKey. */
  byNum: (VertexAcc | undefined)[] = [];
  byKey = new Map<string, VertexAcc>();
  errorMessage: string | null = null;
  errorLine: number | null = null;
  errorSource: { file: string; line: number } | null = null;
  extraImports: CacheImport[] = [];
  inlineCacheLine: number | null = null;
  warnings: { message: string; line: number }[] = [];
  command: BuildCommand | null = null;
  legacy: boolean;
  /** Final error line seen: a vertex header repeated after it starts a new build. */
  ended = false;
  /** A success marker was seen (`Successfully built`, `naming to`, exporter DONE). */
  succeeded = false;
  /** Exact interval timing (rawjson). */
  exact = false;
  durationSeconds: number | null = null;
  startedAt: string | null = null;
  /** Legacy `Sending build context to Docker daemon  4.096kB`. */
  legacyContextBytes: number | null = null;
  /** Lines inside the progress stream that no rule placed: the first few, how many, and how many before the last vertex line. */
  unplacedFirst: number[] = [];
  unplacedCount = 0;
  unplacedInside = 0;
  /** CI timestamps (plain): first one in the build (and its line), the latest, and the latest at lastLine. */
  firstTs = NaN;
  firstTsLine = 0;
  latestTs = NaN;
  lastLineTs = NaN;

  constructor(index: number, line: number, legacy: boolean) {
    this.index = index;
    this.line = line;
    this.lastLine = line;
    this.legacy = legacy;
  }

  get(id: string, num: number): VertexAcc | undefined {
    return num >= 0 ? this.byNum[num] : this.byKey.get(id);
  }

  add(v: VertexAcc, num: number): void {
    this.vertices.push(v);
    if (num >= 0) this.byNum[num] = v;
    else this.byKey.set(v.id, v);
  }

  addWarning(message: string, line: number): void {
    message = clip(message);
    for (const w of this.warnings) if (w.message === message) return;
    this.warnings.push({ message: own(message), line });
  }

  noteUnplaced(lineNo: number): void {
    if (this.unplacedFirst.length < 4) this.unplacedFirst.push(lineNo);
    this.unplacedCount++;
  }

  hasContent(): boolean {
    return this.vertices.length > 0 || this.errorMessage !== null;
  }

  toBuild(): LogBuild {
    const vertices = this.vertices.map((v) => v.toVertex());
    let contextTransferBytes: number | null = null;
    const cacheImports: CacheImport[] = [];
    const cacheExports: { kind: string; line: number }[] = [];
    for (const v of this.vertices) {
      if (v.kind === "internal" && v.transferredBytes !== null && /load build context$/.test(v.name)) {
        contextTransferBytes = (contextTransferBytes ?? 0) + v.transferredBytes;
      } else if (v.kind === "cache-import") {
        cacheImports.push(importFromVertex(v));
      } else if (v.kind === "cache-export") {
        cacheExports.push({ kind: cacheExportKind(v.name), line: v.line });
      }
      for (const w of v.warnings) this.addWarning(w, v.line);
    }
    if (contextTransferBytes === null) contextTransferBytes = this.legacyContextBytes;
    for (const imp of this.extraImports) cacheImports.push(imp);
    if (this.inlineCacheLine !== null) cacheExports.push({ kind: "inline", line: this.inlineCacheLine });
    const b: LogBuild = {
      index: this.index,
      line: this.line,
      lastLine: this.lastLine,
      builder: this.builder,
      vertices,
      outcome: this.outcome(),
      errorMessage: this.errorMessage === null ? null : clip(this.errorMessage, 4 * MAX_TEXT),
      errorLine: this.errorLine,
      contextTransferBytes,
      cacheImports,
      cacheExports,
      warnings: this.warnings,
      durationSeconds: this.durationSeconds,
      timing: this.exact ? "exact" : "estimated",
      startedAt: this.startedAt,
      command: this.command,
      legacy: this.legacy,
    };
    if (this.errorSource) b.errorSource = this.errorSource;
    return b;
  }

  outcome(): LogBuild["outcome"] {
    let vertexError = false;
    let vertexCanceled = false;
    let running = false;
    for (const v of this.vertices) {
      if (v.kind === "cache-import") continue;
      if (v.status === "error") vertexError = true;
      else if (v.status === "canceled") vertexCanceled = true;
      else if (v.status === "running") running = true;
    }
    if (this.errorMessage !== null) {
      if (!vertexError && /cancel/i.test(this.errorMessage)) return "canceled";
      return "failed";
    }
    if (vertexError) return "failed";
    if (vertexCanceled) return "canceled";
    if (this.vertices.length === 0) return "incomplete";
    if (running && !this.succeeded) return "incomplete";
    return "success";
  }
}

function importFromVertex(v: VertexAcc): CacheImport {
  let status: CacheImport["status"] = "unknown";
  if (v.status === "error" || v.status === "canceled") {
    status = v.error && /not found|no such file|does not exist|404/i.test(v.error) ? "not-found" : "error";
  } else if (v.status === "done" || v.status === "cached") status = "ok";
  return { ref: cacheImportRef(v.name), status, message: v.error, line: v.line };
}
