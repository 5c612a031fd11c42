/**
 * rawjson logs carry their text base64-encoded: log `data` chunks (which do not line up with lines,
 * and may cut a secret — or a UTF-8 character — in two), warning `short` / `detail` texts and the
 * Dockerfile in `sourceInfo.data`. Each vertex's chunks are joined, decoded byte for byte (Latin-1,
 * so bytes that are not UTF-8 are redacted too and survive unchanged), redacted as one text and
 * handed back line by line: each line goes to the chunk that held its newline, as the plain printer
 * shows it. Redaction keeps every newline, so the lines line up.
 */
import { base64ToBytes, bytesToBase64 } from "../base64";

const FIELD =
  /"vertex"[ \t]*:[ \t]*"(?<vertex>[^"\\\n]{0,300})"|(?<src>"sourceInfo"[ \t]*:)|(?<pre>"(?<field>data|short)"[ \t]*:[ \t]*")(?<b64>[A-Za-z0-9+/]*={0,2})"|(?<dOpen>"detail"[ \t]*:[ \t]*\[)|(?<close>\])|"(?<item>[A-Za-z0-9+/]*={0,2})"/g;
const MARK = "\uE000";

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

function fromLatin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function decode(b64: string): string | null {
  try {
    return latin1(base64ToBytes(b64));
  } catch {
    return null;
  }
}

const encode = (s: string) => bytesToBase64(fromLatin1(s));

export function looksLikeRawjson(text: string): boolean {
  return /"(?:data|short|detail)"[ \t]*:/.test(text) && /"(?:vertex|vertexes|logs|warnings)"/.test(text);
}

/**
 * Redacts the base64 fields of a rawjson text with `redact` (text in, text out, newlines kept),
 * then the JSON around them with `redactJson` (the fields are hidden behind markers meanwhile).
 */
export function redactRawjson(text: string, redact: (s: string) => string, redactJson: (s: string) => string): string {
  if (text.includes(MARK)) return redactJson(text); // cannot mark safely; names and errors still get redacted
  type Chunk = { b64: string; decoded: string | null; out?: string };
  const chunks: Chunk[] = [];
  const groups = new Map<string, number[]>();
  let vertex = "";
  const standalone: number[] = []; // texts redacted on their own (warnings, the Dockerfile), batched below
  let inSourceInfo = false;
  let inDetail = false;
  const marked = text.replace(FIELD, (...args: unknown[]) => {
    const all = args[0] as string;
    const g = args[args.length - 1] as Record<string, string | undefined>;
    if (g.vertex != null) {
      vertex = g.vertex;
      return all;
    }
    if (g.src != null) {
      inSourceInfo = true; // its "data" is the Dockerfile, not a log chunk
      return all;
    }
    if (g.pre != null && g.b64 != null) {
      const idx = chunks.length;
      const b64 = g.b64;
      chunks.push({ b64, decoded: b64 ? decode(b64) : "" });
      if (g.field === "data" && !inSourceInfo) {
        let list = groups.get(vertex);
        if (!list) groups.set(vertex, (list = []));
        list.push(idx);
      } else {
        if (chunks[idx]!.decoded == null) chunks[idx]!.out = b64;
        else standalone.push(idx);
        if (g.field === "data") inSourceInfo = false;
      }
      return `${g.pre}${MARK}${idx}${MARK}"`;
    }
    if (g.dOpen != null) {
      inDetail = true;
      return all;
    }
    if (g.close != null) {
      inDetail = false;
      return all;
    }
    if (g.item != null && inDetail) {
      // one text of a warning's detail: ["b64", "b64", …]
      const idx = chunks.length;
      const d = g.item ? decode(g.item) : "";
      chunks.push({ b64: g.item, decoded: d, out: d == null ? g.item : undefined });
      if (d != null) standalone.push(idx);
      return `"${MARK}${idx}${MARK}"`;
    }
    return all;
  });
  // One redaction pass over all standalone texts joined by newlines (redaction keeps every newline,
  // so each text gets its own lines back), instead of one pass per tiny text.
  if (standalone.length) {
    const texts = standalone.map((i) => chunks[i]!.decoded!);
    const red = redact(texts.join("\n")).split("\n");
    let li = 0;
    standalone.forEach((ci, k) => {
      const n = countNewlines(texts[k]!) + 1;
      const piece = red.slice(li, li + n).join("\n");
      li += n;
      chunks[ci]!.out = piece === texts[k] ? chunks[ci]!.b64 : encode(piece);
    });
  }
  for (const idxs of groups.values()) {
    const parts = idxs.map((i) => chunks[i]!.decoded ?? "");
    const joined = parts.join("");
    const red = redact(joined);
    if (red === joined) {
      for (const i of idxs) chunks[i]!.out = chunks[i]!.b64;
      continue;
    }
    // Each chunk gets the (redacted) lines whose newline it held; the last one also the unterminated rest.
    const lines = red.split("\n");
    let li = 0;
    idxs.forEach((ci, k) => {
      const nl = countNewlines(parts[k]!);
      let piece = "";
      for (let n = 0; n < nl && li < lines.length; n++) piece += lines[li++] + "\n";
      if (k === idxs.length - 1) piece += lines.slice(li).join("\n");
      chunks[ci]!.out = encode(piece);
    });
  }
  const json = redactJson(marked);
  return json.replace(new RegExp(`${MARK}(\\d{1,9})${MARK}`, "g"), (all, n: string) => {
    const c = chunks[Number(n)];
    return c ? (c.out ?? c.b64) : all;
  });
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}
