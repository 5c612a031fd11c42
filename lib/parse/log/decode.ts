/**
 * Bytes → text. Build logs arrive as UTF-8 (with or without a BOM) or, when PowerShell wrote them,
 * as UTF-16LE with a BOM (corpus 010). UTF-16 without a BOM is recognised by its NUL pattern.
 */

export type LogEncoding = "utf-8" | "utf-16le" | "utf-16be";

export interface DecodedLog {
  text: string;
  encoding: LogEncoding;
}

/** How many leading bytes are looked at to guess a BOM-less UTF-16 encoding. */
const SNIFF_BYTES = 4096;

export function decodeLog(input: string | Uint8Array): DecodedLog {
  if (typeof input === "string") return decodeString(input);
  return decodeBytes(input);
}

function decodeBytes(bytes: Uint8Array): DecodedLog {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: rescueNuls(utf8(bytes.subarray(3))), encoding: "utf-8" };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: rescueNuls(stripBom(utf16(bytes.subarray(2), "utf-16le"))), encoding: "utf-16le" };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: rescueNuls(stripBom(utf16(bytes.subarray(2), "utf-16be"))), encoding: "utf-16be" };
  }
  const guess = sniffUtf16(bytes);
  if (guess) return { text: rescueNuls(stripBom(utf16(bytes, guess))), encoding: guess };
  return { text: rescueNuls(utf8(bytes)), encoding: "utf-8" };
}

/**
 * A string may already be decoded (the browser's FileReader, a paste) but can still carry a BOM,
 * or be UTF-16 bytes that were wrongly read as Latin-1/UTF-8 (every other character NUL).
 */
function decodeString(s: string): DecodedLog {
  if (s.length >= 2 && s.slice(0, SNIFF_BYTES).indexOf("\u0000") !== -1) {
    const c0 = s.charCodeAt(0);
    const c1 = s.charCodeAt(1);
    // UTF-16 bytes read one byte per character: "ÿþ" (FF FE) / "þÿ" (FE FF) or NUL pattern.
    if (allBelow256(s, SNIFF_BYTES) && allBelow256(s, s.length)) {
      const bytes = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
      const bom = (c0 === 0xff && c1 === 0xfe) || (c0 === 0xfe && c1 === 0xff);
      if (bom || sniffUtf16(bytes)) return decodeBytes(bytes);
    }
  }
  return { text: rescueNuls(stripBom(s)), encoding: "utf-8" };
}

/**
 * UTF-16 text that went through a UTF-8 decoder (then maybe re-encoded) keeps a NUL after every
 * ASCII character. When most of the sample looks like that, drop the NULs and the mangled BOM.
 */
function rescueNuls(s: string): string {
  const sample = s.slice(0, SNIFF_BYTES);
  if (sample.indexOf("\u0000") === -1) return s;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample.charCodeAt(i) === 0) {
      if (i & 1) odd++;
      else even++;
    }
  }
  const half = sample.length / 2;
  if (Math.max(even, odd) < half * 0.4 || Math.min(even, odd) > half * 0.05) return s;
  let t = s.replace(/\u0000/g, "");
  let k = 0;
  while (k < t.length && k < 4 && (t.charCodeAt(k) === 0xfffd || t.charCodeAt(k) === 0xfeff || t.charCodeAt(k) === 0xff || t.charCodeAt(k) === 0xfe)) k++;
  if (k > 0) t = t.slice(k);
  return t;
}

function allBelow256(s: string, limit: number): boolean {
  const n = Math.min(s.length, limit);
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** Looks at the first bytes: mostly-NUL odd positions → LE, mostly-NUL even positions → BE. */
function sniffUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return "utf-16le";
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return "utf-16be";
  return null;
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

function utf16(bytes: Uint8Array, enc: "utf-16le" | "utf-16be"): string {
  // TextDecoder supports utf-16le everywhere; utf-16be is not universal, so swap by hand.
  if (enc === "utf-16le") return new TextDecoder("utf-16le", { fatal: false }).decode(bytes);
  const even = bytes.length & ~1;
  const swapped = new Uint8Array(even);
  for (let i = 0; i < even; i += 2) {
    swapped[i] = bytes[i + 1];
    swapped[i + 1] = bytes[i];
  }
  return new TextDecoder("utf-16le", { fatal: false }).decode(swapped);
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
