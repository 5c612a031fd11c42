import { FixText } from "@/components/ui/fix-text";
import { InlineText } from "@/components/ui/inline-text";
import type { Report } from "@/lib/model/report";
import { Badge, type Tone } from "@/components/ui/badge";
import { BUILD_STATUS_LABEL, CAUSE_LABEL } from "@/lib/view/labels";
import { formatBytes, formatDuration, formatPercent, plural } from "@/lib/view/format";
import { missCounts } from "@/lib/view/status";

const BUILD_TONE: Record<Report["build"]["status"], Tone> = { success: "good", failed: "bad", canceled: "neutral", incomplete: "warn" };
const DIAGNOSIS_TONE: Record<Report["diagnosis"]["kind"], Tone> = {
  "fully-cached": "good",
  partial: "warn",
  "cold-cache": "warn",
  "no-cache": "warn",
  "cache-import-failed": "bad",
  "failed-early": "bad",
  "no-steps": "neutral",
};

function Metric({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] text-zinc-500 uppercase dark:text-zinc-400">{label}</dt>
      <dd className="truncate text-base font-semibold tabular-nums">
        {value}
        {sub && <span className="ml-1 text-xs font-normal text-zinc-500 dark:text-zinc-400">{sub}</span>}
      </dd>
    </div>
  );
}

/** The build at a glance: outcome, diagnosis, hit ratio, time rebuilt, critical path, top causes. */
export function BuildSummary({ report, onSelectStep }: { report: Report; onSelectStep(id: string): void }) {
  const { build, summary, diagnosis, input } = report;
  const stepText = new Map(report.steps.map((s) => [s.id, s]));
  // Real misses, as the cache hit ratio counts them: a FROM that only resolved is not one.
  const misses = missCounts(report);
  return (
    <section aria-labelledby="summary-title" data-testid="build-summary" className="@container rounded-lg border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-start gap-x-3 gap-y-1">
        <Badge tone={BUILD_TONE[build.status]} className="mt-0.5">
          Build {BUILD_STATUS_LABEL[build.status]}
        </Badge>
        <div className="min-w-0 flex-1">
          <h2 id="summary-title" className="text-base font-semibold" data-testid="diagnosis-title">
            <Badge tone={DIAGNOSIS_TONE[diagnosis.kind]} className="mr-2 align-middle">
              {diagnosis.kind.replace(/-/g, " ")}
            </Badge>
            <InlineText text={diagnosis.title} />
          </h2>
          {diagnosis.detail && <p className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300"><InlineText text={diagnosis.detail} /></p>}
          {diagnosis.fix && (
            <div className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300">
              <span className="font-semibold">Fix: </span>
              <FixText text={diagnosis.fix} />
            </div>
          )}
          {build.errorMessage && (
            <p className="mt-1 rounded bg-red-50 px-2 py-1 font-mono text-xs break-words whitespace-pre-wrap text-red-800 dark:bg-red-950/40 dark:text-red-200">
              {build.errorMessage}
            </p>
          )}
        </div>
      </div>

      <dl className="mt-3 grid grid-cols-2 gap-3 @md:grid-cols-3 @3xl:grid-cols-6">
        <Metric label="Cache hit ratio" value={formatPercent(summary.cacheHitRatio)} sub="FROM excluded" />
        <Metric label="Steps" value={String(summary.steps)} sub={`${misses.rebuilt} rebuilt${summary.errors ? `, ${summary.errors} failed` : ""}`} />
        <Metric label="Time rebuilt" value={formatDuration(summary.rebuiltSeconds)} />
        <Metric label="Critical path" value={formatDuration(summary.criticalPathSeconds)} sub={build.timing === "estimated" ? "est." : undefined} />
        <Metric label="Build time" value={formatDuration(build.durationSeconds)} sub={build.timing === "estimated" ? "est." : undefined} />
        <Metric label="Context sent" value={formatBytes(build.contextTransferBytes)} />
      </dl>

      {report.rootCauses.length > 0 && (
        <div className="mt-3">
          <h3 className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">Why it rebuilt (most expensive first)</h3>
          <ol className="mt-1 space-y-1">
            {report.rootCauses.slice(0, 4).map((rc) => (
              <li key={rc.rootStep} className="text-sm">
                <button
                  type="button"
                  onClick={() => onSelectStep(rc.rootStep)}
                  className="group w-full rounded px-1 py-0.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
                >
                  <span className="font-semibold tabular-nums">{formatDuration(rc.costSeconds)}</span>
                  <span className="mx-1.5 text-zinc-400">·</span>
                  <span className="font-medium">{CAUSE_LABEL[rc.cause] ?? rc.cause}</span>
                  <span className="mx-1.5 text-zinc-400">at</span>
                  <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">{stepText.get(rc.rootStep)?.text ?? rc.rootStep}</code>
                  <span className="ml-1.5 text-xs text-zinc-500 dark:text-zinc-400">({plural(rc.steps.length, "step")} rebuilt)</span>
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}

      <p className="mt-2 text-[11px] text-zinc-500 dark:text-zinc-400">
        {input.logFormat} log{input.wrapper !== "none" ? `, ${input.wrapper} wrapper` : ""}
        {input.buildsInLog > 1 ? ` · build ${input.build} of ${input.buildsInLog}` : ""}
        {build.builder ? ` · builder ${build.builder}` : ""}
        {input.hasPreviousLog || input.hasPreviousDockerfile ? " · compared with the previous build" : ""}
        {!input.hasDockerfile ? " · no Dockerfile: add it for line numbers and exact causes" : ""}
      </p>
    </section>
  );
}
