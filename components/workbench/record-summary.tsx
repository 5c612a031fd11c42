"use client";

import { useMemo } from "react";
import { recordSummaryOf } from "@/lib/view/record-input";

/** Under a log input holding a build record's digest: what was read (which build, steps, Dockerfile). */
export function RecordSummary({ text, testId }: { text: string; testId: string }) {
  const summary = useMemo(() => recordSummaryOf(text), [text]);
  if (!summary) return null;
  return (
    <p data-testid={testId} className="rounded-md border border-sky-200 bg-sky-50 px-2 py-1 text-[11px] leading-4 text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100">
      <span aria-hidden className="mr-1">◎</span>
      {summary} The record was decoded in your browser; the input holds its digest (what links carry), not the file.
    </p>
  );
}
