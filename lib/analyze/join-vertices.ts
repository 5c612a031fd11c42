import type { LogVertex, VertexStatus } from "../model/log";
import type { StepStatus } from "../model/report";
import { instructionTextMatches } from "../parse/dockerfile";
import type { StepSkeleton } from "./join-skeleton";

/** Vertex-level helpers of the join: status mapping, which vertex stands for a step, stage lookup by label. */
export const STATUS_RANK: Record<VertexStatus, number> = { cached: 0, done: 1, running: 2, canceled: 3, error: 4 };

export function toStepStatus(s: VertexStatus): StepStatus {
  switch (s) {
    case "cached":
      return "cached";
    case "done":
      return "rebuilt";
    case "error":
      return "error";
    case "canceled":
      return "canceled";
    case "running":
      return "unfinished";
  }
}

/** For multi-platform builds several vertices map to one step: report the worst status, longest time. */
export function pickVertex(vs: LogVertex[]): LogVertex {
  let best = vs[0];
  for (const v of vs) if (STATUS_RANK[v.status] > STATUS_RANK[best.status]) best = v;
  return best;
}

export function combinedDuration(vs: LogVertex[]): number | null {
  let d: number | null = null;
  for (const v of vs) if (v.durationSeconds != null) d = Math.max(d ?? 0, v.durationSeconds);
  return d;
}

export function resolveStage(v: LogVertex, byLabel: Map<string, number>, stageCount: number): number | null {
  const l = v.label!;
  if (l.stage == null) {
    // `[1/5]`: a one-stage build, or `[web 1/2]` where the parser took `web` as a bake target.
    if (l.target && byLabel.has(l.target.toLowerCase())) return byLabel.get(l.target.toLowerCase())!;
    return stageCount >= 1 ? (byLabel.get("stage-0") ?? 0) : null;
  }
  const s = l.stage.toLowerCase();
  if (byLabel.has(s)) return byLabel.get(s)!;
  // A bake prefix can make the stage look like a target: `[web 3/5]` with stage tokens shifted.
  if (l.target && byLabel.has(l.target.toLowerCase()) && !byLabel.has(s)) return byLabel.get(l.target.toLowerCase())!;
  const m = /^stage-(\d+)$/.exec(s);
  if (m) {
    const i = Number(m[1]);
    return i < stageCount ? i : null;
  }
  return null;
}

export function textsAgree(sk: StepSkeleton, v: LogVertex): boolean {
  const logText = v.label!.text;
  const kw = logText.split(/\s/, 1)[0].toUpperCase();
  if (kw === "LINK") return true; // COPY --link merge vertex in rawjson
  if (kw !== sk.instruction && kw !== "ONBUILD") return false;
  // FROM names show the resolved reference (registry, digest), so the keyword is enough there.
  return sk.instruction === "FROM" || !sk.ins || instructionTextMatches(logText, sk.ins);
}
