import type { DockerfileInstruction } from "../../model/dockerfile";

/**
 * Just enough shell reading for the rules: the script of a RUN split into simple commands
 * (`a && b; c | d`), each with its program and arguments. Heuristic on purpose — it only has to
 * recognise package managers, deletions and paths, never to execute anything.
 */

export interface SimpleCommand {
  /** Program name without its directory (`/usr/bin/apt-get` → `apt-get`, `./gradlew` → `gradlew`). */
  program: string;
  /** Words after the program. */
  args: string[];
  /** The command as written (trimmed). */
  text: string;
}

const FLAG = /^--[a-zA-Z][\w-]*(=("[^"]*"|'[^']*'|\S+))?\s+/;
const HEREDOC_MARK = /<<-?\s*(["']?)([A-Za-z_][\w]*)\1/g;

/**
 * Per-instruction memo, keyed by the escape character: every rule asks for the same RUN's script
 * and commands, and re-reading them per rule (and per stage pair) dominated findings at 500 stages.
 * Callers treat the results as read-only.
 */
const scriptMemo = new WeakMap<DockerfileInstruction, Map<string, string>>();
const commandsMemo = new WeakMap<DockerfileInstruction, Map<string, SimpleCommand[]>>();
const escapedLineEnd = new Map<string, RegExp>();

/** The shell script of a RUN instruction (flags dropped, continuations joined, heredoc bodies kept). */
export function runScript(ins: DockerfileInstruction, escapeChar = "\\"): string {
  let byEscape = scriptMemo.get(ins);
  if (!byEscape) scriptMemo.set(ins, (byEscape = new Map()));
  let script = byEscape.get(escapeChar);
  if (script == null) byEscape.set(escapeChar, (script = readRunScript(ins, escapeChar)));
  return script;
}

function readRunScript(ins: DockerfileInstruction, escapeChar: string): string {
  const source = ins.heredocs.length > 0 ? ins.raw : ins.text;
  // One line, no heredoc (nearly every RUN): the same result without the line splitting below.
  if (!source.includes("\n") && !source.includes("<<")) return /^\s*#/.test(source) ? "" : dropFlags(source.replace(/^\s*RUN\s+/i, "")).trim();
  let lineEnd = escapedLineEnd.get(escapeChar);
  if (!lineEnd) {
    const esc = escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
    escapedLineEnd.set(escapeChar, (lineEnd = new RegExp(`${esc}[ \\t]*\\r?\\n`, "g")));
  }
  const joined = source.replace(lineEnd, " ");
  const delimiters = new Set<string>();
  for (const m of joined.matchAll(HEREDOC_MARK)) delimiters.add(m[2]!);
  const lines = joined
    .split(/\r?\n/)
    .filter((l) => !/^\s*#/.test(l))
    .filter((l) => !delimiters.has(l.trim()));
  return dropFlags(lines.join("\n").replace(/^\s*RUN\s+/i, "")).replace(HEREDOC_MARK, " ").trim();
}

function dropFlags(script: string): string {
  for (;;) {
    const m = FLAG.exec(script);
    if (!m) return script;
    script = script.slice(m[0].length);
  }
}

/** Strips quotes around a word: `"a b"` → `a b`. */
export function unquote(w: string): string {
  // Same as w.replace(/^(["'])(.*)\1$/, "$2"), without a regex per word of every RUN.
  const q = w[0];
  if (w.length < 2 || (q !== '"' && q !== "'") || w[w.length - 1] !== q) return w;
  const inner = w.slice(1, -1);
  return /[\n\r\u2028\u2029]/.test(inner) ? w : inner;
}

const PREFIXES = new Set(["sudo", "env", "time", "exec", "nice", "command", "nohup", "then", "do", "else", "!", "{", "("]);

/** Splits a script into simple commands at `&&`, `||`, `;`, `|` and newlines. */
export function simpleCommands(script: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  for (const raw of script.split(/&&|\|\||[;\n|]/)) {
    const text = raw.trim();
    if (!text) continue;
    const words = text.split(/\s+/).map(unquote);
    let i = 0;
    for (;;) {
      const w = words[i];
      if (w == null) break;
      if (/^[A-Za-z_]\w*=/.test(w) || PREFIXES.has(w)) {
        i++;
        continue;
      }
      if (w === "xargs") {
        i++;
        while (words[i]?.startsWith("-")) i++;
        continue;
      }
      break;
    }
    if (i >= words.length) continue;
    let program = (words[i] ?? "").replace(/^.*\//, "");
    let args = words.slice(i + 1);
    // python -m pip install … → pip install …
    if (/^python[\d.]*$/.test(program) && args[0] === "-m" && args[1]) {
      program = args[1];
      args = args.slice(2);
    }
    out.push({ program, args, text });
  }
  return out;
}

/** Positional (non-flag) arguments. */
export function positional(args: string[]): string[] {
  return args.filter((a) => !a.startsWith("-"));
}

const NO_COMMANDS: SimpleCommand[] = [];

/** The simple commands of a RUN (memoised per instruction; read-only). */
export function commandsOf(ins: DockerfileInstruction, escapeChar = "\\"): SimpleCommand[] {
  if (ins.keyword !== "RUN") return NO_COMMANDS;
  let byEscape = commandsMemo.get(ins);
  if (!byEscape) commandsMemo.set(ins, (byEscape = new Map()));
  let cmds = byEscape.get(escapeChar);
  if (!cmds) byEscape.set(escapeChar, (cmds = simpleCommands(runScript(ins, escapeChar))));
  return cmds;
}

/** Absolute-looking paths written in a command (`/tmp/sdk`, `/app/target/release/app`). */
export function absolutePaths(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s=>'"(:])(\/[A-Za-z0-9_.+@%/*-]*[A-Za-z0-9_.+@%*-])/g)) out.push(m[1]!);
  return out;
}
