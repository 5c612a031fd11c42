/**
 * A linear-time glob matcher. Go (BuildKit, moby/patternmatcher) matches with RE2, which never
 * backtracks; a JavaScript RegExp built from `*a*a*a*a*b` or `**​/**​/**​/x` backtracks exponentially on
 * a long path, and both the `.dockerignore` and the Dockerfile are user input. So patterns compile
 * to tokens and match by simulating the automaton (a set of positions), O(pattern × path).
 */

export type Token =
  | { t: "lit"; c: string }
  /** One character from a class; `slash` false keeps it off `/` (Go path.Match). */
  | { t: "class"; test: (c: string) => boolean }
  /** `?`: one character except `/`. */
  | { t: "one" }
  /** `*`: any run of characters except `/`. */
  | { t: "star" }
  /** `**​/` in patternmatcher: empty, or anything that ends with `/` (the regexp `(.*[/])?`). */
  | { t: "dirs" }
  /** trailing `**` in patternmatcher: anything (`.*`). */
  | { t: "any" };

/** Matches `text` against the tokens; true when the whole text matches. */
export function matchTokens(tokens: Token[], text: string): boolean {
  const n = tokens.length;
  // states: token index i means "about to match tokens[i]"; n = accepted.
  let cur = closure(tokens, new Set([0]));
  for (const ch of text) {
    const next = new Set<number>();
    for (const i of cur) {
      if (i >= n) continue;
      const tok = tokens[i]!;
      switch (tok.t) {
        case "lit":
          if (tok.c === ch) next.add(i + 1);
          break;
        case "class":
          if (tok.test(ch)) next.add(i + 1);
          break;
        case "one":
          if (ch !== "/") next.add(i + 1);
          break;
        case "star":
          if (ch !== "/") next.add(i);
          break;
        case "dirs":
          // inside the group: keep consuming; a `/` may also end it
          next.add(i);
          if (ch === "/") next.add(i + 1);
          break;
        case "any":
          next.add(i);
          break;
      }
    }
    if (!next.size) return false;
    cur = closure(tokens, next);
  }
  return cur.has(n);
}

/** Adds the positions reachable without consuming (past `*`, `**​/`, trailing `**`). */
function closure(tokens: Token[], states: Set<number>): Set<number> {
  const out = new Set(states);
  for (const i of out) {
    const tok = tokens[i];
    if (tok && (tok.t === "star" || tok.t === "dirs" || tok.t === "any")) out.add(i + 1);
  }
  return out;
}

/** `[…]` at `chars[i]` (i points at `[`): the class test and the index of `]`, or null when unclosed. */
export function readClass(chars: string[], i: number, allowSlash: boolean): { test: (c: string) => boolean; end: number } | null {
  let j = i + 1;
  let negate = false;
  // Only `^` negates (Go path.Match and RE2 alike; `[!a]` is the set of `!` and `a`).
  if (chars[j] === "^") {
    negate = true;
    j++;
  }
  const ranges: [number, number][] = [];
  const first = j;
  for (;;) {
    if (j >= chars.length) return null;
    let c = chars[j]!;
    if (c === "]" && j > first) break;
    if (c === "\\") {
      if (j + 1 >= chars.length) return null;
      c = chars[++j]!;
    }
    let hi = c;
    if (chars[j + 1] === "-" && j + 2 < chars.length && chars[j + 2] !== "]") {
      j += 2;
      hi = chars[j]!;
      if (hi === "\\") {
        if (j + 1 >= chars.length) return null;
        hi = chars[++j]!;
      }
    }
    const lo = c.codePointAt(0)!;
    const top = hi.codePointAt(0)!;
    if (top < lo) return null; // Go: bad pattern
    ranges.push([lo, top]);
    j++;
  }
  const test = (ch: string) => {
    if (!allowSlash && ch === "/") return false;
    const cp = ch.codePointAt(0)!;
    return ranges.some(([lo, hi]) => cp >= lo && cp <= hi) !== negate;
  };
  return { test, end: j };
}
