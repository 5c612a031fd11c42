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
  minBarPx: 6,
  /** Width of the lane labels (stage names) at the left. */
  labelWidth: 112,
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

export interface TimelineLane {
  /** The stage name, or "BuildKit" for internal vertices (context transfer, export). */
  label: string;
  stageIndex: number | null;
}

export interface TimelineView {
  bars: TimelineBar[];
  /** One lane per stage that ran, in Dockerfile order, then one for BuildKit's own vertices. */
  lanes: TimelineLane[];
  laneCount: number;
  /** Most steps that were running (taking time) at the same moment. */
  maxParallel: number;
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

  const lanes = assignStageLanes(bars);
  const laneCount = lanes.length;
  const maxParallel = peakOverlap(bars.filter((b) => b.stepId != null));
  const totalSeconds = Math.max(
    bars.reduce((m, b) => Math.max(m, b.end), 0),
    report.build.durationSeconds ?? 0,
  );
  const estimated = report.build.timing === "estimated" || bars.some((b) => !b.exact);
  return { bars, lanes, laneCount, maxParallel, totalSeconds, estimated };
}

/**
 * One lane per stage (a stage's steps run one after another, so they never overlap), labelled with
 * the stage name, in stage order; BuildKit's internal vertices share a last lane. Mutates `bars[i].lane`.
 */
export function assignStageLanes(bars: TimelineBar[]): TimelineLane[] {
  const stageLanes = new Map<number, string>();
  let internal = false;
  for (const b of bars) {
    if (b.stageIndex == null) internal = true;
    else if (!stageLanes.has(b.stageIndex)) stageLanes.set(b.stageIndex, b.stage);
  }
  const lanes: TimelineLane[] = [...stageLanes.entries()].sort((a, b) => a[0] - b[0]).map(([stageIndex, label]) => ({ label, stageIndex }));
  if (internal) lanes.push({ label: "BuildKit", stageIndex: null });
  const laneOf = new Map(lanes.map((l, i) => [l.stageIndex, i]));
  for (const b of bars) b.lane = laneOf.get(b.stageIndex) ?? lanes.length - 1;
  return lanes;
}

/** The most intervals (with a length) open at one instant. */
export function peakOverlap(bars: Pick<TimelineBar, "start" | "end">[]): number {
  const events: [number, number][] = [];
  for (const b of bars) {
    if (b.end - b.start <= EPS) continue;
    events.push([b.start, 1], [b.end, -1]);
  }
  // Ends before starts at the same instant: back-to-back steps are not parallel.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, d] of events) peak = Math.max(peak, (open += d));
  return Math.max(peak, bars.length ? 1 : 0);
}

export interface PlacedBar {
  index: number;
  left: number;
  width: number;
}

/**
 * Pixel placement at `pps` pixels per second. A step that took no time (a cached step, a COPY of an
 * unchanged file) still gets `minBarPx`, and the bars of one lane never cover each other: a bar
 * starts no earlier than one pixel after the previous bar of its lane. So every step stays visible
 * and clickable, in order, at any zoom (the tooltip gives the real times).
 */
export function placeBars(bars: TimelineBar[], pps: number, originPx: number): PlacedBar[] {
  const out: PlacedBar[] = new Array(bars.length);
  const byLane = new Map<number, number[]>();
  bars.forEach((b, i) => {
    let l = byLane.get(b.lane);
    if (!l) byLane.set(b.lane, (l = []));
    l.push(i);
  });
  for (const idx of byLane.values()) {
    idx.sort((a, b) => bars[a].start - bars[b].start || bars[a].end - bars[b].end || bars[a].id.localeCompare(bars[b].id, "en", { numeric: true }));
    let right = -Infinity;
    for (const i of idx) {
      const b = bars[i];
      const left = Math.max(originPx + b.start * pps, right + 1);
      const width = Math.max(TIMELINE_LAYOUT.minBarPx, (b.end - b.start) * pps - (left - (originPx + b.start * pps)));
      out[i] = { index: i, left, width };
      right = left + width;
    }
  }
  return out;
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
