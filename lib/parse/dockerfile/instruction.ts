/**
 * One instruction → DockerfileInstruction: BuildKit's header joining (continuations, comment lines
 * inside them), heredoc bodies, flags, arguments, ENV/ARG properties, RUN mounts, the variables it
 * references and the located diagnostics of a malformed instruction.
 */
import { diag, type Diagnostic } from "../../model/diagnostics";
import type { DockerfileInstruction, InstructionFlag, MountType, RunMount } from "../../model/dockerfile";
import type { AstInstruction } from "./ast";
import { isComment, type Segment } from "./split";

/** Keywords that need at least this many arguments. */
const MIN_ARGS: Record<string, number> = {
  FROM: 1, RUN: 1, COPY: 2, ADD: 2, WORKDIR: 1, ENV: 1, ARG: 1, LABEL: 1, EXPOSE: 1, USER: 1,
  VOLUME: 1, STOPSIGNAL: 1, MAINTAINER: 1, ONBUILD: 1, HEALTHCHECK: 1, SHELL: 1,
};
const MOUNT_TYPES = new Set<MountType>(["cache", "secret", "bind", "ssh", "tmpfs"]);

export interface Built {
  ins: DockerfileInstruction;
  /** Joined header (BuildKit's node.Original, before upper-casing). */
  header: string;
  /** Heredoc bodies, in order. */
  heredocBodies: string[];
  properties: { name: string; value: string | null; raw: string | null }[];
  /** 0-based last header line. */
  headerEnd: number;
}

/** Heredoc names in a header's arguments, as dockerfile-ast reads them (`<<EOF`, `<<-"EOF"`). */
export function heredocNames(a: AstInstruction): { names: string[]; tabbed: boolean } {
  // BuildKit reads heredocs for RUN, COPY and ADD only (not inside ONBUILD).
  const keyword = a.getKeyword().toUpperCase();
  const names: string[] = [];
  let tabbed = false;
  if (keyword !== "RUN" && keyword !== "COPY" && keyword !== "ADD") return { names, tabbed };
  for (const arg of a.getArguments()) {
    const value = arg.getValue();
    if (!value.startsWith("<<") || value.length <= 2) continue;
    if (value.startsWith("<<-")) tabbed = true;
    const name = parseHeredocName(value);
    if (name !== null) names.push(name);
  }
  return { names, tabbed };
}

function parseHeredocName(value: string): string | null {
  value = value.substring(2);
  if (value.charAt(0) === "-") value = value.substring(1);
  if (value.charAt(0) === '"') {
    if (value.charAt(value.length - 1) !== '"') return null;
    value = value.substring(1, value.length - 1);
  }
  if (value.charAt(0) === "'") {
    if (value.charAt(value.length - 1) !== "'") return null;
    value = value.substring(1, value.length - 1);
  }
  if (value.charAt(0) === "<") return null;
  return value;
}

export function uppercaseCmd(s: string): string {
  const i = s.indexOf(" ");
  return i < 0 ? s.toUpperCase() : s.slice(0, i).toUpperCase() + s.slice(i);
}

/** ` (<first line>...)` for a RUN whose whole command is one heredoc (BuildKit summarizeHeredoc). */
export function heredocSummary(b: Built): string {
  if (b.heredocBodies.length === 0) return "";
  const cmd = stripFlags(b.header.replace(/^\s*\S+\s*/, "")).trim();
  const m = /^(\d*)<<(-?)\s*([^<]*)$/.exec(cmd);
  if (!m || !m[3] || /\s/.test(m[3].replace(/^(["'])(.*)\1$/, "$2"))) return "";
  const doc = b.heredocBodies[0].trim();
  const docLines = doc.replace(/\r\n/g, "\n").split("\n");
  return ` (${docLines[0]}${docLines.length > 1 ? "..." : ""})`;
}

/** Remove leading `--flag[=value]` words (BuildKit extractBuilderFlags, simplified quoting). */
function stripFlags(args: string): string {
  let s = args.replace(/^\s+/, "");
  for (;;) {
    const m = /^--(?:"[^"]*"|'[^']*'|[^\s"'])*(?:\s+|$)/.exec(s);
    if (!m || m[0].trim() === "") return s;
    if (m[0].trim() === "--") return s.slice(m[0].length);
    s = s.slice(m[0].length);
  }
}

export function buildInstruction(
  a: AstInstruction,
  seg: Segment,
  delimiters: (number | null)[],
  names: string[],
  lines: string[],
  src: string,
  offsets: number[],
  contRe: RegExp,
  escapeChar: string,
  diagnostics: Diagnostic[],
): Built {
  const s = seg.start;
  const e = seg.end;
  const keyword = a.getKeyword().toUpperCase();

  // Header: BuildKit's line joining.
  let header = lines[s].replace(/^\s+/, "");
  let eol = true;
  if (contRe.test(header)) {
    header = header.replace(contRe, "$1");
    eol = false;
  }
  let i = s;
  while (!eol && i < seg.headerEnd) {
    i++;
    const raw = lines[i];
    if (isComment(raw)) continue;
    if (raw.trim() === "") continue;
    if (contRe.test(raw)) header += raw.replace(contRe, "$1");
    else {
      header += raw;
      eol = true;
    }
  }
  const headerEnd = i;

  // Heredocs (RUN/COPY/ADD): bodies and delimiters as split.ts found them.
  const heredocs: DockerfileInstruction["heredocs"] = [];
  const heredocBodies: string[] = [];
  if (keyword === "RUN" || keyword === "COPY" || keyword === "ADD") {
    let bodyStart = headerEnd + 1;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      const delim = delimiters[k] ?? null;
      const endLine0 = delim ?? e;
      const bodyEnd0 = delim !== null ? endLine0 - 1 : e;
      heredocBodies.push(bodyStart <= bodyEnd0 ? lines.slice(bodyStart, bodyEnd0 + 1).join("\n") + "\n" : "");
      heredocs.push({ delimiter: name, line: Math.min(bodyStart, endLine0) + 1, endLine: endLine0 + 1 });
      if (delim === null) {
        diagnostics.push(
          diag("error", "dockerfile", s + 1, "dockerfile/unterminated-heredoc", `The heredoc <<${name} is never terminated by a line reading "${name}".`),
        );
      }
      bodyStart = endLine0 + 1;
    }
  }

  // Flags.
  const astFlags = a.getFlags ? a.getFlags() : [];
  const flags: InstructionFlag[] = astFlags.map((f) => ({ name: f.getName(), value: f.getValue() }));
  const flag = (n: string) => {
    const f = flags.find((x) => x.name.toLowerCase() === n);
    return f ? f.value : undefined;
  };

  // Arguments (header only; JSON form parsed as JSON).
  let args: string[] = [];
  const afterKw = stripFlags(header.replace(/^\s*\S+/, ""));
  const jsonArgs = afterKw.trim().startsWith("[") ? parseJsonArray(afterKw.trim()) : null;
  if (jsonArgs && keyword !== "ENV" && keyword !== "ARG" && keyword !== "LABEL") args = jsonArgs;
  else args = a.getArguments().map((x) => x.getValue());

  // Properties (ENV/ARG/LABEL).
  const properties: Built["properties"] = [];
  if ((keyword === "ENV" || keyword === "ARG") && a.getProperties) {
    for (const p of a.getProperties()) {
      const name = p.getName();
      if (!name) continue;
      properties.push({ name, value: p.getValue(), raw: p.getUnescapedValue() });
    }
  }

  const mounts: RunMount[] = [];
  if (keyword === "RUN") {
    for (const f of flags) {
      if (f.name.toLowerCase() !== "mount" || f.value == null) continue;
      const m = parseMount(f.value);
      if (m) mounts.push(m);
      else diagnostics.push(diag("warning", "dockerfile", s + 1, "dockerfile/mount", `Unrecognised --mount=${f.value}.`));
    }
  }

  const linkFlag = flag("link");
  const copyFrom = keyword === "COPY" || keyword === "ADD" ? (flag("from") ?? null) : null;

  const bodyText = keyword === "RUN" || keyword === "COPY" || keyword === "ADD" ? heredocBodies.join("\n") : "";
  const variables = referencedVariables(header + "\n" + bodyText, escapeChar);

  const declares =
    keyword === "ENV" || keyword === "ARG" ? properties.map((p) => ({ name: p.name, value: p.value })) : [];

  // Raw text, exactly as in the file.
  const startOff = s < offsets.length ? offsets[s] : src.length;
  const endOff = e + 1 < offsets.length ? offsets[e + 1] : src.length;
  const raw = src.slice(startOff, endOff).replace(/\r?\n$/, "");

  const minArgs = MIN_ARGS[keyword];
  const argCount = keyword === "ENV" || keyword === "ARG" ? Math.max(args.length, properties.length) : args.length;
  if (minArgs && argCount < minArgs && heredocs.length === 0) {
    diagnostics.push(
      diag(
        "error",
        "dockerfile",
        s + 1,
        "dockerfile/missing-arguments",
        minArgs === 1 ? `${keyword} requires at least one argument.` : `${keyword} requires at least ${minArgs} arguments (sources and a destination).`,
      ),
    );
  }

  const ins: DockerfileInstruction = {
    keyword,
    text: uppercaseCmd(header),
    raw,
    line: s + 1,
    endLine: e + 1,
    flags,
    args,
    copyFrom,
    mounts,
    link: linkFlag !== undefined && linkFlag !== "false",
    chown: flag("chown") ?? null,
    chmod: flag("chmod") ?? null,
    heredocs,
    variables,
    declares,
    position: null,
  };
  return { ins, header, heredocBodies, properties, headerEnd };
}


/** Offsets of the start of each 0-based line. */
export function lineOffsets(src: string): number[] {
  const offsets = [0];
  for (let i = src.indexOf("\n"); i >= 0; i = src.indexOf("\n", i + 1)) offsets.push(i + 1);
  return offsets;
}

function parseJsonArray(s: string): string[] | null {
  try {
    const v: unknown = JSON.parse(s);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  } catch {
    /* not JSON form */
  }
  return null;
}

function referencedVariables(text: string, esc: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > 0 && text[m.index - 1] === esc) continue;
    const name = m[1] ?? m[2];
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  }
  return out;
}

/** Split a `--mount` value: comma-separated `key=value` / `key` fields, quotes allowed (CSV). */
export function parseMount(value: string): RunMount | null {
  const fields: string[] = [];
  let cur = "";
  let q: string | null = null;
  for (const ch of value) {
    if (q) {
      if (ch === q) q = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") q = ch;
    else if (ch === ",") {
      fields.push(cur);
      cur = "";
    } else cur += ch;
  }
  fields.push(cur);
  const m: RunMount = { type: "bind", target: null, from: null, source: null, id: null, options: {} };
  for (const f of fields) {
    if (f.trim() === "") continue;
    const eq = f.indexOf("=");
    const k = (eq < 0 ? f : f.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? "" : f.slice(eq + 1);
    switch (k) {
      case "type":
        if (!MOUNT_TYPES.has(v.toLowerCase() as MountType)) return null;
        m.type = v.toLowerCase() as MountType;
        break;
      case "target":
      case "dst":
      case "destination":
        m.target = v;
        break;
      case "from":
        m.from = v;
        break;
      case "source":
      case "src":
        m.source = v;
        break;
      case "id":
        m.id = v;
        break;
      default:
        m.options[k] = v;
    }
  }
  return m;
}
