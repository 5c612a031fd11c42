/**
 * Vertex names: the `[platform target stage i/n] TEXT` step label (spec §2.4) and the kind of
 * every other vertex (internal, auth, image, cache import/export, exporter).
 */
import type { StepLabel, VertexKind } from "../../model/log";

function isDigits(s: string, a: number, b: number): boolean {
  if (b <= a) return false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function splitWords(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    const start = i;
    while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
    if (i > start) out.push(s.slice(start, i));
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses the leading bracket of a step name. Only the first `]` closes the label (labels never
 * contain one), so names such as `COPY .[V]ERSION ./` keep their brackets in `text`.
 */
export function parseStepLabel(name: string): StepLabel | null {
  if (name.charCodeAt(0) !== 91 /* [ */) return null;
  const close = name.indexOf("]");
  if (close < 0) return null;
  if (close + 1 < name.length && name.charCodeAt(close + 1) !== 32) return null;
  const tokens = splitWords(name.slice(1, close));
  if (tokens.length === 0) return null;
  const last = tokens[tokens.length - 1];
  const slash = last.indexOf("/");
  if (slash < 0 || !isDigits(last, 0, slash) || !isDigits(last, slash + 1, last.length)) return null;
  const position = Number(last.slice(0, slash));
  const of = Number(last.slice(slash + 1));
  let platform: string | null = null;
  const others: string[] = [];
  for (let k = 0; k < tokens.length - 1; k++) {
    const t = tokens[k];
    if (t.indexOf("/") >= 0 && platform === null) platform = t;
    else others.push(t);
  }
  const stage = others.length > 0 ? others[others.length - 1] : null;
  const target = others.length > 1 ? others[0] : null;
  const text = close + 2 <= name.length ? name.slice(close + 2) : "";
  const sp = text.indexOf(" ");
  const instruction = (sp < 0 ? text : text.slice(0, sp)).toUpperCase();
  return { platform, target, stage, position, of, text, instruction };
}

/** `[web internal]` → "internal"; `[auth]` → "auth"; `[web]` → target prefix only. */
function bracketPrefix(name: string): { last: string; rest: string } | null {
  if (name.charCodeAt(0) !== 91) return null;
  const close = name.indexOf("]");
  if (close < 0) return null;
  const tokens = splitWords(name.slice(1, close));
  const rest = name.slice(close + 1).trimStart();
  return { last: tokens.length > 0 ? tokens[tokens.length - 1] : "", rest };
}

const INTERNAL_PREFIXES = [
  "resolve image config",
  "load build definition",
  "load .dockerignore",
  "load metadata for",
  "load build context",
  "load remote build context",
  "load git source",
  "booting buildkit",
  "preparing inline document",
  "setting cache mount permissions",
  "resolve main build context",
  "resolving provenance",
  "Verifying build result",
];

export function classifyVertex(name: string, label: StepLabel | null): VertexKind {
  if (label) return "step";
  let rest = name;
  const b = bracketPrefix(name);
  if (b) {
    if (b.last === "internal") return "internal";
    if (b.last === "auth") return "auth";
    rest = b.rest;
  }
  const c = rest.charCodeAt(0);
  if (c === 105 /* i */) {
    if (rest.startsWith("importing cache manifest")) return "cache-import";
    if (rest.startsWith("importing to docker")) return "export";
  } else if (c === 101 /* e */) {
    if (rest.startsWith("exporting cache") || rest.startsWith("exporting to GitHub Actions Cache")) return "cache-export";
    if (rest.startsWith("exporting ")) return "export";
  } else if (c === 70 /* F */) {
    if (rest.startsWith("FROM ")) return "image";
  } else if (c === 100 /* d */) {
    if (rest.startsWith("docker-image://")) return "image";
  } else if (c === 112 /* p */) {
    if (rest.startsWith("pushing ")) return "export";
  }
  for (const p of INTERNAL_PREFIXES) if (rest.startsWith(p)) return "internal";
  return "other";
}

/** `exporting cache to registry` → "registry"; inline cache is reported from a status line. */
export function cacheExportKind(name: string): string {
  const b = bracketPrefix(name);
  const rest = b ? b.rest : name;
  if (rest.startsWith("exporting to GitHub Actions Cache")) return "gha";
  const m = /^exporting cache to (.*)$/.exec(rest);
  if (!m) return "unknown";
  const what = m[1].toLowerCase();
  if (what.startsWith("registry")) return "registry";
  if (what.startsWith("client directory")) return "local";
  if (what.includes("s3")) return "s3";
  if (what.includes("azure")) return "azblob";
  if (what.includes("github")) return "gha";
  return what;
}

/** `importing cache manifest from <ref>` → ref. */
export function cacheImportRef(name: string): string {
  const b = bracketPrefix(name);
  const rest = b ? b.rest : name;
  const k = rest.indexOf(" from ");
  return k >= 0 ? rest.slice(k + 6) : rest;
}
