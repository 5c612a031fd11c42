/**
 * The expansion-aware part: values of secret-named ARG / ENV / `--build-arg` variables, found
 *
 * - as defaults in the Dockerfile (`ARG DB_PASSWORD=…`, `ENV API_TOKEN …`),
 * - in `--build-arg NAME=…` of a CI log and `build-arg:NAME=…` entries of a build record,
 * - and where BuildKit expanded them into a vertex name: the Dockerfile says
 *   `RUN echo $DB_PASSWORD > /x`, the log's vertex is `[3/5] RUN echo hunter22 > /x`, so the
 *   value is `hunter22` even when it was passed on the command line and looks like nothing.
 *
 * Collected from all inputs before any is redacted, so a value found in one input is removed from
 * every other and from the report. Linear: templates are matched with indexOf, never a regex built
 * from user text.
 */
import type { KnownSecret } from "./literals";
import { isInertValue, isSecretName } from "./names";

const MAX_TEMPLATES = 200;
const MAX_VERTEX_NAME = 8192;

/** Dockerfile instructions with continuation lines joined (a light reading; the real parser lives in lib/parse). */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const raw of dockerfile.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (!cur && /^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      cur += line.replace(/\\\s*$/, " ");
      if (cur.length > 1_000_000) cur = cur.slice(0, 1_000_000);
      continue;
    }
    cur += line;
    if (cur.trim()) out.push(cur.trim());
    cur = "";
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const REF = /\$(?:\{([A-Za-z_][A-Za-z0-9_]{0,127})(?:[:]?[-+?][^}]{0,256})?\}|([A-Za-z_][A-Za-z0-9_]{0,127}))/g;

interface Template {
  /** Literal parts around the variable references; parts.length === names.length + 1. */
  parts: string[];
  names: (string | null)[]; // null: a non-secret reference
}

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

function templateOf(instruction: string, secretNames: Set<string>): Template | null {
  const parts: string[] = [];
  const names: (string | null)[] = [];
  let last = 0;
  let anySecret = false;
  REF.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = REF.exec(instruction))) {
    const name = m[1] ?? m[2]!;
    parts.push(instruction.slice(last, m.index));
    const secret = secretNames.has(name) || isSecretName(name);
    names.push(secret ? name : null);
    anySecret ||= secret;
    last = m.index + m[0].length;
    if (names.length > 16) return null;
  }
  parts.push(instruction.slice(last));
  if (!anySecret) return null;
  return { parts: parts.map(norm), names };
}

/** Leftmost match of a template against a vertex's instruction text: the values of its secret references. */
function extract(t: Template, s: string): KnownSecret[] | null {
  if (!s.startsWith(t.parts[0]!)) return null;
  let pos = t.parts[0]!.length;
  const found: KnownSecret[] = [];
  for (let i = 0; i < t.names.length; i++) {
    const lit = t.parts[i + 1]!;
    const last = i === t.names.length - 1;
    let end: number;
    if (last) {
      if (!s.endsWith(lit) || s.length - lit.length < pos) return null;
      end = s.length - lit.length;
    } else {
      if (!lit) return null; // `$A$B`: no way to split
      end = s.indexOf(lit, pos + 1);
      if (end === -1) return null;
    }
    const value = s.slice(pos, end);
    const name = t.names[i];
    if (name && value && !isInertValue(value)) found.push({ value, name });
    pos = end + lit.length;
  }
  return found;
}

/** Secret-named ARG/ENV names and their default values in a Dockerfile. */
export function dockerfileSecrets(dockerfile: string): { names: Set<string>; origins: Map<string, "arg" | "env">; values: KnownSecret[]; instructions: string[] } {
  const names = new Set<string>();
  const origins = new Map<string, "arg" | "env">();
  const values: KnownSecret[] = [];
  const list = instructions(dockerfile);
  for (const ins of list) {
    const kw = /^(ARG|ENV)\s+([\s\S]*)$/i.exec(ins);
    if (!kw) continue;
    const body = kw[2]!;
    const origin = kw[1]!.toUpperCase() === "ARG" ? "arg" : "env";
    const pairs = /([A-Za-z_][A-Za-z0-9_]{0,127})(?:=("[^"]*"|'[^']*'|\S*))?/g;
    if (kw[1]!.toUpperCase() === "ENV" && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(body)) {
      // legacy `ENV NAME value`
      const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$/.exec(body);
      if (legacy && isSecretName(legacy[1]!)) {
        names.add(legacy[1]!);
        if (!origins.has(legacy[1]!)) origins.set(legacy[1]!, origin);
        if (!isInertValue(legacy[2]!)) values.push({ value: legacy[2]!.trim(), name: legacy[1]!, origin });
      }
      continue;
    }
    let m: RegExpExecArray | null;
    while ((m = pairs.exec(body))) {
      const name = m[1]!;
      if (!isSecretName(name)) continue;
      names.add(name);
      if (!origins.has(name)) origins.set(name, origin);
      const raw = m[2];
      if (raw == null) continue;
      const v = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
      if (!isInertValue(v)) values.push({ value: v, name, origin });
    }
  }
  return { names, origins, values, instructions: list };
}

const PLAIN_HEADER = /^[^\n#]{0,80}?#\d{1,6} \[[^\]\n]{1,200}\] ([^\n]{1,8192})$/gm;
const RAWJSON_NAME = /"name"[ \t]*:[ \t]*"((?:[^"\\\n]|\\.){1,16384})"/g;

/** Instruction texts of the vertices of a log (plain headers and rawjson names). */
export function vertexInstructions(log: string): string[] {
  const out = new Set<string>();
  for (const m of log.matchAll(PLAIN_HEADER)) out.add(m[1]!);
  if (log.includes('"name"')) {
    for (const m of log.matchAll(RAWJSON_NAME)) {
      let name: string;
      try {
        name = JSON.parse(`"${m[1]}"`) as string;
      } catch {
        continue;
      }
      const i = name.indexOf("] ");
      out.add(name.startsWith("[") && i !== -1 ? name.slice(i + 2) : name);
    }
  }
  return [...out].filter((s) => s.length <= MAX_VERTEX_NAME);
}

/**
 * Values of secret-named variables that BuildKit expanded into vertex names: each instruction of
 * the Dockerfile that references one is matched against the log's vertex names.
 */
export function expandedSecrets(
  dockerfileInstructions: string[],
  secretNames: Set<string>,
  vertexTexts: string[],
  origins: Map<string, "arg" | "env"> = new Map(),
): KnownSecret[] {
  const templates: Template[] = [];
  for (const ins of dockerfileInstructions) {
    if (!ins.includes("$")) continue;
    const t = templateOf(ins, secretNames);
    if (t) templates.push(t);
    if (templates.length >= MAX_TEMPLATES) break;
  }
  if (!templates.length) return [];
  const out: KnownSecret[] = [];
  for (const text of vertexTexts) {
    const s = norm(text);
    for (const t of templates) {
      const found = extract(t, s);
      if (found) for (const f of found) out.push({ ...f, origin: f.name ? (origins.get(f.name) ?? null) : null });
    }
  }
  return out;
}
