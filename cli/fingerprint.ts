/**
 * The build-context fingerprint of `cachescope build`: every file BuildKit would send (the ignore
 * file applied with BuildKit's rules), size + mtime + mode first, content hashed only for files whose
 * metadata changed since the baseline. The diff of two fingerprints is the changed-files list.
 *
 * What counts as a change is what changes a COPY's cache key: content, mode (permissions, type) and a
 * symlink's target. A `touch` alone changes the mtime but not the key: the file is re-hashed and,
 * with the same content, not listed.
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { createIgnoreMatcher } from "../lib/context/dockerignore";

/** [size, mtimeMs, mode, content hash] */
export type FileEntry = [number, number, number, string];

export interface Fingerprint {
  version: 1;
  context: string;
  /** The ignore file applied (text), to tell a changed ignore file apart from changed files. */
  ignore?: string | null;
  files: Record<string, FileEntry>;
}

export interface FingerprintStats {
  files: number;
  hashed: number;
  bytesHashed: number;
  skippedDirs: number;
}

/** Walks the context as BuildKit's sender would, reusing the baseline's hashes where metadata matches. */
export function fingerprintContext(
  contextDir: string,
  ignoreText: string | null,
  baseline: Fingerprint | null,
  options: { skip?: (absPath: string) => boolean } = {},
): { fingerprint: Fingerprint; stats: FingerprintStats } {
  const root = resolve(contextDir);
  const ignore = createIgnoreMatcher(ignoreText);
  const prev = baseline?.files ?? {};
  const files: Record<string, FileEntry> = {};
  const stats: FingerprintStats = { files: 0, hashed: 0, bytesHashed: 0, skippedDirs: 0 };

  const walk = (absDir: string, relDir: string) => {
    let entries;
    try {
      entries = readdirSync(absDir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: BuildKit fails the transfer; we just cannot see inside
    }
    for (const e of entries) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      const abs = absDir + sep + e.name;
      if (options.skip?.(abs)) continue;
      // The walk only enters kept directories (or any, with `!` patterns, where the full check runs).
      const ignored = ignore.ignoresInKeptDir(rel);
      if (e.isDirectory()) {
        // An ignored directory can still hold files a `!` pattern re-includes.
        if (ignored && !ignore.hasExclusions) {
          stats.skippedDirs++;
          continue;
        }
        walk(abs, rel);
        continue;
      }
      if (ignored) continue;
      let st;
      try {
        st = lstatSync(abs);
      } catch {
        continue;
      }
      if (!st.isFile() && !st.isSymbolicLink()) continue;
      stats.files++;
      const old = prev[rel];
      if (old && old[0] === st.size && old[1] === st.mtimeMs && old[2] === st.mode) {
        files[rel] = old;
        continue;
      }
      let hash: string;
      try {
        if (st.isSymbolicLink()) hash = "link:" + readlinkSync(abs);
        else {
          const h = createHash("sha1");
          h.update(readFileSync(abs));
          hash = h.digest("hex");
          stats.bytesHashed += st.size;
        }
      } catch {
        hash = "unreadable";
      }
      stats.hashed++;
      files[rel] = [st.size, st.mtimeMs, st.mode, hash];
    }
  };
  walk(root, "");
  return { fingerprint: { version: 1, context: root, ignore: ignoreText, files }, stats };
}

/** Paths whose content, mode or link target changed, appeared or disappeared — sorted. */
export function diffFingerprints(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  for (const [p, e] of Object.entries(after.files)) {
    const b = before.files[p];
    if (!b || b[3] !== e[3] || (b[2] & 0o7777) !== (e[2] & 0o7777) || (b[2] & 0o170000) !== (e[2] & 0o170000)) out.push(p);
  }
  for (const p of Object.keys(before.files)) if (!(p in after.files)) out.push(p);
  return out.sort();
}

/** Files the baseline had that a changed ignore file now leaves out (BuildKit sees them as deleted). */
export function leftByIgnore(before: Fingerprint, after: Fingerprint): string[] {
  if ((before.ignore ?? null) === (after.ignore ?? null)) return [];
  const ignore = createIgnoreMatcher(after.ignore ?? null);
  return Object.keys(before.files).filter((p) => !(p in after.files) && ignore.ignores(p));
}

/** True when `inner` lies inside `outer` (both absolute). */
export function isInside(outer: string, inner: string): boolean {
  const r = relative(resolve(outer), resolve(inner));
  return r === "" || (!r.startsWith("..") && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
}

export { join };
