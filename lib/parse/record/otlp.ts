/**
 * The trace layer (`application/vnd.buildkit.otlp.json.v0`): OpenTelemetry spans as concatenated
 * indented JSON objects {Name, StartTime, EndTime, Attributes[{Key, Value{Value}}], Status{Code,
 * Description}}. A span per executed vertex carries the attribute `vertex=<digest>`; a vertex served
 * from the cache has a `load cache: <name>` span instead; `cache request: …` spans are lookups.
 * Used only when a record has no status stream: it gives vertices, times and cached/error, but no
 * inputs and no output.
 */
import type { StreamVertex } from "./status";

export const MAX_SPANS = 50_000;

type Json = Record<string, unknown>;

/** Top-level JSON values of a concatenation, without one giant parse (bounded by MAX_SPANS). */
function* concatenatedJson(text: string): Generator<unknown> {
  let depth = 0;
  let start = -1;
  let inString = false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123) {
      if (depth++ === 0) start = i;
    } else if (c === 125 && depth > 0 && --depth === 0) {
      try {
        yield JSON.parse(text.slice(start, i + 1));
      } catch {
        /* a broken span is skipped */
      }
      if (++count >= MAX_SPANS) return;
    }
  }
}

function seconds(x: unknown): number {
  if (typeof x !== "string") return NaN;
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(x);
  if (!m) return NaN;
  const base = Date.parse(m[1] + m[3]);
  return base / 1000 + (m[2] ? Number(m[2]) : 0);
}

export function readOtlpVertices(data: Uint8Array): StreamVertex[] {
  const text = new TextDecoder("utf-8").decode(data);
  const byDigest = new Map<string, StreamVertex>();
  for (const v of concatenatedJson(text)) {
    const o = v as Json;
    const name = typeof o?.Name === "string" ? o.Name : "";
    if (!name || name.startsWith("cache request: ")) continue;
    const attrs = Array.isArray(o.Attributes) ? (o.Attributes as Json[]) : [];
    const vattr = attrs.find((a) => a && a.Key === "vertex");
    const digest = (vattr?.Value as Json | undefined)?.Value;
    if (typeof digest !== "string") continue;
    const cached = name.startsWith("load cache: ");
    const vname = cached ? name.slice(12) : name;
    let x = byDigest.get(digest);
    if (!x) {
      x = { digest, name: vname.slice(0, 4096), inputs: [], cached, error: null, group: null, intervals: [], logs: [], logLineCount: 0, contextBytes: null, pulled: {} };
      byDigest.set(digest, x);
    }
    if (cached) x.cached = true;
    const st = o.Status as Json | undefined;
    if (st && typeof st.Code === "number" && st.Code !== 0) x.error = (typeof st.Description === "string" && st.Description) || "failed";
    const a = seconds(o.StartTime);
    const b = seconds(o.EndTime);
    if (a === a && !cached) x.intervals.push([a, b === b ? b : NaN]);
    else if (a === a && x.intervals.length === 0) x.intervals.push([a, a]);
  }
  return [...byDigest.values()].map((v) => ({ ...v, intervals: v.intervals.sort((p, q) => p[0] - q[0]) }));
}
