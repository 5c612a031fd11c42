/**
 * Timeline view model: every step that ran becomes a bar with a start and end in seconds from the
 * build start, packed into lanes of parallel work. Exact times come from the report (rawjson,
 * timestamped CI logs); otherwise the schedule is estimated as the earliest start on the dependency
 * graph (a step starts when the previous step of its stage and every stage it reads from are done).
 * Pure: no DOM, no React.
 */
import type { Report, ReportStep, StepStatus } from "../model/report";
import { displayStatus, type DisplayStatus } from "./status";

export const TIMELINE_LAYOUT = {
  laneHeight: 26,
  laneGap: 6,
  axisHeight: 24,
  /** Bars narrower than this (cached steps take ~0 s) are drawn at this width. */
  minBarPx: 4,
  minPxPerSecond: 0.5,
  maxPxPerSecond: 4000,
} as const;

export interface TimelineBar {
  id: string;
  /** The step id (DOM contract id) or null for non-step vertices. */
  stepId: string | null;
  label: string;
  stage: string;
  stageIndex: number | null;
  /** The report status (`data-status`), "other" for non-step vertices. */
  status: StepStatus | "other";
  /** What the bar shows: RESOLVED for a FROM that only resolved its image. */
  display: DisplayStatus | "other";
  start: number;
  end: number;
  lane: number;
  onCriticalPath: boolean;
  /** True when start/end came from the log, false when estimated. */
  exact: boolean;
}

export interface TimelineView {
  bars: TimelineBar[];
  laneCount: number;
  totalSeconds: number;
  estimated: boolean;
}

const EPS = 1e-6;
const RAN: ReadonlySet<StepStatus> = new Set(["cached", "rebuilt", "error", "canceled", "unfinished"]);

type TimelineReport = Pick<Report, "steps" | "stages" | "build"> & Partial<Pick<Report, "otherVertices">>;

export function toTimeline(report: TimelineReport): TimelineView {
  const ran = report.steps.filter((s) => RAN.has(s.status));
  const byStage = new Map<number, ReportStep[]>();
  for (const s of ran) {
    let list = byStage.get(s.stageIndex);
    if (!list) byStage.set(s.stageIndex, (list = []));
    list.push(s);
  }
  for (const list of byStage.values()) list.sort((a, b) => a.position - b.position);

  const stageByIndex = new Map(report.stages.map((s) => [s.index, s]));
  const times = new Map<string, { start: number; end: number; exact: boolean }>();
  const stageEnd = new Map<number, number>();
  const visiting = new Set<number>();

  const endOfStage = (index: number): number => {
    const known = stageEnd.get(index);
    if (known != null) return known;
    if (visiting.has(index)) return 0; // cycle guard: malformed input
    visiting.add(index);
    const steps = byStage.get(index) ?? [];
    const stage = stageByIndex.get(index);
    // Dependencies we cannot pin to a step line (no Dockerfile) delay the whole stage.
    let ready = 0;
    if (stage) {
      for (const e of stage.edges) {
        if (e.fromStage == null || e.fromStage === index) continue;
        const pinned = e.kind !== "from" && e.line != null && steps.some((s) => covers(s, e.line!));
        if (!pinned) ready = Math.max(ready, endOfStage(e.fromStage));
      }
      if (stage.edges.length === 0) for (const d of stage.dependsOn) if (d !== index) ready = Math.max(ready, endOfStage(d));
    }
    let prevEnd = ready;
    for (const s of steps) {
      let start = prevEnd;
      if (stage) {
        for (const e of stage.edges) {
          if (e.fromStage == null || e.fromStage === index || e.kind === "from" || e.line == null) continue;
          if (covers(s, e.line)) start = Math.max(start, endOfStage(e.fromStage));
        }
      }
      let t: { start: number; end: number; exact: boolean };
      if (s.startSeconds != null && s.endSeconds != null && s.endSeconds >= s.startSeconds) {
        t = { start: s.startSeconds, end: s.endSeconds, exact: true };
      } else if (s.startSeconds != null) {
        t = { start: s.startSeconds, end: s.startSeconds + Math.max(0, s.durationSeconds ?? 0), exact: true };
      } else {
        t = { start, end: start + Math.max(0, s.durationSeconds ?? 0), exact: false };
      }
      times.set(s.id, t);
      prevEnd = t.end;
    }
    visiting.delete(index);
    stageEnd.set(index, prevEnd);
    return prevEnd;
  };
  for (const index of byStage.keys()) endOfStage(index);
  // Times computed by the engine from durations are an estimate too.
  const exactLog = report.build.timing === "exact";

  const bars: TimelineBar[] = ran.map((s) => {
    const t = times.get(s.id)!;
    return {
      id: s.id,
      stepId: s.id,
      label: s.text,
      stage: s.stage,
      stageIndex: s.stageIndex,
      status: s.status,
      display: displayStatus(s),
      start: t.start,
      end: t.end,
      lane: 0,
      onCriticalPath: s.onCriticalPath,
      exact: t.exact && exactLog,
    };
  });
  for (const v of report.otherVertices ?? []) {
    if (v.startSeconds == null || v.endSeconds == null) continue;
    bars.push({
      id: `vertex:${v.vertex}`,
      stepId: null,
      label: v.name,
      stage: v.kind,
      stageIndex: null,
      status: "other",
      display: "other",
      start: v.startSeconds,
      end: Math.max(v.startSeconds, v.endSeconds),
      lane: 0,
      onCriticalPath: false,
      exact: true,
    });
  }

  const laneCount = assignLanes(bars);
  const totalSeconds = Math.max(
    bars.reduce((m, b) => Math.max(m, b.end), 0),
    report.build.durationSeconds ?? 0,
  );
  const estimated = report.build.timing === "estimated" || bars.some((b) => !b.exact);
  return { bars, laneCount, totalSeconds, estimated };
}

function covers(s: ReportStep, line: number): boolean {
  if (s.line == null) return false;
  return line >= s.line && line <= (s.endLine ?? s.line);
}

/**
 * Greedy interval packing, in start order. A step stays in the lane of the previous step of its
 * stage when that lane is free, so a stage reads as one row where it can. Mutates `bars[i].lane`.
 */
export function assignLanes(bars: TimelineBar[]): number {
  const order = bars
    .map((b, i) => i)
    .sort((a, b) => bars[a].start - bars[b].start || (bars[a].stageIndex ?? -1) - (bars[b].stageIndex ?? -1) || bars[a].id.localeCompare(bars[b].id));
  const laneEnds: number[] = [];
  const lastLaneOfStage = new Map<number, number>();
  for (const i of order) {
    const bar = bars[i];
    const free = (lane: number) => laneEnds[lane] <= bar.start + EPS;
    let lane = -1;
    const pref = bar.stageIndex != null ? lastLaneOfStage.get(bar.stageIndex) : undefined;
    if (pref != null && free(pref)) lane = pref;
    if (lane < 0) lane = laneEnds.findIndex((_, l) => free(l));
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = Math.max(laneEnds[lane], bar.end);
    bar.lane = lane;
    if (bar.stageIndex != null) lastLaneOfStage.set(bar.stageIndex, lane);
  }
  return laneEnds.length;
}
