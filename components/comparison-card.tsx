import type { Comparison, ReportStep } from "@/lib/model/report";
import { StatusBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatDuration } from "@/lib/view/format";

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
      </div>
    </Card>
  );
}
