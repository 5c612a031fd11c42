import type { Report } from "@/lib/model/report";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/badge";
import { formatDuration, formatPercent } from "@/lib/view/format";
import { EvidenceBadge } from "@/components/build-summary";
import { historyOf, toHistoryRows, toTrend, type HistoryRow } from "@/lib/view/history";

const CHART_H = 72;

/**
 * Several build records: duration per build (rebuilt share in amber), hit ratio, and what flipped.
 * Renders nothing until the report carries `history` (the build-records work).
 */
export function HistoryTrend({ report, onSelectStep }: { report: Report; onSelectStep(id: string): void }) {
  const history = historyOf(report);
  if (!history || history.length < 2) return null;
  const t = toTrend(history);
  const known = new Set(report.steps.map((s) => s.id));
  return (
    <Card id="history" title={`History (${history.length} builds)`} data-testid="history-trend">
      <div className="space-y-3 px-3 py-2 text-sm">
        <p className="text-xs text-zinc-700 dark:text-zinc-300">
          Bar height: build time; amber: time spent rebuilding.
          {t.hitRatioChange != null && ` Cache hit ratio ${t.hitRatioChange >= 0 ? "up" : "down"} ${Math.abs(t.hitRatioChange)} points from the first build to the last.`}
        </p>
        <ol className="flex items-end gap-1.5" style={{ height: CHART_H + 44 }} aria-label="Build time per build, oldest first">
          {t.bars.map((b) => (
            <li key={b.entry.ref} className="flex min-w-8 flex-1 flex-col items-center gap-0.5">
              <div
                className="flex w-full flex-col-reverse overflow-hidden rounded-sm bg-emerald-500"
                style={{ height: Math.max(2, b.height * CHART_H) }}
                title={`${b.entry.name} ${b.entry.ref}: ${formatDuration(b.entry.durationSeconds)}, ${formatPercent(b.entry.cacheHitRatio)} cached`}
                aria-label={`Build #${b.entry.index} (${b.entry.ref}): ${b.entry.status}, ${formatDuration(b.entry.durationSeconds)}, ${formatPercent(b.entry.cacheHitRatio)} cache hits, ${b.entry.rebuilt} of ${b.entry.steps} steps rebuilt`}
                role="img"
              >
                <div className="w-full bg-amber-500" style={{ height: `${b.rebuiltShare * 100}%` }} />
              </div>
              <span className="text-[10px] text-zinc-700 tabular-nums dark:text-zinc-300">{formatDuration(b.entry.durationSeconds)}</span>
              <span className="text-[10px] text-zinc-700 tabular-nums dark:text-zinc-300">{formatPercent(b.entry.cacheHitRatio)}</span>
              <span className={b.entry.status === "success" ? "text-[10px] text-zinc-600 dark:text-zinc-400" : "text-[10px] font-semibold text-red-700 dark:text-red-300"}>
                {b.entry.status === "success" ? `#${b.entry.index}` : `#${b.entry.index} ${b.entry.status}`}
              </span>
            </li>
          ))}
        </ol>
        <HistoryTable rows={toHistoryRows(history)} analysed={report.input.build} known={known} onSelectStep={onSelectStep} />
      </div>
    </Card>
  );
}

/** One row per build, newest first: what changed against the build it is compared with, and why. */
function HistoryTable({ rows, analysed, known, onSelectStep }: { rows: HistoryRow[]; analysed: number; known: Set<string>; onSelectStep(id: string): void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs" data-testid="history-builds">
        <caption className="sr-only">Builds, newest first</caption>
        <thead className="text-zinc-600 dark:text-zinc-400">
          <tr>
            <th className="py-1 pr-2 font-semibold">Build</th>
            <th className="py-1 pr-2 font-semibold">Time</th>
            <th className="py-1 pr-2 font-semibold">Hit ratio</th>
            <th className="py-1 pr-2 font-semibold">Rebuilt</th>
            <th className="min-w-64 py-1 font-semibold">Why it rebuilt (against the build before)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.ref} data-testid="history-build" data-build={r.index} className="border-t border-zinc-100 align-top dark:border-zinc-800">
              <td className="py-1 pr-2 whitespace-nowrap">
                <span className="font-semibold">{r.label}</span>
                {r.status !== "success" && <span className="ml-1 font-semibold text-red-700 dark:text-red-300">{r.status}</span>}
                {r.versus && <span className="ml-1 text-zinc-600 dark:text-zinc-400">{r.versus}</span>}
                {r.when && <div className="text-[10px] text-zinc-600 dark:text-zinc-400">{r.when}</div>}
              </td>
              <td className="py-1 pr-2 tabular-nums">{r.duration}</td>
              <td className="py-1 pr-2 tabular-nums">{r.hitRatio}</td>
              <td className="py-1 pr-2 whitespace-nowrap tabular-nums">{r.rebuilt}</td>
              <td className="w-full max-w-0 py-1">
                {r.causes.length === 0 && r.missed.length === 0 ? (
                  <span className="text-zinc-600 dark:text-zinc-400">{r.versus ? "nothing new rebuilt" : "no earlier build to compare with"}</span>
                ) : (
                  <ul className="space-y-0.5">
                    {r.causes.map((c) => (
                      <li key={c.step} data-testid="history-cause">
                        <span className="font-medium">{c.label}</span>
                        <EvidenceBadge evidence={c.evidence} className="ml-1 align-middle" />
                        <span className="mx-1 text-zinc-600 dark:text-zinc-400">at</span>
                        <StepText id={c.step} text={c.text} wrap link={r.index === analysed && known.has(c.step)} onSelectStep={onSelectStep} />
                        {c.line != null && <span className="ml-1 text-zinc-600 dark:text-zinc-400">(line {c.line})</span>}
                      </li>
                    ))}
                    {r.missed.length > 0 && (
                      <li>
                        <details>
                          <summary className="cursor-pointer text-zinc-700 dark:text-zinc-300">
                            {r.missed.length} {r.missed.length === 1 ? "step" : "steps"} went from cached to rebuilt
                            {r.recovered ? `, ${r.recovered} back to cached` : ""}
                          </summary>
                          <ul className="mt-0.5 space-y-0.5 pl-3">
                            {r.missed.map((f) => (
                              <li key={f.id} className="flex min-w-0 items-center gap-1.5" data-testid="history-flip">
                                {f.before === "absent" ? <span>new</span> : <StatusBadge status={f.before} />}
                                <span aria-hidden>→</span>
                                <StatusBadge status={f.after} />
                                <StepText id={f.id} text={f.text} link={r.index === analysed && known.has(f.id)} onSelectStep={onSelectStep} />
                                {f.label && <span className="shrink-0 text-zinc-600 dark:text-zinc-400">{f.label}{f.evidence ? ` (${f.evidence})` : ""}</span>}
                              </li>
                            ))}
                          </ul>
                        </details>
                      </li>
                    )}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A step of the analysed (latest) build opens its explanation; an older build's step is only text. */
function StepText({ id, text, link, wrap, onSelectStep }: { id: string; text: string; link: boolean; wrap?: boolean; onSelectStep(id: string): void }) {
  const cls = wrap ? "font-mono break-words text-left" : "min-w-0 truncate font-mono";
  if (!link) return <code className={cls} title={text}>{text}</code>;
  return (
    <button type="button" onClick={() => onSelectStep(id)} className={`${cls} hover:underline`} title={text}>
      {text}
    </button>
  );
}
