"use client";

import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  type ColorMode,
  type Edge,
  type EdgeTypes,
  type Node,
  type NodeMouseHandler,
} from "@xyflow/react";
import type { Report } from "@/lib/model/report";
import { Button } from "@/components/ui/button";
import {
  COLLAPSE_CACHED_FROM_STAGES,
  GRAPH_LAYOUT,
  toStageGraph,
  type GraphDirection,
  type GraphNodeData,
  type StageGraph as StageGraphModel,
  type StageNodeData,
} from "@/lib/view/graph";
import { VIEWPORT, fitViewport, focusNode } from "@/lib/view/graph-viewport";
import { nodeTypes } from "./node-types";
import { RoutedEdge, type RoutedEdgeData } from "./routed-edge";
import { GraphFocusContext, SelectedStepContext } from "./selection-context";

/** Graphs larger than this only render what is in view (keeps 100-stage builds smooth). */
const VIRTUALIZE_ABOVE = 40;
/** Zoomed out by hand below this, big graphs skip painting step rows (long pan frames). */
const FAR_ZOOM = 0.45;

const edgeTypes = { routed: RoutedEdge } satisfies EdgeTypes;
/** Height of the toolbar over the top of the pane (one row of small buttons). */
const TOOLBAR_PX = 40;
/** Narrower panes (phones) get no minimap: it would cover half the graph. */
const MINIMAP_FROM_PX = 560;

interface Props {
  report: Pick<Report, "stages" | "steps">;
  selectedStep: string | null;
  onSelectStep(id: string): void;
  colorMode: ColorMode;
}

function interestingStep(d: StageNodeData, all: Pick<Report, "steps">["steps"]): string | null {
  const steps = d.steps.length ? d.steps : all.filter((s) => s.stageIndex === d.stageIndex).map((s) => ({ id: s.id, status: s.status, rootCause: s.miss?.rootCause === true }));
  return (
    steps.find((s) => s.status === "error")?.id ??
    steps.find((s) => s.rootCause)?.id ??
    steps.find((s) => s.status === "rebuilt")?.id ??
    steps[0]?.id ??
    null
  );
}

/**
 * The camera. Every layout change (a new graph, a collapsed stage, the pane resized because the
 * explanation panel opened or the window changed) re-fits deterministically from the layout and the
 * pane size, until the person pans or zooms by hand; "Fit" hands the camera back. A step selected
 * elsewhere is brought into view at the current zoom.
 */
function Camera({
  graph,
  selectedStep,
  userMoved,
  fitRequest,
  onFitted,
}: {
  graph: StageGraphModel;
  selectedStep: string | null;
  userMoved: boolean;
  fitRequest: number;
  onFitted(whole: boolean, zoom: number, paneWidth: number): void;
}) {
  const { setViewport, getViewport, setCenter } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const ready = useStore((s) => s.panZoom != null);
  const onFittedRef = useRef(onFitted);
  onFittedRef.current = onFitted;

  useEffect(() => {
    if (!ready || width === 0 || height === 0 || userMoved) return;
    // The toolbar sits over the top of the pane: fit below it.
    const { viewport, whole } = fitViewport(graph, { width, height: height - TOOLBAR_PX }, focusNode(graph, selectedStep));
    void setViewport({ ...viewport, y: viewport.y + TOOLBAR_PX }, { duration: 0 });
    onFittedRef.current(whole, viewport.zoom, width);
  }, [ready, graph, width, height, userMoved, selectedStep, fitRequest, setViewport]);

  // Moved by hand: keep the zoom, pan only if the selected row is out of view.
  useEffect(() => {
    if (!ready || !userMoved || !selectedStep || width === 0 || height === 0) return;
    const node = graph.nodes.find((n) => n.data.kind === "stage" && n.data.steps.some((st) => st.id === selectedStep));
    if (!node || node.data.kind !== "stage") return;
    const L = GRAPH_LAYOUT;
    const index = node.data.steps.findIndex((st) => st.id === selectedStep);
    const row = { x: node.x, y: node.y + L.headerHeight + index * L.stepHeight, w: node.width, h: L.stepHeight };
    const { x: tx, y: ty, zoom } = getViewport();
    const left = row.x * zoom + tx;
    const top = row.y * zoom + ty;
    const margin = 8;
    const inView = left >= margin && left + row.w * zoom <= width - margin && top >= margin && top + row.h * zoom <= height - margin;
    if (!inView) void setCenter(row.x + row.w / 2, row.y + row.h / 2, { zoom, duration: 0 });
  }, [ready, userMoved, graph, selectedStep, width, height, getViewport, setCenter]);
  return null;
}

/** Stage nodes in reading order (rank, then position within the rank): the arrow keys' order. */
function readingOrder(graph: StageGraphModel, direction: GraphDirection): string[] {
  return graph.nodes
    .filter((n) => n.data.kind === "stage")
    .sort((a, b) => (direction === "LR" ? a.x - b.x || a.y - b.y : a.y - b.y || a.x - b.x))
    .map((n) => n.id);
}

/** React Flow rendering of the stage graph view model (read-only: no dragging, no connecting). */
export default function StageGraph({ report, selectedStep, onSelectStep, colorMode }: Props) {
  // A phone's pane is tall and narrow: ranks read top to bottom there.
  const [direction, setDirection] = useState<GraphDirection>(() => (typeof window !== "undefined" && window.innerWidth < 640 ? "TB" : "LR"));
  const [collapseCached, setCollapseCached] = useState(report.stages.length >= COLLAPSE_CACHED_FROM_STAGES);
  const [criticalOnly, setCriticalOnly] = useState(false);
  const [userMoved, setUserMoved] = useState(false);
  const [fitRequest, setFitRequest] = useState(0);
  const [whole, setWhole] = useState(true);
  const [far, setFar] = useState(false);
  const graph = useMemo(() => toStageGraph(report, { direction, collapseCached }), [report, direction, collapseCached]);
  const [paneWidth, setPaneWidth] = useState(1024);
  const big = graph.nodes.length > VIRTUALIZE_ABOVE;

  // A new report or layout is a new picture: the camera is ours again.
  useEffect(() => setUserMoved(false), [graph]);

  const farRef = useRef(false);
  const onMove = useCallback(
    (_: unknown, viewport: { zoom: number }) => {
      // Only big graphs simplify, and only below FAR_ZOOM: small builds always keep their rows.
      const next = big && viewport.zoom < FAR_ZOOM;
      if (next !== farRef.current) {
        farRef.current = next;
        setFar(next);
      }
    },
    [big],
  );
  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    // event is null for programmatic moves (our fits); anything else is the person's hand.
    if (event) setUserMoved(true);
  }, []);

  // Roving tab stop: one element of the graph is tabbable; the arrow keys move it.
  const order = useMemo(() => readingOrder(graph, direction), [graph, direction]);
  const [active, setActive] = useState<string | null>(null);
  const activeId = active && (order.includes(active) || active.startsWith("step:")) ? active : (order[0] ?? null);

  const nodes = useMemo<Node<GraphNodeData>[]>(() => {
    const horizontal = direction === "LR";
    return graph.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      position: { x: n.x, y: n.y },
      width: n.width,
      height: n.height,
      data: n.data,
      draggable: false,
      connectable: false,
      selectable: false,
      focusable: false,
      className: criticalOnly && n.data.kind === "stage" && !n.data.onCriticalPath ? "cs-dim" : undefined,
      sourcePosition: horizontal ? Position.Right : Position.Bottom,
      targetPosition: horizontal ? Position.Left : Position.Top,
    }));
  }, [graph, direction, criticalOnly]);

  const edges = useMemo<Edge<RoutedEdgeData>[]>(
    () =>
      graph.edges.map((e) => {
        const color = e.onCriticalPath ? "var(--cs-edge-critical)" : "var(--cs-edge)";
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          type: "routed",
          focusable: false,
          selectable: false,
          animated: false,
          ariaLabel: e.ariaLabel,
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: e.onCriticalPath ? "#0284c7" : "#71717a" },
          style: {
            stroke: color,
            strokeWidth: e.onCriticalPath ? 2.5 : 1.5,
            strokeDasharray: e.kind === "from" ? undefined : "6 4",
            opacity: e.dimmed || (criticalOnly && !e.onCriticalPath) ? 0.35 : 1,
          },
          data: { points: e.points, labelX: e.labelX, labelY: e.labelY, label: e.label, onCriticalPath: e.onCriticalPath, kind: e.kind, ariaLabel: e.ariaLabel },
        };
      }),
    [graph, criticalOnly],
  );

  const selectStage = useCallback(
    (id: string) => {
      const n = graph.nodes.find((x) => x.id === id);
      if (n?.data.kind !== "stage") return;
      const step = interestingStep(n.data, report.steps);
      if (step) onSelectStep(step);
    },
    [graph, onSelectStep, report.steps],
  );

  const onNodeClick = useCallback<NodeMouseHandler>(
    (event, node) => {
      // Clicks on a step row are handled by the delegated listener below.
      if ((event.target as HTMLElement).closest("[data-select-step]")) return;
      setActive(node.id);
      selectStage(node.id);
    },
    [selectStage],
  );

  const root = useRef<HTMLDivElement>(null);
  const focusKey = (key: string) => {
    setActive(key);
    const sel = key.startsWith("step:") ? `[data-select-step="${CSS.escape(key.slice(5))}"]` : `[data-graph-node="${CSS.escape(key)}"]`;
    const el = root.current?.querySelector<HTMLElement>(sel);
    // Focus at once when the element is drawn (a tabIndex of -1 still takes focus); a node that
    // is not rendered yet (virtualised big graphs) gets it on the next frame.
    if (el) el.focus();
    else requestAnimationFrame(() => root.current?.querySelector<HTMLElement>(sel)?.focus());
  };

  const onClick = (e: React.MouseEvent) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-select-step]");
    if (el?.dataset.selectStep) {
      setActive(`step:${el.dataset.selectStep}`);
      onSelectStep(el.dataset.selectStep);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const nodeEl = target.closest<HTMLElement>("[data-graph-node]");
    if (!nodeEl) return;
    const nodeId = nodeEl.dataset.graphNode!;
    const stepId = target.dataset.selectStep ?? null;
    const steps = Array.from(nodeEl.querySelectorAll<HTMLElement>("[data-select-step]")).map((b) => b.dataset.selectStep!);
    const i = order.indexOf(nodeId);
    const prevKey = direction === "LR" ? "ArrowLeft" : "ArrowUp";
    const nextKey = direction === "LR" ? "ArrowRight" : "ArrowDown";
    const inKey = direction === "LR" ? "ArrowDown" : "ArrowRight";
    const outKey = direction === "LR" ? "ArrowUp" : "ArrowLeft";
    let to: string | null = null;
    if (e.key === nextKey) to = order[Math.min(order.length - 1, i + 1)];
    else if (e.key === prevKey) to = order[Math.max(0, i - 1)];
    else if (e.key === "Home") to = order[0];
    else if (e.key === "End") to = order[order.length - 1];
    else if (e.key === inKey) {
      const j = stepId ? steps.indexOf(stepId) + 1 : 0;
      to = steps[j] ? `step:${steps[j]}` : stepId ? `step:${stepId}` : null;
    } else if (e.key === outKey && stepId) {
      const j = steps.indexOf(stepId) - 1;
      to = j >= 0 ? `step:${steps[j]}` : nodeId;
    } else if ((e.key === "Enter" || e.key === " ") && !stepId) {
      e.preventDefault();
      selectStage(nodeId);
      return;
    } else return;
    e.preventDefault();
    if (to) focusKey(to);
  };

  return (
    <div
      ref={root}
      className={`relative h-full w-full${far ? " cs-graph-far" : ""}`}
      onClick={onClick}
      onKeyDown={onKeyDown}
      data-testid="stage-graph"
      data-fit={whole ? "whole" : "focus"}
      data-user-moved={userMoved}
    >
      <GraphFocusContext.Provider value={activeId}>
        <SelectedStepContext.Provider value={selectedStep}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodeClick={onNodeClick}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            nodesFocusable={false}
            edgesFocusable={false}
            onlyRenderVisibleElements={big}
            minZoom={VIEWPORT.minZoom}
            maxZoom={2.5}
            colorMode={colorMode}
            zoomOnDoubleClick={false}
            onMove={onMove}
            onMoveStart={onMoveStart}
            aria-label="Stage graph"
          >
            {!far && <Background gap={24} size={1} />}
            <Camera
              graph={graph}
              selectedStep={selectedStep}
              userMoved={userMoved}
              fitRequest={fitRequest}
              onFitted={(w, zoom, width) => {
                setWhole(w);
                setPaneWidth(width);
                onMove(null, { zoom });
              }}
            />
            <Controls showInteractive={false} showFitView={false} position="bottom-left" aria-label="Zoom" onZoomIn={() => setUserMoved(true)} onZoomOut={() => setUserMoved(true)} />
            {(!whole || userMoved) && paneWidth >= MINIMAP_FROM_PX && (
              <MiniMap
                pannable
                zoomable
                position="bottom-right"
                ariaLabel="Minimap of the stage graph"
                className="!bg-white/95 dark:!bg-zinc-900/95"
                style={{ width: 160, height: 100 }}
                nodeClassName={(n) => {
                  const d = n.data as GraphNodeData;
                  return d.kind === "stage" ? (d.counts.error ? "cs-mm-error" : d.counts.rebuilt ? "cs-mm-rebuilt" : "cs-mm-cached") : "cs-mm-image";
                }}
              />
            )}
          </ReactFlow>
        </SelectedStepContext.Provider>
      </GraphFocusContext.Provider>
      <div className="absolute top-2 left-2 z-10 flex flex-wrap items-center gap-1.5 rounded-md bg-white/90 p-1 shadow-sm dark:bg-zinc-900/90">
        <Button size="sm" onClick={() => setDirection((d) => (d === "LR" ? "TB" : "LR"))} aria-label={`Graph direction: ${direction === "LR" ? "left to right" : "top to bottom"}. Switch`}>
          {direction === "LR" ? "→" : "↓"}
          <span className="hidden sm:inline">{direction === "LR" ? " Left to right" : " Top to bottom"}</span>
        </Button>
        <Button size="sm" aria-pressed={collapseCached} onClick={() => setCollapseCached((c) => !c)} data-testid="graph-collapse-cached" aria-label="Collapse cached stages">
          Collapse<span className="hidden sm:inline"> cached stages</span>
        </Button>
        <Button size="sm" aria-pressed={criticalOnly} onClick={() => setCriticalOnly((c) => !c)} data-testid="graph-critical-only" aria-label="Critical path">
          Critical<span className="hidden sm:inline"> path</span>
        </Button>
        <Button
          size="sm"
          onClick={() => {
            setUserMoved(false);
            setFitRequest((n) => n + 1);
          }}
          data-testid="graph-fit"
          aria-label="Reset view"
        >
          Reset<span className="hidden sm:inline"> view</span>
        </Button>
      </div>
    </div>
  );
}
