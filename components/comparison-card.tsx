import type { Comparison, ReportStep } from "@/lib/model/report";
import { StatusBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatDuration } from "@/lib/view/format";
import { toCompareView } from "@/lib/view/compare";

const MAX_ROWS = 12;

/** Compare mode: what changed between the previous build and this one. */
export function ComparisonCard({ comparison: c, steps, onSelectStep }: { comparison: Comparison; steps: ReportStep[]; onSelectStep(id: string): void }) {
  const known = new Set(steps.map((s) => s.id));
  const empty = !c.flipped.length && !c.dockerfileChanges.length && !c.buildArgChanges.length && !c.baseImageChanges.length;
  return (
    <Card id="comparison" title="Compared with the previous build" data-testid="comparison">
      <div className="space-y-3 px-3 py-2 text-sm">
        {c.previousDurationSeconds != null && (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Previous build took {formatDuration(c.previousDurationSeconds)}.</p>
        )}
        {empty && <p className="text-zinc-600 dark:text-zinc-400">No step changed status and no Dockerfile, build-arg or base-image change was found.</p>}
        {c.buildArgChanges.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">Build arguments</h3>
            <ul className="mt-1 space-y-0.5 font-mono text-xs">
              {c.buildArgChanges.map((a) => (
                <li key={a.name}>
                  {a.name}: <span className="text-red-700 line-through dark:text-red-400">{a.before ?? "(unset)"}</span> →{" "}
                  <span className="text-emerald-700 dark:text-emerald-400">{a.after ?? "(unset)"}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {c.baseImageChanges.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">Base images</h3>
            <ul className="mt-1 space-y-0.5 font-mono text-xs break-all">
              {c.baseImageChanges.map((b) => (
                <li key={b.image}>
                  {b.image}: {b.before ?? "?"} → {b.after ?? "?"}
                </li>
              ))}
            </ul>
          </div>
        )}
        {c.dockerfileChanges.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">Dockerfile</h3>
            <ul className="mt-1 space-y-0.5 font-mono text-xs">
              {c.dockerfileChanges.slice(0, MAX_ROWS).map((d, i) => (
                <li key={i} className="break-words">
                  <span className="text-zinc-500">{d.line != null ? `L${d.line}` : d.previousLine != null ? `was L${d.previousLine}` : ""} </span>
                  {d.before != null && <span className="text-red-700 line-through dark:text-red-400">{d.before}</span>}
                  {d.before != null && d.after != null && " → "}
                  {d.after != null && <span className="text-emerald-700 dark:text-emerald-400">{d.after}</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
        {c.flipped.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">Steps that changed status</h3>
            <ul className="mt-1 space-y-1">
              {c.flipped.slice(0, MAX_ROWS).map((f) => (
                <li key={f.id} className="flex min-w-0 items-center gap-1.5 text-xs">
                  {f.before === "absent" ? <span className="text-zinc-500">new</span> : <StatusBadge status={f.before} />}
                  <span aria-hidden>→</span>
                  <StatusBadge status={f.after} />
                  {known.has(f.id) ? (
                    <button type="button" onClick={() => onSelectStep(f.id)} className="min-w-0 truncate font-mono hover:underline" title={f.text}>
                      {f.text}
                    </button>
                  ) : (
                    <span className="min-w-0 truncate font-mono">{f.text}</span>
                  )}
                </li>
              ))}
              {c.flipped.length > MAX_ROWS && <li className="text-xs text-zinc-500">…and {c.flipped.length - MAX_ROWS} more</li>}
            </ul>
          </div>
        )}
        <SideBySide comparison={c} steps={steps} onSelectStep={onSelectStep} />
      </div>
    </Card>
  );
}

const SIDE_ROWS = 40;

/** Previous build | this build, one row per step, flipped steps first. */
function SideBySide({ comparison, steps, onSelectStep }: { comparison: Comparison; steps: ReportStep[]; onSelectStep(id: string): void }) {
  const v = toCompareView(comparison, steps);
  const known = new Set(steps.map((s) => s.id));
  if (!v.rows.length) return null;
  const shown = v.rows.slice(0, SIDE_ROWS);
  return (
    <div data-testid="compare-side-by-side">
      <h3 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">
        Side by side <span className="font-normal normal-case">({v.flippedCount} changed status, listed first)</span>
      </h3>
      <div className="mt-1 max-h-80 overflow-auto rounded border border-zinc-200 dark:border-zinc-800">
        <table className="w-full border-collapse text-left text-xs">
          <thead className="sticky top-0 bg-zinc-50 text-[11px] text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
            <tr>
              <th scope="col" className="px-2 py-1 font-semibold">Step</th>
              <th scope="col" className="px-2 py-1 font-semibold">Previous build{v.previousSeconds != null ? ` (${formatDuration(v.previousSeconds)})` : ""}</th>
              <th scope="col" className="px-2 py-1 font-semibold">This build</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-compare-step={r.id} data-flipped={r.flipped} className={r.flipped ? "bg-amber-50/60 dark:bg-amber-950/20" : undefined}>
                <td className="max-w-0 px-2 py-1">
                  {known.has(r.id) ? (
                    <button type="button" onClick={() => onSelectStep(r.id)} className="block w-full truncate text-left font-mono hover:underline" title={r.text}>
                      {r.text}
                    </button>
                  ) : (
                    <span className="block truncate font-mono" title={r.text}>{r.text}</span>
                  )}
                </td>
                <td className="px-2 py-1 whitespace-nowrap">
                  {r.before === "absent" ? <span>not in that build</span> : r.before === "unknown" ? <span>?</span> : <StatusBadge status={r.before} />}
                  {r.beforeSeconds != null && <span className="ml-1 tabular-nums">{formatDuration(r.beforeSeconds)}</span>}
                </td>
                <td className="px-2 py-1 whitespace-nowrap">
                  <StatusBadge status={r.after} />
                  {r.afterSeconds != null && <span className="ml-1 tabular-nums">{formatDuration(r.afterSeconds)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {v.rows.length > SIDE_ROWS && <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">…and {v.rows.length - SIDE_ROWS} more unchanged steps in the step table.</p>}
    </div>
  );
}
