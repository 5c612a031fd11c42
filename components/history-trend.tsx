import type { Report } from "@/lib/model/report";
import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/badge";
import { formatDuration, formatPercent } from "@/lib/view/format";
import { historyOf, toTrend } from "@/lib/view/history";

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
  const last = t.bars[t.bars.length - 1]?.entry;
  return (
    <Card id="history" title={`History (${history.length} builds)`} data-testid="history-trend">
      <div className="space-y-3 px-3 py-2 text-sm">
        <p className="text-xs text-zinc-700 dark:text-zinc-300">
          Bar height: build time; amber: time spent rebuilding.
          {t.hitRatioChange != null && ` Cache hit ratio ${t.hitRatioChange >= 0 ? "up" : "down"} ${Math.abs(t.hitRatioChange)} points from the first build to the last.`}
        </p>
        <ol className="flex items-end gap-1.5" style={{ height: CHART_H + 28 }} aria-label="Build time per build, oldest first">
          {t.bars.map((b) => (
            <li key={b.entry.ref} className="flex min-w-8 flex-1 flex-col items-center gap-0.5">
              <div
                className="flex w-full flex-col-reverse overflow-hidden rounded-sm bg-emerald-500"
                style={{ height: Math.max(2, b.height * CHART_H) }}
                title={`${b.entry.name} ${b.entry.ref}: ${formatDuration(b.entry.durationSeconds)}, ${formatPercent(b.entry.cacheHitRatio)} cached`}
                aria-label={`Build ${b.entry.index + 1} (${b.entry.ref}): ${b.entry.status}, ${formatDuration(b.entry.durationSeconds)}, ${formatPercent(b.entry.cacheHitRatio)} cache hits, ${b.entry.rebuilt} of ${b.entry.steps} steps rebuilt`}
                role="img"
              >
                <div className="w-full bg-amber-500" style={{ height: `${b.rebuiltShare * 100}%` }} />
              </div>
              <span className="text-[10px] text-zinc-700 tabular-nums dark:text-zinc-300">{formatPercent(b.entry.cacheHitRatio)}</span>
              <span className={b.entry.status === "success" ? "text-[10px] text-zinc-600 dark:text-zinc-400" : "text-[10px] font-semibold text-red-700 dark:text-red-300"}>
                {b.entry.status === "success" ? `#${b.entry.index + 1}` : b.entry.status}
              </span>
            </li>
          ))}
        </ol>
        {last && last.flipped.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Changed in the last build</h3>
            <ul className="mt-1 space-y-1">
              {last.flipped.slice(0, 12).map((f) => (
                <li key={f.id} className="flex min-w-0 items-center gap-1.5 text-xs">
                  {f.before === "absent" ? <span>new</span> : <StatusBadge status={f.before} />}
                  <span aria-hidden>→</span>
                  <StatusBadge status={f.after} />
                  {known.has(f.id) ? (
                    <button type="button" onClick={() => onSelectStep(f.id)} className="min-w-0 truncate font-mono hover:underline" title={f.text}>
                      {f.text}
                    </button>
                  ) : (
                    <span className="min-w-0 truncate font-mono">{f.text}</span>
                  )}
                  {f.cause && <span className="shrink-0 text-zinc-600 dark:text-zinc-400">{f.cause}{f.evidence ? ` (${f.evidence})` : ""}</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </Card>
  );
}
