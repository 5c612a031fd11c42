/**
 * Changed files from two listings of a build context, for people who cannot run `cachescope build`
 * (the web app: upload the listing of the cached build's checkout and of this one). Pure.
 *
 * Reads, line by line, what these commands print:
 *   find . -type f -exec sha256sum {} +      `<hash>  <path>` (also sha1sum / md5sum, `*` binary marker)
 *   git ls-files -s                           `<mode> <hash> <stage>\t<path>`
 *   git ls-tree -r HEAD                       `<mode> blob <hash>\t<path>`
 * A path whose hash (or mode) differs, or that is in one listing only, is changed.
 */
import { normalizeListedPath } from "./changed-list";

export interface Listing {
  entries: Map<string, string>;
  problems: { line: number; text: string }[];
}

const SUM = /^\\?([0-9a-f]{32,128}) [ *](.+)$/i;
const LS_FILES = /^([0-7]{6}) ([0-9a-f]{40,64}) \d\t(.+)$/i;
const LS_TREE = /^([0-7]{6}) (?:blob|commit|tree) ([0-9a-f]{40,64})\t(.+)$/i;

export function parseListing(text: string): Listing {
  const entries = new Map<string, string>();
  const problems: Listing["problems"] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    let key: string | null = null;
    let name: string | null = null;
    let m = LS_FILES.exec(raw) ?? LS_TREE.exec(raw);
    if (m) {
      key = `${m[1]} ${m[2]}`;
      name = m[3]!;
    } else if ((m = SUM.exec(raw))) {
      key = m[1]!.toLowerCase();
      name = m[2]!;
    }
    const p = name != null ? normalizeListedPath(name) : null;
    if (key == null || p == null || typeof p !== "string") {
      problems.push({ line: i + 1, text: raw.slice(0, 200) });
      return;
    }
    entries.set(p, key);
  });
  return { entries, problems };
}

/** The changed-files list (newline-separated, sorted) between two listings. */
export function diffListings(before: string, after: string): { changed: string[]; problems: { listing: "before" | "after"; line: number; text: string }[] } {
  const a = parseListing(before);
  const b = parseListing(after);
  const changed: string[] = [];
  for (const [p, k] of b.entries) if (a.entries.get(p) !== k) changed.push(p);
  for (const p of a.entries.keys()) if (!b.entries.has(p)) changed.push(p);
  return {
    changed: changed.sort(),
    problems: [...a.problems.map((x) => ({ listing: "before" as const, ...x })), ...b.problems.map((x) => ({ listing: "after" as const, ...x }))],
  };
}
