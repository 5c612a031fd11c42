/**
 * The changed-files block of the text and Markdown reports: per root step the files that made it
 * miss, then what did not matter. Texts come from lib/analyze/changed-files-catalog.ts. Pure.
 */
import type { Report } from "../model/report";
import { changedFilesTexts as T } from "../analyze/changed-files-catalog";

/** Plain sentences (backticks mark user values), one per line; empty without a changed-files list. */
export function changedFilesLines(report: Report, maxRoots = 10): string[] {
  const cf = report.changedFiles;
  if (!cf) return [];
  const out: string[] = [];
  const copied = new Set<string>();
  for (const s of report.steps) for (const f of s.miss?.changedFiles ?? []) copied.add(f);
  out.push(T.summary({ source: cf.source, listed: cf.listed.length, copied: copied.size, ignored: cf.ignored.length, unused: cf.unused.length }));
  for (const rc of report.rootCauses.slice(0, maxRoots)) {
    const step = report.steps.find((s) => s.id === rc.rootStep);
    if (!step || rc.changedFiles == null) continue;
    out.push(rc.changedFiles.length ? T.rebuiltBecause(step.text, rc.changedFiles) : T.notExplained(step.text));
  }
  if (cf.unused.length) out.push(T.didNotMatter(cf.unused));
  if (cf.ignored.length) out.push(T.leftOut(cf.ignored));
  return out;
}
