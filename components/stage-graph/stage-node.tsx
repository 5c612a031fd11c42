"use client";

import { memo, useContext } from "react";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { StatusBadge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import type { ImageNodeData, StageNodeData } from "@/lib/view/graph";
import { formatDuration } from "@/lib/view/format";
import { DISPLAY_STATUS_TITLE } from "@/lib/view/status";
import { GraphFocusContext, SelectedStepContext } from "./selection-context";

export type StageFlowNode = Node<StageNodeData, "stage">;
export type ImageFlowNode = Node<ImageNodeData, "image">;

const handleClass = "!h-2 !w-2 !min-w-0 !border-0 !bg-zinc-400 dark:!bg-zinc-500";

/** One stage: name, base, counts and its steps (each a button that opens the explanation). */
export const StageNode = memo(function StageNode({ id, data, targetPosition, sourcePosition }: NodeProps<StageFlowNode>) {
  const selected = useContext(SelectedStepContext);
  const focus = useContext(GraphFocusContext);
  const c = data.counts;
  const failed = c.error > 0 ? `, ${c.error} failed` : "";
  return (
    <div
      data-graph-node={id}
      role="group"
      tabIndex={focus === id ? 0 : -1}
      aria-label={`Stage ${data.name}${data.onCriticalPath ? ", on the critical path" : ""}${data.used ? "" : ", not built"}: ${c.cached} cached, ${c.rebuilt} rebuilt${failed}. Enter opens its most interesting step; arrow keys move between stages and steps.`}
      data-testid="stage-node"
      data-stage={data.name}
      data-used={data.used}
      data-critical={data.onCriticalPath}
      className={cx(
        "flex h-full w-full flex-col overflow-hidden rounded-lg border bg-white text-left shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:bg-zinc-900",
        data.onCriticalPath ? "border-sky-500 ring-2 ring-sky-500/30 dark:border-sky-400" : "border-zinc-300 dark:border-zinc-700",
        !data.used && "border-dashed opacity-50",
      )}
    >
      <Handle type="target" position={targetPosition ?? Position.Left} className={handleClass} isConnectable={false} />
      <div className="border-b border-zinc-200 px-2.5 py-1.5 dark:border-zinc-800">
        <div className="flex items-center gap-1.5">
          <span className="truncate text-sm font-semibold" title={data.name}>
            {data.name}
          </span>
          {!data.used && <span className="text-[10px] text-zinc-600 uppercase dark:text-zinc-400">unused</span>}
          {data.onCriticalPath && <span className="text-[10px] font-semibold text-sky-700 uppercase dark:text-sky-300">critical</span>}
        </div>
        <div className="truncate font-mono text-[10px] text-zinc-600 dark:text-zinc-400" title={data.base ?? undefined}>
          {data.baseKind === "stage" ? "from stage " : "from "}
          {data.base ?? "?"}
          {data.platform ? ` · ${data.platform}` : ""}
        </div>
        <div className="mt-0.5 flex gap-2 text-[10px] font-semibold tabular-nums" aria-label="Step counts">
          <span className="text-emerald-700 dark:text-emerald-400">{c.cached} CACHED</span>
          <span className="text-amber-700 dark:text-amber-400">{c.rebuilt} REBUILT</span>
          {c.error > 0 && <span className="text-red-700 dark:text-red-400">{c.error} ERROR</span>}
          {c.other > 0 && <span className="text-zinc-600 dark:text-zinc-400">{c.other} other</span>}
        </div>
      </div>
      {data.collapsed && (
        <p className="h-[22px] px-2 text-[11px] leading-[22px] text-zinc-600 dark:text-zinc-400">
          {data.hiddenSteps} {data.hiddenSteps === 1 ? "step" : "steps"}, all cached
        </p>
      )}
      <ul className="cs-stage-steps min-h-0 flex-1 py-0.5" hidden={data.collapsed}>
        {data.steps.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              data-select-step={s.id}
              data-testid="graph-step"
              data-step={s.id}
              data-status={s.status}
              aria-pressed={selected === s.id}
              tabIndex={focus === `step:${s.id}` ? 0 : -1}
              className={cx(
                "nodrag nopan flex h-[22px] w-full items-center gap-1.5 px-2 text-left text-[11px] hover:bg-zinc-100 dark:hover:bg-zinc-800",
                selected === s.id && "bg-sky-100 dark:bg-sky-900/60",
              )}
              title={s.display === "resolved" ? `${s.text}\n${DISPLAY_STATUS_TITLE.resolved}` : s.text}
            >
              <StatusBadge status={s.display} className="w-[66px] justify-center !text-[9px]" />
              <span className="min-w-0 flex-1 truncate font-mono">{s.text}</span>
              {s.durationSeconds != null && s.durationSeconds >= 0.05 && (
                <span className="shrink-0 text-[10px] text-zinc-600 tabular-nums dark:text-zinc-400">{formatDuration(s.durationSeconds)}</span>
              )}
            </button>
          </li>
        ))}
        {data.hiddenSteps > 0 && !data.collapsed && <li className="h-[22px] px-2 text-[11px] leading-[22px] text-zinc-600 dark:text-zinc-400">+{data.hiddenSteps} more steps in the table</li>}
      </ul>
      <Handle type="source" position={sourcePosition ?? Position.Right} className={handleClass} isConnectable={false} />
    </div>
  );
});

/** An external image (FROM image or COPY --from=image). */
export const ImageNode = memo(function ImageNode({ data, sourcePosition }: NodeProps<ImageFlowNode>) {
  return (
    <div
      data-testid="image-node"
      data-image={data.ref}
      data-source={data.source}
      role="img"
      aria-label={`${data.source === "context" ? "Build context" : "Image"} ${data.ref}`}
      className={cx(
        "flex h-full w-full items-center gap-1.5 border border-zinc-300 bg-zinc-100 px-3 dark:border-zinc-700 dark:bg-zinc-800",
        // An image is a pill; a named context or other source a folder-like box.
        data.source === "context" ? "rounded-md border-dashed" : "rounded-full",
        !data.used && "opacity-50",
      )}
      title={data.ref}
    >
      <span className="text-[10px] font-semibold text-zinc-600 uppercase dark:text-zinc-300">{data.source === "context" ? "context" : data.source === "scratch" ? "empty" : "image"}</span>
      <span className="min-w-0 truncate font-mono text-[11px]">{data.ref}</span>
      <Handle type="source" position={sourcePosition ?? Position.Right} className={handleClass} isConnectable={false} />
    </div>
  );
});
