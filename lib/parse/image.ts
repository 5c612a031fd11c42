/**
 * Image metadata → ImageMetadata (entries base-first). Accepts (build-log-formats.md §8.1–8.7):
 * - `docker history --no-trunc --format '{{json .}}'` JSON lines (newest first; human or byte sizes);
 * - `docker image inspect` JSON array (diff ids only: no history, no per-layer sizes);
 * - an image config JSON (`history` + `rootfs.diff_ids`), also `imagetools inspect --format '{{json .Image}}'`
 *   output keyed by platform;
 * - an OCI/Docker image manifest (`layers[].size`, compressed);
 * - an OCI index / manifest list (no layers: the platform manifest to fetch is reported);
 * - `dive --json` output.
 * Pure; never throws.
 */
import { diag, type Diagnostic } from "../model/diagnostics";
import type { ImageHistoryEntry, ImageMetadata } from "../analyze/types";

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** "41.2MB" / "0B" / "1.5 kB" / "41234567" → bytes (docker's units are decimal: kB = 1000). */
export function parseSize(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? Math.round(v) : null;
  if (typeof v !== "string") return null;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKMGTP]i?)?B?\s*$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const u = (m[2] ?? "").toLowerCase();
  const dec: Record<string, number> = { "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };
  const bin: Record<string, number> = { ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3, ti: 1024 ** 4, pi: 1024 ** 5 };
  const mult = u.endsWith("i") ? bin[u] : dec[u];
  return mult == null ? null : Math.round(n * mult);
}

/** Whether a history `created_by` makes a filesystem layer (BuildKit: RUN/COPY/ADD/WORKDIR other than /). */
export function createdByHasLayer(createdBy: string): boolean {
  const t = createdBy.trim();
  if (t === "") return true; // imported / base layer without history text
  if (/^\/bin\/sh -c #\(nop\)\s+(ADD|COPY)\b/.test(t)) return true;
  if (/^\/bin\/sh -c #\(nop\)/.test(t)) return false;
  if (/^\/bin\/sh -c /.test(t) || /^\|\d+ /.test(t)) return true; // classic builder RUN
  const kw = /^([A-Za-z]+)/.exec(t)?.[1]?.toUpperCase();
  if (kw === "RUN" || kw === "COPY" || kw === "ADD") return true;
  if (kw === "WORKDIR") return t.replace(/^WORKDIR\s+/i, "").trim() !== "/";
  return false;
}

function result(
  kind: ImageMetadata["kind"],
  entries: ImageHistoryEntry[],
  totalBytes: number | null,
  diagnostics: Diagnostic[],
  extra: Partial<ImageMetadata> = {},
): ImageMetadata {
  return { kind, entries, totalBytes, diagnostics, imageId: null, chosenManifest: null, ...extra };
}

/** Parse any of the supported image metadata inputs. */
export function parseImageMetadata(text: string): ImageMetadata {
  const diagnostics: Diagnostic[] = [];
  const src = (typeof text === "string" ? text : "").replace(/^\uFEFF/, "").trim();
  if (src === "") {
    diagnostics.push(diag("warning", "image", null, "image/empty", "The image metadata is empty."));
    return result("history", [], null, diagnostics);
  }
  let whole: unknown = undefined;
  try {
    whole = JSON.parse(src);
  } catch {
    whole = undefined;
  }
  try {
    if (whole === undefined) return parseHistoryLines(src, diagnostics);
    if (Array.isArray(whole)) {
      if (whole.length > 0 && whole.every((x) => isObj(x) && ("CreatedBy" in x || "createdBy" in x))) {
        return historyFromObjects(whole as Json[], diagnostics);
      }
      const first = whole.find(isObj);
      if (first && ("RootFS" in first || "Id" in first)) {
        if (whole.length > 1) {
          diagnostics.push(diag("info", "image", null, "image/multiple", `The inspect output holds ${whole.length} images; the first one is used.`));
        }
        return parseInspect(first, diagnostics);
      }
      diagnostics.push(diag("error", "image", null, "image/unrecognised", "This JSON array is neither docker history nor docker image inspect output."));
      return result("history", [], null, diagnostics);
    }
    if (isObj(whole)) return parseObject(whole, diagnostics);
  } catch (e) {
    diagnostics.push(diag("error", "image", null, "image/unrecognised", `The image metadata could not be read: ${e instanceof Error ? e.message : String(e)}.`));
    return result("history", [], null, diagnostics);
  }
  diagnostics.push(diag("error", "image", null, "image/unrecognised", "The image metadata is not a JSON object, array or JSON lines."));
  return result("history", [], null, diagnostics);
}

function parseObject(o: Json, diagnostics: Diagnostic[]): ImageMetadata {
  if (Array.isArray(o.layer) && ("image" in o || o.layer.some((l) => isObj(l) && "command" in l))) return parseDive(o, diagnostics);
  if (Array.isArray(o.manifests)) return parseIndex(o, diagnostics);
  if (Array.isArray(o.layers) && (isObj(o.config) || o.layers.some((l) => isObj(l) && "mediaType" in l))) return parseManifest(o, diagnostics);
  if (Array.isArray(o.history) || isObj(o.rootfs)) return parseConfig(o, diagnostics);
  if ("CreatedBy" in o) return historyFromObjects([o], diagnostics);
  if ("RootFS" in o) return parseInspect(o, diagnostics);
  // imagetools inspect --format '{{json .Image}}' of an index: { "linux/amd64": config, … }
  const keys = Object.keys(o);
  if (keys.length > 0 && keys.every((k) => /^[a-z0-9]+\/[a-z0-9]+/.test(k)) && keys.every((k) => isObj(o[k]))) {
    const pick = keys.includes("linux/amd64") ? "linux/amd64" : keys.find((k) => !k.startsWith("unknown/")) ?? keys[0];
    diagnostics.push(diag("info", "image", null, "image/platform", `The input holds ${keys.length} platform configs; using ${pick}.`));
    const r = parseConfig(o[pick] as Json, diagnostics);
    r.chosenManifest = { digest: "", platform: pick };
    return r;
  }
  diagnostics.push(diag("error", "image", null, "image/unrecognised", "This JSON object is not a known image format (history, inspect, config, manifest, index or dive)."));
  return result("config", [], null, diagnostics);
}

function parseHistoryLines(src: string, diagnostics: Diagnostic[]): ImageMetadata {
  const objs: Json[] = [];
  const lines = src.split(/\r?\n/);
  let bad = 0;
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === "") return;
    try {
      const v: unknown = JSON.parse(t);
      if (isObj(v)) objs.push(v);
      else bad++;
    } catch {
      bad++;
      if (bad <= 3) {
        diagnostics.push(diag("warning", "image", i + 1, "image/bad-line", "This line is not a JSON object; docker history needs --format '{{json .}}'."));
      }
    }
  });
  if (objs.length === 0) {
    diagnostics.push(
      diag("error", "image", null, "image/unrecognised", "No JSON found. Use `docker history --no-trunc --format '{{json .}}' <image>` or `docker image inspect <image>`."),
    );
    return result("history", [], null, diagnostics);
  }
  return historyFromObjects(objs, diagnostics);
}

function historyFromObjects(objs: Json[], diagnostics: Diagnostic[]): ImageMetadata {
  const entries: ImageHistoryEntry[] = [];
  let truncated = false;
  let imageId: string | null = null;
  for (const o of objs) {
    const createdBy = str(o.CreatedBy ?? o.createdBy) ?? "";
    const size = parseSize(o.Size ?? o.size);
    if (/…$|\.\.\.$/.test(createdBy)) truncated = true;
    const id = str(o.ID ?? o.Id);
    if (imageId == null && id && id !== "<missing>") imageId = id;
    entries.push({
      createdBy,
      created: str(o.CreatedAt ?? o.created) ?? null,
      sizeBytes: size,
      emptyLayer: (size ?? 0) === 0 && !createdByHasLayer(createdBy),
      comment: str(o.Comment ?? o.comment) || null,
    });
  }
  entries.reverse(); // docker history lists newest first
  if (truncated) {
    diagnostics.push(diag("warning", "image", null, "image/truncated", "CreatedBy texts are cut (…); run docker history with --no-trunc so layers can be matched to steps."));
  }
  const total = entries.reduce((s, e) => s + (e.sizeBytes ?? 0), 0);
  return result("history", entries, total, diagnostics, { imageId });
}

function parseInspect(o: Json, diagnostics: Diagnostic[]): ImageMetadata {
  const rootfs = isObj(o.RootFS) ? o.RootFS : {};
  const layers = Array.isArray(rootfs.Layers) ? rootfs.Layers.filter((x): x is string => typeof x === "string") : [];
  const entries: ImageHistoryEntry[] = layers.map((d) => ({ createdBy: "", created: null, sizeBytes: null, emptyLayer: false, comment: null, digest: d }));
  diagnostics.push(
    diag(
      "info",
      "image",
      null,
      "image/no-layer-sizes",
      "docker image inspect has no per-layer sizes or history; for layer sizes pass `docker history --no-trunc --format '{{json .}}' <image>`.",
    ),
  );
  return result("inspect", entries, num(o.Size), diagnostics, { imageId: str(o.Id) });
}

function parseConfig(o: Json, diagnostics: Diagnostic[]): ImageMetadata {
  const history = Array.isArray(o.history) ? o.history.filter(isObj) : [];
  const rootfs = isObj(o.rootfs) ? o.rootfs : {};
  const diffIds = Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids.filter((x): x is string => typeof x === "string") : [];
  const entries: ImageHistoryEntry[] = [];
  let k = 0;
  for (const h of history) {
    const empty = h.empty_layer === true;
    entries.push({
      createdBy: str(h.created_by) ?? "",
      created: str(h.created),
      sizeBytes: empty ? 0 : null,
      emptyLayer: empty,
      comment: str(h.comment),
      digest: empty ? null : (diffIds[k++] ?? null),
    });
  }
  // Layers without history (the exporter normally adds entries for them).
  for (; k < diffIds.length; k++) {
    entries.push({ createdBy: "", created: null, sizeBytes: null, emptyLayer: false, comment: null, digest: diffIds[k] });
  }
  if (history.length === 0 && diffIds.length === 0) {
    diagnostics.push(diag("warning", "image", null, "image/empty", "The image config has no history and no rootfs.diff_ids."));
  }
  diagnostics.push(
    diag("info", "image", null, "image/no-layer-sizes", "An image config has no layer sizes; pass docker history output or the image manifest for sizes."),
  );
  return result("config", entries, null, diagnostics);
}

function parseManifest(o: Json, diagnostics: Diagnostic[]): ImageMetadata {
  const layers = (o.layers as unknown[]).filter(isObj);
  const entries: ImageHistoryEntry[] = layers.map((l) => ({
    createdBy: "",
    created: null,
    sizeBytes: num(l.size),
    emptyLayer: false,
    comment: null,
    digest: str(l.digest),
  }));
  const total = entries.reduce((s, e) => s + (e.sizeBytes ?? 0), 0);
  diagnostics.push(diag("info", "image", null, "image/compressed-sizes", "Manifest layer sizes are compressed sizes, and a manifest has no history texts."));
  const config = isObj(o.config) ? str(o.config.digest) : null;
  return result("manifest", entries, total, diagnostics, { imageId: config });
}

function platformOf(m: Json): string | null {
  const p = isObj(m.platform) ? m.platform : null;
  if (!p) return null;
  const os = str(p.os) ?? "";
  const arch = str(p.architecture) ?? "";
  const v = str(p.variant);
  return `${os}/${arch}${v ? "/" + v : ""}`;
}

function parseIndex(o: Json, diagnostics: Diagnostic[]): ImageMetadata {
  const manifests = (o.manifests as unknown[]).filter(isObj);
  const isAttestation = (m: Json) => {
    const ann = isObj(m.annotations) ? m.annotations : {};
    return ann["vnd.docker.reference.type"] === "attestation-manifest" || platformOf(m) === "unknown/unknown";
  };
  const usable = manifests.filter((m) => !isAttestation(m));
  const chosen = usable.find((m) => platformOf(m) === "linux/amd64") ?? usable[0] ?? null;
  if (!chosen) {
    diagnostics.push(diag("error", "image", null, "image/index-empty", "The image index lists no platform manifest."));
    return result("index", [], null, diagnostics);
  }
  const digest = str(chosen.digest) ?? "";
  const platform = platformOf(chosen);
  diagnostics.push(
    diag(
      "info",
      "image",
      null,
      "image/index",
      `This is an image index (${usable.length} platform${usable.length === 1 ? "" : "s"}); it has no layers. Chose ${platform ?? "the first manifest"} ${digest}: pass \`docker buildx imagetools inspect --raw <ref>@${digest}\` or docker history output for layer sizes.`,
    ),
  );
  return result("index", [], null, diagnostics, { chosenManifest: { digest, platform } });
}

function parseDive(o: Json, diagnostics: Diagnostic[]): ImageMetadata {
  const layers = (o.layer as unknown[]).filter(isObj);
  const sorted = layers.every((l) => num(l.index) != null) ? [...layers].sort((a, b) => num(a.index)! - num(b.index)!) : layers;
  const entries: ImageHistoryEntry[] = sorted.map((l) => {
    const files = Array.isArray(l.fileList)
      ? l.fileList.filter(isObj).map((f) => ({ path: str(f.path) ?? "", sizeBytes: num(f.size) ?? num(f.sizeBytes) ?? 0 })).filter((f) => f.path !== "")
      : undefined;
    const e: ImageHistoryEntry = {
      createdBy: str(l.command) ?? "",
      created: null,
      sizeBytes: num(l.sizeBytes) ?? num(l.size),
      emptyLayer: false,
      comment: null,
      digest: str(l.digestId) ?? str(l.id),
    };
    if (files) e.files = files;
    return e;
  });
  const image = isObj(o.image) ? o.image : {};
  const total = num(image.sizeBytes);
  const wasted = num(image.inefficientBytes);
  if (wasted != null && wasted > 0) {
    diagnostics.push(diag("info", "image", null, "image/inefficient", `dive reports ${wasted} bytes of files duplicated or removed in later layers.`));
  }
  return result("dive", entries, total, diagnostics);
}
