/**
 * BuildKit's path patterns, ported from moby/patternmatcher (the matcher BuildKit uses for
 * `.dockerignore`, `COPY --exclude` and `COPY --parents`). Pure; paths are slash-separated and
 * relative to the context root (BuildKit's Linux semantics, where `\` escapes the next character).
 *
 * Why our own port and not @balena/dockerignore: that library follows moby v19.03 but
 * (a) matches case-insensitively by default (BuildKit does not), (b) passes `+ ( ) | { }` through as
 * regular-expression syntax (moby escapes them: `a+b` is a literal name; `(` throws in the library),
 * (c) treats `**foo` as `**​/foo` (moby's suffix match lets it match `barfoo`), (d) silently drops `!`
 * (moby rejects it: the build fails), (e) needs Node's `path` (lib/ runs in the browser too) and
 * (f) matches with backtracking RegExps (`*a*a*a…b` hangs on a long name; Go's RE2 cannot).
 * `dockerignore.test.ts` runs both on the same cases and pins each of those differences.
 */

import { matchTokens, readClass, type Token } from "./glob";

const BACKSLASH = String.fromCharCode(92);

export interface Pattern {
  /** The cleaned pattern, `!` removed. */
  cleaned: string;
  exclusion: boolean;
  match: (path: string) => boolean;
}

export type PatternError = { pattern: string; reason: string };

/** Go's path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(seg);
  }
  const s = out.join("/");
  return rooted ? "/" + s : s || ".";
}

/**
 * Compiles one cleaned pattern the way patternmatcher's `compile` does: `*` and `?` never cross a
 * `/`, `**` crosses any number of directories (`**​/` included), a trailing `**` matches everything
 * below, a leading `**` with a literal rest is a suffix match, a backslash escapes, `[…]` classes
 * pass through. Matching runs on lib/context/glob.ts (linear time, like Go's RE2), never on a
 * backtracking RegExp.
 */
export function compilePattern(cleaned: string): ((path: string) => boolean) | PatternError {
  let type: "exact" | "prefix" | "suffix" | "regexp" = "exact";
  const tokens: Token[] = [];
  const chars = [...cleaned];
  for (let i = 0, n = 0; i < chars.length; i++, n++) {
    const ch = chars[i]!;
    if (ch === "*") {
      if (chars[i + 1] === "*") {
        i++;
        if (chars[i + 1] === "/") i++;
        if (i + 1 >= chars.length) {
          type = type === "exact" ? "prefix" : "regexp";
          tokens.push({ t: "any" });
        } else {
          // consecutive `**​/` are one: the same language with fewer states
          if (tokens[tokens.length - 1]?.t !== "dirs") tokens.push({ t: "dirs" });
          type = "regexp";
        }
        if (n === 0) type = "suffix";
      } else {
        if (tokens[tokens.length - 1]?.t !== "star") tokens.push({ t: "star" });
        type = "regexp";
      }
    } else if (ch === "?") {
      tokens.push({ t: "one" });
      type = "regexp";
    } else if (ch === BACKSLASH) {
      if (i + 1 < chars.length) {
        tokens.push({ t: "lit", c: chars[++i]! });
        type = "regexp";
      } else tokens.push({ t: "lit", c: BACKSLASH });
    } else if (ch === "[") {
      const cls = readClass(chars, i, true);
      if (!cls) return { pattern: cleaned, reason: "syntax error in pattern" };
      tokens.push({ t: "class", test: cls.test });
      i = cls.end;
      type = "regexp";
    } else {
      if (ch === "]") type = "regexp";
      tokens.push({ t: "lit", c: ch });
    }
  }
  if (type === "exact") return (p) => p === cleaned;
  if (type === "prefix") {
    const prefix = cleaned.slice(0, -2);
    return (p) => p.startsWith(prefix);
  }
  if (type === "suffix") {
    const suffix = cleaned.slice(2);
    return (p) => p.endsWith(suffix) || (suffix.startsWith("/") && p === suffix.slice(1));
  }
  return (p) => matchTokens(tokens, p);
}

/** patternmatcher.New: trims, cleans, splits off `!`; an invalid pattern fails the whole list. */
export function compilePatterns(raw: string[]): { patterns: Pattern[]; errors: PatternError[] } {
  const patterns: Pattern[] = [];
  const errors: PatternError[] = [];
  for (const r of raw) {
    let p = r.trim();
    if (!p) continue;
    p = cleanPath(p);
    let exclusion = false;
    if (p[0] === "!") {
      if (p.length === 1) {
        errors.push({ pattern: r, reason: 'illegal exclusion pattern: "!"' });
        continue;
      }
      exclusion = true;
      p = p.slice(1);
    }
    const m = compilePattern(p);
    if (typeof m !== "function") errors.push({ pattern: r, reason: m.reason });
    else patterns.push({ cleaned: p, exclusion, match: m });
  }
  return { patterns, errors };
}

/**
 * patternmatcher.MatchesOrParentMatches: the last pattern that matches the path or one of its
 * parent directories decides; `!` patterns re-include.
 */
export function matchesOrParentMatches(patterns: Pattern[], file: string): boolean {
  let matched = false;
  const parent = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
  const parentDirs = parent === "." ? [] : parent.split("/");
  for (const pat of patterns) {
    if (pat.exclusion !== matched) continue;
    let m = pat.match(file);
    if (!m) {
      for (let i = 1; i <= parentDirs.length && !m; i++) m = pat.match(parentDirs.slice(0, i).join("/"));
    }
    if (m) matched = !pat.exclusion;
  }
  return matched;
}

/** Go's path.Match (COPY source wildcards, BuildKit contenthash): `*`/`?` never cross `/`, no `**`. */
export function goPathMatch(pattern: string, name: string): boolean | "bad-pattern" {
  const m = compileGoPathMatch(pattern);
  return m === "bad-pattern" ? m : m(name);
}

/** The compiled form of goPathMatch, for matching many names against one pattern (linear time). */
export function compileGoPathMatch(pattern: string): ((name: string) => boolean) | "bad-pattern" {
  const tokens: Token[] = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "*") {
      if (tokens[tokens.length - 1]?.t !== "star") tokens.push({ t: "star" });
    } else if (ch === "?") tokens.push({ t: "one" });
    else if (ch === BACKSLASH) {
      if (i + 1 >= chars.length) return "bad-pattern";
      tokens.push({ t: "lit", c: chars[++i]! });
    } else if (ch === "[") {
      const cls = readClass(chars, i, false);
      if (!cls) return "bad-pattern";
      tokens.push({ t: "class", test: cls.test });
      i = cls.end;
    } else tokens.push({ t: "lit", c: ch });
  }
  return (name) => matchTokens(tokens, name);
}

export function hasWildcards(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === "\\") i++;
    else if (ch === "*" || ch === "?" || ch === "[") return true;
  }
  return false;
}
