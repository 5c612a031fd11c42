"use client";

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Report } from "@/lib/model/report";
import { Badge, STATUS_FILL } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { DISPLAY_STATUS_LABEL, DISPLAY_STATUS_TITLE } from "@/lib/view/status";
import { formatDuration } from "@/lib/view/format";
import { TIMELINE_LAYOUT as L, placeBars, toTimeline, type TimelineBar } from "@/lib/view/timeline";

const TICKS = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
const ZOOM_STEP = 1.5;

function tickStep(pps: number): number {
  return TICKS.find((t) => t * pps >= 90) ?? TICKS[TICKS.length - 1];
}

interface Props {
  report: Pick<Report, "steps" | "stages" | "build" | "otherVertices">;
  selectedStep: string | null;
  onSelectStep(id: string): void;
}

/** Lanes of parallel work over time; zoom with the buttons or Ctrl/⌘ + wheel; hover for details. */
export function Timeline({ report, selectedStep, onSelectStep }: Props) {
  const view = useMemo(() => toTimeline(report), [report]);
  // Every colour on screen gets a legend entry (and only those).
  const legend = useMemo(() => {
    const shown = new Set(view.bars.map((b) => b.display));
    return (["cached", "rebuilt", "error", "canceled", "unfinished", "resolved", "other"] as const).filter((s) => shown.has(s));
  }, [view]);
  const hasCritical = view.bars.some((b) => b.onCriticalPath);
  const [activeBar, setActiveBar] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [zoom, setZoom] = useState<number | null>(null); // null = fit to width
  const [hover, setHover] = useState<{ bar: TimelineBar; x: number; y: number } | null>(null);
  const pendingScroll = useRef<number | null>(null);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const total = Math.max(view.totalSeconds, 0.001);
  const fitPps = Math.max(L.minPxPerSecond, (width - L.labelWidth - 36) / total);
  const pps = zoom ?? fitPps;
  const clamp = (v: number) => Math.min(L.maxPxPerSecond, Math.max(Math.min(fitPps, L.minPxPerSecond), v));
  const origin = L.labelWidth + 12;
  const placed = useMemo(() => placeBars(view.bars, pps, origin), [view, pps, origin]);
  const innerWidth = Math.max(width - 2, origin + total * pps + 24, ...placed.map((p) => p.left + p.width + 12));
  const lanesHeight = view.laneCount * (L.laneHeight + L.laneGap) + L.laneGap;
  const step = tickStep(pps);
  const ticks: number[] = [];
  for (let t = 0; t <= total + 1e-9 && ticks.length < 2000; t += step) ticks.push(t);

  const zoomAround = (factor: number, anchorX: number | null) => {
    const el = scroller.current;
    const next = clamp(pps * factor);
    if (el) {
      const x = anchorX ?? el.clientWidth / 2;
      const t = (el.scrollLeft + x - origin) / pps;
      pendingScroll.current = Math.max(0, origin + t * next - x);
    }
    setZoom(next);
  };

  useLayoutEffect(() => {
    if (pendingScroll.current != null && scroller.current) {
      scroller.current.scrollLeft = pendingScroll.current;
      pendingScroll.current = null;
    }
  }, [pps]);

  // Ctrl/⌘ + wheel zooms; needs a non-passive listener to stop the page zoom.
  const zoomRef = useRef(zoomAround);
  zoomRef.current = zoomAround;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      zoomRef.current(e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, e.clientX - rect.left);
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const barFromEvent = (e: React.SyntheticEvent): TimelineBar | null => {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-bar]");
    if (!el) return null;
    return view.bars[Number(el.dataset.bar)] ?? null;
  };
  const showTip = (e: React.SyntheticEvent) => {
    const bar = barFromEvent(e);
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-bar]");
    const box = scroller.current?.parentElement?.getBoundingClientRect();
    if (!bar || !el || !box) return setHover(null);
    const r = el.getBoundingClientRect();
    setHover({ bar, x: Math.min(Math.max(8, r.left - box.left), box.width - 300), y: r.bottom - box.top + 6 });
  };

  return (
    <div className="flex h-full flex-col" data-testid="timeline">
      <div className="flex flex-wrap items-center gap-2 px-3 py-2 text-xs">
        {view.estimated ? (
          <span title="Plain logs give durations only: start times are estimated from the stage dependencies (earliest start).">
            <Badge tone="warn">estimated schedule</Badge>
          </span>
        ) : (
          <Badge tone="info">exact times</Badge>
        )}
        <span className="text-zinc-700 dark:text-zinc-300" data-testid="timeline-summary">
          {view.lanes.filter((l) => l.stageIndex != null).length} {view.lanes.filter((l) => l.stageIndex != null).length === 1 ? "stage" : "stages"} · at most{" "}
          {view.maxParallel} {view.maxParallel === 1 ? "step" : "steps"} at once · {formatDuration(view.totalSeconds)}
          {view.estimated ? " (estimated)" : ""}
        </span>
        <ul className="ml-auto flex flex-wrap items-center gap-x-2 gap-y-1" aria-label="Legend" data-testid="timeline-legend">
          {legend.map((s) => (
            <li key={s} className="flex items-center gap-1">
              <span aria-hidden className={cx("inline-block h-2.5 w-2.5 rounded-sm", STATUS_FILL[s])} />
              <span title={s === "other" ? undefined : DISPLAY_STATUS_TITLE[s]}>{s === "other" ? "BuildKit (context, export)" : DISPLAY_STATUS_LABEL[s]}</span>
            </li>
          ))}
          {hasCritical && (
            <li className="flex items-center gap-1">
              <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm ring-2 ring-sky-600 ring-inset dark:ring-sky-300" />
              <span>critical path</span>
            </li>
          )}
        </ul>
        <span className="flex items-center gap-1">
          <Button size="sm" onClick={() => zoomAround(1 / ZOOM_STEP, null)} aria-label="Zoom out" data-testid="timeline-zoom-out">
            −
          </Button>
          <Button size="sm" onClick={() => zoomAround(ZOOM_STEP, null)} aria-label="Zoom in" data-testid="timeline-zoom-in">
            +
          </Button>
          <Button size="sm" onClick={() => setZoom(null)} aria-label="Fit to width">
            Fit
          </Button>
        </span>
      </div>
      <div className="relative min-h-0 flex-1">
        <div ref={scroller} className="h-full overflow-auto border-t border-zinc-200 dark:border-zinc-800" data-testid="timeline-scroller">
          <div style={{ width: innerWidth, height: L.axisHeight + lanesHeight }} className="relative" data-testid="timeline-canvas" data-pps={pps.toFixed(3)}>
            <div className="sticky top-0 z-10 h-6 border-b border-zinc-200 bg-white/90 dark:border-zinc-800 dark:bg-zinc-900/90">
              <span
                className="sticky left-0 z-20 inline-block h-6 bg-white px-2 text-[10px] leading-6 font-semibold text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
                style={{ width: L.labelWidth }}
                data-testid="timeline-axis"
              >
                {view.estimated ? "time (estimated)" : "time (exact)"}
              </span>
              {ticks.map((t) => (
                <span
                  key={t}
                  aria-hidden
                  className="absolute top-1 border-l border-zinc-300 pl-1 text-[10px] text-zinc-600 tabular-nums dark:border-zinc-700 dark:text-zinc-400"
                  style={{ left: origin + t * pps }}
                >
                  {formatDuration(t)}
                </span>
              ))}
            </div>
            {/* Sticky to the left edge while the lanes scroll; height 0 so the lanes start right below the axis. */}
            <div className="pointer-events-none sticky left-0 z-[5]" style={{ width: L.labelWidth, height: 0 }}>
              {view.lanes.map((lane, i) => (
                <span
                  key={i}
                  data-testid="timeline-lane"
                  className="absolute left-0 block truncate border-r border-zinc-200 bg-white/95 px-2 text-[11px] font-medium text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900/95 dark:text-zinc-300"
                  style={{ top: L.laneGap / 2 + i * (L.laneHeight + L.laneGap), width: L.labelWidth, height: L.laneHeight + L.laneGap, lineHeight: `${L.laneHeight + L.laneGap}px` }}
                  title={lane.label}
                >
                  {lane.label}
                </span>
              ))}
            </div>
            <div
              className="relative"
              style={{ height: lanesHeight }}
              role="group"
              aria-label="Build steps over time: arrow keys move between steps and lanes"
              onMouseOver={showTip}
              onFocus={showTip}
              onMouseLeave={() => setHover(null)}
              onBlur={() => setHover(null)}
              onKeyDown={(e) => {
                const cur = Number((e.target as HTMLElement).dataset.bar ?? activeBar);
                const next = nextBar(view.bars, placed, cur, e.key);
                if (next == null) return;
                e.preventDefault();
                setActiveBar(next);
                const el = (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-bar="${next}"]`);
                el?.focus();
                el?.scrollIntoView({ block: "nearest", inline: "nearest" });
              }}
              onClick={(e) => {
                const bar = barFromEvent(e);
                if (bar?.stepId) onSelectStep(bar.stepId);
              }}
            >
              {ticks.map((t) => (
                <span key={t} aria-hidden className="absolute top-0 bottom-0 border-l border-zinc-100 dark:border-zinc-800/70" style={{ left: origin + t * pps }} />
              ))}
              {view.bars.map((b, i) => {
                const { left, width: w } = placed[i];
                const selected = b.stepId != null && b.stepId === selectedStep;
                return (
                  <button
                    key={b.id}
                    type="button"
                    data-bar={i}
                    onFocus={() => setActiveBar(i)}
                    data-step={b.stepId ?? undefined}
                    data-status={b.status}
                    data-display-status={b.display}
                    tabIndex={i === activeBar ? 0 : -1}
                    aria-label={`${b.stage}: ${b.label}, ${b.display === "other" ? "BuildKit" : DISPLAY_STATUS_LABEL[b.display]}, ${formatDuration(b.end - b.start)}${b.exact ? "" : " (estimated)"}`}
                    className={cx(
                      "absolute overflow-hidden rounded-sm px-1 text-left text-[10px] leading-[26px] whitespace-nowrap text-zinc-950",
                      STATUS_FILL[b.display],
                      b.onCriticalPath && "ring-2 ring-sky-600 ring-inset dark:ring-sky-300",
                      selected && "outline-2 outline-offset-1 outline-zinc-900 dark:outline-white",
                      b.status === "cached" && "opacity-80",
                    )}
                    style={{
                      left,
                      width: w,
                      top: L.laneGap + b.lane * (L.laneHeight + L.laneGap),
                      height: L.laneHeight,
                      // Instant steps (cached, FROM) are thin ticks: keep them above the bar that follows.
                      zIndex: w <= L.minBarPx * 2 ? 2 : 1,
                    }}
                  >
                    {w > 44 ? b.label : ""}
                  </button>
                );
              })}
            </div>
          </div>
        </div>
        {hover && (
          <div
            role="tooltip"
            data-testid="timeline-tooltip"
            className="pointer-events-none absolute z-20 w-[290px] rounded-md border border-zinc-200 bg-white p-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-800"
            style={{ left: hover.x, top: hover.y }}
          >
            <div className="font-mono break-words">{hover.bar.label}</div>
            <div className="mt-1 text-zinc-600 dark:text-zinc-300">
              {hover.bar.stage} · {hover.bar.display === "other" ? "internal" : DISPLAY_STATUS_LABEL[hover.bar.display]} · {formatDuration(hover.bar.end - hover.bar.start)}
            </div>
            {hover.bar.display !== "other" && DISPLAY_STATUS_TITLE[hover.bar.display] && (
              <div className="mt-1 text-zinc-600 dark:text-zinc-300">{DISPLAY_STATUS_TITLE[hover.bar.display]}</div>
            )}
            <div className="text-zinc-500 dark:text-zinc-400">
              {formatDuration(hover.bar.start)} → {formatDuration(hover.bar.end)}
              {hover.bar.exact ? "" : " (estimated)"}
              {hover.bar.onCriticalPath ? " · critical path" : ""}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

/** Roving focus in the timeline: ←/→ along a lane, ↑/↓ to the nearest bar of the next lane, Home/End. */
function nextBar(bars: TimelineBar[], placed: { left: number; width: number }[], cur: number, key: string): number | null {
  const b = bars[cur];
  if (!b) return null;
  const lane = (l: number) => bars.map((x, i) => i).filter((i) => bars[i].lane === l).sort((p, q) => placed[p].left - placed[q].left);
  if (key === "ArrowRight" || key === "ArrowLeft") {
    const l = lane(b.lane);
    const j = l.indexOf(cur) + (key === "ArrowRight" ? 1 : -1);
    return l[Math.max(0, Math.min(l.length - 1, j))] ?? null;
  }
  if (key === "ArrowDown" || key === "ArrowUp") {
    const lanes = Math.max(...bars.map((x) => x.lane)) + 1;
    const to = b.lane + (key === "ArrowDown" ? 1 : -1);
    if (to < 0 || to >= lanes) return cur;
    const l = lane(to);
    const x = placed[cur].left;
    return l.reduce((best, i) => (Math.abs(placed[i].left - x) < Math.abs(placed[best].left - x) ? i : best), l[0]);
  }
  if (key === "Home") return lane(b.lane)[0] ?? null;
  if (key === "End") return lane(b.lane).at(-1) ?? null;
  return null;
}
