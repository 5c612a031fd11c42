/**
 * Where each instruction starts and ends, by BuildKit's line rules (frontend/dockerfile/parser):
 * comment and blank lines between instructions are skipped; a line ending in the escape character
 * (optionally followed by blanks) continues on the next line, except an escaped escape (`echo \\`);
 * comment and blank lines inside a continuation are dropped; after a RUN/COPY/ADD header, each
 * heredoc's body runs to a line that reads its delimiter (leading tabs stripped for `<<-`).
 *
 * One pass over the lines, no backtracking: linear in the size of the file whatever its shape
 * (unterminated heredocs, continuation runs of a million lines). dockerfile-ast then only ever
 * sees one instruction header at a time (lib/parse/dockerfile/ast.ts).
 */

export interface Segment {
  /** 0-based first line (the keyword). */
  start: number;
  /** 0-based last line of the header (continuations included). */
  headerEnd: number;
  /** 0-based last line of the instruction (heredoc bodies and delimiters included). */
  end: number;
}

export function continuationRegExp(esc: string): RegExp {
  const e = esc.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
}

export function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}

export function isBlank(line: string): boolean {
  return line.trim() === "";
}

/**
 * Calls `each` for every instruction, in order, until it returns false; `heredocsOf` reads the
 * heredoc names of a header.
 */
export function splitInstructions(
  lines: string[],
  contRe: RegExp,
  heredocsOf: (seg: Segment) => { names: string[]; tabbed: boolean },
  each: (seg: Segment, delimiters: (number | null)[]) => boolean | void,
): void {
  const n = lines.length;
  let i = 0;
  while (i < n) {
    const line = lines[i];
    if (isBlank(line) || isComment(line)) {
      i++;
      continue;
    }
    const start = i;
    let headerEnd = i;
    if (contRe.test(line)) {
      let j = i + 1;
      for (; j < n; j++) {
        const raw = lines[j];
        if (isComment(raw) || isBlank(raw)) continue;
        headerEnd = j;
        if (!contRe.test(raw)) break;
      }
      // Still continuing at the end of the file: the instruction takes the lines left.
      if (j >= n) headerEnd = n - 1;
    }
    const seg: Segment = { start, headerEnd, end: headerEnd };
    const { names, tabbed } = heredocsOf(seg);
    const delimiters: (number | null)[] = [];
    let next = headerEnd + 1;
    for (const name of names) {
      if (next >= n) {
        delimiters.push(null);
        continue;
      }
      let found = -1;
      for (let k = next; k < n; k++) {
        const l = lines[k];
        if (l === name || (tabbed && l.charCodeAt(0) === 9 && stripTabs(l) === name)) {
          found = k;
          break;
        }
      }
      if (found < 0) {
        delimiters.push(null);
        next = n; // unterminated: the body runs to the end of the file
        seg.end = n - 1;
      } else {
        delimiters.push(found);
        next = found + 1;
        seg.end = found;
      }
    }
    if (each(seg, delimiters) === false) return;
    i = seg.end + 1;
  }
}

function stripTabs(s: string): string {
  let k = 0;
  while (s.charCodeAt(k) === 9) k++;
  return s.slice(k);
}
