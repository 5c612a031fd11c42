/**
 * The status stream layer (`application/vnd.buildkit.status.v0`): protobuf `StatusResponse`
 * messages, each prefixed by its length as a little-endian uint32. This is what
 * `docker buildx history logs` replays. Only the fields the report needs are read; field numbers
 * are those of moby/buildkit `api/services/control/control.proto` (and `solver/pb/ops.proto` for
 * ProgressGroup / SourceInfo / Range, `google/protobuf/timestamp.proto` for Timestamp):
 *
 *   StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2;
 *                    repeated VertexLog logs = 3; repeated VertexWarning warnings = 4; }
 *   Vertex        { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
 *                   Timestamp started = 5; Timestamp completed = 6; string error = 7;
 *                   pb.ProgressGroup progressGroup = 8; }
 *   VertexStatus  { string ID = 1; string vertex = 2; string name = 3; int64 current = 4;
 *                   int64 total = 5; Timestamp timestamp = 6; Timestamp started = 7; Timestamp completed = 8; }
 *   VertexLog     { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
 *   VertexWarning { string vertex = 1; int64 level = 2; bytes short = 3; repeated bytes detail = 4;
 *                   string url = 5; pb.SourceInfo info = 6; repeated pb.Range ranges = 7; }
 *   pb.ProgressGroup { string id = 1; string name = 2; bool weak = 3; }
 *   pb.Range { Position start = 1; Position end = 2; }   pb.Position { int32 line = 1; int32 character = 2; }
 *   Timestamp { int64 seconds = 1; int32 nanos = 2; }
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** Output lines kept per vertex (the tail), and the longest line kept. */
export const LOG_TAIL_LINES = 40;
export const MAX_LINE = 4096;
/** Most vertices and warnings read from one stream (a real build has tens to a few thousand). */
export const MAX_VERTICES = 20_000;
export const MAX_WARNINGS = 500;
/** Output characters kept over all vertices; past it each vertex keeps its last line only, cut short. */
export const MAX_LOG_CHARS = 8 * 1024 * 1024;

export interface StreamVertex {
  digest: string;
  name: string;
  inputs: string[];
  cached: boolean;
  error: string | null;
  group: { id: string; name: string; weak: boolean } | null;
  /** Run intervals in epoch seconds, keyed by start; end NaN while open. */
  intervals: [number, number][];
  /** Last output lines with their epoch-second timestamps. */
  logs: { t: number; text: string }[];
  logLineCount: number;
  /** `transferring context: N` bytes (the context upload of `load build context`). */
  contextBytes: number | null;
  /** Layers pulled (status ids `sha256:…`): final byte counts. */
  pulled: Record<string, number>;
}

export interface StreamWarning {
  vertex: string | null;
  level: number;
  short: string;
  detail: string[];
  url: string | null;
  /** First range's start/end lines (1-based), null without ranges. */
  line: number | null;
  endLine: number | null;
  /** SourceInfo.filename, null without it. */
  file: string | null;
}

export interface StatusStream {
  vertices: StreamVertex[];
  warnings: StreamWarning[];
  /** Messages read, and whether the stream ended inside one (a cut-off layer). */
  messages: number;
  truncated: boolean;
}

interface VertexAcc extends StreamVertex {
  budget: { chars: number };
  partial: string;
  decoder: TextDecoder;
  intervalByStart: Map<number, number>;
}

const utf8 = new TextDecoder("utf-8");

export function readStatusStream(data: Uint8Array): StatusStream {
  const budget = { chars: 0 };
  const byDigest = new Map<string, VertexAcc>();
  const order: VertexAcc[] = [];
  const warnings: StreamWarning[] = [];
  let messages = 0;
  let truncated = false;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;

  const vertex = (digest: string): VertexAcc | null => {
    let v = byDigest.get(digest);
    if (!v) {
      if (byDigest.size >= MAX_VERTICES) return null;
      v = {
        digest,
        name: "",
        inputs: [],
        cached: false,
        error: null,
        group: null,
        intervals: [],
        logs: [],
        logLineCount: 0,
        contextBytes: null,
        pulled: {},
        partial: "",
        decoder: new TextDecoder("utf-8"),
        intervalByStart: new Map(),
        budget,
      };
      byDigest.set(digest, v);
      order.push(v);
    }
    return v;
  };

  while (pos < data.length) {
    if (pos + 4 > data.length) {
      truncated = true;
      break;
    }
    const len = view.getUint32(pos, true);
    pos += 4;
    if (pos + len > data.length) {
      truncated = true;
      break;
    }
    const msg = data.subarray(pos, pos + len);
    pos += len;
    try {
      readStatusResponse(msg, vertex, warnings);
      messages++;
    } catch {
      truncated = true;
      break;
    }
  }
  for (const v of order) {
    if (v.partial !== "") pushLine(v, v.partial, v.logs.length ? v.logs[v.logs.length - 1].t : NaN);
    v.intervals = [...v.intervalByStart].sort((a, b) => a[0] - b[0]);
  }
  const vertices: StreamVertex[] = order.map((v) => ({
    digest: v.digest,
    name: v.name,
    inputs: v.inputs,
    cached: v.cached,
    error: v.error,
    group: v.group,
    intervals: v.intervals,
    logs: v.logs,
    logLineCount: v.logLineCount,
    contextBytes: v.contextBytes,
    pulled: v.pulled,
  }));
  return { vertices, warnings, messages, truncated };
}

function readStatusResponse(buf: Uint8Array, vertex: (d: string) => VertexAcc | null, warnings: StreamWarning[]): void {
  const r = new BinaryReader(buf);
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (wt !== WireType.LengthDelimited || no < 1 || no > 4) {
      r.skip(wt, no);
      continue;
    }
    const sub = r.bytes();
    if (no === 1) readVertex(sub, vertex);
    else if (no === 2) readVertexStatus(sub, vertex);
    else if (no === 3) readVertexLog(sub, vertex);
    else if (warnings.length < MAX_WARNINGS) warnings.push(readWarning(sub));
  }
}

function timestamp(buf: Uint8Array): number {
  const r = new BinaryReader(buf);
  let seconds = 0;
  let nanos = 0;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.Varint) seconds = Number(r.int64());
    else if (no === 2 && wt === WireType.Varint) nanos = r.int32();
    else r.skip(wt, no);
  }
  return seconds + nanos / 1e9;
}

function readVertex(buf: Uint8Array, vertex: (d: string) => VertexAcc | null): void {
  const r = new BinaryReader(buf);
  let digest = "";
  const inputs: string[] = [];
  let name = "";
  let cached = false;
  let started = NaN;
  let completed = NaN;
  let error = "";
  let group: StreamVertex["group"] = null;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (wt === WireType.LengthDelimited) {
      if (no === 1) digest = r.string();
      else if (no === 2) inputs.push(r.string());
      else if (no === 3) name = r.string();
      else if (no === 5) started = timestamp(r.bytes());
      else if (no === 6) completed = timestamp(r.bytes());
      else if (no === 7) error = r.string();
      else if (no === 8) group = progressGroup(r.bytes());
      else r.skip(wt, no);
    } else if (no === 4 && wt === WireType.Varint) cached = r.bool();
    else r.skip(wt, no);
  }
  if (!digest) return;
  const v = vertex(digest);
  if (!v) return;
  // Every update repeats the whole vertex: the latest wins (as in the rawjson stream).
  if (name) v.name = clip(name);
  if (inputs.length) v.inputs = inputs.slice(0, 256);
  v.cached = cached;
  v.error = error ? clip(error, 4 * MAX_LINE) : null;
  if (group) v.group = group;
  if (started === started) v.intervalByStart.set(started, completed);
}

function progressGroup(buf: Uint8Array): StreamVertex["group"] {
  const r = new BinaryReader(buf);
  const g = { id: "", name: "", weak: false };
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) g.id = r.string();
    else if (no === 2 && wt === WireType.LengthDelimited) g.name = clip(r.string());
    else if (no === 3 && wt === WireType.Varint) g.weak = r.bool();
    else r.skip(wt, no);
  }
  return g.id ? g : null;
}

function readVertexStatus(buf: Uint8Array, vertex: (d: string) => VertexAcc | null): void {
  const r = new BinaryReader(buf);
  let id = "";
  let digest = "";
  let current = 0;
  let total = 0;
  let completed = false;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) id = r.string();
    else if (no === 2 && wt === WireType.LengthDelimited) digest = r.string();
    else if (no === 4 && wt === WireType.Varint) current = Number(r.int64());
    else if (no === 5 && wt === WireType.Varint) total = Number(r.int64());
    else if (no === 8 && wt === WireType.LengthDelimited) {
      r.bytes();
      completed = true;
    } else r.skip(wt, no);
  }
  if (!digest) return;
  const v = vertex(digest);
  if (!v) return;
  if (id.startsWith("transferring context")) v.contextBytes = current;
  else if (id.startsWith("sha256:") && Object.keys(v.pulled).length < 512) v.pulled[id] = completed && total > 0 ? total : current;
}

function readVertexLog(buf: Uint8Array, vertex: (d: string) => VertexAcc | null): void {
  const r = new BinaryReader(buf);
  let digest = "";
  let t = NaN;
  let msg: Uint8Array | null = null;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) digest = r.string();
    else if (no === 2 && wt === WireType.LengthDelimited) t = timestamp(r.bytes());
    else if (no === 4 && wt === WireType.LengthDelimited) msg = r.bytes();
    else r.skip(wt, no);
  }
  if (!digest || !msg) return;
  const v = vertex(digest);
  if (!v) return;
  const text = v.decoder.decode(msg, { stream: true });
  if (text === "") return;
  const parts = (v.partial + text).split("\n");
  v.partial = clip(parts.pop() ?? "", MAX_LINE);
  for (const p of parts) pushLine(v, p, t);
}

function pushLine(v: VertexAcc, text: string, t: number): void {
  v.logLineCount++;
  if (text.indexOf("\r") >= 0) {
    // A terminal shows what was drawn last on the line.
    const parts = text.split("\r").filter((p) => p.length > 0);
    text = parts.length ? parts[parts.length - 1] : "";
  }
  const over = v.budget.chars > MAX_LOG_CHARS;
  const line = clip(text, over ? 256 : MAX_LINE);
  v.logs.push({ t, text: line });
  v.budget.chars += line.length;
  while (v.logs.length > (over ? 1 : LOG_TAIL_LINES)) v.budget.chars -= v.logs.shift()!.text.length;
}

function readWarning(buf: Uint8Array): StreamWarning {
  const r = new BinaryReader(buf);
  const w: StreamWarning = { vertex: null, level: 0, short: "", detail: [], url: null, line: null, endLine: null, file: null };
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) w.vertex = r.string() || null;
    else if (no === 2 && wt === WireType.Varint) w.level = Number(r.int64());
    else if (no === 3 && wt === WireType.LengthDelimited) w.short = clip(utf8.decode(r.bytes()));
    else if (no === 4 && wt === WireType.LengthDelimited) {
      const d = utf8.decode(r.bytes());
      if (w.detail.length < 8) w.detail.push(clip(d));
    } else if (no === 5 && wt === WireType.LengthDelimited) w.url = clip(r.string(), 512) || null;
    else if (no === 6 && wt === WireType.LengthDelimited) w.file = sourceInfoFilename(r.bytes());
    else if (no === 7 && wt === WireType.LengthDelimited) {
      const range = readRange(r.bytes());
      if (w.line === null) {
        w.line = range.start;
        w.endLine = range.end;
      }
    } else r.skip(wt, no);
  }
  return w;
}

/** pb.SourceInfo { string filename = 1; bytes data = 2; Definition definition = 3; string language = 4; } */
function sourceInfoFilename(buf: Uint8Array): string | null {
  const r = new BinaryReader(buf);
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.LengthDelimited) return clip(r.string(), 256) || null;
    r.skip(wt, no);
  }
  return null;
}

function readRange(buf: Uint8Array): { start: number | null; end: number | null } {
  const r = new BinaryReader(buf);
  let start: number | null = null;
  let end: number | null = null;
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if ((no === 1 || no === 2) && wt === WireType.LengthDelimited) {
      const line = positionLine(r.bytes());
      if (no === 1) start = line;
      else end = line;
    } else r.skip(wt, no);
  }
  return { start, end };
}

function positionLine(buf: Uint8Array): number | null {
  const r = new BinaryReader(buf);
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    if (no === 1 && wt === WireType.Varint) return r.int32();
    r.skip(wt, no);
  }
  return null;
}

function clip(s: string, max = MAX_LINE): string {
  return s.length <= max ? s : s.slice(0, max) + "…";
}
