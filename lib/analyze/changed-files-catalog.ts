/**
 * Texts of the changed-files post-pass (lib/analyze/changed-files.ts), kept apart from the cause
 * catalog so both can change independently. Every renderer prints these as the engine put them.
 */

export type ListSource = "list" | "fingerprint";

/** `a`, `b`, `c` and 4 more; 3 or more files under `.git/` or one `node_modules/` are counted, not listed. */
export function fileList(files: string[], max = 5): string {
  const groups = new Map<string, number>();
  const singles: string[] = [];
  for (const f of files) {
    const m = /^(\.git\/|(?:.*\/)?node_modules\/)/.exec(f);
    if (m) groups.set(m[1]!, (groups.get(m[1]!) ?? 0) + 1);
  }
  const grouped = new Set([...groups].filter(([, n]) => n >= 3).map(([g]) => g));
  const items: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const g = [...grouped].find((x) => f.startsWith(x));
    if (g) {
      if (!seen.has(g)) items.push(`${groups.get(g)} files in \`${g.replace(/`/g, "'")}\``);
      seen.add(g);
    } else singles.push(f), items.push(`\`${f.replace(/`/g, "'")}\``);
  }
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(", ")} and ${more} more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

const sourceName = (s: ListSource) => (s === "fingerprint" ? "the context fingerprint of cachescope build" : "the changed-files list");
const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

export const changedFilesTexts = {
  /** Explanation of a context miss the list decides. */
  decided: (step: string, line: number | null, files: string[]) =>
    `${step}${line != null ? ` (line ${line})` : ""} copies ${fileList(files)}, which changed since the cached build, so its cache key changed.`,
  decidedMount: (step: string, line: number | null, files: string[]) =>
    `${step}${line != null ? ` (line ${line})` : ""} bind-mounts ${fileList(files)} from the build context, which changed since the cached build; a bind mount's content is part of the step's cache key.`,
  decidedBy: (source: ListSource, files: string[]) => `${sourceName(source)}: ${fileList(files, 3)} changed and this step reads ${files.length === 1 ? "it" : "them"}`,
  /** Appended when the cause is something else, or the step was invalidated by its parent anyway. */
  alsoCopies: (files: string[]) => ` It also copies ${fileList(files)}, which changed.`,
  /** Appended when none of the listed files reaches the step. */
  none: (source: ListSource, listed: number, ignored: number) =>
    (listed === 1
      ? ` The one file in ${sourceName(source)} does not reach this step${ignored ? " (the ignore file leaves it out)" : ""}`
      : ` None of the ${listed} files in ${sourceName(source)} reaches this step${ignored ? ` (${ignored === listed ? "the ignore file leaves all of them out" : `${ignored} of them are left out by the ignore file`})` : ""}`) +
    ", so the list does not explain this miss.",
  /** A git diff never lists `.git/`, but a commit rewrites it: say so where the step reads `.git`. */
  gitNotListed: (bind: boolean) =>
    ` A \`git diff\` list never names files in \`.git/\`, yet every commit rewrites them, and this step ${bind ? "mounts" : "copies"} \`.git\` (no ignore rule leaves it out): that is the likely cause — \`cachescope build\` fingerprints the context and would name them.`,
  fixCopy: (sources: string) => `This step copies ${sources}: copy only what it needs, and leave files the image does not need out of the context with \`.dockerignore\`; copy rarely-changing files such as dependency manifests in an earlier step so the expensive steps stay cached.`,
  fixMount: (sources: string) => `This step mounts ${sources}: mount only what it reads (a narrower \`source=\`), and leave files it does not need out of the context with \`.dockerignore\`.`,
  unknownSources: (why: string) => ` Which of the changed files it copies is not known: ${why}.`,
  /** Diagnostics. */
  cachedButChanged: (step: string, files: string[]) =>
    `${step} stayed CACHED although ${fileList(files, 3)}, which it copies, ${files.length === 1 ? "is" : "are"} listed as changed: the cache already held a build with ${files.length === 1 ? "this file" : "these files"} as they are now (an earlier build, another branch), or the list is not relative to the build this cache came from.`,
  listProblem: (text: string, reason: string) => `\`${text}\`: ${reason}; the line is skipped.`,
  ignoreProblem: (pattern: string, reason: string) =>
    `\`${pattern}\`: ${reason}. BuildKit fails the build on this pattern; the ignore file is not applied here.`,
  /** Renderers: the one-line story of a root step (Markdown / text). */
  rebuiltBecause: (stepText: string, files: string[]) => `\`${stepText.replace(/`/g, "'")}\` rebuilt because ${fileList(files)} changed`,
  notExplained: (stepText: string) => `\`${stepText.replace(/`/g, "'")}\` rebuilt, but none of the changed files reaches it`,
  didNotMatter: (files: string[]) => `Did not matter (no rebuilt step copies ${files.length === 1 ? "it" : "them"}): ${fileList(files, 8)}`,
  leftOut: (files: string[]) => `Left out by the ignore file (not sent to the builder in this build): ${fileList(files, 8)}`,
  /** One line for the report's changed-files summary. */
  summary: (s: { source: ListSource; listed: number; copied: number; ignored: number; unused: number }) =>
    `${plural(s.listed, "changed file")} (${s.source === "fingerprint" ? "context fingerprint" : "list"}): ${s.copied} copied by rebuilt steps` +
    (s.ignored ? `, ${s.ignored} left out by the ignore file` : "") +
    (s.unused ? `, ${s.unused} did not matter (no rebuilt step copies ${s.unused === 1 ? "it" : "them"})` : "") +
    ".",
};
