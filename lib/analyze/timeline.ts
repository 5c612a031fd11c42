import type { ReportStep } from "../model/report";
import type { StepGraph } from "./graph";

export interface Schedule {
  timing: "exact" | "estimated";
  /** Seconds from build start, per step id (steps that ran or were cached). */
  start: Map<string, number>;
  end: Map<string, number>;
  criticalPath: string[];
  criticalPathSeconds: number | null;
  makespan: number | null;
}

/**
 * Exact times when the log has them (rawjson); otherwise an earliest-start schedule on the
 * dependency graph: each step starts when all its dependencies have ended. Plain logs only give
 * durations, so that schedule is labelled `estimated`.
 */
export function schedule(steps: ReportStep[], graph: StepGraph, logTiming: "exact" | "estimated"): Schedule {
  const ran = steps.filter((s) => s.status !== "not-run");
  const exact = logTiming === "exact" && ran.length > 0 && ran.every((s) => s.startSeconds != null && s.endSeconds != null);
  const start = new Map<string, number>();
  const end = new Map<string, number>();

  if (exact) {
    for (const s of ran) {
      start.set(s.id, s.startSeconds!);
      end.set(s.id, s.endSeconds!);
    }
  } else {
    const visiting = new Set<string>();
    const endOf = (id: string): number => {
      const known = end.get(id);
      if (known != null) return known;
      const s = graph.byId.get(id);
      if (!s || s.status === "not-run" || visiting.has(id)) return 0;
      visiting.add(id);
      let t = 0;
      for (const d of graph.deps.get(id) ?? []) t = Math.max(t, endOf(d));
      visiting.delete(id);
      const dur = s.status === "cached" ? 0 : s.durationSeconds ?? 0;
      start.set(id, t);
      end.set(id, t + dur);
      return t + dur;
    };
    for (const s of ran) endOf(s.id);
  }

  // Critical path: from the step that ends last, follow the dependency that ended last.
  let lastId: string | null = null;
  for (const [id, t] of end) if (lastId == null || t > end.get(lastId)!) lastId = id;
  const path: string[] = [];
  const seen = new Set<string>();
  let cur = lastId;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    path.push(cur);
    let best: string | null = null;
    for (const d of graph.deps.get(cur) ?? []) {
      if (!end.has(d)) continue;
      if (best == null || end.get(d)! > end.get(best)!) best = d;
    }
    cur = best;
  }
  path.reverse();
  const makespan = lastId ? end.get(lastId)! : null;
  let criticalPathSeconds: number | null = null;
  if (path.length) criticalPathSeconds = round1(end.get(path[path.length - 1])! - (exact ? start.get(path[0])! : 0));
  return {
    timing: exact ? "exact" : "estimated",
    start,
    end,
    criticalPath: path,
    criticalPathSeconds,
    makespan: makespan == null ? null : round1(makespan),
  };
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
