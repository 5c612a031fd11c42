/**
 * View model of the changed files for the web panel (H-files; the components are H-web's):
 * per step, the files that made it miss; for the whole build, the summary, what the ignore file
 * left out and what did not matter. Pure; every string is plain text for the component to render.
 */
import type { Report, ReportStep } from "../model/report";
import { changedFilesTexts as T } from "../analyze/changed-files-catalog";

export interface ChangedFilesStepView {
  stepId: string;
  stepText: string;
  line: number | null;
  rootCause: boolean;
  /** [] = the list reaches this step with no file (the list does not explain its miss). */
  files: string[];
  /** "COPY src ./src rebuilt because src/api/info.py changed" — backticks mark code spans. */
  sentence: string;
}

export interface ChangedFilesView {
  summary: string;
  source: "list" | "fingerprint";
  steps: ChangedFilesStepView[];
  ignored: string[];
  unused: string[];
}

/** Null when the analysis had no changed-files list. */
export function changedFilesView(report: Report): ChangedFilesView | null {
  const cf = report.changedFiles;
  if (!cf) return null;
  const steps: ChangedFilesStepView[] = report.steps
    .filter((s): s is ReportStep & { miss: NonNullable<ReportStep["miss"]> } => !!s.miss && s.miss.changedFiles != null)
    .map((s) => ({
      stepId: s.id,
      stepText: s.text,
      line: s.line,
      rootCause: s.miss.rootCause,
      files: s.miss.changedFiles!,
      sentence: s.miss.changedFiles!.length ? T.rebuiltBecause(s.text, s.miss.changedFiles!) : T.notExplained(s.text),
    }));
  const copied = new Set(steps.flatMap((s) => s.files));
  return {
    summary: T.summary({ source: cf.source, listed: cf.listed.length, copied: copied.size, ignored: cf.ignored.length, unused: cf.unused.length }),
    source: cf.source,
    steps,
    ignored: cf.ignored,
    unused: cf.unused,
  };
}

/** The one-line form for a step row (`src/a.py, src/b.py +3`), null when the step has no list. */
export function changedFilesShort(files: string[] | null, max = 2): string | null {
  if (files == null) return null;
  if (!files.length) return "none of the changed files";
  const shown = files.slice(0, max).join(", ");
  return files.length > max ? `${shown} +${files.length - max}` : shown;
}
