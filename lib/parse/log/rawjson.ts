/**
 * BuildKit `--progress=rawjson` (spec §3): a stream of `SolveStatus` objects, one per line or
 * pretty-printed. Vertices are grouped by digest; every start/stop repeats the whole vertex, and
 * run intervals are keyed by their `started` time. Duration = merged interval sum (what the plain
 * printer prints as `DONE`), start/end are exact. Non-JSON lines (the stderr trailer) go through
 * the same trailer rules as plain logs.
 */
import type { Diagnostic } from "../../model/diagnostics";
import { diag } from "../../model/diagnostics";
import type { LogBuild, VertexStatus } from "../../model/log";
import { OUTPUT_TAIL_LINES } from "../../model/log";
import { scanJsonValues } from "./jsonvalues";
import { BuildAcc, VertexAcc } from "./model";
import { Trailer } from "./trailer";
import { isoOf, roundSeconds } from "./timing";
import { isoPrefixLength, parseIsoSeconds } from "./unwrap";

interface RawVertex {
  digest: string;
  name: string;
  inputs: string[];
  cached: boolean;
  error: string | null;
  group: { id: string; name: string; weak: boolean } | null;
  /** started (text) → [startSeconds, completedSeconds | NaN]. */
  intervals: Map<string, [number, number]>;
  order: number;
  line: number;
  lastLine: number;
  /** Collected output, statuses and warnings. */
  acc: VertexAcc;
  /** Recent `logs` entries: enough to rebuild the output tail (see onLog). */
  chunks: (LogChunk | null)[];
  chunkHead: number;
  chunkDropped: boolean;
  windowNewlines: number;
  totalNewlines: number;
  /** Start of the latest interval, for log offsets. */
  lastStart: number;
}

type Json = Record<string, unknown>;

interface LogChunk {
  data: string;
  ts: number;
  /** The vertex's latest start when the entry arrived (output stamps are relative to it). */
  lastStart: number;
  newlines: number;
}

/** Newlines kept per vertex: the output tail, plus the line the oldest kept entry ends. */
const KEEP_NEWLINES = OUTPUT_TAIL_LINES + 1;

export interface RawJsonOptions {
  /**
   * Base64 → bytes. Defaults to the platform's `Uint8Array.fromBase64` where it exists, else a
   * table loop.
   */
  decodeBase64?: (data: string) => Uint8Array;
  /**
   * Makes a streaming base64 → UTF-8 text decoder for one vertex's output (a character split
   * across two log entries is kept for the next call). The CLI passes Node's native one (lib/
   * cannot name Buffer); the default decodes ASCII chunks directly and others with TextDecoder.
   */
  base64TextDecoder?: () => (data: string) => string;
  /** How many `\n` the decoded data holds (the CLI counts in Node's native buffers). */
  countBase64Newlines?: (data: string) => number;
}

export function parseRawJson(lines: string[], diagnostics: Diagnostic[], options: RawJsonOptions = {}): LogBuild[] {
  const base64 = options.decodeBase64 ?? platformBase64;
  const newTextDecoder = options.base64TextDecoder ?? (() => base64Text(base64));
  const countNewlines = options.countBase64Newlines ?? ((data: string) => newlinesIn(base64(data)));
  const trailer = new Trailer(lines);
  let build = new BuildAcc(1, 1, false);
  build.exact = true;
  let byDigest = new Map<string, RawVertex>();
  const builds: LogBuild[] = [];
  /** The current build ran a step (`[… i/n] …`) and then its export: a new build definition now starts another build. */
  let sawStep = false;
  let sawExport = false;
  const dateCache = { key: -1, epoch: 0 };
  let streamEnd = NaN;
  let firstLine = 0;
  let lastLine = 0;
  let badCount = 0;

  const seconds = (t: unknown): number => {
    if (typeof t !== "string" || isoPrefixLength(t) === 0) return NaN;
    const x = parseIsoSeconds(t, dateCache);
    if (!(x <= streamEnd)) streamEnd = x;
    return x;
  };

  const vertexFor = (digest: string, line: number): RawVertex => {
    let v = byDigest.get(digest);
    if (!v) {
      v = {
        digest,
        name: "",
        inputs: [],
        cached: false,
        error: null,
        group: null,
        intervals: new Map(),
        order: byDigest.size,
        line,
        lastLine: line,
        acc: new VertexAcc(digest, null, "", line),
        chunks: [],
        chunkHead: 0,
        chunkDropped: false,
        windowNewlines: 0,
        totalNewlines: 0,
        lastStart: NaN,
      };
      byDigest.set(digest, v);
    }
    v.lastLine = line;
    return v;
  };

  const onVertex = (o: Json, line: number): void => {
    if (typeof o.digest !== "string") return;
    const v = vertexFor(o.digest, line);
    if (typeof o.name === "string" && o.name !== "") {
      v.name = o.name;
      if (!sawStep && STEP_NAME.test(o.name)) sawStep = true;
      else if (sawStep && o.name.startsWith("exporting ")) sawExport = true;
    }
    if (Array.isArray(o.inputs)) v.inputs = o.inputs.filter((x): x is string => typeof x === "string");
    v.cached = o.cached === true;
    v.error = typeof o.error === "string" && o.error !== "" ? o.error : null;
    const pg = o.progressGroup as Json | undefined;
    if (pg && typeof pg === "object" && typeof pg.id === "string") {
      v.group = { id: pg.id, name: typeof pg.name === "string" ? pg.name : "", weak: pg.weak === true };
    }
    if (typeof o.started === "string") {
      const st = seconds(o.started);
      const done = seconds(o.completed);
      v.intervals.set(o.started, [st, done]);
      if (st === st && !(st <= v.lastStart)) v.lastStart = st;
    }
  };

  const onStatus = (o: Json, line: number): void => {
    if (typeof o.vertex !== "string" || typeof o.id !== "string") return;
    const v = vertexFor(o.vertex, line);
    seconds(o.timestamp);
    const id = o.id;
    const current = typeof o.current === "number" ? o.current : 0;
    const total = typeof o.total === "number" && o.total > 0 ? o.total : null;
    if (id.startsWith("sha256:")) {
      const l = v.acc.layer(id);
      l.current = current;
      if (total !== null) l.total = total;
      if (typeof o.completed === "string") {
        l.done = true;
        if (l.total === null) l.total = current;
      }
    } else if (id.startsWith("transferring")) {
      if (id.startsWith("transferring context")) v.acc.transferredBytes = current;
    } else if (id.startsWith("preparing layers for inline cache")) {
      if (build.inlineCacheLine === null) build.inlineCacheLine = line;
    }
  };

  // Output is decoded lazily: per vertex only the newlines are counted as the log streams by, and
  // the last entries that hold the output tail are kept; they are decoded once, at the end.
  const onLog = (o: Json, line: number): void => {
    if (typeof o.vertex !== "string" || typeof o.data !== "string") return;
    const v = vertexFor(o.vertex, line);
    const ts = seconds(o.timestamp);
    const newlines = countNewlines(o.data);
    v.totalNewlines += newlines;
    v.windowNewlines += newlines;
    v.chunks.push({ data: o.data, ts, lastStart: v.lastStart, newlines });
    // Drop entries from the front while the rest still holds enough lines for the tail.
    while (v.chunkHead < v.chunks.length - 1 && v.windowNewlines - v.chunks[v.chunkHead]!.newlines >= KEEP_NEWLINES) {
      v.windowNewlines -= v.chunks[v.chunkHead]!.newlines;
      v.chunks[v.chunkHead] = null;
      v.chunkHead++;
    }
    if (v.chunkHead > 64 && v.chunkHead * 2 > v.chunks.length) {
      v.chunks = v.chunks.slice(v.chunkHead);
      v.chunkDropped = true;
      v.chunkHead = 0;
    }
  };

  /** Decodes a vertex's kept entries into its output tail, as if every line had been read. */
  const materialize = (v: RawVertex): void => {
    const dropFirst = v.chunkDropped || v.chunkHead > 0;
    const decode = newTextDecoder();
    let partial = "";
    let skip = dropFirst;
    const push = (text: string, c: LogChunk) => {
      if (skip) skip = false; // the end of a line that began in an entry no longer kept
      else pushLogLine(v, text, c.ts, c.lastStart);
    };
    for (let k = v.chunkHead; k < v.chunks.length; k++) {
      const c = v.chunks[k]!;
      const text = decode(c.data);
      if (text === "") continue;
      let nl = text.indexOf("\n");
      if (nl === -1) {
        partial += text;
        continue;
      }
      push(partial === "" ? text.slice(0, nl) : partial + text.slice(0, nl), c);
      let pos = nl + 1;
      while ((nl = text.indexOf("\n", pos)) !== -1) {
        push(text.slice(pos, nl), c);
        pos = nl + 1;
      }
      partial = text.slice(pos);
    }
    if (partial !== "") pushLogLine(v, partial, NaN, NaN);
    v.acc.outputLineCount = v.totalNewlines + (partial !== "" ? 1 : 0);
    v.chunks = [];
    v.chunkHead = 0;
  };

  const onWarning = (o: Json, line: number): void => {
    const short = typeof o.short === "string" ? newTextDecoder()(o.short) : "";
    if (!short) return;
    if (typeof o.vertex === "string") vertexFor(o.vertex, line).acc.warnings.push(short);
    else build.addWarning(short, line);
  };

  scanJsonValues(lines, {
    value(value, line) {
      if (!value || typeof value !== "object" || Array.isArray(value)) return;
      const o = value as Json;
      if (firstLine === 0) firstLine = line;
      lastLine = line;
      if (o.vertexes !== undefined) {
        if (sawExport && startsNewBuild(o.vertexes, byDigest)) nextBuild();
        each(o.vertexes, onVertex, line);
      }
      if (o.statuses !== undefined) each(o.statuses, onStatus, line);
      if (o.logs !== undefined) each(o.logs, onLog, line);
      if (o.warnings !== undefined) each(o.warnings, onWarning, line);
    },
    other(s, index) {
      if (s.length === 0) return;
      if (trailer.handle(s, index, firstLine > 0 ? build : null)) {
        if (build.errorLine === index + 1) lastLine = index + 1;
      }
    },
    bad(line, truncated) {
      badCount++;
      if (badCount <= 3) {
        diagnostics.push(
          truncated
            ? diag("warning", "log", line, "log/truncated-json", "this JSON object is cut off; the log seems truncated.")
            : diag("warning", "log", line, "log/bad-json", "this JSON object could not be read; it was skipped."),
        );
      }
    },
  });
  if (firstLine === 0 && build.errorMessage === null) return builds;
  trailer.adopt(build);
  finishBuild();
  return builds;

  function finishBuild(): void {
    for (const v of byDigest.values()) materialize(v);
    build.line = firstLine || 1;
    build.lastLine = Math.max(lastLine, build.errorLine ?? 0);
    finishRaw(build, byDigest, streamEnd);
    for (const v of build.vertices) if (v.kind === "export" && v.status === "done") build.succeeded = true;
    builds.push(build.toBuild());
  }

  /** Two builds in one stream (`docker buildx build … ; docker buildx build …` into one file). */
  function nextBuild(): void {
    finishBuild();
    build = new BuildAcc(builds.length + 1, lastLine + 1, false);
    build.exact = true;
    byDigest = new Map();
    streamEnd = NaN;
    firstLine = 0;
    sawStep = false;
    sawExport = false;
  }
}

const STEP_NAME = /^\[[^\]]*\d+\/\d+\] /;
const BUILD_DEFINITION = /^\[internal\] load build definition from /;

/** A build's first vertex: a `[internal] load build definition` the current build has not seen. */
function startsNewBuild(vertexes: unknown, byDigest: Map<string, RawVertex>): boolean {
  if (!Array.isArray(vertexes)) return false;
  for (const o of vertexes as Json[]) {
    if (o && typeof o.digest === "string" && typeof o.name === "string" && BUILD_DEFINITION.test(o.name) && !byDigest.has(o.digest)) return true;
  }
  return false;
}

/** Calls f on every object of a list (anything else in the list is skipped). */
function each(x: unknown, f: (o: Json, line: number) => void, line: number): void {
  if (!Array.isArray(x)) return;
  for (let i = 0; i < x.length; i++) {
    const e: unknown = x[i];
    if (e && typeof e === "object") f(e as Json, line);
  }
}

function pushLogLine(v: RawVertex, text: string, ts: number, lastStart: number): void {
  const t = ts === ts && lastStart === lastStart ? Math.max(0, ts - lastStart) : NaN;
  v.acc.pushTimed(text, t);
}

const B64 = (() => {
  const t = new Int16Array(128).fill(-1);
  const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < a.length; i++) t[a.charCodeAt(i)] = i;
  t[45] = 62; // '-' (URL-safe alphabet)
  t[95] = 63; // '_'
  return t;
})();

const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string, o?: { lastChunkHandling?: string }) => Uint8Array }).fromBase64;

/** The platform's decoder when it has one (strict: falls back to the loop on odd input). */
function platformBase64(data: string): Uint8Array {
  if (fromBase64) {
    try {
      return fromBase64(data, { lastChunkHandling: "loose" });
    } catch {
      /* URL-safe alphabet, stray whitespace…: the forgiving loop below */
    }
  }
  return base64Bytes(data);
}

/** Standard base64 → bytes; characters outside the alphabet (padding, whitespace) are skipped. */
export function base64Bytes(data: string): Uint8Array {
  const out = new Uint8Array(Math.floor((data.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    const v = c < 128 ? B64[c] : -1;
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

/**
 * Streaming base64 → text for one output stream. Most build output is ASCII: such chunks become a
 * string straight from their bytes (a TextDecoder call per small chunk costs far more than the
 * chunk); from the first non-ASCII byte on, the stream goes through one streaming TextDecoder.
 */
function base64Text(base64: (s: string) => Uint8Array): (data: string) => string {
  let decoder: TextDecoder | null = null;
  return (data) => {
    const bytes = base64(data);
    if (decoder === null && isAscii(bytes)) return asciiString(bytes);
    if (decoder === null) decoder = new TextDecoder("utf-8");
    return decoder.decode(bytes, { stream: true });
  };
}

function newlinesIn(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
  return n;
}

function isAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false;
  return true;
}

function asciiString(b: Uint8Array): string {
  if (b.length <= 4096) return String.fromCharCode.apply(null, b as unknown as number[]);
  let s = "";
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

/** Sum of merged intervals; open intervals run to the end of the stream. */
function mergedSum(intervals: [number, number][], streamEnd: number): { sum: number; start: number; end: number } {
  const xs = intervals
    .filter((x) => x[0] === x[0])
    .map(([a, b]) => [a, b === b ? b : Math.max(a, streamEnd === streamEnd ? streamEnd : a)] as [number, number])
    .sort((p, q) => p[0] - q[0]);
  let sum = 0;
  let curA = NaN;
  let curB = NaN;
  let end = NaN;
  for (const [a, b] of xs) {
    if (curA !== curA) {
      curA = a;
      curB = b;
    } else if (a <= curB) {
      if (b > curB) curB = b;
    } else {
      sum += curB - curA;
      curA = a;
      curB = b;
    }
    if (!(b <= end)) end = b;
  }
  if (curA === curA) sum += curB - curA;
  return { sum, start: xs.length > 0 ? xs[0][0] : NaN, end };
}

function finishRaw(build: BuildAcc, byDigest: Map<string, RawVertex>, streamEnd: number): void {
  // Progress groups (`COPY --link`): the printer shows one entry per group id.
  const groups = new Map<string, RawVertex[]>();
  for (const v of byDigest.values()) {
    if (v.group && v.group.id) {
      const g = groups.get(v.group.id);
      if (g) g.push(v);
      else groups.set(v.group.id, [v]);
    }
  }
  const memberOf = new Map<string, string>();
  for (const [id, members] of groups) for (const m of members) memberOf.set(m.digest, id);

  // Contract unnamed vertices out of the input lists.
  const resolveInputs = (inputs: string[], seen: Set<string>): string[] => {
    const out: string[] = [];
    for (const d of inputs) {
      if (seen.has(d)) continue;
      seen.add(d);
      const u = byDigest.get(d);
      if (u && u.name === "" && !u.group) out.push(...resolveInputs(u.inputs, seen));
      else out.push(memberOf.get(d) ?? d);
    }
    return out;
  };

  interface Entry {
    id: string;
    digest: string;
    name: string;
    members: RawVertex[];
  }
  const entries: Entry[] = [];
  const emittedGroups = new Set<string>();
  for (const v of byDigest.values()) {
    if (v.group && v.group.id) {
      if (emittedGroups.has(v.group.id)) continue;
      emittedGroups.add(v.group.id);
      const members = groups.get(v.group.id)!;
      const name = v.group.name || members.find((m) => m.name)?.name || "";
      entries.push({ id: v.group.id, digest: v.group.id, name, members });
    } else if (v.name !== "") {
      entries.push({ id: v.digest, digest: v.digest, name: v.name, members: [v] });
    }
  }

  let buildStart = NaN;
  const shown: { e: Entry; start: number; acc: VertexAcc }[] = [];
  for (const e of entries) {
    const started = e.members.filter((m) => m.intervals.size > 0 && !(m.group?.weak && e.members.length > 1));
    const anyStarted = started.length > 0 || e.members.some((m) => m.cached || m.error !== null);
    if (!anyStarted) continue; // never started: the plain printer never shows it either
    const intervals: [number, number][] = [];
    for (const m of e.members) for (const x of m.intervals.values()) intervals.push(x);
    const { sum, start, end } = mergedSum(intervals, streamEnd);
    const cached = e.members.every((m) => m.cached || (m.group?.weak ?? false)) && e.members.some((m) => m.cached);
    const error = e.members.find((m) => m.error !== null)?.error ?? null;
    const open = e.members.some((m) => [...m.intervals.values()].some((x) => x[1] !== x[1]));
    let status: VertexStatus;
    if (error !== null) status = /context canceled$/.test(error) ? "canceled" : "error";
    else if (cached) status = "cached";
    else if (intervals.length > 0 && !open) status = "done";
    else status = "running";

    // Output/statuses/warnings were collected on each member's accumulator; use the first with data.
    const first = e.members[0];
    const acc = new VertexAcc(e.id, null, e.name, Math.min(...e.members.map((m) => m.line)));
    acc.lastLine = Math.max(...e.members.map((m) => m.lastLine));
    const withOutput = e.members.find((m) => m.acc.outputLineCount > 0) ?? first;
    acc.adoptOutput(withOutput.acc);
    for (const m of e.members) {
      if (m.acc.layers) for (const [d, l] of m.acc.layers) Object.assign(acc.layer(d), l);
      if (m.acc.transferredBytes !== null) acc.transferredBytes = m.acc.transferredBytes;
      acc.warnings.push(...m.acc.warnings);
    }
    acc.digest = e.digest;
    const ownMembers = new Set(e.members.map((m) => m.digest));
    acc.inputs = resolveInputs(
      e.members.flatMap((m) => m.inputs).filter((d) => !ownMembers.has(d)),
      new Set(ownMembers),
    ).filter((d, k, all) => all.indexOf(d) === k && d !== e.id);
    acc.status = status;
    acc.terminal = status !== "running";
    acc.error = error;
    acc.durationSeconds = status === "done" ? roundSeconds(sum) : null;
    if (start === start && !(start >= buildStart)) buildStart = start;
    shown.push({ e, start, acc });
    acc.firstTs = start;
    acc.endTs = status === "running" ? NaN : end;
  }
  // Plain-like order: by first start, then by first appearance.
  shown.sort((p, q) => {
    const a = p.start === p.start ? p.start : Infinity;
    const b = q.start === q.start ? q.start : Infinity;
    return a - b || p.e.members[0].order - q.e.members[0].order;
  });
  let buildEnd = NaN;
  for (const { acc } of shown) {
    if (buildStart === buildStart) {
      if (acc.firstTs === acc.firstTs) acc.startSeconds = roundSeconds(acc.firstTs - buildStart);
      if (acc.endTs === acc.endTs) {
        acc.endSeconds = roundSeconds(acc.endTs - buildStart);
        if (!(acc.endTs <= buildEnd)) buildEnd = acc.endTs;
      }
    }
    build.add(acc, -1);
  }
  if (buildStart === buildStart) {
    build.startedAt = isoOf(buildStart);
    const end = buildEnd === buildEnd ? buildEnd : streamEnd;
    build.durationSeconds = end === end ? roundSeconds(end - buildStart) : null;
  }
}
