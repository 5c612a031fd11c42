/**
 * Stage graph view model: one node per stage (with its steps), one node per external image, edges
 * for FROM <stage|image>, COPY --from and RUN --mount=from, laid out with dagre. Pure: the React
 * Flow component only maps these positions onto its nodes; JSX does no math.
 */
import dagre from "@dagrejs/dagre";
import type { Report, ReportStage, StepStatus } from "../model/report";
import { displayStatus, stageCounts, type DisplayStatus } from "./status";

export const GRAPH_LAYOUT = {
  stageWidth: 256,
  imageWidth: 220,
  imageHeight: 44,
  headerHeight: 66,
  stepHeight: 22,
  footerHeight: 10,
  /** Steps listed per node before a "+N more" line (fewer in big graphs). */
  maxStepsShown: 14,
  maxStepsShownBig: 6,
  /** Above this many stages the graph is "big": compact nodes, no FROM-image nodes (the base is in each header). */
  bigGraphStages: 24,
  moreHeight: 22,
  /** A collapsed (fully cached) stage: its header and one "N cached steps" line. */
  collapsedLineHeight: 22,
  nodesep: 32,
  ranksep: 56,
  /** Edge labels are laid out by dagre as part of the graph, so they sit on their own edge. */
  edgeLabelHeight: 16,
  edgeLabelCharWidth: 6,
} as const;

export type GraphDirection = "LR" | "TB";

export interface GraphStep {
  id: string;
  position: number;
  instruction: string;
  text: string;
  /** The report status (DOM contract `data-status`). */
  status: StepStatus;
  /** What the node shows: RESOLVED for a FROM that only resolved its image (lib/view/status). */
  display: DisplayStatus;
  durationSeconds: number | null;
  onCriticalPath: boolean;
  rootCause: boolean;
}

export interface StageNodeData {
  [key: string]: unknown;
  kind: "stage";
  stageIndex: number;
  name: string;
  base: string | null;
  baseKind: ReportStage["baseKind"];
  platform: string | null;
  used: boolean;
  onCriticalPath: boolean;
  /** Real misses: a FROM that only resolved counts as neither cached nor rebuilt. */
  counts: ReportStage["counts"];
  steps: GraphStep[];
  hiddenSteps: number;
  /** Every step of the stage was cached (or resolved): the node can be drawn collapsed. */
  allCached: boolean;
  /** Drawn as header + one summary line (collapsed cached stage). */
  collapsed: boolean;
}

export interface ImageNodeData {
  [key: string]: unknown;
  kind: "image";
  ref: string;
  used: boolean;
  /** "image": a registry/local image; "scratch": the empty base; "context": a named build context
   *  or another non-image source (`--build-context name=…`, a URL or a local path). */
  source: "image" | "scratch" | "context";
}

export type GraphNodeData = StageNodeData | ImageNodeData;

export interface GraphNode {
  id: string;
  type: "stage" | "image";
  x: number;
  y: number;
  width: number;
  height: number;
  data: GraphNodeData;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: "from" | "copy-from" | "mount-from";
  /** "FROM", "COPY", "mount" (+ "L<line>" when known): short, beside its edge. */
  label: string;
  onCriticalPath: boolean;
  dimmed: boolean;
  /** Route through the layout (graph coordinates), start to end, avoiding other nodes' ranks. */
  points: { x: number; y: number }[];
  /** Label centre (graph coordinates), on its own edge. */
  labelX: number;
  labelY: number;
  /** What a screen reader hears: "backend is copied into final (COPY --from, line 14)". */
  ariaLabel: string;
}

export interface StageGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const stageNodeId = (index: number) => `stage:${index}`;
export const imageNodeId = (ref: string) => `image:${ref}`;

const EDGE_LABEL = { from: "FROM", "copy-from": "COPY --from", "mount-from": "RUN --mount=from" } as const;
/** What the edge label shows (the dash style and the legend say the rest; the accessible name has it all). */
const EDGE_SHORT = { from: "FROM", "copy-from": "COPY", "mount-from": "mount" } as const;
/** A base image that this many stages or more are built FROM is named in each header, not drawn as a node. */
export const SHARED_BASE_STAGES = 3;

export function stageNodeHeight(stepCount: number, maxShown: number = GRAPH_LAYOUT.maxStepsShown): number {
  const L = GRAPH_LAYOUT;
  const shown = Math.min(stepCount, maxShown);
  return L.headerHeight + shown * L.stepHeight + (stepCount > shown ? L.moreHeight : 0) + L.footerHeight;
}

export interface StageGraphOptions {
  direction?: GraphDirection;
  /** Draw stages whose steps were all cached as a header and one line (default false). */
  collapseCached?: boolean;
}

/** Collapse cached stages by default from this many stages on (small graphs show every step). */
export const COLLAPSE_CACHED_FROM_STAGES = 5;

/** How an external FROM / COPY --from source should be drawn. */
export function sourceKind(ref: string): ImageNodeData["source"] {
  if (ref === "scratch") return "scratch";
  // A URL, a local path or a name a --build-context could bind: BuildKit prints these without a tag or registry.
  if (/^(https?|git|ssh):\/\//.test(ref) || ref.startsWith(".") || ref.startsWith("/")) return "context";
  return "image";
}

/** Report → positioned nodes and edges. Deterministic for a given report. */
export function toStageGraph(report: Pick<Report, "stages" | "steps">, opts: StageGraphOptions = {}): StageGraph {
  const L = GRAPH_LAYOUT;
  const direction = opts.direction ?? "LR";
  const big = report.stages.length > L.bigGraphStages;
  const maxShown = big ? L.maxStepsShownBig : L.maxStepsShown;
  const stepsByStage = new Map<number, GraphStep[]>();
  for (const s of report.steps) {
    let list = stepsByStage.get(s.stageIndex);
    if (!list) stepsByStage.set(s.stageIndex, (list = []));
    list.push({
      id: s.id,
      position: s.position,
      instruction: s.instruction,
      text: s.text,
      status: s.status,
      display: displayStatus(s),
      durationSeconds: s.durationSeconds,
      onCriticalPath: s.onCriticalPath,
      rootCause: s.miss?.rootCause === true,
    });
  }

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const images = new Map<string, { used: boolean }>();
  const stageByIndex = new Map(report.stages.map((s) => [s.index, s]));
  const seenEdges = new Set<string>();
  // Base images many stages start FROM: one node with an edge to each would cross the whole graph.
  const fromCount = new Map<string, number>();
  for (const st of report.stages) if (st.baseKind === "image" && st.base) fromCount.set(st.base, (fromCount.get(st.base) ?? 0) + 1);
  const sharedBase = (ref: string) => (fromCount.get(ref) ?? 0) >= SHARED_BASE_STAGES;

  for (const stage of report.stages) {
    const all = (stepsByStage.get(stage.index) ?? []).sort((a, b) => a.position - b.position);
    const allCached = all.length > 0 && all.every((s) => s.display === "cached" || s.display === "resolved");
    const collapsed = !!opts.collapseCached && allCached;
    const shown = collapsed ? [] : pickShownSteps(all, maxShown);
    nodes.push({
      id: stageNodeId(stage.index),
      type: "stage",
      x: 0,
      y: 0,
      width: L.stageWidth,
      height: collapsed ? L.headerHeight + L.collapsedLineHeight + L.footerHeight : stageNodeHeight(all.length, maxShown),
      data: {
        kind: "stage",
        stageIndex: stage.index,
        name: stage.name,
        base: stage.base,
        baseKind: stage.baseKind,
        platform: stage.platform,
        used: stage.used,
        onCriticalPath: stage.onCriticalPath,
        counts: stageCounts(report, stage),
        steps: shown,
        hiddenSteps: all.length - shown.length,
        allCached,
        collapsed,
      },
    });

    const stageEdges = withImpliedEdges(stage);
    for (const e of stageEdges) {
      let source: string | null = null;
      let critical = false;
      let dimmed = !stage.used;
      if (e.fromStage != null && stageByIndex.has(e.fromStage)) {
        const from = stageByIndex.get(e.fromStage)!;
        source = stageNodeId(e.fromStage);
        critical = from.onCriticalPath && stage.onCriticalPath;
        dimmed = dimmed || !from.used;
      } else if (e.fromImage && !(e.kind === "from" && (big || sharedBase(e.fromImage)))) {
        source = imageNodeId(e.fromImage);
        const prev = images.get(e.fromImage);
        images.set(e.fromImage, { used: (prev?.used ?? false) || stage.used });
      }
      if (!source) continue;
      const id = `${source}->${stageNodeId(stage.index)}:${e.kind}`;
      if (seenEdges.has(id)) continue;
      seenEdges.add(id);
      const sourceName = e.fromStage != null ? stageByIndex.get(e.fromStage)!.name : e.fromImage!;
      const how = e.kind === "from" ? "is the base of" : e.kind === "copy-from" ? "is copied into" : "is mounted into";
      edges.push({
        id,
        source,
        target: stageNodeId(stage.index),
        kind: e.kind,
        label: e.line != null ? `${EDGE_SHORT[e.kind]} L${e.line}` : EDGE_SHORT[e.kind],
        onCriticalPath: critical,
        dimmed,
        points: [],
        labelX: 0,
        labelY: 0,
        ariaLabel: `${sourceName} ${how} ${stage.name} (${EDGE_LABEL[e.kind]}${e.line != null ? `, line ${e.line}` : ""})`,
      });
    }
  }
  for (const [ref, { used }] of images) {
    nodes.push({
      id: imageNodeId(ref),
      type: "image",
      x: 0,
      y: 0,
      width: L.imageWidth,
      height: L.imageHeight,
      data: { kind: "image", ref, used, source: sourceKind(ref) },
    });
  }

  return layout(nodes, edges, direction);
}

/**
 * The engine's edges, plus what `base` / `dependsOn` / `externalSources` imply but the edge list
 * does not state (the FROM image edge, or every edge when there is no Dockerfile).
 */
function withImpliedEdges(stage: ReportStage): ReportStage["edges"] {
  const out = [...stage.edges];
  const hasStage = (i: number) => out.some((e) => e.fromStage === i);
  const hasImage = (ref: string) => out.some((e) => e.fromImage === ref);
  if (stage.baseKind === "image" && stage.base && !hasImage(stage.base)) {
    out.unshift({ fromStage: null, fromImage: stage.base, kind: "from", line: stage.line });
  }
  for (const d of stage.dependsOn) if (d !== stage.index && !hasStage(d)) out.push({ fromStage: d, fromImage: null, kind: stage.baseKind === "stage" && stage.base != null ? "from" : "copy-from", line: null });
  for (const img of stage.externalSources) if (!hasImage(img)) out.push({ fromStage: null, fromImage: img, kind: "copy-from", line: null });
  return out;
}

/**
 * Keep the interesting steps when a stage has more than `max`: errors and rebuilt root causes first,
 * then the rest in order; the result is back in Dockerfile order.
 */
function pickShownSteps(all: GraphStep[], max: number): GraphStep[] {
  if (all.length <= max) return all;
  const rank = (s: GraphStep) =>
    s.status === "error" ? 0 : s.rootCause ? 1 : s.display === "rebuilt" ? 3 : s.position === 1 ? 2 : 4;
  const keep = new Set(
    [...all]
      .sort((a, b) => rank(a) - rank(b) || a.position - b.position)
      .slice(0, max)
      .map((s) => s.id),
  );
  return all.filter((s) => keep.has(s.id));
}

function layout(nodes: GraphNode[], edges: GraphEdge[], direction: GraphDirection): StageGraph {
  const L = GRAPH_LAYOUT;
  // A multigraph: a stage can be both FROM and COPY --from of another (two edges, two labels).
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: L.nodesep, ranksep: L.ranksep, edgesep: 12, marginx: 16, marginy: 16 });
  for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
  for (const e of edges) {
    g.setEdge(e.source, e.target, { width: e.label.length * L.edgeLabelCharWidth + 10, height: L.edgeLabelHeight, labelpos: "c" }, e.id);
  }
  dagre.layout(g);
  for (const e of edges) {
    const laid = g.edge({ v: e.source, w: e.target, name: e.id }) as { points?: { x: number; y: number }[]; x?: number; y?: number } | undefined;
    e.points = (laid?.points ?? []).map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }));
    const mid = e.points[Math.floor(e.points.length / 2)] ?? { x: 0, y: 0 };
    e.labelX = Math.round(laid?.x ?? mid.x);
    e.labelY = Math.round(laid?.y ?? mid.y);
  }
  let width = 0;
  let height = 0;
  const positioned = nodes.map((n) => {
    const p = g.node(n.id) as { x: number; y: number };
    // dagre gives centres; React Flow wants the top-left corner.
    const x = Math.round(p.x - n.width / 2);
    const y = Math.round(p.y - n.height / 2);
    width = Math.max(width, x + n.width);
    height = Math.max(height, y + n.height);
    return { ...n, x, y };
  });
  return { nodes: positioned, edges, width, height };
}
