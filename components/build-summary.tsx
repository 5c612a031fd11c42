import { FixText } from "@/components/ui/fix-text";
import { InlineText } from "@/components/ui/inline-text";
import type { Report } from "@/lib/model/report";
import { Badge, type Tone } from "@/components/ui/badge";
import { describeInput } from "@/lib/view/input-source";
import { cx } from "@/components/ui/cx";
import { BUILD_STATUS_LABEL, CAUSE_LABEL } from "@/lib/view/labels";
import { formatBytes, formatDuration, formatPercent, plural } from "@/lib/view/format";
import { EVIDENCE_LABEL, EVIDENCE_TITLE, toHeadline, type HeadlineFailure } from "@/lib/view/headline";
import { dockerfileMismatch } from "@/lib/view/mismatch";
import type { Evidence } from "@/lib/model/report";

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
      <dt className="text-[11px] text-zinc-600 uppercase dark:text-zinc-400">{label}</dt>
      <dd className="text-base leading-tight font-semibold tabular-nums">
        {value}
        {sub && <span className="ml-1 inline-block text-xs font-normal text-zinc-600 dark:text-zinc-400">{sub}</span>}
      </dd>
    </div>
  );
}

const EVIDENCE_TONE: Record<Evidence, Tone> = { exact: "good", inferred: "info", candidates: "warn" };

/** "exact" / "inferred" / "candidates", with what the grade means on hover and for screen readers. */
export function EvidenceBadge({ evidence, className }: { evidence: Evidence; className?: string }) {
  return (
    <span title={EVIDENCE_TITLE[evidence]} data-testid="evidence" data-evidence={evidence} className={className}>
      <Badge tone={EVIDENCE_TONE[evidence]}>
        <span className="sr-only">How sure: </span>
        {EVIDENCE_LABEL[evidence]}
      </Badge>
    </span>
  );
}

function FailureBlock({ failure, onSelectStep }: { failure: HeadlineFailure; onSelectStep(id: string): void }) {
  return (
    <div className="rounded-md border border-red-300 bg-red-50 p-2.5 dark:border-red-800 dark:bg-red-950/40" data-testid="failure">
      <h2 id="summary-title" className="text-base font-semibold text-red-900 dark:text-red-100" data-testid="failure-title">
        {/* No step and no vertex failed (lib/analyze/outcome.ts then names "the build"): e.g. a Dockerfile parse error. */}
        {failure.stepId == null && failure.text === "the build" ? (
          <>Build failed before any step ran</>
        ) : (
          <>
            Build failed at <code className="rounded bg-white/70 px-1 font-mono text-sm dark:bg-black/30">{failure.text}</code>
          </>
        )}
        {failure.stage ? <span className="font-normal"> in stage {failure.stage}</span> : null}
        {failure.line != null ? <span className="font-normal">{failure.stepId == null ? `, Dockerfile line ${failure.line}` : `, line ${failure.line}`}</span> : null}
        {failure.exitCode != null ? (
          <span className="ml-2 align-middle" data-testid="failure-exit-code">
            <Badge tone="bad">exit code {failure.exitCode}</Badge>
          </span>
        ) : null}
      </h2>
      <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-red-900 dark:text-red-200">{failure.message}</p>
      {failure.lastLines.length > 0 && (
        <>
          <h3 className="mt-2 text-[11px] font-semibold text-red-900 uppercase dark:text-red-200">Last output lines</h3>
          <pre className="mt-0.5 max-h-48 overflow-auto rounded bg-zinc-950 px-2 py-1.5 font-mono text-[11px] leading-4 text-zinc-100" data-testid="failure-output" tabIndex={0}>
            {failure.lastLines.join("\n")}
          </pre>
        </>
      )}
      {failure.canceled.length > 0 && (
        <p className="mt-1.5 text-xs text-red-900 dark:text-red-200">
          Canceled because of it:{" "}
          {failure.canceled.map((c, i) => (
            <span key={c.stepId}>
              {i > 0 ? ", " : ""}
              <code className="font-mono">{c.text}</code>
              {c.ranSeconds != null ? ` (ran ${formatDuration(c.ranSeconds)})` : ""}
            </span>
          ))}
        </p>
      )}
      {failure.stepId && (
        <button
          type="button"
          onClick={() => onSelectStep(failure.stepId!)}
          className="mt-2 rounded-md border border-red-300 bg-white px-2 py-0.5 text-xs font-medium text-red-900 hover:bg-red-100 dark:border-red-700 dark:bg-red-950 dark:text-red-100 dark:hover:bg-red-900"
          data-testid="failure-open-step"
        >
          Open the failing step
        </button>
      )}
    </div>
  );
}

/**
 * The build at a glance. A failed build leads with the failure; then the cache story with how sure
 * it is; then one set of numbers (lib/view/headline) and the top root causes.
 */
export function BuildSummary({ report, onSelectStep, onAnalyseLogAlone }: { report: Report; onSelectStep(id: string): void; onAnalyseLogAlone?(): void }) {
  const { build, summary, diagnosis, input } = report;
  const stepText = new Map(report.steps.map((s) => [s.id, s]));
  const { failure, evidence, numbers: n } = toHeadline(report);
  const mismatch = dockerfileMismatch(report);
  return (
    <section aria-labelledby="summary-title" data-testid="build-summary" className="@container rounded-lg border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      {failure && <FailureBlock failure={failure} onSelectStep={onSelectStep} />}
      {mismatch && (
        <div role="note" data-testid="dockerfile-mismatch" className="mb-2 rounded-md border border-amber-300 bg-amber-50 px-2.5 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
          <strong>This Dockerfile does not match the log.</strong> {mismatch.message}{" "}
          {mismatch.notRunStages > 0 && `${plural(mismatch.notRunStages, "stage")} show NOT RUN only because no log step could be placed in them. `}
          {onAnalyseLogAlone && (
            <button type="button" onClick={onAnalyseLogAlone} className="font-semibold underline underline-offset-2" data-testid="analyse-log-alone">
              Analyse the log without this Dockerfile
            </button>
          )}
        </div>
      )}
      <div className={cx("flex flex-wrap items-start gap-x-3 gap-y-1", failure && "mt-3")}>
        <Badge tone={BUILD_TONE[build.status]} className="mt-0.5">
          Build {BUILD_STATUS_LABEL[build.status]}
        </Badge>
        <div className="min-w-0 flex-1">
          {failure ? (
            <h3 className="text-sm font-semibold" data-testid="diagnosis-title">
              <span className="text-zinc-600 dark:text-zinc-400">Cache: </span>
              <Badge tone={DIAGNOSIS_TONE[diagnosis.kind]} className="mr-2 align-middle">
                {diagnosis.kind.replace(/-/g, " ")}
              </Badge>
              <InlineText text={diagnosis.title} />
              {evidence && <EvidenceBadge evidence={evidence} className="ml-2 align-middle" />}
            </h3>
          ) : (
            <h2 id="summary-title" className="text-base font-semibold" data-testid="diagnosis-title">
              <Badge tone={DIAGNOSIS_TONE[diagnosis.kind]} className="mr-2 align-middle">
                {diagnosis.kind.replace(/-/g, " ")}
              </Badge>
              <InlineText text={diagnosis.title} />
              {evidence && <EvidenceBadge evidence={evidence} className="ml-2 align-middle" />}
            </h2>
          )}
          {diagnosis.detail && (
            <p className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300">
              <InlineText text={diagnosis.detail} />
            </p>
          )}
          {diagnosis.fix && (
            <div className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300">
              <span className="font-semibold">Fix: </span>
              <FixText text={diagnosis.fix} />
            </div>
          )}
          {build.errorMessage && !failure && (
            <p className="mt-1 rounded bg-red-50 px-2 py-1 font-mono text-xs break-words whitespace-pre-wrap text-red-800 dark:bg-red-950/40 dark:text-red-200">{build.errorMessage}</p>
          )}
        </div>
      </div>

      <dl className="mt-3 grid grid-cols-2 gap-3 @md:grid-cols-3 @3xl:grid-cols-6" data-testid="summary-numbers">
        <Metric label="Steps re-ran" value={`${n.reran} of ${n.counted}`} sub={[n.failed ? `${n.failed} failed` : "", n.canceled ? `${n.canceled} canceled` : ""].filter(Boolean).join(", ") || undefined} />
        <Metric label="Cache hit ratio" value={formatPercent(summary.cacheHitRatio)} sub={`${n.cached} cached`} />
        <Metric label="Time rebuilt" value={formatDuration(summary.rebuiltSeconds)} />
        <Metric label="Critical path" value={formatDuration(summary.criticalPathSeconds)} sub={build.timing === "estimated" ? "est." : undefined} />
        <Metric label="Build time" value={formatDuration(build.durationSeconds)} sub={build.timing === "estimated" ? "est." : undefined} />
        <Metric label="Context sent" value={formatBytes(build.contextTransferBytes)} />
      </dl>
      <p className="mt-1 text-[11px] text-zinc-600 dark:text-zinc-400" data-testid="numbers-note">
        {n.total} step rows: {n.counted} counted for the cache
        {n.resolvedFrom ? `, ${n.resolvedFrom} FROM that only resolved the image (not a miss)` : ""}
        {n.notRun ? `, ${n.notRun} not run` : ""}
        {n.unfinished ? `, ${n.unfinished} unfinished` : ""}.
      </p>

      {report.rootCauses.length > 0 && (
        <div className="mt-3">
          <h3 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Why it rebuilt (most expensive first)</h3>
          <ol className="mt-1 space-y-1">
            {report.rootCauses.slice(0, 4).map((rc) => (
              <li key={rc.rootStep} className="text-sm">
                <button
                  type="button"
                  onClick={() => onSelectStep(rc.rootStep)}
                  className="group w-full rounded px-1 py-0.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  data-testid="root-cause"
                >
                  <span className="font-semibold tabular-nums">{formatDuration(rc.costSeconds)}</span>
                  <span className="mx-1.5 text-zinc-500" aria-hidden>·</span>
                  <span className="font-medium">{CAUSE_LABEL[rc.cause] ?? rc.cause}</span>
                  <EvidenceBadge evidence={rc.evidence} className="ml-1.5 align-middle" />
                  <span className="mx-1.5 text-zinc-600 dark:text-zinc-400">at</span>
                  <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">{stepText.get(rc.rootStep)?.text ?? rc.rootStep}</code>
                  <span className="ml-1.5 text-xs text-zinc-600 dark:text-zinc-400">({plural(rc.steps.length, "step")} rebuilt)</span>
                  {rc.changedFiles && rc.changedFiles.length > 0 && (
                    <span className="ml-1.5 text-xs text-zinc-600 dark:text-zinc-400">
                      changed: <code className="font-mono">{rc.changedFiles.slice(0, 3).join(", ")}</code>
                      {rc.changedFiles.length > 3 ? ` +${rc.changedFiles.length - 3}` : ""}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}

      <p className="mt-2 text-[11px] text-zinc-600 dark:text-zinc-400">
        {describeInput(report)}
      </p>
    </section>
  );
}
