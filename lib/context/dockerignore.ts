import { cleanPath, compilePatterns, matchesOrParentMatches, type Pattern, type PatternError } from "./patterns";

/**
 * `.dockerignore` as BuildKit reads it (moby/patternmatcher `ignorefile.ReadAll` + `New` +
 * `MatchesOrParentMatches`). Pure.
 *
 * - A UTF-8 BOM on the first line is dropped; a line is a comment only when `#` is its FIRST
 *   character (`  # x` is the pattern `# x`); lines are trimmed; empty lines skipped.
 * - `!` re-includes (whitespace after it is trimmed); patterns are `path.Clean`ed, so a trailing `/`
 *   is dropped (`dist/` = `dist`) and a leading `/` is dropped (`/dist` = `dist`).
 * - Patterns are anchored at the context root: `*.md` excludes `README.md`, not `docs/a.md`;
 *   `**​/*.md` excludes both. A pattern that matches a directory excludes everything below it.
 * - The last matching pattern wins.
 * - `.dockerignore` and the Dockerfile are ordinary context files: BuildKit still reads them for
 *   the build, but a `COPY . .` copies them only when no pattern excludes them.
 * - A bad pattern (`!` alone, an unclosed `[`) makes BuildKit fail the build; we report it and
 *   ignore nothing, rather than guess.
 */
export interface IgnoreMatcher {
  /** True when BuildKit leaves this context-relative path out of the context. */
  ignores(path: string): boolean;
  /**
   * `ignores` for a path whose parent directory is known to be kept, with no `!` patterns: then no
   * pattern matched a parent, so only the path itself needs matching (the walker's fast path).
   */
  ignoresInKeptDir(path: string): boolean;
  /** True when a `!` pattern exists: an excluded directory may still hold re-included files. */
  hasExclusions: boolean;
  patterns: Pattern[];
  errors: (PatternError & { line: number })[];
}

export function readIgnoreLines(text: string): { pattern: string; line: number }[] {
  const out: { pattern: string; line: number }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    let line = raw;
    if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.startsWith("#")) return;
    let p = line.trim();
    if (!p) return;
    const invert = p[0] === "!";
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = cleanPath(p);
      if (p.length > 1 && p[0] === "/") p = p.slice(1);
    }
    out.push({ pattern: invert ? "!" + p : p, line: i + 1 });
  });
  return out;
}

export function createIgnoreMatcher(text: string | null | undefined): IgnoreMatcher {
  const lines = readIgnoreLines(text ?? "");
  const errors: IgnoreMatcher["errors"] = [];
  const patterns: Pattern[] = [];
  for (const l of lines) {
    const r = compilePatterns([l.pattern]);
    for (const e of r.errors) errors.push({ ...e, line: l.line });
    patterns.push(...r.patterns);
  }
  // BuildKit fails the whole build on one bad pattern: match nothing rather than half the list.
  const active = errors.length ? [] : patterns;
  return {
    ignores: (path) => active.length > 0 && path !== "." && path !== "" && matchesOrParentMatches(active, path),
    ignoresInKeptDir: (path) => {
      if (active.some((p) => p.exclusion)) return active.length > 0 && matchesOrParentMatches(active, path);
      for (const p of active) if (p.match(path)) return true;
      return false;
    },
    hasExclusions: active.some((p) => p.exclusion),
    patterns: active,
    errors,
  };
}

/** Which ignore file BuildKit applies: `<Dockerfile name>.dockerignore` beside the Dockerfile wins
 *  over `.dockerignore` at the context root. Returns the names to try, in order. */
export function ignoreFileCandidates(dockerfileName: string | null): string[] {
  const base = dockerfileName ? dockerfileName.split(/[\\/]/).pop()! : "Dockerfile";
  return [`${base}.dockerignore`, ".dockerignore"];
}
