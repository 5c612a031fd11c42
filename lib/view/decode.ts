/**
 * Decoding dropped or picked files for display. The engine gets the original bytes (its parseLog
 * detects encodings itself); the text areas need a string. UTF-16 is recognised by its BOM or, for
 * BOM-less files, by NUL bytes in every other position (PowerShell `tee` output).
 */
export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be";

export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n >= 8) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (bytes[i] === 0) evenZero++;
      if (bytes[i + 1] === 0) oddZero++;
    }
    const half = n / 2;
    if (oddZero > half * 0.4 && evenZero < half * 0.05) return "utf-16le";
    if (evenZero > half * 0.4 && oddZero < half * 0.05) return "utf-16be";
  }
  return "utf-8";
}

/** Bytes → text without a BOM. Invalid sequences become U+FFFD, never an exception. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const encoding = detectEncoding(bytes);
  const text = new TextDecoder(encoding, { fatal: false, ignoreBOM: false }).decode(bytes);
  return { text, encoding };
}

/** Which input a dropped file most likely is, from its name. */
export function guessInputKind(fileName: string): "dockerfile" | "image" | "log" {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  if (/^(docker|container)file\b|\.dockerfile$/.test(base)) return "dockerfile";
  if (/\.json$/.test(base) && !/rawjson|progress|build/.test(base)) return "image";
  return "log";
}
