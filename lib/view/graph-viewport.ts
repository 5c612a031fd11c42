/**
 * Where the stage graph's camera goes, computed from the laid-out graph and the pane size alone, so
 * the same graph in the same pane always lands on the same viewport (no dependence on when React
 * Flow measured its nodes or how far an animation got). Pure.
 *
 * The whole graph is shown when it fits at a readable zoom. When it does not, the zoom stays at the
 * readable floor (step rows stay legible and clickable) and the camera centres on the focus node: the
 * selected step's stage, else the failing stage, else the most expensive root cause's stage. The
 * minimap and "Fit all" show the rest.
 */
import type { GraphNode, StageGraph } from "./graph";

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export const VIEWPORT = {
  padding: 24,
  maxZoom: 1.1,
  /** Step rows are 11 px text: below this they stop being readable (and clickable targets shrink). */
  readableZoom: 0.62,
  /** Hard floor of a user's zoom. */
  minZoom: 0.05,
} as const;

export interface FitResult {
  viewport: Viewport;
  /** True when the whole graph is in view. */
  whole: boolean;
}

/** Fit the whole graph, but never below `minZoom` (default: the readable floor). */
export function fitViewport(graph: Pick<StageGraph, "width" | "height" | "nodes">, pane: { width: number; height: number }, focus: GraphNode | null, minZoom: number = VIEWPORT.readableZoom): FitResult {
  const P = VIEWPORT.padding;
  const gw = Math.max(1, graph.width);
  const gh = Math.max(1, graph.height);
  const fit = Math.min(VIEWPORT.maxZoom, (pane.width - 2 * P) / gw, (pane.height - 2 * P) / gh);
  if (fit >= minZoom) {
    const zoom = round(fit);
    return { viewport: { x: round((pane.width - gw * zoom) / 2), y: round((pane.height - gh * zoom) / 2), zoom }, whole: true };
  }
  const zoom = minZoom;
  const target = focus ?? graph.nodes[0] ?? null;
  const cx = target ? target.x + target.width / 2 : gw / 2;
  const cy = target ? target.y + Math.min(target.height, pane.height / zoom - 2 * P) / 2 : gh / 2;
  let x = pane.width / 2 - cx * zoom;
  let y = pane.height / 2 - cy * zoom;
  // Do not leave blank space where the graph could be: clamp so an edge of the graph meets the pane.
  x = clamp(x, pane.width - P - gw * zoom, P);
  y = clamp(y, pane.height - P - gh * zoom, P);
  return { viewport: { x: round(x), y: round(y), zoom }, whole: false };
}

/** The node the camera centres on when the whole graph does not fit. */
export function focusNode(graph: Pick<StageGraph, "nodes">, selectedStep: string | null): GraphNode | null {
  const stages = graph.nodes.filter((n) => n.data.kind === "stage");
  const has = (pred: (s: { id: string; status: string; rootCause: boolean; onCriticalPath: boolean }) => boolean) =>
    stages.find((n) => n.data.kind === "stage" && n.data.steps.some(pred)) ?? null;
  return (
    (selectedStep ? has((s) => s.id === selectedStep) : null) ??
    has((s) => s.status === "error") ??
    has((s) => s.rootCause) ??
    has((s) => s.status === "rebuilt" && s.onCriticalPath) ??
    has((s) => s.status === "rebuilt") ??
    stages[0] ??
    null
  );
}

function clamp(v: number, lo: number, hi: number): number {
  // When the graph is smaller than the pane on this axis lo > hi: centre instead.
  if (lo > hi) return (lo + hi) / 2;
  return Math.min(hi, Math.max(lo, v));
}

const round = (v: number) => Math.round(v * 1000) / 1000;
