"use client";

import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Background,
  Controls,
  MarkerType,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  type ColorMode,
  type Edge,
  type Node,
  type NodeMouseHandler,
} from "@xyflow/react";
import type { Report } from "@/lib/model/report";
import { Button } from "@/components/ui/button";
import { GRAPH_LAYOUT, toStageGraph, type GraphDirection, type GraphNodeData, type StageGraph as StageGraphModel, type StageNodeData } from "@/lib/view/graph";
import { nodeTypes } from "./node-types";
import { SelectedStepContext } from "./selection-context";

/** Graphs larger than this only render what is in view (keeps 100-stage builds smooth). */
const VIRTUALIZE_ABOVE = 40;

interface Props {
  report: Pick<Report, "stages" | "steps">;
  selectedStep: string | null;
  onSelectStep(id: string): void;
  colorMode: ColorMode;
}

function interestingStep(d: StageNodeData): string | null {
  return (
    d.steps.find((s) => s.status === "error")?.id ??
    d.steps.find((s) => s.rootCause)?.id ??
    d.steps.find((s) => s.status === "rebuilt")?.id ??
    d.steps[0]?.id ??
    null
  );
}

/**
 * Keeps the selected step in view: when it is selected from elsewhere (table, timeline, Dockerfile)
 * or the pane gets narrower (the explanation panel opens beside it), pan so its row is visible,
 * keeping the zoom.
 */
function FollowSelection({ graph, selectedStep }: { graph: StageGraphModel; selectedStep: string | null }) {
  const { getViewport, setCenter } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  // Wait for the initial fitView: before it the viewport is a placeholder.
  const ready = useStore((s) => !s.fitViewQueued && s.panZoom != null);
  useEffect(() => {
    if (!ready || !selectedStep || width === 0 || height === 0) return;
    const node = graph.nodes.find((n) => n.data.kind === "stage" && n.data.steps.some((st) => st.id === selectedStep));
    if (!node || node.data.kind !== "stage") return;
    const L = GRAPH_LAYOUT;
    const index = node.data.steps.findIndex((st) => st.id === selectedStep);
    // The step's row inside the node, in graph coordinates.
    const row = { x: node.x, y: node.y + L.headerHeight + index * L.stepHeight, w: node.width, h: L.stepHeight };
    const { x: tx, y: ty, zoom } = getViewport();
    const left = row.x * zoom + tx;
    const top = row.y * zoom + ty;
    const margin = 8;
    const inView = left >= margin && left + row.w * zoom <= width - margin && top >= margin && top + row.h * zoom <= height - margin;
    if (inView) return;
    void setCenter(row.x + row.w / 2, row.y + row.h / 2, { zoom, duration: 200 });
  }, [ready, graph, selectedStep, width, height, getViewport, setCenter]);
  return null;
}

/** Below this zoom, stage nodes show their header and counts only. */
const FAR_ZOOM = 0.45;

/** React Flow rendering of the stage graph view model (read-only: no dragging, no connecting). */
export default function StageGraph({ report, selectedStep, onSelectStep, colorMode }: Props) {
  const [direction, setDirection] = useState<GraphDirection>("LR");
  // Zoomed far out, step rows and the dot grid are unreadable but still painted on every frame of
  // a pan: hide them (the state only changes when crossing FAR_ZOOM, not on every move).
  const [far, setFar] = useState(false);
  const farRef = useRef(false);
  const onMove = useCallback((_: unknown, viewport: { zoom: number }) => {
    const next = viewport.zoom < FAR_ZOOM;
    if (next !== farRef.current) {
      farRef.current = next;
      setFar(next);
    }
  }, []);
  const graph = useMemo(() => toStageGraph(report, { direction }), [report, direction]);

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
      focusable: true,
      ariaLabel:
        n.data.kind === "stage"
          ? `Stage ${n.data.name}: ${n.data.counts.cached} cached, ${n.data.counts.rebuilt} rebuilt, ${n.data.counts.error} failed`
          : `Image ${n.data.ref}`,
      sourcePosition: horizontal ? Position.Right : Position.Bottom,
      targetPosition: horizontal ? Position.Left : Position.Top,
    }));
  }, [graph, direction]);

  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.label,
        type: "smoothstep",
        focusable: false,
        selectable: false,
        animated: false,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: e.onCriticalPath ? "#0ea5e9" : "#a1a1aa" },
        style: {
          stroke: e.onCriticalPath ? "#0ea5e9" : "#a1a1aa",
          strokeWidth: e.onCriticalPath ? 2.5 : 1.5,
          strokeDasharray: e.kind === "from" ? undefined : "6 4",
          opacity: e.dimmed ? 0.35 : 1,
        },
        labelBgPadding: [4, 2] as [number, number],
        labelBgBorderRadius: 4,
        data: { kind: e.kind },
      })),
    [graph],
  );

  const selectStage = useCallback(
    (id: string) => {
      const n = graph.nodes.find((x) => x.id === id);
      if (n?.data.kind !== "stage") return;
      const step = interestingStep(n.data);
      if (step) onSelectStep(step);
    },
    [graph, onSelectStep],
  );

  const onNodeClick = useCallback<NodeMouseHandler>(
    (event, node) => {
      // Clicks on a step row are handled by the delegated listener below.
      if ((event.target as HTMLElement).closest("[data-select-step]")) return;
      selectStage(node.id);
    },
    [selectStage],
  );

  const onClick = (e: React.MouseEvent) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-select-step]");
    if (el?.dataset.selectStep) onSelectStep(el.dataset.selectStep);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if ((e.key === "Enter" || e.key === " ") && target.classList.contains("react-flow__node")) {
      e.preventDefault();
      const id = target.getAttribute("data-id");
      if (id) selectStage(id);
    }
  };

  return (
    <div className={`relative h-full w-full${far ? " cs-graph-far" : ""}`} onClick={onClick} onKeyDown={onKeyDown} data-testid="stage-graph">
      <SelectedStepContext.Provider value={selectedStep}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodeClick={onNodeClick}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          nodesFocusable
          edgesFocusable={false}
          onlyRenderVisibleElements={graph.nodes.length > VIRTUALIZE_ABOVE}
          fitView
          fitViewOptions={{ padding: 0.12, maxZoom: 1.1 }}
          minZoom={0.02}
          maxZoom={2.5}
          colorMode={colorMode}
          zoomOnDoubleClick={false}
          onMove={onMove}
          onInit={(flow) => onMove(null, { zoom: flow.getZoom() })}
        >
          {!far && <Background gap={24} size={1} />}
          <FollowSelection graph={graph} selectedStep={selectedStep} />
          <Controls showInteractive={false} position="bottom-left" />
        </ReactFlow>
      </SelectedStepContext.Provider>
      <div className="absolute top-2 left-2 flex items-center gap-1.5">
        <Button size="sm" onClick={() => setDirection((d) => (d === "LR" ? "TB" : "LR"))} aria-label="Switch graph direction">
          {direction === "LR" ? "Left → right" : "Top → bottom"}
        </Button>
      </div>
    </div>
  );
}
