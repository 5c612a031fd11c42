/**
 * CI systems echo the build command before running it: `[command]/usr/bin/docker buildx build …`
 * (actions toolkit), `##[group]Run docker build …` (GitHub `run:` steps), `+ docker build …`
 * (`set -x`), `$ docker build …` (GitLab). We keep the flags that matter for caching.
 */
import type { LogBuild } from "../../model/log";

export type BuildCommand = NonNullable<LogBuild["command"]>;

const ECHO_PREFIXES = ["##[command]", "[command]", "##[group]Run ", "Run ", "+ ", "$ ", "> ", "PS> ", "++ "];

/** Cheap pre-check: only lines mentioning docker and build go to parseBuildCommand. */
export function mightBeBuildCommand(line: string): boolean {
  return line.length > 12 && line.length < 20_000 && line.indexOf("docker") >= 0 && line.indexOf("build") >= 0;
}

export function parseBuildCommand(line: string): BuildCommand | null {
  let s = line.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of ECHO_PREFIXES) {
      if (s.startsWith(p)) {
        s = s.slice(p.length).trimStart();
        changed = true;
      }
    }
  }
  const tokens = tokenize(s);
  let k = 0;
  // Leading `sudo`, `env`, `time` and `NAME=value` assignments.
  while (k < tokens.length && (tokens[k] === "sudo" || tokens[k] === "env" || tokens[k] === "time" || /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[k]))) k++;
  const exe = tokens[k];
  if (!exe || !/(?:^|\/)docker(?:\.exe)?$/.test(exe)) return null;
  k++;
  // Global flags of docker itself (`--context x`, `-H x`, `--debug`).
  while (k < tokens.length && tokens[k].startsWith("-")) {
    if ((tokens[k] === "--context" || tokens[k] === "-H" || tokens[k] === "--host" || tokens[k] === "--config" || tokens[k] === "-c") && k + 1 < tokens.length) k += 2;
    else k++;
  }
  const sub = tokens.slice(k, k + 3).join(" ");
  let rest: number;
  if (sub.startsWith("buildx build") || sub.startsWith("buildx bake") || sub.startsWith("image build")) rest = k + 2;
  else if (tokens[k] === "build") rest = k + 1;
  else if (tokens[k] === "builder" && tokens[k + 1] === "build") rest = k + 2;
  else return null;

  const cmd: BuildCommand = { text: s, noCache: false, cacheFrom: [], cacheTo: [], buildArgs: {} };
  for (let i = rest; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.startsWith("--")) continue;
    const eq = t.indexOf("=");
    const flag = eq >= 0 ? t.slice(0, eq) : t;
    const takeValue = (): string | null => {
      if (eq >= 0) return t.slice(eq + 1);
      if (i + 1 < tokens.length) return tokens[++i];
      return null;
    };
    switch (flag) {
      case "--no-cache": {
        const v = eq >= 0 ? t.slice(eq + 1) : "true";
        cmd.noCache = v !== "false";
        break;
      }
      case "--cache-from": {
        const v = takeValue();
        if (v !== null) cmd.cacheFrom.push(v);
        break;
      }
      case "--cache-to": {
        const v = takeValue();
        if (v !== null) cmd.cacheTo.push(v);
        break;
      }
      case "--build-arg": {
        const v = takeValue();
        if (v !== null) {
          const e = v.indexOf("=");
          if (e > 0) cmd.buildArgs[v.slice(0, e)] = v.slice(e + 1);
          else cmd.buildArgs[v] = "";
        }
        break;
      }
    }
  }
  return cmd;
}

/** Shell-like split: whitespace separates, single and double quotes group, backslash escapes. */
function tokenize(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let q = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (q !== 0) {
      if (c === q) q = 0;
      else if (c === 92 && q === 34 && i + 1 < s.length) cur += s[++i];
      else cur += s[i];
      continue;
    }
    if (c === 34 || c === 39) {
      q = c;
      has = true;
    } else if (c === 92 && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (c === 32 || c === 9) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += s[i];
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}
