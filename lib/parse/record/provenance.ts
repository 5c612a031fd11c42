/**
 * SLSA provenance as BuildKit writes it into a record (mode=max), v0.2 and v1:
 *   v0.2: predicate.buildConfig.{llbDefinition,digestMapping}, predicate.materials,
 *         predicate.invocation.parameters.args, predicate.metadata["https://mobyproject.org/buildkit@v1#metadata"].{source,layers}
 *   v1:   predicate.buildDefinition.internalParameters.buildConfig.{llbDefinition,digestMapping},
 *         predicate.buildDefinition.resolvedDependencies, predicate.buildDefinition.externalParameters.request.args,
 *         predicate.runDetails.metadata.buildkit_metadata.{source,layers}
 * The layer may be the bare predicate (what the history exporter stores) or an in-toto Statement.
 * Only what decides cache keys is kept of each op (see OpSummary).
 */
import type { DigestOp, FileActionSummary, MountSummary, OpSummary } from "./types";

type Json = Record<string, unknown>;

export const SLSA_V02 = "https://slsa.dev/provenance/v0.2";
export const SLSA_V1 = "https://slsa.dev/provenance/v1";
const BUILDKIT_METADATA_V02 = "https://mobyproject.org/buildkit@v1#metadata";
/** Most ops kept from one definition. */
export const MAX_OPS = 20_000;

export interface Provenance {
  version: "v0.2" | "v1";
  ops: DigestOp[];
  vertexOps: Record<string, string>;
  materials: { uri: string; digest: string | null }[];
  args: Record<string, string>;
  dockerfile: { filename: string; text: string } | null;
}

const obj = (x: unknown): Json | null => (x && typeof x === "object" && !Array.isArray(x) ? (x as Json) : null);
const str = (x: unknown): string | null => (typeof x === "string" ? x : null);
const num = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

export function readProvenance(doc: unknown, predicateType: string | null): Provenance | null {
  let p = obj(doc);
  if (!p) return null;
  if (obj(p.predicate)) {
    predicateType = str(p.predicateType) ?? predicateType;
    p = obj(p.predicate)!;
  }
  const v1 = predicateType === SLSA_V1 || (!!obj(p.buildDefinition) && !obj(p.buildConfig));
  let buildConfig: Json | null;
  let meta: Json | null;
  let deps: unknown;
  let args: Json | null;
  if (v1) {
    const def = obj(p.buildDefinition);
    buildConfig = obj(obj(def?.internalParameters)?.buildConfig);
    meta = obj(obj(obj(p.runDetails)?.metadata)?.buildkit_metadata);
    deps = def?.resolvedDependencies;
    args = obj(obj(obj(def?.externalParameters)?.request)?.args);
  } else {
    buildConfig = obj(p.buildConfig);
    meta = obj(obj(p.metadata)?.[BUILDKIT_METADATA_V02]);
    deps = p.materials;
    args = obj(obj(obj(p.invocation)?.parameters)?.args);
  }
  const layers = obj(meta?.layers);
  const source = obj(meta?.source);
  const locations = obj(source?.locations);
  const ops: DigestOp[] = [];
  const defs = Array.isArray(buildConfig?.llbDefinition) ? (buildConfig!.llbDefinition as unknown[]) : [];
  for (const d of defs.slice(0, MAX_OPS)) {
    const o = obj(d);
    const id = str(o?.id);
    if (!o || !id) continue;
    const inputs = Array.isArray(o.inputs) ? o.inputs.map((x) => (typeof x === "string" ? x.replace(/:\d+$/, "") : "")).filter(Boolean) : [];
    ops.push({ id, op: summarizeOp(obj(obj(o.op)?.Op)), inputs, lines: lineRanges(obj(locations?.[id])), layer: topLayer(layers?.[`${id}:0`]) });
  }
  const vertexOps: Record<string, string> = {};
  const mapping = obj(buildConfig?.digestMapping);
  if (mapping) for (const [k, v] of Object.entries(mapping)) if (typeof v === "string") vertexOps[k] = v;
  const materials: Provenance["materials"] = [];
  if (Array.isArray(deps))
    for (const m of deps.slice(0, 1000)) {
      const uri = str(obj(m)?.uri);
      if (!uri) continue;
      const dg = obj(obj(m)?.digest);
      const alg = dg ? Object.keys(dg)[0] : null;
      materials.push({ uri, digest: alg && typeof dg![alg] === "string" ? `${alg}:${dg![alg]}` : null });
    }
  const outArgs: Record<string, string> = {};
  if (args) for (const [k, v] of Object.entries(args)) if (typeof v === "string") outArgs[k] = v;
  return { version: v1 ? "v1" : "v0.2", ops, vertexOps, materials, args: outArgs, dockerfile: dockerfileSource(source) };
}

/** `source.infos[0]`: the Dockerfile bytes (base64). */
function dockerfileSource(source: Json | null): Provenance["dockerfile"] {
  const infos = Array.isArray(source?.infos) ? (source!.infos as unknown[]) : [];
  for (const i of infos) {
    const o = obj(i);
    const data = str(o?.data);
    if (!o || data === null) continue;
    const text = decodeBase64Text(data);
    if (text === null) continue;
    return { filename: str(o.filename) ?? "Dockerfile", text };
  }
  return null;
}

export function decodeBase64Text(data: string): string | null {
  if (data.length > 8 * 1024 * 1024) return null;
  try {
    const bin = atob(data.replace(/\s+/g, ""));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder("utf-8").decode(bytes);
  } catch {
    return null;
  }
}

function lineRanges(loc: Json | null): [number, number][] {
  const out: [number, number][] = [];
  const locs = Array.isArray(loc?.locations) ? (loc!.locations as unknown[]) : [];
  for (const l of locs) {
    const ranges = Array.isArray(obj(l)?.ranges) ? (obj(l)!.ranges as unknown[]) : [];
    for (const r of ranges) {
      const start = num(obj(obj(r)?.start)?.line);
      const end = num(obj(obj(r)?.end)?.line);
      if (start !== null) out.push([start, end ?? start]);
    }
  }
  return out.slice(0, 16);
}

function topLayer(x: unknown): string | null {
  // [[descriptor, …]] — one list per output; the last descriptor is the op's own layer.
  if (!Array.isArray(x) || !Array.isArray(x[0])) return null;
  const list = x[0] as unknown[];
  if (list.length === 0) return "";
  return str(obj(list[list.length - 1])?.digest);
}

/** LLB mount types (solver/pb/ops.proto MountType): BIND = 0, SECRET = 1, SSH = 2, CACHE = 3, TMPFS = 4. */
const MOUNT_TYPES = ["bind", "secret", "ssh", "cache", "tmpfs"];
/** NetMode: UNSET = 0, HOST = 1, NONE = 2. */
const NET_MODES = [null, "host", "none"];

/** Source attributes that carry no cache-key meaning for the user (session ids change every build). */
const SOURCE_ATTRS_DROPPED = /^local\.(session|sharedkeyhint|unique)$/;

export function summarizeOp(op: Json | null): OpSummary {
  if (!op) return { kind: "other" };
  const source = obj(op.source);
  if (source) {
    const attrs: Record<string, string> = {};
    const a = obj(source.attrs);
    if (a) for (const [k, v] of Object.entries(a)) if (typeof v === "string" && !SOURCE_ATTRS_DROPPED.test(k)) attrs[k] = v.slice(0, 4096);
    return { kind: "source", identifier: (str(source.identifier) ?? "").slice(0, 2048), attrs };
  }
  const exec = obj(op.exec);
  if (exec) {
    const meta = obj(exec.meta);
    const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === "string").slice(0, 512) : []);
    const mounts: MountSummary[] = [];
    if (Array.isArray(exec.mounts))
      for (const m of exec.mounts.slice(0, 64)) {
        const o = obj(m);
        if (!o) continue;
        const t = num(o.mountType) ?? 0;
        const input = num(o.input);
        mounts.push({
          dest: str(o.dest) ?? "",
          type: MOUNT_TYPES[t] ?? `type-${t}`,
          input: input !== null && input >= 0 ? input : t === 0 && o.input === undefined ? 0 : null,
          selector: str(o.selector),
          readonly: o.readonly === true,
          cacheId: str(obj(o.cacheOpt)?.ID),
        });
      }
    const net = num(exec.network) ?? 0;
    return {
      kind: "exec",
      args: strings(meta?.args),
      env: strings(meta?.env),
      cwd: str(meta?.cwd),
      user: str(meta?.user),
      network: NET_MODES[net] ?? `mode-${net}`,
      mounts,
    };
  }
  const file = obj(op.file);
  if (file) {
    const actions: FileActionSummary[] = [];
    if (Array.isArray(file.actions))
      for (const a of file.actions.slice(0, 256)) {
        const o = obj(a);
        if (!o) continue;
        const input = num(o.input);
        const secondary = num(o.secondaryInput);
        const act = obj(o.Action) ?? o;
        const inp = input !== null && input >= 0 ? input : null;
        const copy = obj(act.copy);
        const mkdir = obj(act.mkdir);
        const mkfile = obj(act.mkfile);
        const rm = obj(act.rm);
        if (copy) actions.push({ type: "copy", src: str(copy.src) ?? "", dest: str(copy.dest) ?? "", input: inp, secondary: secondary !== null && secondary >= 0 ? secondary : null });
        else if (mkdir) actions.push({ type: "mkdir", path: str(mkdir.path) ?? "", input: inp });
        else if (mkfile) actions.push({ type: "mkfile", path: str(mkfile.path) ?? "", input: inp, dataHash: fnv1a64(str(mkfile.data) ?? "") });
        else if (rm) actions.push({ type: "rm", path: str(rm.path) ?? "", input: inp });
        else actions.push({ type: obj(act.symlink) ? "symlink" : "other", input: inp });
      }
    return { kind: "file", actions };
  }
  if (obj(op.merge)) return { kind: "merge" };
  if (obj(op.diff)) return { kind: "diff" };
  if (obj(op.build)) return { kind: "build" };
  return { kind: "other" };
}

/** FNV-1a 64-bit as hex: a fingerprint to tell "same / different", not a secure hash. */
export function fnv1a64(s: string): string {
  let h1 = 0x84222325 >>> 0; // low 32 bits of the offset basis cbf29ce484222325
  let h2 = 0xcbf29ce4 >>> 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    // UTF-16 code units as two bytes keep it simple and stable.
    for (let k = 0; k < 2; k++) {
      h1 ^= c & 0xff;
      c >>= 8;
      // multiply (h2:h1) by the FNV prime 0x100000001b3 = 2^40 + 0x1b3
      const lo = h1 * 0x1b3;
      const carry = Math.floor(lo / 0x100000000);
      const hi = (h2 * 0x1b3 + ((h1 << 8) >>> 0) + carry) >>> 0;
      h1 = lo >>> 0;
      h2 = hi;
    }
  }
  return h2.toString(16).padStart(8, "0") + h1.toString(16).padStart(8, "0");
}
