/**
 * Private keys (PEM / OpenSSH / PGP), in one linear pass over the lines.
 *
 * Handles keys printed line by line with a log prefix (`#9 0.201 MIIE…`), indented, quoted, with
 * ANSI colour codes, with lower-case markers, inside one line (JSON `\n` escapes, `echo $KEY`
 * flattening newlines to spaces) and without an END line (truncated output). Every line is looked
 * at once; on a line, the next END marker is found once and reused, so a flood of BEGIN markers
 * stays linear.
 */
import { REDACTED, type RedactionCounter } from "./kinds";

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]{0,32}[ -/]{0,4}[@-~]/g;
const BEGIN = /-{3,12}[ \t]{0,4}begin[ \t]{1,4}(?:[a-z0-9]{1,20}[ \t]{1,4}){0,4}private[ \t]{1,4}key(?:[ \t]{1,4}block)?[ \t]{0,4}-{3,12}/gi;
const END = /-{3,12}[ \t]{0,4}end[ \t]{1,4}(?:[a-z0-9]{1,20}[ \t]{1,4}){0,4}private[ \t]{1,4}key(?:[ \t]{1,4}block)?[ \t]{0,4}-{3,12}/i;
const END_G = new RegExp(END.source, "gi");
const isB64 = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
const isTail = (c: number) => c === 32 || c === 9 || c === 13 || c === 34 || c === 39 || c === 44 || c === 59 || c === 92;

/**
 * The run of base64 a body line ends in (optionally followed by quotes, commas, `\n` escapes,
 * spaces): [start, end) or null. Scans backwards, so each line costs its own length once.
 */
function trailingBase64(line: string, limit = line.length): { index: number; end: number } | null {
  let end = limit;
  for (let k = 0; end > 0 && k < 16; k++) {
    const c = line.charCodeAt(end - 1);
    if (isTail(c)) end--;
    else if (c === 110 /* n */ && end >= 2 && line.charCodeAt(end - 2) === 92) end -= 2; // a `\n` escape
    else break;
  }
  let start = end;
  while (start > 0 && isB64(line.charCodeAt(start - 1))) start--;
  return end - start >= 4 ? { index: start, end } : null;
}
const HEADER_LINE = /^[^\S\n]*[A-Za-z-]{2,40}: [^\n]{0,200}$/; // Proc-Type: 4,ENCRYPTED / DEK-Info: …

function stripAnsi(s: string): string {
  return s.includes("\u001b") ? s.replace(ANSI, "") : s;
}

/** Redacts from `from` to the END marker on this line (kept), or to the end of the quoted string / line. */
function redactInline(line: string, from: number, endAt: number): { next: number; toEol: boolean } {
  if (endAt !== -1) return { next: endAt, toEol: false };
  // No END on this line: up to a closing quote (a JSON string), else the end of the line.
  let stop = from;
  while (stop < line.length && line[stop] !== '"' && line[stop] !== "'") stop++;
  return { next: stop, toEol: stop >= line.length };
}

export function redactPrivateKeys(text: string, counts: RedactionCounter): string {
  if (!/private[ \t]{1,4}key/i.test(text)) return text;
  const lines = text.split("\n");
  let inKey = false; // inside a multi-line key body
  let uncounted = false; // a key opened, not counted until a body line is really removed
  let headerLines = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = stripAnsi(raw);
    if (inKey) {
      END_G.lastIndex = 0;
      const end = END_G.exec(line);
      if (end) {
        // Body text before the END marker on the same line goes too; the marker and its prefix stay.
        const m = trailingBase64(line, end.index);
        if (m && uncounted) counts.add("private-key");
        uncounted = false;
        lines[i] = m ? line.slice(0, m.index) + REDACTED + line.slice(m.end) : line;
        inKey = false;
        continue;
      }
      const body = trailingBase64(line);
      if (body) {
        if (uncounted) counts.add("private-key");
        uncounted = false;
        lines[i] = line.slice(0, body.index) + REDACTED + line.slice(body.end);
        headerLines = 0;
        continue;
      }
      if (HEADER_LINE.test(line) && headerLines < 4) {
        headerLines++;
        continue;
      }
      if (line.trim() === "" || /^\s*(?:#\d{1,6} \d{1,7}\.\d{1,4})?\s*$/.test(line)) continue; // blank body line
      inKey = false; // the key ended without an END line: this line is something else
    }
    BEGIN.lastIndex = 0;
    if (!BEGIN.test(line)) continue;
    // One or more keys start on this line.
    BEGIN.lastIndex = 0;
    let out = "";
    let pos = 0;
    let nextEnd = -2; // -2: not searched yet; -1: no END after pos on this line
    let nextEndLen = 0;
    let open = false;
    let m: RegExpExecArray | null;
    while ((m = BEGIN.exec(line))) {
      if (m.index < pos) continue;
      const bodyStart = m.index + m[0].length;
      out += line.slice(pos, bodyStart);
      if (nextEnd !== -1 && nextEnd < bodyStart) {
        END_G.lastIndex = bodyStart;
        const e = END_G.exec(line);
        nextEnd = e ? e.index : -1;
        nextEndLen = e ? e[0].length : 0;
      }
      const restOfLine = line.slice(bodyStart);
      if (nextEnd === -1 && /^[\s"',;\\]*$/.test(restOfLine.replace(/\\n/g, ""))) {
        // The body follows on the next lines.
        out += restOfLine;
        pos = line.length;
        open = true;
        uncounted = true;
        break;
      }
      const r = redactInline(line, bodyStart, nextEnd);
      out += REDACTED;
      const removed = line.slice(bodyStart, r.next).trim();
      if (removed && removed !== REDACTED) counts.add("private-key");
      else if (r.toEol) uncounted = true;
      pos = r.next;
      if (nextEnd !== -1 && r.next === nextEnd) {
        out += line.slice(nextEnd, nextEnd + nextEndLen);
        pos = nextEnd + nextEndLen;
      }
      if (r.toEol) {
        open = true; // the body may go on over the next lines
        break;
      }
      BEGIN.lastIndex = Math.max(pos, bodyStart);
    }
    out += line.slice(pos);
    lines[i] = out;
    inKey = open;
    if (!open) uncounted = false;
    headerLines = 0;
  }
  return lines.join("\n");
}
