/**
 * Reads a changed-files list: what `git diff --name-only base...head` prints (one context-relative
 * path a line, git's C-quoting for unusual names), also `--name-status` lines (`M\tpath`,
 * `R100\told\tnew` — a rename changes both paths), `./` prefixes, Windows separators and CRLF.
 * Pure; never throws: what cannot be used is returned with its line.
 */
import { cleanPath } from "./patterns";

export interface ChangedList {
  /** Normalised, unique, in input order. */
  paths: string[];
  /** Lines that could not be used, with why. */
  problems: { line: number; text: string; reason: string }[];
}

export const MAX_CHANGED_LINES = 200_000;

const STATUS_LINE = /^([ACDMRTUXB])(\d{0,3})\t(.+)$/;

export function parseChangedList(text: string | null | undefined): ChangedList {
  const paths: string[] = [];
  const seen = new Set<string>();
  const problems: ChangedList["problems"] = [];
  const lines = (text ?? "").replace(/^\ufeff/, "").split(/\r?\n/);
  if (lines.length > MAX_CHANGED_LINES) {
    problems.push({ line: MAX_CHANGED_LINES + 1, text: "", reason: `only the first ${MAX_CHANGED_LINES} lines are read` });
    lines.length = MAX_CHANGED_LINES;
  }
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    let names: string[];
    const status = STATUS_LINE.exec(raw);
    if (status) names = status[3]!.split("\t");
    else names = [raw];
    for (const name of names) {
      const r = normalizeListedPath(name);
      if (typeof r !== "string") {
        problems.push({ line: i + 1, text: raw.slice(0, 200), reason: r.reason });
        continue;
      }
      if (!seen.has(r)) {
        seen.add(r);
        paths.push(r);
      }
    }
  });
  return { paths, problems };
}

/** One listed name → a clean context-relative path, or why not. */
export function normalizeListedPath(name: string): string | { reason: string } {
  let p = name.replace(/\r$/, "");
  if (p.startsWith('"')) {
    const u = unquoteC(p);
    if (u == null) return { reason: "unterminated quoted path" };
    p = u;
  } else {
    p = p.trim();
    // git quotes every name with a backslash, so an unquoted one comes from a Windows tool.
    p = p.replace(/\\/g, "/");
  }
  if (!p) return { reason: "empty path" };
  if (/^[A-Za-z]:\//.test(p) || p.startsWith("/")) return { reason: "absolute path: list paths relative to the build context" };
  const c = cleanPath(p);
  if (c === "." ) return { reason: "the context root itself is not a file" };
  if (c === ".." || c.startsWith("../")) return { reason: "outside the build context" };
  return c;
}

/** git's C-quoting (`"a\tb\303\251"`): backslash escapes and octal bytes (UTF-8). */
export function unquoteC(q: string): string | null {
  if (!q.startsWith('"')) return q;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  let i = 1;
  for (; i < q.length; i++) {
    const ch = q[i]!;
    if (ch === '"') break;
    if (ch !== "\\") {
      bytes.push(...enc.encode(ch));
      continue;
    }
    const n = q[++i];
    if (n === undefined) return null;
    const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
    if (n in simple) bytes.push(simple[n]!);
    else if (/[0-7]/.test(n)) {
      const oct = q.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return null;
      bytes.push(parseInt(oct, 8));
      i += 2;
    } else bytes.push(...enc.encode(n));
  }
  if (i >= q.length) return null;
  return new TextDecoder("utf-8").decode(new Uint8Array(bytes));
}
