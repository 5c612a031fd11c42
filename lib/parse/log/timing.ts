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

export function finishTimes(b: BuildAcc, times: Float64Array): void {
  const from = Math.max(0, b.line - 1);
  const to = Math.min(times.length, b.lastLine);
  let base = NaN;
  for (let i = from; i < to; i++) {
    if (times[i] === times[i]) {
      base = times[i];
      break;
    }
  }
  if (base !== base) return;
  let end = base;
  for (let i = to - 1; i >= from; i--) {
    if (times[i] === times[i]) {
      end = times[i];
      break;
    }
  }
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
