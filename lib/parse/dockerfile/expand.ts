/**
 * Variable expansion: a port of BuildKit's frontend/dockerfile/shell/lex.go (ProcessWord).
 */
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
    /** Walked by UTF-16 code unit: every character with a meaning is ASCII (names: see processName). */
    private readonly text: string,
    private readonly env: (name: string) => string | undefined,
    private readonly o: Required<ExpandOptions>,
  ) {
    this.rawEscapes = o.rawEscapes;
  }

  private peek(): string {
    return this.pos < this.text.length ? this.text[this.pos] : EOF;
  }
  private next(): string {
    return this.pos < this.text.length ? this.text[this.pos++] : EOF;
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
        // A run of characters that mean nothing here is copied at once (linear on long texts).
        const end = this.plainRun(stopChar, !this.o.skipProcessQuotes);
        if (end > this.pos) {
          result += this.text.slice(this.pos, end);
          this.pos = end;
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

  /** End of the run from pos of characters other than `$`, the escape, the stop character and (when they count) quotes. */
  private plainRun(stopChar: string, quotes: boolean): number {
    const t = this.text;
    const esc = this.o.escapeChar;
    let i = this.pos;
    for (; i < t.length; i++) {
      const c = t[i];
      if (c === "$" || c === esc || c === stopChar || (quotes && (c === "'" || c === '"'))) break;
    }
    return i;
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
      // A letter outside the BMP is two code units: test and take the whole code point.
      const cp = String.fromCodePoint(this.text.codePointAt(this.pos)!);
      if (!/^[\p{L}\p{N}_]$/u.test(cp)) break;
      name += cp;
      this.pos += cp.length;
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


export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

export function expandWith(text: string, env: (name: string) => string | undefined, options: ExpandOptions = {}): string {
  const o: Required<ExpandOptions> = {
    escapeChar: options.escapeChar ?? "\\",
    rawQuotes: options.rawQuotes ?? true,
    skipProcessQuotes: options.skipProcessQuotes ?? false,
    rawEscapes: options.rawEscapes ?? false,
    keepUnset: options.keepUnset ?? true,
  };
  try {
    return new ShellWord(text, env, o).process();
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
