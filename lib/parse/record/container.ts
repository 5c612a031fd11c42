/**
 * Containers around build records, detected by content (never by file name):
 *   gzip (1f 8b) → tar → OCI layout (`oci-layout`, `index.json`, `blobs/sha256/…`)
 *   plain tar (`ustar` at offset 257)
 *   zip (PK\3\4) holding one or more bundles (the GitHub Actions artifact download)
 * Every expansion is capped: total decompressed bytes and entry counts. Exceeding a cap, a cut-off
 * stream or a corrupt archive gives a one-line reason, never an exception or unbounded memory.
 */
import { Gunzip, unzipSync } from "fflate";
import { parseTar, type ParsedTarFileItem } from "nanotar";

/** Most decompressed bytes one input may expand to (all bundles together). */
export const MAX_RECORD_BYTES = 128 * 1024 * 1024;
/** Most tar entries in one bundle, and most bundles in one zip. */
export const MAX_TAR_ENTRIES = 20_000;
export const MAX_ZIP_BUNDLES = 200;

export class RecordReadError extends Error {}

export type ContainerKind = "gzip" | "tar" | "zip";

export function sniffContainer(b: Uint8Array): ContainerKind | null {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return "gzip";
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6)) return "zip";
  if (isTar(b)) return "tar";
  return null;
}

function isTar(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  // "ustar" magic (POSIX and GNU).
  return b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72;
}

/** A bundle's files by path (leading `./` removed). */
export type BundleFiles = Map<string, Uint8Array>;

export interface Budget {
  left: number;
}

export function newBudget(): Budget {
  return { left: MAX_RECORD_BYTES };
}

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** gunzip with the budget enforced while inflating (the gzip size trailer is not trusted). */
export function gunzipCapped(data: Uint8Array, budget: Budget, expectTar = false): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  let checked = !expectTar;
  const gz = new Gunzip((chunk, final) => {
    total += chunk.length;
    if (total > budget.left) throw new RecordReadError(`the bundle expands beyond ${MB(MAX_RECORD_BYTES)}; it is not read (cap on decompressed size).`);
    chunks.push(chunk);
    // A gzip'd log or anything else: say so after the first block, not after inflating it all.
    if (!checked && total >= 512) {
      checked = true;
      if (!isTar(concat(chunks, total).subarray(0, 512))) throw new RecordReadError("the gzip data holds no tar archive; it is not a build record bundle.");
    }
    if (final) ended = true;
  });
  try {
    gz.push(data, true);
  } catch (e) {
    if (e instanceof RecordReadError) throw e;
    throw new RecordReadError(`the gzip data is corrupt or cut off (${(e as Error).message || "invalid data"}).`);
  }
  if (!ended) throw new RecordReadError("the gzip data is cut off; the bundle looks truncated.");
  budget.left -= total;
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Regular files of a tar, by path. */
export function untar(data: Uint8Array): BundleFiles {
  const files: BundleFiles = new Map();
  let count = 0;
  let items: ParsedTarFileItem[];
  try {
    items = parseTar<never, { filter: () => boolean }, ParsedTarFileItem>(data, {
      filter: () => {
        count++;
        if (count > MAX_TAR_ENTRIES) throw new RecordReadError(`the bundle holds more than ${MAX_TAR_ENTRIES} entries; it is not read (cap on entries).`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof RecordReadError) throw e;
    throw new RecordReadError(`the tar archive is corrupt or cut off (${(e as Error).message || "invalid data"}).`);
  }
  for (const it of items) {
    if (it.type && it.type !== "file") continue;
    if (!it.data) continue;
    files.set(it.name.replace(/^\.\//, ""), it.data);
  }
  return files;
}

/** The members of a zip that are themselves bundles (gzip or tar), in archive order. */
export function unzipBundles(data: Uint8Array, budget: Budget): { name: string; data: Uint8Array }[] {
  let entries: Record<string, Uint8Array>;
  let count = 0;
  try {
    entries = unzipSync(data, {
      filter: (f) => {
        if (f.name.endsWith("/")) return false;
        count++;
        if (count > MAX_ZIP_BUNDLES) throw new RecordReadError(`the zip holds more than ${MAX_ZIP_BUNDLES} files; it is not read (cap on entries).`);
        // Declared sizes decide what is inflated at all; the inflated bytes are checked below too.
        if (f.originalSize > budget.left) throw new RecordReadError(`the zip expands beyond ${MB(MAX_RECORD_BYTES)}; it is not read (cap on decompressed size).`);
        budget.left -= f.originalSize;
        return true;
      },
    });
  } catch (e) {
    if (e instanceof RecordReadError) throw e;
    throw new RecordReadError(`the zip archive is corrupt or cut off (${(e as Error).message || "invalid data"}).`);
  }
  const out: { name: string; data: Uint8Array }[] = [];
  for (const [name, bytes] of Object.entries(entries)) {
    const kind = sniffContainer(bytes);
    if (kind === "gzip" || kind === "tar") out.push({ name, data: bytes });
  }
  return out;
}
