"use client";

import { useEffect, useMemo, useRef } from "react";
import type { ReportStep } from "@/lib/model/report";
import { STATUS_FILL } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { toDockerfileLines } from "@/lib/view/dockerfile";
import { DISPLAY_STATUS_LABEL, DISPLAY_STATUS_TITLE } from "@/lib/view/status";

/** Read-only Dockerfile with a cached/rebuilt gutter; the selected step's lines are highlighted. */
export function DockerfileView({
  text,
  steps,
  selectedStep,
  onSelectStep,
}: {
  text: string;
  steps: readonly ReportStep[];
  selectedStep: string | null;
  onSelectStep(id: string): void;
}) {
  const lines = useMemo(() => toDockerfileLines(text, steps), [text, steps]);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current?.querySelector<HTMLElement>("[data-highlight='true']");
    if (el && box.current) box.current.scrollTop = Math.max(0, el.offsetTop - 48);
  }, [selectedStep, lines]);

  return (
    <div ref={box} className="max-h-72 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950" data-testid="dockerfile-view">
      <ol className="min-w-max py-1 font-mono text-[11px] leading-[18px]">
        {lines.map((l) => {
          const hl = l.stepId != null && l.stepId === selectedStep;
          return (
            <li
              key={l.number}
              data-line={l.number}
              data-highlight={hl ? "true" : undefined}
              className={cx("flex", hl && "bg-sky-100 dark:bg-sky-900/50")}
            >
              <span className="w-8 shrink-0 pr-2 text-right text-zinc-600 select-none dark:text-zinc-400">{l.number}</span>
              <span className="flex w-[70px] shrink-0 items-center gap-1 select-none">
                {l.display && <span aria-hidden className={cx("h-[18px] w-1", STATUS_FILL[l.display])} />}
                {l.stepStart && l.display && l.stepId && (
                  <button
                    type="button"
                    onClick={() => onSelectStep(l.stepId!)}
                    className="text-[9px] font-semibold tracking-wide text-zinc-600 hover:underline dark:text-zinc-400"
                    title={DISPLAY_STATUS_TITLE[l.display] ? `${DISPLAY_STATUS_TITLE[l.display]} Click to explain this step.` : "Explain this step"}
                    data-display-status={l.display}
                  >
                    {DISPLAY_STATUS_LABEL[l.display]}
                  </button>
                )}
              </span>
              <span className="pr-3 whitespace-pre">{l.text || " "}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
