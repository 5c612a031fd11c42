import type { LayerInfo, ReportStep } from "@/lib/model/report";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { formatBytes } from "@/lib/view/format";

/** One bar per image layer (from image metadata), linked to its step when mapped. */
export function LayerSizes({ layers, steps, onSelectStep }: { layers: LayerInfo[] | null; steps: ReportStep[]; onSelectStep(id: string): void }) {
  if (!layers) {
    return (
      <Card id="layers" title="Layer sizes" data-testid="layers">
        <p className="px-3 py-3 text-sm text-zinc-500">
          Paste <code className="font-mono text-xs">docker history --no-trunc --format &apos;{"{{json .}}"}&apos; IMAGE</code> (or image inspect JSON)
          under “More inputs” to see the size of each layer.
        </p>
      </Card>
    );
  }
  const real = layers.filter((l) => !l.emptyLayer);
  const max = real.reduce((m, l) => Math.max(m, l.sizeBytes), 1);
  const total = real.reduce((s, l) => s + l.sizeBytes, 0);
  const byId = new Map(steps.map((s) => [s.id, s]));
  return (
    <Card id="layers" title={`Layer sizes (${real.length} layers, ${formatBytes(total)})`} data-testid="layers">
      <ol className="max-h-80 space-y-1 overflow-auto px-3 py-2">
        {real.map((l) => {
          const step = l.step ? byId.get(l.step) : undefined;
          return (
            <li key={l.index} className="text-xs">
              <div className="flex items-baseline justify-between gap-2">
                {step ? (
                  <button type="button" onClick={() => onSelectStep(step.id)} className="min-w-0 truncate text-left font-mono text-[11px] hover:underline" title={l.createdBy}>
                    {step.text}
                  </button>
                ) : (
                  <span className="min-w-0 truncate font-mono text-[11px] text-zinc-500" title={l.createdBy}>
                    {l.fromBaseImage ? "base image: " : ""}
                    {l.createdBy}
                  </span>
                )}
                <span className="shrink-0 tabular-nums">{formatBytes(l.sizeBytes)}</span>
              </div>
              <div className="mt-0.5 h-2 rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                <div
                  className={cx("h-2 rounded", l.fromBaseImage ? "bg-zinc-400 dark:bg-zinc-600" : "bg-sky-500")}
                  style={{ width: `${Math.max(0.5, (l.sizeBytes / max) * 100)}%` }}
                />
              </div>
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
