import type { Diagnostic } from "@/lib/model/diagnostics";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { InlineText } from "@/components/ui/inline-text";

const TONE: Record<Diagnostic["severity"], Tone> = { error: "bad", warning: "warn", info: "info" };
const MAX = 200;

/** Every parser/engine diagnostic, located by input and line. */
export function DiagnosticsList({ diagnostics }: { diagnostics: Diagnostic[] }) {
  if (diagnostics.length === 0) return null;
  return (
    <Card id="diagnostics" title={`Diagnostics (${diagnostics.length})`} data-testid="diagnostics">
      <ul className="max-h-64 divide-y divide-zinc-100 overflow-auto dark:divide-zinc-800">
        {diagnostics.slice(0, MAX).map((d, i) => (
          <li key={i} className="flex items-baseline gap-2 px-3 py-1.5 text-xs">
            <Badge tone={TONE[d.severity]}>{d.severity}</Badge>
            <span className="shrink-0 font-mono text-zinc-500">
              {d.source}
              {d.line != null ? ` line ${d.line}` : ""}
            </span>
            <span className="min-w-0">
              <InlineText text={d.message} />
            </span>
          </li>
        ))}
      </ul>
      {diagnostics.length > MAX && <p className="px-3 py-1 text-xs text-zinc-500">…and {diagnostics.length - MAX} more.</p>}
    </Card>
  );
}
