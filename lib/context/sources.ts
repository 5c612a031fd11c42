/**
 * Which build-context files a COPY / ADD / RUN --mount=type=bind step reads, as BuildKit decides
 * it for the step's cache key (moby/buildkit cache/contenthash `includedPaths`). Pure.
 *
 * - A plain source (`src`, `./src/`, `/src`) covers that path and everything below it (a directory
 *   source copies its contents recursively); `.` covers the whole context.
 * - A source with wildcards is matched with Go's `path.Match` against every path of the context:
 *   `*` and `?` never cross `/`, and `**` is just `*` (it is not recursive in COPY sources); a match
 *   that is a directory covers everything below it.
 * - `--exclude=<pattern>` (Dockerfile 1.7+) drops paths matched relative to the source (patternmatcher
 *   rules, `**` recursive there).
 * - `--parents` sources are patternmatcher include patterns (`**` recursive), relative to the pivot
 *   `a/./b` when there is one.
 * - `RUN --mount=type=bind` without `from=` mounts `source=` (default: the whole context).
 * - `COPY --from`, `RUN --mount=from=`, heredoc sources and ADD of URLs / git repos read no context file.
 */
import type { DockerfileInstruction } from "../model/dockerfile";
import { cleanPath, compileGoPathMatch, compilePatterns, hasWildcards, matchesOrParentMatches, type Pattern } from "./patterns";

export interface SourceSpec {
  /** As written (after variable expansion). */
  raw: string;
  /** Context-relative, cleaned; "." is the whole context. */
  path: string;
  kind: "path" | "wildcard" | "parents";
  excludes: Pattern[];
  /** For kind "parents": the include pattern and the directory it is relative to. */
  include?: Pattern[];
  base?: string;
  /** For kind "wildcard": the compiled path.Match pattern (null when BuildKit would reject it). */
  wildcard?: ((name: string) => boolean) | null;
}

export interface ContextUse {
  kind: "copy" | "bind";
  sources: SourceSpec[];
  /** Why the sources cannot be known (an unexpanded variable …); null when they are. */
  unknown: string | null;
}

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

/**
 * The context files a step reads, or null when the step reads none (not a COPY/ADD/RUN, COPY --from,
 * a heredoc, a URL). `instruction` comes from the Dockerfile; without one the step's log text is used.
 */
export function contextUseOf(instruction: DockerfileInstruction | null, stepText: string): ContextUse | null {
  const keyword = (instruction?.keyword ?? stepText.split(/\s+/)[0] ?? "").toUpperCase();
  if (keyword === "COPY" || keyword === "ADD") return copyUse(keyword, instruction, stepText);
  if (keyword === "RUN") return bindUse(instruction, stepText);
  return null;
}

function copyUse(keyword: string, ins: DockerfileInstruction | null, text: string): ContextUse | null {
  const words = textWords(text);
  const flags = ins ? ins.flags.map((f) => ({ name: f.name.toLowerCase(), value: f.value })) : words.flags;
  if (flags.some((f) => f.name === "from")) return null;
  let args = ins ? ins.args : words.args;
  if (args.length === 1 && args[0]!.trim().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(args[0]!);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === "string")) args = parsed as string[];
    } catch {
      // not JSON: keep the words
    }
  }
  // Dockerfile variables: the parsed args are as written, the vertex text is expanded.
  if (args.some((a) => a.includes("$"))) {
    if (words.args.length === args.length && !words.args.some((a) => a.includes("$"))) args = words.args;
    else return { kind: "copy", sources: [], unknown: "its sources use a variable whose value is not known" };
  }
  if (args.length < 2) return null;
  const excludeRaw = flags.filter((f) => f.name === "exclude" && f.value).map((f) => f.value!);
  const excludes = compilePatterns(excludeRaw).patterns;
  const parents = flags.some((f) => f.name === "parents" && f.value !== "false");
  const sources: SourceSpec[] = [];
  for (const raw of args.slice(0, -1)) {
    if (raw.startsWith("<<")) continue;
    if (keyword === "ADD" && REMOTE.test(raw)) continue;
    sources.push(sourceSpec(raw, parents, excludes));
  }
  if (!sources.length) return null;
  return { kind: "copy", sources, unknown: null };
}

function bindUse(ins: DockerfileInstruction | null, text: string): ContextUse | null {
  const mounts = ins ? ins.mounts : mountsFromText(text);
  const binds = mounts.filter((m) => m.type === "bind" && !m.from);
  if (!binds.length) return null;
  return { kind: "bind", sources: binds.map((m) => sourceSpec(m.source ?? ".", false, [])), unknown: null };
}

function sourceSpec(raw: string, parents: boolean, excludes: Pattern[]): SourceSpec {
  let p = cleanPath(raw.replace(/^\/+/, "") || ".");
  if (p.startsWith("../") || p === "..") p = "."; // BuildKit scopes sources to the context
  if (parents) {
    const pivot = raw.indexOf("/./");
    const base = pivot >= 0 ? cleanPath(raw.slice(0, pivot).replace(/^\/+/, "") || ".") : ".";
    const rest = pivot >= 0 ? cleanPath(raw.slice(pivot + 3)) : p;
    return { raw, path: p, kind: "parents", excludes, include: compilePatterns([rest]).patterns, base };
  }
  if (!hasWildcards(p)) return { raw, path: p, kind: "path", excludes };
  const re = compileGoPathMatch(p);
  return { raw, path: p, kind: "wildcard", excludes, wildcard: re === "bad-pattern" ? null : re };
}

/** True when the step's cache key covers this context-relative path. */
export function sourceCovers(spec: SourceSpec, file: string): boolean {
  const excluded = (rel: string) => rel !== "" && spec.excludes.length > 0 && matchesOrParentMatches(spec.excludes, rel);
  if (spec.kind === "path") {
    if (spec.path === ".") return !excluded(file);
    if (file === spec.path) return true;
    if (!file.startsWith(spec.path + "/")) return false;
    return !excluded(file.slice(spec.path.length + 1));
  }
  if (spec.kind === "wildcard") {
    const segs = file.split("/");
    const want = spec.path.split("/").length;
    if (segs.length < want) return false;
    const prefix = segs.slice(0, want).join("/");
    if (!spec.wildcard || !spec.wildcard(prefix)) return false;
    return !excluded(segs.slice(want).join("/"));
  }
  const base = spec.base ?? ".";
  if (base !== "." && !file.startsWith(base + "/")) return false;
  const rel = base === "." ? file : file.slice(base.length + 1);
  if (!spec.include?.length || !matchesOrParentMatches(spec.include, rel)) return false;
  return !excluded(rel);
}

export function useCovers(use: ContextUse, file: string): boolean {
  return use.sources.some((s) => sourceCovers(s, file));
}

/** Flags and arguments of an instruction's vertex text (`COPY --chown=1 src ./`). */
function textWords(text: string): { flags: { name: string; value: string | null }[]; args: string[] } {
  const words = text.trim().split(/\s+/).slice(1);
  const flags: { name: string; value: string | null }[] = [];
  let i = 0;
  for (; i < words.length && words[i]!.startsWith("--"); i++) {
    const w = words[i]!.slice(2);
    const eq = w.indexOf("=");
    flags.push(eq < 0 ? { name: w.toLowerCase(), value: null } : { name: w.slice(0, eq).toLowerCase(), value: w.slice(eq + 1) });
  }
  return { flags, args: words.slice(i) };
}

function mountsFromText(text: string): { type: string; from: string | null; source: string | null }[] {
  const out: { type: string; from: string | null; source: string | null }[] = [];
  for (const m of text.matchAll(/--mount=(\S+)/g)) {
    const opts: Record<string, string> = {};
    for (const kv of m[1]!.split(",")) {
      const eq = kv.indexOf("=");
      if (eq > 0) opts[kv.slice(0, eq).toLowerCase()] = kv.slice(eq + 1);
    }
    out.push({ type: opts.type ?? "bind", from: opts.from ?? null, source: opts.source ?? opts.src ?? null });
  }
  return out;
}
