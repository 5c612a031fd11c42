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

/** The shell script of a RUN instruction (flags dropped, continuations joined, heredoc bodies kept). */
export function runScript(ins: DockerfileInstruction, escapeChar = "\\"): string {
  const source = ins.heredocs.length > 0 ? ins.raw : ins.text;
  const esc = escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  const joined = source.replace(new RegExp(`${esc}[ \\t]*\\r?\\n`, "g"), " ");
  const delimiters = new Set<string>();
  for (const m of joined.matchAll(HEREDOC_MARK)) delimiters.add(m[2]!);
  const lines = joined
    .split(/\r?\n/)
    .filter((l) => !/^\s*#/.test(l))
    .filter((l) => !delimiters.has(l.trim()));
  let script = lines.join("\n").replace(/^\s*RUN\s+/i, "");
  for (;;) {
    const m = FLAG.exec(script);
    if (!m) break;
    script = script.slice(m[0].length);
  }
  return script.replace(HEREDOC_MARK, " ").trim();
}

/** Strips quotes around a word: `"a b"` → `a b`. */
export function unquote(w: string): string {
  return w.replace(/^(["'])(.*)\1$/, "$2");
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

export function commandsOf(ins: DockerfileInstruction, escapeChar?: string): SimpleCommand[] {
  return ins.keyword === "RUN" ? simpleCommands(runScript(ins, escapeChar)) : [];
}

/** Absolute-looking paths written in a command (`/tmp/sdk`, `/app/target/release/app`). */
export function absolutePaths(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s=>'"(:])(\/[A-Za-z0-9_.+@%/*-]*[A-Za-z0-9_.+@%*-])/g)) out.push(m[1]!);
  return out;
}
