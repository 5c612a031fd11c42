/**
 * Start/end seconds from CI timestamps (GitHub Actions, Gitea, Render…). These time the
 * *printing*, not the execution: the plain printer can hold a vertex's lines back for ~10 s while
 * another vertex has the display (spec §2.8). So they fill startSeconds/endSeconds and the build
 * duration, but the build's timing stays "estimated"; only rawjson intervals are "exact".
 */
import type { BuildAcc } from "./model";

export function roundSeconds(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** From the timestamps the plain reader noted on the build (BuildAcc.firstTs / lastLineTs). */
export function finishTimes(b: BuildAcc): void {
  if (b.firstTsLine === 0 || b.firstTsLine > b.lastLine) return;
  const base = b.firstTs;
  const end = b.lastLineTs === b.lastLineTs ? b.lastLineTs : base;
  b.startedAt = isoOf(base);
  b.durationSeconds = roundSeconds(end - base);
  for (const v of b.vertices) {
    if (v.firstTs === v.firstTs) v.startSeconds = roundSeconds(v.firstTs - base);
    if (v.terminal && v.endTs === v.endTs) v.endSeconds = roundSeconds(v.endTs - base);
  }
}

export function isoOf(epochSeconds: number): string | null {
  const d = new Date(Math.round(epochSeconds * 1000));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
