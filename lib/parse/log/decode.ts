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

/**
 * The same decoding as decodeLog, for a log that arrives in chunks: the encoding is decided from
 * the first SNIFF_BYTES bytes (or the whole input when shorter), then every chunk goes through one
 * streaming TextDecoder, so no whole-text copy is ever made. Strings (a paste, FileReader) pass
 * through, unless the first one is UTF-16 read as one byte per character.
 */
export class StreamDecoder {
  encoding: LogEncoding = "utf-8";
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private decoder: TextDecoder | null = null;
  private swapCarry = -1;
  /** UTF-8: the bytes of a character cut by the end of the last chunk. */
  private utf8Carry: Uint8Array | null = null;
  /** First SNIFF_BYTES characters of text, held back until the NUL rescue is decided. */
  private textHead = "";
  private rescue: boolean | null = null;
  private started = false;
  /** String chunks are UTF-16 bytes, one per character (decided on the first string). */
  private latin1Strings: boolean | null = null;

  constructor(private readonly emit: (text: string) => void) {}

  push(chunk: string | Uint8Array): void {
    if (typeof chunk === "string") {
      if (this.latin1Strings === null && this.head.length === 0 && this.decoder === null) this.latin1Strings = stringIsUtf16Bytes(chunk);
      if (!this.latin1Strings) {
        // Bytes then a string: decode what is buffered first.
        if (this.head.length > 0) this.flushHead();
        return this.text(chunk, true);
      }
      const bytes = new Uint8Array(chunk.length);
      for (let i = 0; i < chunk.length; i++) bytes[i] = chunk.charCodeAt(i);
      chunk = bytes;
    }
    if (chunk.length === 0) return;
    if (this.decoder === null) {
      // Copied: a reader may reuse its buffer for the next chunk.
      this.head.push(chunk.slice());
      this.headBytes += chunk.length;
      if (this.headBytes >= SNIFF_BYTES) this.flushHead();
      return;
    }
    this.bytes(chunk);
  }

  end(): void {
    if (this.decoder === null && this.head.length > 0) this.flushHead();
    if (this.decoder !== null) {
      if (this.encoding === "utf-8") {
        if (this.utf8Carry) this.text(this.decoder.decode(this.utf8Carry));
        this.utf8Carry = null;
      } else {
        if (this.swapCarry >= 0) this.bytes(new Uint8Array(0), true);
        const tail = this.decoder.decode();
        if (tail) this.text(tail);
      }
    }
    this.decideRescue();
  }

  private flushHead(): void {
    const bytes = this.head.length === 1 ? this.head[0] : concat(this.head, this.headBytes);
    this.head = [];
    let start = 0;
    let enc: LogEncoding = "utf-8";
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    else if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) (enc = "utf-16le"), (start = 2);
    else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) (enc = "utf-16be"), (start = 2);
    else enc = sniffUtf16(bytes) ?? "utf-8";
    this.encoding = enc;
    // UTF-8 is decoded chunk by chunk without `stream` (the platform's fast path; the streaming
    // mode is several times slower in Node), cutting each chunk after its last whole character.
    this.decoder = enc === "utf-8" ? new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }) : new TextDecoder("utf-16le", { fatal: false });
    this.bytes(bytes.subarray(start));
  }

  private bytes(b: Uint8Array, last = false): void {
    if (this.encoding === "utf-16be") {
      // utf-16be is not universal in TextDecoder: swap byte pairs, carrying an odd byte over.
      const carry = this.swapCarry >= 0 ? 1 : 0;
      const total = b.length + carry;
      const even = last ? total + (total & 1) : total & ~1;
      const swapped = new Uint8Array(even);
      const at = (i: number) => (carry ? (i === 0 ? this.swapCarry : (b[i - 1] ?? 0)) : (b[i] ?? 0));
      for (let i = 0; i + 1 < even; i += 2) {
        swapped[i] = at(i + 1);
        swapped[i + 1] = at(i);
      }
      this.swapCarry = !last && total & 1 ? b[b.length - 1] : -1;
      if (last && total & 1) return; // a lone trailing byte: dropped, as the whole-text decoder does
      b = swapped;
    }
    if (this.encoding === "utf-8") {
      if (this.utf8Carry) {
        const joined = new Uint8Array(this.utf8Carry.length + b.length);
        joined.set(this.utf8Carry);
        joined.set(b, this.utf8Carry.length);
        b = joined;
        this.utf8Carry = null;
      }
      const cut = lastWholeCharEnd(b);
      if (cut < b.length) this.utf8Carry = b.slice(cut);
      let s = cut === 0 ? "" : this.decoder!.decode(cut === b.length ? b : b.subarray(0, cut));
      // What TextDecoder does at the start of its stream: one BOM is dropped.
      if (!this.started && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      if (s) this.text(s);
      return;
    }
    const s = this.decoder!.decode(b, { stream: true });
    if (s) this.text(s);
  }

  private text(s: string, fromString = false): void {
    if (s === "") return;
    if (!this.started) {
      // TextDecoder already drops one BOM; a pasted string, or UTF-16, may carry (another) one.
      this.started = true;
      if (fromString || this.encoding !== "utf-8") s = stripBom(s);
    }
    if (this.rescue === null) {
      this.textHead += s;
      if (this.textHead.length >= SNIFF_BYTES) this.decideRescue();
      return;
    }
    if (this.rescue && s.indexOf("\u0000") !== -1) s = s.replace(/\u0000/g, "");
    if (s) this.emit(s);
  }

  private decideRescue(): void {
    if (this.rescue !== null) return;
    const head = this.textHead;
    this.textHead = "";
    const rescued = rescueNuls(head);
    this.rescue = rescued !== head;
    if (rescued) this.emit(rescued);
  }
}

/** Where the last complete UTF-8 character of b ends (a lead byte whose sequence is cut is left out). */
function lastWholeCharEnd(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= 4 && k <= n; k++) {
    const c = b[n - k];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 1;
    return need > k ? n - k : n;
  }
  return n;
}

function stringIsUtf16Bytes(s: string): boolean {
  if (s.length < 2 || s.slice(0, SNIFF_BYTES).indexOf("\u0000") === -1) return false;
  if (!allBelow256(s, s.length)) return false;
  const c0 = s.charCodeAt(0);
  const c1 = s.charCodeAt(1);
  if ((c0 === 0xff && c1 === 0xfe) || (c0 === 0xfe && c1 === 0xff)) return true;
  const n = Math.min(s.length, SNIFF_BYTES);
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = s.charCodeAt(i);
  return sniffUtf16(bytes) !== null;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
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
