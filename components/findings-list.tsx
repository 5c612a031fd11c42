import { InlineText } from "@/components/ui/inline-text";
import type { Finding } from "@/lib/model/report";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { FixText } from "@/components/ui/fix-text";
import { SEVERITY_LABEL } from "@/lib/view/labels";
import { formatDuration } from "@/lib/view/format";

const TONE: Record<Finding["severity"], Tone> = { error: "bad", warning: "warn", info: "info" };

/** Cache-focused advice, each with its line, why and fix. */
export function FindingsList({ findings, onSelectStep }: { findings: Finding[]; onSelectStep(id: string): void }) {
  return (
    <Card id="findings" title={`Findings (${findings.length})`} data-testid="findings">
      {findings.length === 0 ? (
        <p className="px-3 py-3 text-sm text-zinc-500">No cache problems found in this Dockerfile and log.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {findings.map((f, i) => (
            <li key={`${f.rule}-${i}`} className="px-3 py-2" data-rule={f.rule}>
              <div className="flex flex-wrap items-center gap-1.5">
                <Badge tone={TONE[f.severity]}>{SEVERITY_LABEL[f.severity]}</Badge>
                <code className="text-[11px] text-zinc-500 dark:text-zinc-400">{f.rule}</code>
                {f.line != null && <span className="text-[11px] text-zinc-500">line {f.line}</span>}
                {f.costSeconds != null && f.costSeconds > 0 && (
                  <span className="text-[11px] text-zinc-500">cost {formatDuration(f.costSeconds)}</span>
                )}
              </div>
              <p className="mt-1 text-sm"><InlineText text={f.message} /></p>
              <div className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300" data-testid="finding-fix">
                <span className="font-semibold">Fix: </span>
                <FixText text={f.fix} />
              </div>
              {f.steps.length > 0 && (
                <button
                  type="button"
                  onClick={() => onSelectStep(f.steps[0])}
                  className="mt-1 text-xs text-sky-700 underline underline-offset-2 dark:text-sky-400"
                >
                  Show step {f.steps[0]}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
