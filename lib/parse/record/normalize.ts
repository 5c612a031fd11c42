/**
 * A digest read back from text (a permalink, a stored link, a pasted file) is untrusted: every field
 * is coerced to its type with a bound, so later stages can rely on the shape.
 */
import { DIGEST_VERSION, type DigestOp, type DigestRecord, type DigestVertex, type OpSummary, type RecordDigest } from "./types";

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | null => (x && typeof x === "object" && !Array.isArray(x) ? (x as Json) : null);
const arr = (x: unknown, max: number): unknown[] => (Array.isArray(x) ? x.slice(0, max) : []);
const s = (x: unknown, max = 4096): string | null => (typeof x === "string" ? x.slice(0, max) : null);
const n = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);
const strings = (x: unknown, max: number, len = 4096): string[] => arr(x, max).map((v) => s(v, len)).filter((v): v is string => v !== null);

export function normalizeDigest(j: Json): RecordDigest | null {
  if (j.cachescopeRecord !== DIGEST_VERSION) return null;
  const source = j.source === "inspect-json" || j.source === "metadata-json" ? j.source : "bundle";
  const records = arr(j.records, 500).map(obj).filter((r): r is Json => !!r).map(record);
  return { cachescopeRecord: DIGEST_VERSION, source, records };
}

const STATUSES = new Set(["success", "failed", "canceled", "incomplete"]);

function record(r: Json): DigestRecord {
  const a = obj(r.attrs) ?? {};
  const e = obj(r.error);
  const c = obj(r.counts) ?? {};
  const df = obj(r.dockerfile);
  const vo: Record<string, string> = {};
  const vom = obj(r.vertexOps);
  if (vom) for (const [k, v] of Object.entries(vom).slice(0, 20000)) if (typeof v === "string") vo[k.slice(0, 128)] = v.slice(0, 64);
  return {
    ref: s(r.ref, 128) ?? "",
    name: s(r.name, 256),
    createdAt: s(r.createdAt, 64),
    completedAt: s(r.completedAt, 64),
    status: (STATUSES.has(r.status as string) ? r.status : "incomplete") as DigestRecord["status"],
    error: e ? { message: s(e.message, 16384) ?? "", exitCode: n(e.exitCode), line: n(e.line), vertex: s(e.vertex, 128) } : null,
    attrs: {
      filename: s(a.filename, 512),
      target: s(a.target, 256),
      buildArgs: arr(a.buildArgs, 500)
        .map(obj)
        .filter((x): x is Json => !!x && typeof x.name === "string")
        .map((x) => ({ name: s(x.name, 256)!, value: x.secret === true ? null : s(x.value), secret: x.secret === true, fingerprint: s(x.fingerprint, 32) })),
      noCache: a.noCache === true,
      noCacheFilter: strings(a.noCacheFilter, 100, 256),
      namedContexts: arr(a.namedContexts, 100)
        .map(obj)
        .filter((x): x is Json => !!x && typeof x.name === "string")
        .map((x) => ({ name: s(x.name, 256)!, value: s(x.value, 1024) ?? "" })),
      network: s(a.network, 64),
      platform: s(a.platform, 128),
    },
    counts: { cached: n(c.cached), total: n(c.total), completed: n(c.completed), warnings: n(c.warnings) },
    vertices: arr(r.vertices, 20000).map(obj).filter((v): v is Json => !!v && typeof v.digest === "string").map(vertex),
    warnings: arr(r.warnings, 500)
      .map(obj)
      .filter((w): w is Json => !!w)
      .map((w) => ({ vertex: s(w.vertex, 128), rule: s(w.rule, 128), message: s(w.message) ?? "", detail: strings(w.detail, 8), url: s(w.url, 512), line: n(w.line), endLine: n(w.endLine) })),
    dockerfile: df && typeof df.text === "string" ? { filename: s(df.filename, 512) ?? "Dockerfile", text: s(df.text, 4 * 1024 * 1024)! } : null,
    ops: arr(r.ops, 20000).map(obj).filter((o): o is Json => !!o && typeof o.id === "string").map(op),
    vertexOps: vo,
    materials: arr(r.materials, 1000)
      .map(obj)
      .filter((m): m is Json => !!m && typeof m.uri === "string")
      .map((m) => ({ uri: s(m.uri, 2048)!, digest: s(m.digest, 160) })),
    provenance: r.provenance === "v0.2" || r.provenance === "v1" ? r.provenance : null,
    notes: strings(r.notes, 20, 512),
  };
}

function vertex(v: Json): DigestVertex {
  const g = obj(v.group);
  return {
    digest: s(v.digest, 128)!,
    name: s(v.name) ?? "",
    inputs: strings(v.inputs, 256, 128),
    cached: v.cached === true,
    error: s(v.error, 16384),
    group: g && typeof g.id === "string" ? { id: s(g.id, 128)!, name: s(g.name) ?? "", weak: g.weak === true } : null,
    intervals: arr(v.intervals, 1000)
      .filter((x): x is unknown[] => Array.isArray(x) && n(x[0]) !== null)
      .map((x) => [n(x[0])!, n(x[1])] as [number, number | null]),
    logs: arr(v.logs, 40)
      .filter((x): x is unknown[] => Array.isArray(x) && typeof x[1] === "string")
      .map((x) => [n(x[0]), s(x[1])!] as [number | null, string]),
    logLineCount: n(v.logLineCount) ?? 0,
    contextBytes: n(v.contextBytes),
    pulledBytes: n(v.pulledBytes),
  };
}

function op(o: Json): DigestOp {
  const lines = arr(o.lines, 16)
    .filter((x): x is unknown[] => Array.isArray(x) && n(x[0]) !== null)
    .map((x) => [n(x[0])!, n(x[1]) ?? n(x[0])!] as [number, number]);
  return { id: s(o.id, 64)!, op: opSummary(obj(o.op)), inputs: strings(o.inputs, 64, 64), lines, layer: s(o.layer, 160) };
}

function opSummary(o: Json | null): OpSummary {
  if (!o) return { kind: "other" };
  if (o.kind === "source") {
    const attrs: Record<string, string> = {};
    const a = obj(o.attrs);
    if (a) for (const [k, v] of Object.entries(a).slice(0, 64)) if (typeof v === "string") attrs[k.slice(0, 256)] = v.slice(0, 4096);
    return { kind: "source", identifier: s(o.identifier, 2048) ?? "", attrs };
  }
  if (o.kind === "exec") {
    return {
      kind: "exec",
      args: strings(o.args, 512, 65536),
      env: strings(o.env, 512),
      cwd: s(o.cwd),
      user: s(o.user),
      network: s(o.network, 32),
      mounts: arr(o.mounts, 64)
        .map(obj)
        .filter((m): m is Json => !!m)
        .map((m) => ({ dest: s(m.dest) ?? "", type: s(m.type, 32) ?? "bind", input: n(m.input), selector: s(m.selector), readonly: m.readonly === true, cacheId: s(m.cacheId, 256) })),
    };
  }
  if (o.kind === "file") {
    return {
      kind: "file",
      actions: arr(o.actions, 256)
        .map(obj)
        .filter((a): a is Json => !!a)
        .map((a) => {
          const input = n(a.input);
          if (a.type === "copy") return { type: "copy" as const, src: s(a.src) ?? "", dest: s(a.dest) ?? "", input, secondary: n(a.secondary) };
          if (a.type === "mkdir" || a.type === "rm") return { type: a.type, path: s(a.path) ?? "", input };
          if (a.type === "mkfile") return { type: "mkfile" as const, path: s(a.path) ?? "", input, dataHash: s(a.dataHash, 32) ?? "" };
          return { type: a.type === "symlink" ? ("symlink" as const) : ("other" as const), input };
        }),
    };
  }
  if (o.kind === "merge" || o.kind === "diff" || o.kind === "build") return { kind: o.kind };
  return { kind: "other" };
}
