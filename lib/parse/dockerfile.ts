/**
 * Dockerfile → plain DockerfileModel.
 *
 * dockerfile-ast does the tokenising (instruction ranges, keywords, flags, arguments, heredocs,
 * properties, directives). On top of it this module applies BuildKit's own rules
 * (frontend/dockerfile/parser + dockerfile2llb) for what the log shows:
 * - the vertex name: continuation lines joined as BuildKit joins them, comment and blank lines inside a
 *   continuation dropped, first word upper-cased, ` (<first heredoc line>...)` for `RUN <<EOF`, and
 *   variables expanded from the ARG/ENV values known from the file (unknown ones stay literal);
 * - `[stage i/n]` numbering (build-log-formats.md §2.4);
 * - ARG scope and first use (§7.3).
 *
 * Pure: no fs, no clock, never throws.
 */
import { DockerfileParser } from "dockerfile-ast";
import { diag, type Diagnostic } from "../model/diagnostics";
import type {
  ArgDeclaration,
  DockerfileInstruction,
  DockerfileModel,
  DockerfileStage,
  InstructionFlag,
  MountType,
  RunMount,
  StageBase,
  StageEdge,
} from "../model/dockerfile";

// ---------------------------------------------------------------------------------------------
// Variable expansion: a port of BuildKit's frontend/dockerfile/shell/lex.go (ProcessWord).

export interface ExpandOptions {
  /** Escape character (default "\\"). */
  escapeChar?: string;
  /** Keep quote characters in the output (BuildKit RUN names). Default true. */
  rawQuotes?: boolean;
  /** Do not treat quotes specially at all. Default false. */
  skipProcessQuotes?: boolean;
  /** Keep escape characters in the output. Default false. */
  rawEscapes?: boolean;
  /** Unset variables stay literal (`$X`, `${X:-d}`). Default true. When false they expand like a shell. */
  keepUnset?: boolean;
}

class LexError extends Error {}

const EOF = "";

class ShellWord {
  private pos = 0;
  private rawEscapes: boolean;
  constructor(
    private readonly chars: string[],
    private readonly env: (name: string) => string | undefined,
    private readonly o: Required<ExpandOptions>,
  ) {
    this.rawEscapes = o.rawEscapes;
  }

  private peek(): string {
    return this.pos < this.chars.length ? this.chars[this.pos] : EOF;
  }
  private next(): string {
    return this.pos < this.chars.length ? this.chars[this.pos++] : EOF;
  }

  process(): string {
    return this.processStopOn(EOF, this.rawEscapes);
  }

  private processStopOn(stopChar: string, rawEscapes: boolean): string {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      let result = "";
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stopChar !== EOF && ch === stopChar) {
          this.next();
          return result;
        }
        if (ch === "$") {
          result += this.processDollar();
          continue;
        }
        if (!this.o.skipProcessQuotes && ch === "'") {
          result += this.processSingleQuote();
          continue;
        }
        if (!this.o.skipProcessQuotes && ch === '"') {
          result += this.processDoubleQuote();
          continue;
        }
        let c = this.next();
        if (c === this.o.escapeChar) {
          if (this.rawEscapes) result += c;
          c = this.next();
          if (c === EOF) break;
        }
        result += c;
      }
      if (stopChar !== EOF) throw new LexError(`unexpected end of statement while looking for matching ${stopChar}`);
      return result;
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    let result = "";
    let ch = this.next();
    if (this.o.rawQuotes) result += ch;
    for (;;) {
      ch = this.next();
      if (ch === EOF) throw new LexError("unexpected end of statement while looking for matching single-quote");
      if (ch === "'") {
        if (this.o.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    let result = "";
    const open = this.next();
    if (this.o.rawQuotes) result += open;
    for (;;) {
      const p = this.peek();
      if (p === EOF) throw new LexError("unexpected end of statement while looking for matching double-quote");
      if (p === '"') {
        const c = this.next();
        if (this.o.rawQuotes) result += c;
        return result;
      }
      if (p === "$") {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.o.escapeChar) {
        if (this.rawEscapes) result += ch;
        const n = this.peek();
        if (n === EOF) continue;
        if (n === '"' || n === "$" || n === this.o.escapeChar) ch = this.next();
      }
      result += ch;
    }
  }

  private lookup(name: string): string | undefined {
    return this.env(name);
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== "{") {
      const name = this.processName();
      if (name === "") return "$";
      const v = this.lookup(name);
      if (v === undefined && this.o.keepUnset) return "$" + name;
      return v ?? "";
    }
    this.next();
    const p = this.peek();
    if (p === EOF) throw new LexError("syntax error: missing '}'");
    if (p === "{" || p === "}" || p === ":") throw new LexError("syntax error: bad substitution");
    const name = this.processName();
    let ch = this.next();
    let chs = ch;
    let nullIsUnset = false;
    if (ch === "}") {
      const v = this.lookup(name);
      if (v === undefined && this.o.keepUnset) return "${" + name + "}";
      return v ?? "";
    }
    if (ch === ":") {
      nullIsUnset = true;
      ch = this.next();
      chs += ch;
    }
    if (nullIsUnset || ch === "+" || ch === "-" || ch === "?" || ch === "#" || ch === "%") {
      const raw = ch === "#" || ch === "%";
      if (nullIsUnset && raw) throw new LexError(`unsupported modifier (${chs}) in substitution`);
      const word = this.processStopOn("}", raw);
      const v = this.lookup(name);
      const set = v !== undefined;
      if (this.o.keepUnset && !set) return "${" + name + chs + word + "}";
      const value = v ?? "";
      switch (ch) {
        case "-":
          return !set || (nullIsUnset && value === "") ? word : value;
        case "+":
          return !set || (nullIsUnset && value === "") ? "" : word;
        case "?":
          if (!set || (nullIsUnset && value === "")) throw new LexError(`${name}: ${word || "is not allowed to be unset"}`);
          return value;
        case "%":
        case "#": {
          let pat = word;
          let greedy = false;
          if (pat.length > 0 && pat[0] === ch) {
            greedy = true;
            pat = pat.slice(1);
          }
          return ch === "%" ? trimPattern(value, pat, greedy, "suffix") : trimPattern(value, pat, greedy, "prefix");
        }
        default:
          throw new LexError(`unsupported modifier (${chs}) in substitution`);
      }
    }
    if (ch === "/") {
      const all = this.peek() === "/";
      if (all) this.next();
      const pattern = this.processStopOn("/", true);
      const replacement = this.processStopOn("}", true);
      const v = this.lookup(name);
      if (v === undefined && this.o.keepUnset) return "${" + name + "/" + pattern + "/" + replacement + "}";
      const re = globToRegExp(pattern, all ? "g" : "");
      return (v ?? "").replace(re, () => replacement);
    }
    throw new LexError(`unsupported modifier (${chs}) in substitution`);
  }

  private processName(): string {
    let name = "";
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name === "" && /[0-9]/.test(ch)) {
        while (/^[0-9]$/.test(this.peek())) name += this.next();
        return name;
      }
      if (name === "" && "@*#?-$!0".includes(ch)) {
        this.next();
        return ch;
      }
      if (!/^[\p{L}\p{N}_]$/u.test(ch)) break;
      name += this.next();
    }
    return name;
  }
}

function globToRegExp(glob: string, flags: string, anchor = ""): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "\\" && i + 1 < glob.length) re += escapeRegExp(glob[++i]);
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith("!")) cls = "^" + cls.slice(1);
        re += "[" + cls.replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else re += escapeRegExp(c);
  }
  try {
    return new RegExp(anchor === "start" ? "^(?:" + re + ")$" : re, flags);
  } catch {
    return new RegExp(escapeRegExp(glob), flags);
  }
}

function trimPattern(value: string, pattern: string, greedy: boolean, side: "prefix" | "suffix"): string {
  const re = globToRegExp(pattern, "", "start");
  const n = value.length;
  if (side === "prefix") {
    if (greedy) {
      for (let i = n; i >= 0; i--) if (re.test(value.slice(0, i))) return value.slice(i);
    } else {
      for (let i = 0; i <= n; i++) if (re.test(value.slice(0, i))) return value.slice(i);
    }
  } else {
    if (greedy) {
      for (let i = 0; i <= n; i++) if (re.test(value.slice(i))) return value.slice(0, i);
    } else {
      for (let i = n; i >= 0; i--) if (re.test(value.slice(i))) return value.slice(0, i);
    }
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function expandWith(text: string, env: (name: string) => string | undefined, options: ExpandOptions = {}): string {
  const o: Required<ExpandOptions> = {
    escapeChar: options.escapeChar ?? "\\",
    rawQuotes: options.rawQuotes ?? true,
    skipProcessQuotes: options.skipProcessQuotes ?? false,
    rawEscapes: options.rawEscapes ?? false,
    keepUnset: options.keepUnset ?? true,
  };
  try {
    return new ShellWord(Array.from(text), env, o).process();
  } catch (e) {
    if (e instanceof LexError) return text; // BuildKit keeps the text unexpanded when it cannot lex it
    return text;
  }
}

/**
 * BuildKit-style variable expansion: `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`, `${X?m}`,
 * `${X#p}`, `${X%p}`, `${X/a/b}`. Unset variables stay literal (as in BuildKit's RUN vertex names).
 * By default quotes are kept and escapes consumed, like the RUN name; on a lexing error (unbalanced
 * quote…) the text comes back unchanged, as BuildKit does.
 */
export function expandVariables(text: string, vars: Record<string, string>, options: ExpandOptions = {}): string {
  return expandWith(text, (n) => (Object.prototype.hasOwnProperty.call(vars, n) ? vars[n] : undefined), options);
}

// ---------------------------------------------------------------------------------------------
// Text helpers shared with the log join.

/**
 * Collapse an instruction text for fuzzy matching against a log vertex name: strips a `[stage i/n]`
 * prefix, an `ONBUILD`-free keyword case, runs of whitespace, a trailing `...`/`…` cut, a
 * `@sha256:…` digest and the `docker.io/library/` / `:latest` parts of image refs.
 */
export function normaliseInstructionText(text: string): string {
  let t = text.replace(/^\uFEFF/, "").trim();
  t = t.replace(/^\[[^\]]*?\d+\/\d+\]\s+/, "");
  t = t.replace(/\s+/g, " ");
  t = t.replace(/(…|\.\.\.)$/, "");
  const sp = t.indexOf(" ");
  const kw = (sp < 0 ? t : t.slice(0, sp)).toUpperCase();
  t = sp < 0 ? kw : kw + t.slice(sp);
  if (kw === "FROM") {
    const rest = t.slice(5).split(" ")[0] ?? "";
    t = "FROM " + shortImageRef(rest.replace(/@sha256:[0-9a-f…]*$/i, ""));
  }
  return t.trim();
}

function shortImageRef(ref: string): string {
  let r = ref.replace(/^(docker\.io|index\.docker\.io)\/(library\/)?/, "");
  r = r.replace(/:latest$/, "");
  return r;
}

/**
 * True when a log vertex text names this instruction: exact or normalised equality with `text`, or
 * a match of `unexpandedText` where each `$X`/`${…}` may stand for anything (build args given with
 * --build-arg, variables from the base image's ENV). Also accepts a log text cut with `...`.
 */
export function instructionTextMatches(logText: string, instruction: DockerfileInstruction): boolean {
  const a = normaliseInstructionText(logText);
  if (a === normaliseInstructionText(instruction.text)) return true;
  const cut = /(…|\.\.\.)\s*$/.test(logText);
  if (cut && normaliseInstructionText(instruction.text).startsWith(a)) return true;
  const tpl = normaliseInstructionText(instruction.unexpandedText ?? instruction.text);
  if (!tpl.includes("$")) return false;
  let re = "";
  const varRe = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;
  let last = 0;
  for (let m = varRe.exec(tpl); m; m = varRe.exec(tpl)) {
    re += escapeRegExp(tpl.slice(last, m.index)) + "[\\s\\S]*?";
    last = m.index + m[0].length;
  }
  re += escapeRegExp(tpl.slice(last));
  try {
    return new RegExp("^" + re + (cut ? "" : "$")).test(a);
  } catch {
    return false;
  }
}

/** `node:20` → `docker.io/library/node:20`; `ghcr.io/a/b` → `ghcr.io/a/b:latest` (BuildKit's TagNameOnly). */
export function normaliseImageRef(ref: string): string {
  if (!ref || ref.includes("$") || /\s/.test(ref)) return ref;
  const { name, tag, digest } = splitImageRef(ref);
  let domain: string;
  let path: string;
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  if (slash < 0 || (!first.includes(".") && !first.includes(":") && first !== "localhost" && first === first.toLowerCase())) {
    domain = "docker.io";
    path = name;
  } else {
    domain = first;
    path = name.slice(slash + 1);
  }
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !path.includes("/")) path = "library/" + path;
  let out = domain + "/" + path;
  if (tag) out += ":" + tag;
  else if (!digest) out += ":latest";
  if (digest) out += "@" + digest;
  return out;
}

/** Split `name[:tag][@digest]`. */
export function splitImageRef(ref: string): { name: string; tag: string | null; digest: string | null } {
  let name = ref;
  let digest: string | null = null;
  const at = name.indexOf("@");
  if (at >= 0) {
    digest = name.slice(at + 1) || null;
    name = name.slice(0, at);
  }
  let tag: string | null = null;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) {
    tag = name.slice(colon + 1) || null;
    name = name.slice(0, colon);
  }
  return { name, tag, digest };
}

// ---------------------------------------------------------------------------------------------
// The parser.

const KNOWN = new Set([
  "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
  "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
]);
/** Keywords that need at least this many arguments. */
const MIN_ARGS: Record<string, number> = {
  FROM: 1, RUN: 1, COPY: 2, ADD: 2, WORKDIR: 1, ENV: 1, ARG: 1, LABEL: 1, EXPOSE: 1, USER: 1,
  VOLUME: 1, STOPSIGNAL: 1, MAINTAINER: 1, ONBUILD: 1, HEALTHCHECK: 1, SHELL: 1,
};
const VERTEX = new Set(["RUN", "COPY", "ADD", "WORKDIR"]);
const MOUNT_TYPES = new Set<MountType>(["cache", "secret", "bind", "ssh", "tmpfs"]);
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

type Env = Map<string, string>;

interface Pos {
  line: number;
  character: number;
}
interface AstRange {
  start: Pos;
  end: Pos;
}
interface AstArg {
  getValue(): string;
  getRange(): AstRange;
}
interface AstFlag {
  getName(): string;
  getValue(): string | null;
  getRange(): AstRange;
}
interface AstProperty {
  getName(): string;
  getValue(): string | null;
  getUnescapedValue(): string | null;
}
interface AstHeredoc {
  getName(): string;
  getStartRange(): AstRange;
  getContentRange(): AstRange | null;
  getDelimiterRange(): AstRange | null;
}
interface AstInstruction {
  getKeyword(): string;
  getRange(): AstRange;
  getArguments(): AstArg[];
  getFlags?(): AstFlag[];
  getHeredocs?(): AstHeredoc[];
  getProperties?(): AstProperty[];
}

interface Built {
  ins: DockerfileInstruction;
  /** Joined header (BuildKit's node.Original, before upper-casing). */
  header: string;
  /** Heredoc bodies, in order. */
  heredocBodies: string[];
  properties: { name: string; value: string | null; raw: string | null }[];
  /** 0-based last header line. */
  headerEnd: number;
}

function emptyModel(lineCount: number, diagnostics: Diagnostic[]): DockerfileModel {
  return { syntax: null, escapeChar: "\\", globalArgs: [], stages: [], edges: [], lineCount, diagnostics, stageTokenInLog: false };
}

/** Parse a Dockerfile. Never throws; problems become diagnostics with lines. */
export function parseDockerfile(text: string): DockerfileModel {
  const diagnostics: Diagnostic[] = [];
  const src = typeof text === "string" ? text.replace(/^\uFEFF/, "") : "";
  const rawLines = src.split("\n");
  const lineCount = src === "" ? 0 : src.endsWith("\n") ? rawLines.length - 1 : rawLines.length;
  const lines = rawLines.map((l) => l.replace(/[\r\n]+$/, ""));

  if (src.trim() === "") {
    diagnostics.push(diag("error", "dockerfile", null, "dockerfile/empty", "The Dockerfile is empty: it has no instructions."));
    return emptyModel(lineCount, diagnostics);
  }

  let asts: AstInstruction[];
  let escapeChar = "\\";
  let syntax: string | null = null;
  try {
    const df = DockerfileParser.parse(src);
    escapeChar = df.getEscapeCharacter() || "\\";
    for (const d of df.getDirectives()) {
      if (d.getName().toLowerCase() === "syntax" && syntax === null) syntax = d.getValue();
    }
    asts = df.getInstructions() as unknown as AstInstruction[];
  } catch (e) {
    diagnostics.push(
      diag("error", "dockerfile", null, "dockerfile/syntax", `The Dockerfile could not be read: ${e instanceof Error ? e.message : String(e)}.`),
    );
    return emptyModel(lineCount, diagnostics);
  }

  const contRe = continuationRegExp(escapeChar);
  const built: Built[] = [];
  const offsets = lineOffsets(src);
  const collect = (list: AstInstruction[], depth: number) => {
    for (const a of list) {
      let b: Built;
      try {
        b = buildInstruction(a, lines, src, offsets, contRe, escapeChar, diagnostics);
      } catch (e) {
        const line = safeLine(a);
        diagnostics.push(
          diag("error", "dockerfile", line, "dockerfile/syntax", `This instruction could not be read: ${e instanceof Error ? e.message : String(e)}.`),
        );
        continue;
      }
      built.push(b);
      // dockerfile-ast treats an escaped escape at line end (`echo \\`) as a continuation; BuildKit
      // does not. Give the lines after BuildKit's end of instruction back to the parser.
      const end0 = b.ins.endLine - 1;
      if (b.ins.heredocs.length === 0 && b.headerEnd < end0 && depth < 50) {
        const rest = lines.slice(b.headerEnd + 1, end0 + 1);
        if (rest.some((l) => l.trim() !== "" && !isComment(l))) {
          b.ins.endLine = b.headerEnd + 1;
          b.ins.raw = src.slice(offsets[b.ins.line - 1], offsets[b.headerEnd + 1] ?? src.length).replace(/\r?\n$/, "");
          const prefix = escapeChar !== "\\" ? `# escape=${escapeChar}\n` + "\n".repeat(b.headerEnd) : "\n".repeat(b.headerEnd + 1);
          try {
            const sub = DockerfileParser.parse(prefix + rest.join("\n")).getInstructions() as unknown as AstInstruction[];
            collect(sub, depth + 1);
          } catch {
            /* keep what we have */
          }
        }
      }
    }
  };
  collect(asts, 0);

  // ---- global ARGs and stages
  const globalArgs: ArgDeclaration[] = [];
  const globalEnv: Env = new Map();
  const stages: DockerfileStage[] = [];
  const edges: StageEdge[] = [];
  const stageEnvs: Env[] = [];
  const stageArgScope: ArgDeclaration[][] = [];
  const byName = new Map<string, number>();
  const argIndex = new Map<ArgDeclaration, number>();
  let imageSources = false;

  for (const b of built) {
    const ins = b.ins;
    if (ins.keyword === "FROM") {
      const st = startStage(b, stages, byName, globalEnv, escapeChar, diagnostics);
      ins.stageIndex = st.index;
      stages.push(st);
      let env: Env;
      let scope: ArgDeclaration[];
      if (st.base.kind === "stage" && st.base.stageIndex != null) {
        env = new Map(stageEnvs[st.base.stageIndex]);
        scope = [...stageArgScope[st.base.stageIndex]];
        edges.push({ fromStage: st.base.stageIndex, fromImage: null, toStage: st.index, kind: "from", line: ins.line });
      } else {
        env = new Map();
        scope = [];
      }
      stageEnvs.push(env);
      stageArgScope.push(scope);
      continue;
    }
    if (stages.length === 0) {
      if (ins.keyword === "ARG") {
        for (const d of b.properties) {
          let value: string | null = null;
          if (d.raw != null) value = expandWith(d.raw, (n) => globalEnv.get(n), { escapeChar, rawQuotes: false });
          if (value != null) globalEnv.set(d.name, value);
          globalArgs.push({ name: d.name, defaultValue: d.value, line: ins.line, firstUseLine: null });
        }
      } else if (KNOWN.has(ins.keyword)) {
        diagnostics.push(
          diag("error", "dockerfile", ins.line, "dockerfile/before-from", `${ins.keyword} comes before the first FROM; only ARG may appear there.`),
        );
      }
      continue;
    }
    const si = stages.length - 1;
    const st = stages[si];
    ins.stageIndex = si;
    st.instructions.push(ins);
    st.endLine = Math.max(st.endLine, ins.endLine);
    const env = stageEnvs[si];

    if (ins.keyword === "ARG") {
      for (const d of b.properties) {
        let value: string | null = null;
        if (d.raw != null) value = expandWith(d.raw, (n) => env.get(n), { escapeChar, rawQuotes: false });
        else if (globalEnv.has(d.name)) value = globalEnv.get(d.name) ?? null;
        if (value != null) env.set(d.name, value);
        const decl: ArgDeclaration = { name: d.name, defaultValue: d.value, line: ins.line, firstUseLine: null };
        argIndex.set(decl, st.instructions.length - 1);
        st.args.push(decl);
        stageArgScope[si].push(decl);
      }
    } else if (ins.keyword === "ENV") {
      for (const d of b.properties) {
        const v = d.raw != null ? expandWith(d.raw, (n) => env.get(n), { escapeChar, rawQuotes: false }) : "";
        env.set(d.name, v);
      }
    }

    // Vertex text (BuildKit: uppercaseCmd(processCmdEnv(shlex, name, env))).
    if (ins.keyword === "RUN") {
      const secretEnv = new Set(ins.mounts.filter((m) => m.type === "secret" && m.options.env).map((m) => m.options.env));
      const getter = (n: string) => (secretEnv.has(n) ? "****" : env.get(n));
      const name = b.header + heredocSummary(b);
      ins.unexpandedText = uppercaseCmd(name);
      ins.text = uppercaseCmd(expandWith(name, getter, { escapeChar, rawQuotes: true }));
    } else if (ins.keyword === "COPY" || ins.keyword === "ADD" || ins.keyword === "WORKDIR") {
      ins.unexpandedText = uppercaseCmd(b.header);
      ins.text = uppercaseCmd(expandWith(b.header, (n) => env.get(n), { escapeChar, rawQuotes: false }));
    }

    // Edges from COPY --from and RUN --mount from=.
    const addSource = (ref: string, kind: "copy-from" | "mount-from") => {
      // BuildKit resolves --mount from= by name only; COPY --from also by index.
      const target = kind === "mount-from" && /^\d+$/.test(ref) ? ({ kind: "image" } as const) : resolveStageRef(ref, byName, stages.length);
      if (target.kind === "stage") {
        if (target.index >= si) {
          diagnostics.push(
            diag(
              "error",
              "dockerfile",
              ins.line,
              "dockerfile/stage-order",
              `${kind === "copy-from" ? "COPY --from" : "RUN --mount from"}=${ref} refers to a stage that is not defined before this one.`,
            ),
          );
        }
        if (target.index !== si) edges.push({ fromStage: target.index, fromImage: null, toStage: si, kind, line: ins.line });
      } else if (target.kind === "index-out-of-range") {
        diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/unknown-stage", `There is no stage with index ${ref}.`));
      } else {
        imageSources = true;
        edges.push({ fromStage: null, fromImage: ref, toStage: si, kind, line: ins.line });
        const laterName = [...byName.keys()].includes(ref.toLowerCase());
        if (!laterName && looksLikeStageName(ref)) {
          const near = closestName(ref.toLowerCase(), [...byName.keys()]);
          diagnostics.push(
            diag(
              "warning",
              "dockerfile",
              ins.line,
              "dockerfile/unknown-stage",
              `No stage is named "${ref}", so ${kind === "copy-from" ? "COPY --from" : "--mount from"}=${ref} pulls the image ${normaliseImageRef(ref)}` +
                (near ? `; did you mean "${near}"?` : "."),
            ),
          );
        }
      }
    };
    if ((ins.keyword === "COPY" || ins.keyword === "ADD") && ins.copyFrom) addSource(ins.copyFrom, "copy-from");
    if (ins.keyword === "RUN") {
      for (const m of ins.mounts) if (m.from) addSource(m.from, "mount-from");
      // A mount without from= still registers a hidden (scratch) source state in BuildKit, which is
      // enough to make it print stage tokens for a one-stage Dockerfile.
      if (ins.flags.some((f) => f.name.toLowerCase() === "mount")) imageSources = true;
    }
  }

  // Later-defined stage names referenced by COPY --from are resolved against all stages (BuildKit
  // looks names up among every stage, then fails when the stage is not dispatched yet).
  for (const e of edges) {
    if (e.fromStage == null && e.fromImage && byName.has(e.fromImage.toLowerCase())) {
      const idx = byName.get(e.fromImage.toLowerCase())!;
      diagnostics.push(
        diag("error", "dockerfile", e.line, "dockerfile/stage-order", `"${e.fromImage}" is a stage defined after the one that uses it.`),
      );
      e.fromStage = idx;
      e.fromImage = null;
    }
  }

  // ---- positions and step counts
  for (const st of stages) numberStage(st);

  // ---- ARG first use
  computeFirstUse(globalArgs, stages, argIndex);

  if (stages.length === 0) {
    diagnostics.push(diag("error", "dockerfile", null, "dockerfile/no-from", "The Dockerfile has no FROM instruction."));
  }

  for (const b of built) {
    const ins = b.ins;
    if (!KNOWN.has(ins.keyword)) {
      diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/unknown-instruction", `Unknown instruction: ${ins.keyword}.`));
    }
  }

  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    syntax,
    escapeChar,
    globalArgs,
    stages,
    edges,
    lineCount,
    diagnostics,
    stageTokenInLog: stages.length > 1 || imageSources,
  };
}

function safeLine(a: AstInstruction): number | null {
  try {
    return a.getRange().start.line + 1;
  } catch {
    return null;
  }
}

function continuationRegExp(esc: string): RegExp {
  const e = escapeRegExp(esc);
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
}

function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}

function uppercaseCmd(s: string): string {
  const i = s.indexOf(" ");
  return i < 0 ? s.toUpperCase() : s.slice(0, i).toUpperCase() + s.slice(i);
}

/** ` (<first line>...)` for a RUN whose whole command is one heredoc (BuildKit summarizeHeredoc). */
function heredocSummary(b: Built): string {
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

function buildInstruction(
  a: AstInstruction,
  lines: string[],
  src: string,
  offsets: number[],
  contRe: RegExp,
  escapeChar: string,
  diagnostics: Diagnostic[],
): Built {
  const range = a.getRange();
  const s = range.start.line;
  const e = Math.max(s, Math.min(range.end.line, lines.length - 1));
  const keyword = a.getKeyword().toUpperCase();

  // Header: BuildKit's line joining.
  let header = lines[s].replace(/^\s+/, "");
  let eol = true;
  if (contRe.test(header)) {
    header = header.replace(contRe, "$1");
    eol = false;
  }
  let i = s;
  while (!eol && i < e) {
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

  // Heredocs (RUN/COPY/ADD).
  const heredocs: DockerfileInstruction["heredocs"] = [];
  const heredocBodies: string[] = [];
  if (a.getHeredocs && (keyword === "RUN" || keyword === "COPY" || keyword === "ADD")) {
    let bodyStart = headerEnd + 1;
    for (const h of a.getHeredocs()) {
      const delim = h.getDelimiterRange();
      const endLine0 = delim ? delim.start.line : e;
      const bodyEnd0 = delim ? endLine0 - 1 : e;
      heredocBodies.push(bodyStart <= bodyEnd0 ? lines.slice(bodyStart, bodyEnd0 + 1).join("\n") + "\n" : "");
      heredocs.push({ delimiter: h.getName(), line: Math.min(bodyStart, endLine0) + 1, endLine: endLine0 + 1 });
      if (!delim) {
        diagnostics.push(
          diag("error", "dockerfile", s + 1, "dockerfile/unterminated-heredoc", `The heredoc <<${h.getName()} is never terminated by a line reading "${h.getName()}".`),
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
  else args = a.getArguments().filter((x) => x.getRange().start.line <= headerEnd).map((x) => x.getValue());

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
function lineOffsets(src: string): number[] {
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

function looksLikeStageName(ref: string): boolean {
  return STAGE_NAME.test(ref.toLowerCase()) && !/[/:@]/.test(ref);
}

function closestName(name: string, names: string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestD && d <= (n.length >= 5 ? 2 : 1)) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

type StageRef = { kind: "stage"; index: number } | { kind: "image" } | { kind: "index-out-of-range" };

function resolveStageRef(ref: string, byName: Map<string, number>, stageCountSoFar: number): StageRef {
  if (/^\d+$/.test(ref)) {
    const idx = Number(ref);
    return idx < stageCountSoFar ? { kind: "stage", index: idx } : { kind: "index-out-of-range" };
  }
  const idx = byName.get(ref.toLowerCase());
  return idx == null ? { kind: "image" } : { kind: "stage", index: idx };
}

function startStage(
  b: Built,
  stages: DockerfileStage[],
  byName: Map<string, number>,
  globalEnv: Env,
  escapeChar: string,
  diagnostics: Diagnostic[],
): DockerfileStage {
  const ins = b.ins;
  const index = stages.length;
  const args = ins.args;
  let rawImage = args[0] ?? "";
  let name: string | null = null;
  if (args.length === 0) {
    // diagnosed as missing arguments
  } else if (args.length >= 2) {
    if (args[1].toLowerCase() !== "as" || args.length !== 3) {
      diagnostics.push(
        diag("error", "dockerfile", ins.line, "dockerfile/syntax", `FROM expects "FROM [--platform=…] image [AS name]", got "${args.join(" ")}".`),
      );
    }
    if (args[1].toLowerCase() === "as" && args[2]) name = args[2].toLowerCase();
  }
  if (name != null) {
    if (!STAGE_NAME.test(name)) {
      diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/stage-name", `"${args[2]}" is not a valid stage name (letters, digits, - _ . ; starting with a letter).`));
    }
    if (byName.has(name)) {
      diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/duplicate-stage", `The stage name "${name}" is already used by stage ${byName.get(name)}.`));
    } else byName.set(name, index);
  }
  rawImage = rawImage.trim();
  const ref = expandWith(rawImage, (n) => globalEnv.get(n), { escapeChar, rawQuotes: false });
  const platformRaw = ins.flags.find((f) => f.name.toLowerCase() === "platform")?.value ?? null;
  const platform = platformRaw != null ? expandWith(platformRaw, (n) => globalEnv.get(n), { escapeChar, rawQuotes: false }) : null;

  let base: StageBase;
  const lower = ref.toLowerCase();
  const parentIdx = byName.get(lower);
  if (lower === "scratch") {
    base = { kind: "scratch", raw: rawImage, ref, stageIndex: null, digest: null, tag: null, normalized: null };
  } else if (parentIdx != null && parentIdx < index) {
    base = { kind: "stage", raw: rawImage, ref, stageIndex: parentIdx, digest: null, tag: null, normalized: null };
  } else {
    const parts = splitImageRef(ref);
    base = { kind: "image", raw: rawImage, ref, stageIndex: null, digest: parts.digest, tag: parts.tag, normalized: ref ? normaliseImageRef(ref) : null };
  }

  if (base.kind === "image" && base.normalized) {
    ins.unexpandedText = "FROM " + normaliseImageRef(rawImage);
    ins.text = "FROM " + base.normalized;
  }

  return {
    index,
    name,
    label: name ?? `stage-${index}`,
    line: ins.line,
    endLine: ins.endLine,
    base,
    platform,
    args: [],
    instructions: [ins],
    stepCount: 0,
  };
}

/** BuildKit's [stage i/n]: FROM <image> = 1, then RUN/COPY/ADD/WORKDIR; `WORKDIR /` counts but is never printed. */
function numberStage(st: DockerfileStage): void {
  let n = 0;
  let i = 0;
  let wd: string | null = st.base.kind === "scratch" ? "/" : null;
  for (const ins of st.instructions) {
    if (ins.keyword === "FROM") {
      if (st.base.kind === "image" && ins === st.instructions[0]) {
        n++;
        i++;
        ins.position = i;
      }
      continue;
    }
    if (!VERTEX.has(ins.keyword)) continue;
    n++;
    if (ins.keyword === "WORKDIR") {
      const arg = ins.text.replace(/^\S+\s*/, "").trim();
      const next = resolveWorkdir(wd, arg);
      wd = next;
      if (next === "/") continue; // no operation, no vertex
    }
    i++;
    ins.position = i;
  }
  st.stepCount = n;
}

function resolveWorkdir(cur: string | null, arg: string): string | null {
  if (arg === "" || arg.includes("$")) return null;
  let p: string;
  if (arg.startsWith("/")) p = arg;
  else if (cur == null) return null;
  else p = cur.replace(/\/$/, "") + "/" + arg;
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

function computeFirstUse(globalArgs: ArgDeclaration[], stages: DockerfileStage[], argIndex: Map<ArgDeclaration, number>): void {
  const children: number[][] = stages.map(() => []);
  for (const st of stages) if (st.base.kind === "stage" && st.base.stageIndex != null) children[st.base.stageIndex].push(st.index);

  // Per stage: next RUN line at or after instruction k; variable → instruction indices referencing it.
  const nextRun: (number | null)[][] = [];
  const refs: Map<string, number[]>[] = [];
  for (const st of stages) {
    const list = st.instructions;
    const nr: (number | null)[] = new Array(list.length + 1).fill(null);
    for (let k = list.length - 1; k >= 0; k--) nr[k] = list[k].keyword === "RUN" ? list[k].line : nr[k + 1];
    nextRun.push(nr);
    const r = new Map<string, number[]>();
    list.forEach((ins, k) => {
      if (!["COPY", "ADD", "WORKDIR", "ENV"].includes(ins.keyword)) return;
      for (const v of ins.variables) {
        const arr = r.get(v) ?? [];
        arr.push(k);
        r.set(v, arr);
      }
    });
    refs.push(r);
  }

  const firstIn = (si: number, fromK: number, name: string): number | null => {
    const list = stages[si].instructions;
    let best = nextRun[si][Math.min(fromK, list.length)];
    const arr = refs[si].get(name);
    if (arr) {
      let lo = 0;
      let hi = arr.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (arr[mid] < fromK) lo = mid + 1;
        else hi = mid;
      }
      if (lo < arr.length) {
        const line = list[arr[lo]].line;
        if (best == null || line < best) best = line;
      }
    }
    if (best != null) return best;
    let min: number | null = null;
    for (const c of children[si]) {
      const l = firstIn(c, 1, name);
      if (l != null && (min == null || l < min)) min = l;
    }
    return min;
  };

  for (const st of stages) {
    const list = st.instructions;
    for (const a of st.args) a.firstUseLine = firstIn(st.index, (argIndex.get(a) ?? list.length) + 1, a.name);
  }

  for (const g of globalArgs) {
    let best: number | null = null;
    for (const st of stages) {
      const from = st.instructions[0];
      if (from && from.keyword === "FROM" && from.variables.includes(g.name)) {
        best = from.line;
        break;
      }
    }
    for (const st of stages) {
      for (const a of st.args) {
        if (a.name === g.name && a.defaultValue == null && a.firstUseLine != null && (best == null || a.firstUseLine < best)) {
          best = a.firstUseLine;
        }
      }
    }
    g.firstUseLine = best;
  }
}
