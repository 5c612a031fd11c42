/**
 * A stream of JSON values spread over lines: one object per line (Go `json.Encoder`), or
 * pretty-printed objects spanning many lines (buildx 0.13 `--progress=rawjson`), or several
 * values on one line. Lines outside any value (stderr trailer, CI noise) go to `onOther`.
 *
 * Fast paths try `JSON.parse` on a whole line, or on a `{` … `}` block at column 0, before falling
 * back to a character scanner that tracks strings and nesting (linear, no regex).
 */

export interface JsonValueSink {
  value(v: unknown, line: number): void;
  other(s: string, index: number): void;
  /** A value that did not parse, or that the log cut off. */
  bad(line: number, truncated: boolean): void;
}

export function scanJsonValues(lines: string[], sink: JsonValueSink): void {
  const n = lines.length;
  let i = 0;
  while (i < n) {
    const s = lines[i];
    const k = firstNonSpace(s);
    const c = k < s.length ? s.charCodeAt(k) : -1;
    if (c !== 123 /* { */ && c !== 91 /* [ */) {
      sink.other(s, i);
      i++;
      continue;
    }
    // Fast path 1: the whole line is one value.
    const last = s.charCodeAt(lastNonSpace(s));
    if ((c === 123 && last === 125) || (c === 91 && last === 93)) {
      const v = tryParse(s);
      if (v !== undefined) {
        sink.value(v, i + 1);
        i++;
        continue;
      }
    }
    // Fast path 2: pretty-printed top-level object, `{` alone … `}` alone at column 0.
    if (k === 0 && s.length === 1 && c === 123) {
      let e = i + 1;
      while (e < n && lines[e] !== "}" && e - i < 1_000_000) {
        const t = lines[e];
        // A column-0 line other than `}` means this is not MarshalIndent output; scan instead.
        if (t.length > 0 && t.charCodeAt(0) !== 32 && t.charCodeAt(0) !== 9) break;
        e++;
      }
      if (e < n && lines[e] === "}") {
        const v = tryParse(lines.slice(i, e + 1).join("\n"));
        if (v !== undefined) {
          sink.value(v, i + 1);
          i = e + 1;
          continue;
        }
      }
    }
    if (!plausibleStart(s, k)) {
      sink.other(s, i);
      i++;
      continue;
    }
    i = scanValues(lines, i, k, sink);
  }
}

/**
 * Character scanner from line i, column k. Emits every complete value it finds (several may share
 * a line) and returns the index of the next line to look at.
 */
function scanValues(lines: string[], i: number, k: number, sink: JsonValueSink): number {
  const n = lines.length;
  let depth = 0;
  let inString = false;
  let escape = false;
  let startLine = i;
  let startCol = k;
  let line = i;
  let col = k;
  while (line < n) {
    const s = lines[line];
    for (; col < s.length; col++) {
      const c = s.charCodeAt(col);
      if (inString) {
        if (escape) escape = false;
        else if (c === 92) escape = true;
        else if (c === 34) inString = false;
        continue;
      }
      if (depth === 0) {
        if (c === 32 || c === 9) continue;
        if (c !== 123 && c !== 91) {
          // Text after a value on the same line: not JSON, hand the rest of the line over.
          sink.other(s.slice(col), line);
          return line + 1;
        }
        startLine = line;
        startCol = col;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) {
          const text = startLine === line ? s.slice(startCol, col + 1) : joinRange(lines, startLine, startCol, line, col + 1);
          const v = tryParse(text);
          if (v !== undefined) sink.value(v, startLine + 1);
          else if (startLine === line) {
            // `[command]…`, `[1/9] Backup…`: a line that only looked like JSON.
            sink.other(s, line);
            return line + 1;
          } else sink.bad(startLine + 1, false);
        }
      }
    }
    // End of line.
    inString = false; // JSON strings never span raw newlines
    escape = false;
    line++;
    col = 0;
    if (depth === 0) return line;
    if (depth > 0 && line < n) {
      // A line that starts a new top-level-looking object at column 0 while we are still inside
      // one means the previous value was cut off.
      const t = lines[line];
      if (startCol === 0 && t.length > 0 && t.charCodeAt(0) === 123 && (t.length === 1 || t.charCodeAt(1) === 34)) {
        sink.bad(startLine + 1, true);
        return line;
      }
    }
  }
  if (depth > 0) sink.bad(startLine + 1, true);
  return line;
}

/** `{"…`, `{}`, `[{…`, `[1, …`: what can follow an opening bracket in JSON. */
function plausibleStart(s: string, k: number): boolean {
  const j = firstNonSpace(s.slice(k + 1)) + k + 1;
  if (j >= s.length) return true;
  const d = s.charCodeAt(j);
  if (s.charCodeAt(k) === 123) return d === 34 || d === 125;
  return d === 123 || d === 91 || d === 34 || d === 93 || d === 45 || (d >= 48 && d <= 57) || d === 116 || d === 102 || d === 110;
}

function joinRange(lines: string[], l0: number, c0: number, l1: number, c1: number): string {
  const parts: string[] = [lines[l0].slice(c0)];
  for (let l = l0 + 1; l < l1; l++) parts.push(lines[l]);
  parts.push(lines[l1].slice(0, c1));
  return parts.join("\n");
}

function tryParse(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function firstNonSpace(s: string): number {
  let k = 0;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c !== 32 && c !== 9) break;
    k++;
  }
  return k;
}

function lastNonSpace(s: string): number {
  let k = s.length - 1;
  while (k > 0) {
    const c = s.charCodeAt(k);
    if (c !== 32 && c !== 9) break;
    k--;
  }
  return k;
}
