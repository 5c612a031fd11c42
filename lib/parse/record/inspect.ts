/**
 * Text forms that describe a record without its status stream:
 *  - `docker buildx history inspect --format json`: Name, Ref, Context, Dockerfile, Target,
 *    BuildArgs, Config{NoCache, NoCacheFilter, Network, …}, NamedContexts, StartedAt/CompletedAt,
 *    Num*Steps, Materials{URI, Digests}, Error{Code, Message, Name, Logs, Sources, Stack}. The Stack
 *    (base64 Go stack with command lines) and local paths are never kept.
 *  - `docker buildx build --metadata-file`: `buildx.build.ref`, `buildx.build.provenance` (the
 *    provenance predicate when the build made one), image digests.
 * Both give a partial record: statuses and timings per step are not in them.
 */
import { decodeBase64Text, readProvenance } from "./provenance";
import { applySecretPolicy, buildArgsOf } from "./secrets";
import type { DigestAttrs, DigestRecord } from "./types";

type Json = Record<string, unknown>;
const obj = (x: unknown): Json | null => (x && typeof x === "object" && !Array.isArray(x) ? (x as Json) : null);
const str = (x: unknown): string | null => (typeof x === "string" ? x : null);
const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : typeof x === "string" && /^\d+$/.test(x) ? Number(x) : null);

export function isInspectJson(j: Json): boolean {
  return typeof j.Ref === "string" && ("NumTotalSteps" in j || "Status" in j || "StartedAt" in j);
}

export function isMetadataJson(j: Json): boolean {
  return typeof j["buildx.build.ref"] === "string" || obj(j["buildx.build.provenance"]) !== null;
}

function emptyAttrs(): DigestAttrs {
  return { filename: null, target: null, buildArgs: [], noCache: false, noCacheFilter: [], namedContexts: [], network: null, platform: null };
}

export function recordFromInspect(j: Json): DigestRecord {
  const config = obj(j.Config) ?? {};
  const args: Record<string, string> = {};
  const ba = j.BuildArgs;
  if (Array.isArray(ba)) for (const a of ba) if (str(obj(a)?.Name) !== null) args[`build-arg:${str(obj(a)!.Name)}`] = str(obj(a)!.Value) ?? "";
  const attrs = emptyAttrs();
  attrs.buildArgs = buildArgsOf(args);
  attrs.target = str(j.Target);
  attrs.filename = str(j.Dockerfile)?.split("/").pop() ?? null;
  attrs.noCache = config.NoCache === true;
  attrs.noCacheFilter = Array.isArray(config.NoCacheFilter) ? config.NoCacheFilter.filter((x): x is string => typeof x === "string") : [];
  attrs.network = str(config.Network);
  if (Array.isArray(j.NamedContexts))
    for (const n of j.NamedContexts) {
      const name = str(obj(n)?.Name);
      if (name) attrs.namedContexts.push({ name, value: (str(obj(n)?.Value) ?? "").replace(/^(\/[^/]*)*\//, "…/").slice(0, 1024) });
    }
  const materials: DigestRecord["materials"] = [];
  if (Array.isArray(j.Materials))
    for (const m of j.Materials) {
      const uri = str(obj(m)?.URI);
      const ds = obj(m)?.Digests;
      if (uri) materials.push({ uri, digest: Array.isArray(ds) && typeof ds[0] === "string" ? ds[0] : null });
    }
  const e = obj(j.Error);
  let error: DigestRecord["error"] = null;
  const vertices: DigestRecord["vertices"] = [];
  if (e) {
    const message = str(e.Message) ?? "the build failed";
    const exit = /exit code: (\d+)/.exec(message);
    const sources = str(e.Sources) ? decodeBase64Text(str(e.Sources)!) : null;
    const line = sources ? /^\S+:(\d+)/.exec(sources) : null;
    error = { message: message.slice(0, 16384), exitCode: exit ? Number(exit[1]) : null, line: line ? Number(line[1]) : null, vertex: null };
    const name = str(e.Name);
    if (name) {
      const logs = Array.isArray(e.Logs) ? e.Logs.filter((x): x is string => typeof x === "string").slice(-40) : [];
      vertices.push({ digest: "sha256:inspect-error", name, inputs: [], cached: false, error: message, group: null, intervals: [], logs: logs.map((l) => [null, l.slice(0, 4096)]), logLineCount: logs.length, contextBytes: null, pulledBytes: null });
    }
  }
  const status = str(j.Status);
  const r: DigestRecord = {
    ref: (str(j.Ref) ?? "").slice(0, 128),
    name: str(j.Name),
    createdAt: str(j.StartedAt) ?? str(j.CreatedAt),
    completedAt: str(j.CompletedAt),
    status: error ? "failed" : status === "running" ? "incomplete" : status === "canceled" ? "canceled" : "success",
    error,
    attrs,
    counts: { cached: num(j.NumCachedSteps), total: num(j.NumTotalSteps), completed: num(j.NumCompletedSteps), warnings: null },
    vertices,
    warnings: [],
    dockerfile: null,
    ops: [],
    vertexOps: {},
    materials,
    provenance: null,
    notes: ["`history inspect --format json` holds no step list: export the record (`docker buildx history export`) for statuses, timings and causes."],
  };
  return applySecretPolicy(r);
}

export function recordFromMetadata(j: Json): DigestRecord {
  const prov = readProvenance(j["buildx.build.provenance"], null);
  const ref = (str(j["buildx.build.ref"]) ?? "").split("/").pop() ?? "";
  const attrs = emptyAttrs();
  if (prov) {
    attrs.buildArgs = buildArgsOf(prov.args);
    attrs.target = prov.args.target || null;
    attrs.filename = prov.args.filename ?? null;
    attrs.noCache = prov.args["no-cache"] === "";
    attrs.noCacheFilter = prov.args["no-cache"] ? prov.args["no-cache"].split(",") : [];
    for (const [k, v] of Object.entries(prov.args)) if (k.startsWith("context:")) attrs.namedContexts.push({ name: k.slice(8), value: v.slice(0, 1024) });
  }
  const r: DigestRecord = {
    ref: ref.slice(0, 128),
    name: str(j["image.name"])?.split(",")[0] ?? null,
    createdAt: null,
    completedAt: null,
    status: "success",
    error: null,
    attrs,
    counts: { cached: null, total: null, completed: null, warnings: null },
    vertices: [],
    warnings: [],
    dockerfile: prov?.dockerfile ?? null,
    ops: prov?.ops ?? [],
    vertexOps: prov?.vertexOps ?? {},
    materials: prov?.materials ?? [],
    provenance: prov?.version ?? null,
    notes: ["the --metadata-file JSON holds no step statuses or timings: export the record (`docker buildx history export`) for those."],
  };
  return applySecretPolicy(r);
}
