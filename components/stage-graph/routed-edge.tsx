"use client";

import { memo } from "react";
import { BaseEdge, type Edge, type EdgeProps } from "@xyflow/react";
import type { GraphEdge } from "@/lib/view/graph";
import { GRAPH_LAYOUT } from "@/lib/view/graph";

export type RoutedEdgeData = Pick<GraphEdge, "points" | "labelX" | "labelY" | "label" | "onCriticalPath" | "kind" | "ariaLabel">;
export type RoutedFlowEdge = Edge<RoutedEdgeData, "routed">;

/** A smooth path through the layout's route points (quadratic curves between midpoints). */
export function routePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return "";
  if (points.length === 1) return `M ${points[0].x} ${points[0].y}`;
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const n = points[i + 1];
    d += ` Q ${p.x} ${p.y} ${(p.x + n.x) / 2} ${(p.y + n.y) / 2}`;
  }
  const last = points[points.length - 1];
  return d + ` L ${last.x} ${last.y}`;
}

/**
 * An edge drawn along dagre's route (which goes around other nodes' ranks instead of straight behind
 * them), with its label at the position dagre reserved for it, so the label sits on its own edge.
 */
export const RoutedEdge = memo(function RoutedEdge({ data, style, markerEnd }: EdgeProps<RoutedFlowEdge>) {
  if (!data || data.points.length < 2) return null;
  const w = data.label.length * GRAPH_LAYOUT.edgeLabelCharWidth + 8;
  const h = GRAPH_LAYOUT.edgeLabelHeight;
  return (
    <>
      <BaseEdge path={routePath(data.points)} style={style} markerEnd={markerEnd} interactionWidth={0} />
      <g transform={`translate(${data.labelX - w / 2} ${data.labelY - h / 2})`} className="cs-edge-label" aria-hidden>
        <title>{data.ariaLabel}</title>
        <rect width={w} height={h} rx={4} className="cs-edge-label-bg" />
        <text x={w / 2} y={h / 2} dominantBaseline="central" textAnchor="middle" className={data.onCriticalPath ? "cs-edge-label-text cs-critical" : "cs-edge-label-text"}>
          {data.label}
        </text>
      </g>
    </>
  );
});
