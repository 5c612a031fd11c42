/**
 * AWS access key ids wrapped over two lines (terminal width, CI line folding, BuildKit printing a
 * long word across two `#N t.ttt` output lines): `AKIAFAKE0T` at the end of one line and
 * `EST1234567` at the start of the next (after its log prefix). One pass over the lines.
 */
import { REDACTED, type RedactionCounter } from "./kinds";

const HEAD = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)([A-Z0-9]{0,15})[\s"'\\]*$/;
// What may precede the continuation on the next line: a BuildKit output prefix, a CI timestamp, blanks.
const NEXT_PREFIX = /^(?:[^\n#]{0,80}?#\d{1,6} \d{1,7}\.\d{1,4} |\d{4}-\d\d-\d\dT[\d:.]{8,20}Z? |[ \t>|]*)/;

export function redactSplitAwsKeys(text: string, counts: RedactionCounter, values: Set<string>): string {
  if (!/(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{0,15}[\s"'\\]*\n/.test(text)) return text;
  const lines = text.split("\n");
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!;
    const tail = line.length > 64 ? line.slice(-64) : line;
    const m = HEAD.exec(tail);
    if (!m) continue;
    const have = 4 + m[1]!.length;
    if (have >= 20) continue; // whole key on this line: the token rule has it
    const next = lines[i + 1]!;
    const p = NEXT_PREFIX.exec(next);
    const restStart = p ? p[0].length : 0;
    const need = 20 - have;
    const cont = next.slice(restStart, restStart + need);
    if (cont.length !== need || !/^[A-Z0-9]+$/.test(cont) || /^[A-Za-z0-9]/.test(next.slice(restStart + need))) continue;
    const start = line.length - tail.length + m.index;
    values.add(line.slice(start, start + have) + cont);
    lines[i] = line.slice(0, start) + REDACTED + line.slice(start + have);
    lines[i + 1] = next.slice(0, restStart) + REDACTED + next.slice(restStart + need);
    counts.add("aws-access-key");
    i++;
  }
  return lines.join("\n");
}
