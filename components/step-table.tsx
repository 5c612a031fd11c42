"use client";

import { memo, useMemo, useState } from "react";
import type { Report, ReportStep } from "@/lib/model/report";
import { StatusBadge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { CAUSE_LABEL, STATUS_LABEL, STATUS_ORDER } from "@/lib/view/labels";
import { formatDuration } from "@/lib/view/format";
import { DISPLAY_STATUS_LABEL, displayStatus, type DisplayStatus } from "@/lib/view/status";
import { DEFAULT_STEP_FILTER, filterSteps, sortSteps, stepCost, type StepFilter, type StepSort } from "@/lib/view/steps";

const selectClass =
  "h-7 rounded-md border border-zinc-300 bg-white px-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900";

interface Props {
  report: Report;
  selectedStep: string | null;
  onSelectStep(id: string): void;
}

/** Every step with its status; filter by status/stage, sort by cost/duration/order. */
export function StepTable({ report, selectedStep, onSelectStep }: Props) {
  const [filter, setFilter] = useState<StepFilter>(DEFAULT_STEP_FILTER);
  const [sort, setSort] = useState<StepSort>("order");
  const rows = useMemo(() => sortSteps(filterSteps(report.steps, filter), sort), [report.steps, filter, sort]);
  const presentStatuses = useMemo(() => {
    const s = new Set(report.steps.map((x) => x.status));
    return STATUS_ORDER.filter((x) => s.has(x));
  }, [report.steps]);

  // Roving tab stop: the table is one stop in the tab order; ↑/↓, Home/End, PageUp/PageDown move in it.
  const [activeRow, setActiveRow] = useState<string | null>(null);
  const active = activeRow && rows.some((r) => r.id === activeRow) ? activeRow : selectedStep && rows.some((r) => r.id === selectedStep) ? selectedStep : (rows[0]?.id ?? null);
  const onKeyDown = (e: React.KeyboardEvent<HTMLTableSectionElement>) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>("tr[data-step]");
    if (!row) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onSelectStep(row.dataset.step!);
      return;
    }
    const i = rows.findIndex((r) => r.id === row.dataset.step);
    const to =
      e.key === "ArrowDown" ? i + 1 : e.key === "ArrowUp" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? rows.length - 1 : e.key === "PageDown" ? i + 10 : e.key === "PageUp" ? i - 10 : null;
    if (to == null) return;
    e.preventDefault();
    const id = rows[Math.max(0, Math.min(rows.length - 1, to))]?.id;
    if (!id) return;
    setActiveRow(id);
    (e.currentTarget.querySelector(`tr[data-step="${CSS.escape(id)}"]`) as HTMLElement | null)?.focus();
  };

  return (
    <section aria-labelledby="steps-title" className="@container rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <header className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <h2 id="steps-title" className="mr-auto text-sm font-semibold">
          Steps{" "}
          <span className="font-normal text-zinc-600 dark:text-zinc-400">({rows.length === report.steps.length ? rows.length : `${rows.length} of ${report.steps.length}`})</span>
        </h2>
        <label className="flex items-center gap-1 text-xs">
          <span className="text-zinc-600 dark:text-zinc-400">Status</span>
          <select
            className={selectClass}
            value={filter.status}
            data-testid="filter-status"
            onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value as StepFilter["status"] }))}
          >
            <option value="all">All</option>
            <option value="missed">Rebuilt + failed</option>
            {presentStatuses.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 text-xs">
          <span className="text-zinc-600 dark:text-zinc-400">Stage</span>
          <select
            className={cx(selectClass, "max-w-36")}
            value={String(filter.stage)}
            data-testid="filter-stage"
            onChange={(e) => setFilter((f) => ({ ...f, stage: e.target.value === "all" ? "all" : Number(e.target.value) }))}
          >
            <option value="all">All</option>
            {report.stages.map((s) => (
              <option key={s.index} value={s.index}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 text-xs">
          <span className="text-zinc-600 dark:text-zinc-400">Sort</span>
          <select className={selectClass} value={sort} data-testid="sort-steps" onChange={(e) => setSort(e.target.value as StepSort)}>
            <option value="order">Build order</option>
            <option value="cost">Cost</option>
            <option value="duration">Duration</option>
          </select>
        </label>
        <input
          type="search"
          placeholder="Filter text…"
          aria-label="Filter steps by text"
          value={filter.query}
          onChange={(e) => setFilter((f) => ({ ...f, query: e.target.value }))}
          className="h-7 w-32 rounded-md border border-zinc-300 bg-white px-2 text-xs dark:border-zinc-700 dark:bg-zinc-900"
        />
      </header>
      <p id="steps-keys" className="sr-only">Arrow keys move between steps, Enter explains one.</p>
      <div className="max-h-[28rem] overflow-auto">
        <table className="w-full border-collapse text-left text-xs" role="grid" aria-labelledby="steps-title" aria-describedby="steps-keys">
          <thead className="sticky top-0 z-10 bg-zinc-50 text-[11px] text-zinc-600 uppercase dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-semibold">Stage</th>
              <th scope="col" className="px-2 py-1.5 font-semibold">#</th>
              <th scope="col" className="px-2 py-1.5 font-semibold">Status</th>
              <th scope="col" className="w-full px-2 py-1.5 font-semibold">Instruction</th>
              <th scope="col" className="px-2 py-1.5 text-right font-semibold">Duration</th>
              <th scope="col" className="px-2 py-1.5 text-right font-semibold">Cost</th>
              <th scope="col" className="hidden px-2 py-1.5 font-semibold @xl:table-cell">Cause</th>
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown}>
            {rows.map((s) => (
              <StepRow key={s.id} step={s} selected={s.id === selectedStep} tabbable={s.id === active} onSelect={onSelectStep} onFocusRow={setActiveRow} />
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={7} className="px-3 py-4 text-center text-zinc-600 dark:text-zinc-400">
                  No steps match these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const ROW_TONE: Partial<Record<DisplayStatus, string>> = {
  rebuilt: "border-l-amber-500",
  resolved: "border-l-zinc-300 dark:border-l-zinc-600",
  error: "border-l-red-600",
  cached: "border-l-emerald-500",
  unfinished: "border-l-violet-500",
};

const StepRow = memo(function StepRow({
  step: s,
  selected,
  tabbable,
  onSelect,
  onFocusRow,
}: {
  step: ReportStep;
  selected: boolean;
  tabbable: boolean;
  onSelect(id: string): void;
  onFocusRow(id: string): void;
}) {
  const cost = stepCost(s);
  const shown = displayStatus(s);
  return (
    <tr
      data-testid="step"
      data-step={s.id}
      data-status={s.status}
      tabIndex={tabbable ? 0 : -1}
      aria-selected={selected}
      aria-label={`${s.stage} step ${s.position} of ${s.of}: ${s.text}, ${DISPLAY_STATUS_LABEL[shown]}${s.miss?.rootCause ? ", root cause" : ""}`}
      onFocus={() => onFocusRow(s.id)}
      onClick={() => onSelect(s.id)}
      className={cx(
        "cursor-pointer border-t border-l-4 border-t-zinc-100 align-top dark:border-t-zinc-800",
        ROW_TONE[shown] ?? "border-l-transparent",
        selected ? "bg-sky-50 dark:bg-sky-950/50" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/60",
        s.status === "not-run" && "text-zinc-600 dark:text-zinc-400",
      )}
    >
      <td className="max-w-28 truncate px-2 py-1 font-medium" title={s.stage}>{s.stage}</td>
      <td className="px-2 py-1 text-zinc-600 tabular-nums dark:text-zinc-400">
        {s.position}/{s.of}
      </td>
      <td className="px-2 py-1">
        <StatusBadge status={shown} />
      </td>
      <td className="max-w-0 px-2 py-1">
        <code className="block truncate font-mono text-[11px]" title={s.text}>
          {s.text}
        </code>
        {s.miss?.rootCause && <span className="text-[10px] font-semibold text-amber-700 uppercase dark:text-amber-400">root cause</span>}
      </td>
      <td className="px-2 py-1 text-right whitespace-nowrap tabular-nums">{formatDuration(s.durationSeconds)}</td>
      <td className="px-2 py-1 text-right whitespace-nowrap tabular-nums">{cost != null ? formatDuration(cost) : ""}</td>
      <td className="hidden px-2 py-1 whitespace-nowrap @xl:table-cell">{s.miss ? CAUSE_LABEL[s.miss.cause] ?? s.miss.cause : ""}</td>
    </tr>
  );
});
