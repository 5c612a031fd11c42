/**
 * One OCI-layout bundle (`docker buildx history export`) → digest records. `index.json` lists one
 * manifest per record; each manifest's config is the history record JSON
 * (`application/vnd.buildkit.historyrecord.v0`), its layers the status stream, the OTLP trace, the
 * provenance, the result config, or — for a failed build — the rpc status blob.
 */
import type { BundleFiles } from "./container";
import { RecordReadError } from "./container";
import { readProvenance, SLSA_V02, SLSA_V1, type Provenance } from "./provenance";
import { readRpcStatus, type RpcFailure } from "./rpcstatus";
import { readStatusStream, type StatusStream } from "./status";
import { readOtlpVertices } from "./otlp";
import type { DigestAttrs, DigestRecord, DigestVertex, DigestWarning } from "./types";
import { applySecretPolicy, buildArgsOf } from "./secrets";

export const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  record: "application/vnd.buildkit.historyrecord.v0",
  status: "application/vnd.buildkit.status.v0",
  otlp: "application/vnd.buildkit.otlp.json.v0",
  intoto: "application/vnd.in-toto+json",
  rpcStatus: "application/vnd.googeapis.google.rpc.status+proto",
} as const;

/** Most records read from one bundle (`export --all` of a busy builder). */
export const MAX_RECORDS = 500;

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | null => (x && typeof x === "object" && !Array.isArray(x) ? (x as Json) : null);
const str = (x: unknown): string | null => (typeof x === "string" ? x : null);
const utf8 = new TextDecoder("utf-8");

export interface BundleRead {
  records: DigestRecord[];
  /** Per-bundle problems (a manifest that is not a record, a missing blob). */
  notes: string[];
}

function blob(files: BundleFiles, digest: unknown): Uint8Array | null {
  const d = str(digest);
  if (!d) return null;
  const m = /^([a-z0-9]+):([0-9a-f]{32,128})$/.exec(d);
  if (!m) return null;
  return files.get(`blobs/${m[1]}/${m[2]}`) ?? null;
}

function json(bytes: Uint8Array | null): unknown {
  if (!bytes) return null;
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return null;
  }
}

export function readBundle(files: BundleFiles): BundleRead {
  const index = obj(json(files.get("index.json") ?? null));
  if (!index) {
    if (files.has("manifest.json")) throw new RecordReadError("this is a docker image archive (docker save), not a build record.");
    throw new RecordReadError("the archive has no OCI index.json; it is not a build record bundle.");
  }
  const notes: string[] = [];
  // Several records (`export --all`): index.json → one nested index listing a manifest per record.
  const manifests: unknown[] = [];
  const collect = (ix: Json, depth: number) => {
    for (const desc of Array.isArray(ix.manifests) ? ix.manifests : []) {
      const d = obj(desc);
      if (str(d?.mediaType) === MEDIA.index) {
        const nested = depth < 3 ? obj(json(blob(files, d?.digest))) : null;
        if (nested) collect(nested, depth + 1);
        else notes.push("a nested index is missing from the bundle; skipped.");
      } else if (manifests.length <= MAX_RECORDS) manifests.push(desc);
    }
  };
  collect(index, 0);
  const records: DigestRecord[] = [];
  for (const desc of manifests.slice(0, MAX_RECORDS)) {
    const d = obj(desc);
    const manifest = obj(json(blob(files, d?.digest)));
    if (!manifest) {
      notes.push(`manifest ${str(d?.digest)?.slice(0, 19) ?? "?"} is missing from the bundle; skipped.`);
      continue;
    }
    const config = obj(manifest.config);
    const mt = str(config?.mediaType);
    if (mt !== MEDIA.record) {
      notes.push(`a manifest has config media type ${mt ?? "(none)"}, not ${MEDIA.record}; skipped.`);
      continue;
    }
    const rec = obj(json(blob(files, config?.digest)));
    if (!rec) {
      notes.push("a record's config blob is missing or not JSON; skipped.");
      continue;
    }
    records.push(readRecord(files, manifest, rec));
  }
  if (manifests.length > MAX_RECORDS) notes.push(`the bundle holds ${manifests.length} records; the first ${MAX_RECORDS} were read.`);
  if (records.length === 0 && notes.length === 0) notes.push("the bundle's index lists no build record.");
  return { records, notes };
}

function readRecord(files: BundleFiles, manifest: Json, rec: Json): DigestRecord {
  const notes: string[] = [];
  let stream: StatusStream | null = null;
  let prov: Provenance | null = null;
  let failure: RpcFailure | null = null;
  let trace: Uint8Array | null = null;
  const layers = Array.isArray(manifest.layers) ? manifest.layers.map(obj).filter((x): x is Json => !!x) : [];
  const seen = new Set<string>();
  const take = (desc: Json | null) => {
    const mt = str(desc?.mediaType) ?? str(desc?.media_type);
    const digest = str(desc?.digest);
    if (!desc || !mt || !digest || seen.has(digest)) return;
    seen.add(digest);
    const bytes = blob(files, digest);
    if (!bytes) {
      if (mt === MEDIA.status || mt === MEDIA.intoto || mt === MEDIA.rpcStatus) notes.push(`the ${mt} layer is missing from the bundle.`);
      return;
    }
    if (mt === MEDIA.status) stream = readStatusStream(bytes);
    else if (mt === MEDIA.intoto) {
      const pt = str(obj(desc.annotations)?.["in-toto.io/predicate-type"]);
      if (pt && pt !== SLSA_V02 && pt !== SLSA_V1) return; // an SBOM or another attestation
      prov = readProvenance(json(bytes), pt) ?? prov;
    } else if (mt === MEDIA.rpcStatus) failure = readRpcStatus(bytes);
    else if (mt === MEDIA.otlp) trace = bytes;
  };
  for (const l of layers) take(l);
  // The record config names its blobs too (older exports may list fewer layers).
  take(obj(rec.logs) && { ...obj(rec.logs)!, mediaType: MEDIA.status });
  take(obj(rec.externalError) && { ...obj(rec.externalError)!, mediaType: MEDIA.rpcStatus });
  take(obj(rec.trace) && { ...obj(rec.trace)!, mediaType: MEDIA.otlp });
  const atts = obj(rec.Result)?.Attestations;
  if (Array.isArray(atts)) for (const a of atts) take(obj(a));

  let s = stream as StatusStream | null;
  const t = trace as Uint8Array | null;
  if (!s && t) {
    // No status stream: the trace still knows which vertices ran, when, and which came from cache.
    const vertices = readOtlpVertices(t);
    if (vertices.length) {
      s = { vertices, warnings: [], messages: 0, truncated: false };
      notes.push("the record has no status stream; steps, times and cache hits come from its trace (no output, no build graph): a step missing from the trace is shown as not run.");
    }
  }
  const p = prov as Provenance | null;
  const f = failure as RpcFailure | null;
  if (!s) notes.push("the record has no status stream and no trace: step statuses and timings are unknown.");
  else if (s.truncated) notes.push("the status stream is cut off; steps after the cut are missing.");
  const errObj = obj(rec.error);
  const errMessage = f?.message || str(errObj?.message) || null;
  const completedAt = timestamp(rec.CompletedAt);
  let status: DigestRecord["status"] = "success";
  if (errMessage) status = /context canceled|canceled/i.test(errMessage) && !f?.exitCode ? "canceled" : "failed";
  else if (!completedAt) status = "incomplete";
  if (!p && status === "success") notes.push("the record has no provenance (built without max-mode provenance): op contents and the Dockerfile source are unknown.");

  const fa = obj(rec.FrontendAttrs) ?? {};
  const attrs = attrsOf(fa, p?.args ?? {});
  const vertices: DigestVertex[] = (s?.vertices ?? []).map((v) => ({
    digest: v.digest,
    name: v.name,
    inputs: v.inputs,
    cached: v.cached,
    error: v.error,
    group: v.group,
    intervals: v.intervals.map(([a, b]) => [round6(a), b === b ? round6(b) : null] as [number, number | null]),
    logs: v.logs.map((l) => [l.t === l.t ? round6(l.t) : null, l.text] as [number | null, string]),
    logLineCount: v.logLineCount,
    contextBytes: v.contextBytes,
    pulledBytes: Object.keys(v.pulled).length ? Object.values(v.pulled).reduce((a, b) => a + b, 0) : null,
  }));
  const warnings: DigestWarning[] = (s?.warnings ?? []).map((w) => {
    const m = /^([A-Z][A-Za-z]+): (.*)$/s.exec(w.short);
    return { vertex: w.vertex, rule: m ? m[1] : null, message: (m ? m[2] : w.short).replace(/ \(line \d+\)$/, ""), detail: w.detail, url: w.url, line: w.line, endLine: w.endLine };
  });
  const counts = {
    cached: numOrNull(rec.numCachedSteps),
    total: numOrNull(rec.numTotalSteps),
    completed: numOrNull(rec.numCompletedSteps),
    warnings: numOrNull(rec.numWarnings),
  };
  const record: DigestRecord = {
    ref: (str(rec.Ref) ?? "").slice(0, 128),
    name: recordName(rec, attrs),
    createdAt: timestamp(rec.CreatedAt),
    completedAt,
    status,
    error: errMessage ? { message: errMessage.slice(0, 16384), exitCode: f?.exitCode ?? null, line: f?.line ?? null, vertex: f?.vertex ?? null } : null,
    attrs,
    counts,
    vertices,
    warnings,
    dockerfile: p?.dockerfile ?? f?.dockerfile ?? null,
    ops: p?.ops ?? [],
    vertexOps: p?.vertexOps ?? {},
    materials: p?.materials ?? [],
    provenance: p?.version ?? null,
    notes,
  };
  return applySecretPolicy(record);
}

function attrsOf(fa: Json, provArgs: Record<string, string>): DigestAttrs {
  const all: Record<string, string> = { ...provArgs };
  for (const [k, v] of Object.entries(fa)) if (typeof v === "string") all[k] = v;
  const noCacheAttr = all["no-cache"];
  const namedContexts: DigestAttrs["namedContexts"] = [];
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith("context:")) continue;
    namedContexts.push({ name: k.slice(8).slice(0, 256), value: shortenContext(v) });
  }
  return {
    filename: all.filename ?? null,
    target: all.target || null,
    buildArgs: buildArgsOf(all),
    noCache: noCacheAttr !== undefined && noCacheAttr === "",
    noCacheFilter: noCacheAttr ? noCacheAttr.split(",").map((x) => x.trim()).filter(Boolean) : [],
    namedContexts: namedContexts.sort((a, b) => a.name.localeCompare(b.name)),
    network: all["force-network-mode"] ?? null,
    platform: all.platform ?? null,
  };
}

/** Local paths in context values (`local:/home/me/x` in some clients) keep their last segment only. */
function shortenContext(v: string): string {
  const m = /^local:(.*)$/.exec(v);
  if (m && m[1].includes("/")) return `local:…/${m[1].split("/").filter(Boolean).pop() ?? ""}`;
  return v.slice(0, 1024);
}

function recordName(rec: Json, attrs: DigestAttrs): string | null {
  const exporters = Array.isArray(rec.Exporters) ? rec.Exporters : [];
  for (const e of exporters) {
    const name = str(obj(obj(e)?.Attrs)?.name);
    if (name) return name.split(",")[0].slice(0, 256);
  }
  return attrs.target ?? attrs.filename ?? null;
}

function timestamp(x: unknown): string | null {
  const o = obj(x);
  if (o) {
    const s = typeof o.seconds === "number" ? o.seconds : typeof o.seconds === "string" ? Number(o.seconds) : NaN;
    const n = typeof o.nanos === "number" ? o.nanos : 0;
    if (!Number.isFinite(s) || s <= 0) return null;
    return new Date(s * 1000 + Math.floor(n / 1e6)).toISOString();
  }
  if (typeof x === "string" && /^\d{4}-\d\d-\d\dT/.test(x)) return x;
  return null;
}

function numOrNull(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
