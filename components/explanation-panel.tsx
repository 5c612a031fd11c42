"use client";

import { InlineText } from "@/components/ui/inline-text";
import { useEffect, useRef } from "react";
import type { Report, ReportStep } from "@/lib/model/report";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DockerfileView } from "@/components/dockerfile-view";
import { EvidenceBadge } from "@/components/build-summary";
import { FixText } from "@/components/ui/fix-text";
import { CAUSE_LABEL } from "@/lib/view/labels";
import { formatBytes, formatDuration } from "@/lib/view/format";
import { displayStatus } from "@/lib/view/status";

interface Props {
  report: Report;
  step: ReportStep;
  dockerfile: string;
  onSelectStep(id: string): void;
  onClose(): void;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[88px_minmax(0,1fr)] gap-2 py-1 text-sm">
      <dt className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

/** Why one step was rebuilt (or not): cause, root step, cost, fix, candidates, its Dockerfile lines. */
export function ExplanationPanel({ report, step, dockerfile, onSelectStep, onClose }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  const miss = step.miss;
  const root = miss && miss.rootStep !== step.id ? report.steps.find((s) => s.id === miss.rootStep) : null;
  const findings = report.findings.filter((f) => f.steps.includes(step.id));
  const layer = report.layers?.find((l) => l.step === step.id);

  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [step.id]);

  return (
    <aside
      data-testid="explanation"
      aria-labelledby="explanation-title"
      className="fixed inset-x-0 bottom-0 z-40 flex max-h-[75dvh] flex-col border-t border-zinc-200 bg-white shadow-2xl sm:inset-x-auto sm:top-12 sm:right-0 sm:max-h-none sm:w-[440px] sm:border-t-0 sm:border-l xl:w-[380px] xl:shadow-lg 2xl:w-[440px] dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="flex items-start gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="min-w-0 flex-1">
          <p className="text-[11px] text-zinc-600 dark:text-zinc-400">
            Stage <span className="font-semibold">{step.stage}</span> · step {step.position}/{step.of}
            {step.line != null && <> · line {step.line}{step.endLine && step.endLine !== step.line ? `–${step.endLine}` : ""}</>}
            {step.vertex && (
              <>
                {" · "}
                {/* rawjson and records name vertices by digest: 12 hex digits say enough, the title holds all. */}
                <span title={step.vertex}>{/^sha256:[0-9a-f]{12,}$/.test(step.vertex) ? `${step.vertex.slice(0, 19)}…` : step.vertex}</span>
              </>
            )}
          </p>
          <h2 id="explanation-title" ref={heading} tabIndex={-1} className="mt-0.5 font-mono text-sm break-words focus:outline-none">
            {step.text}
          </h2>
          <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
            <StatusBadge status={displayStatus(step)} />
            {miss?.rootCause && <Badge tone="warn">root cause</Badge>}
            {step.onCriticalPath && <Badge tone="info">critical path</Badge>}
            <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">{formatDuration(step.durationSeconds)}</span>
          </div>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close explanation (Escape)">
          ✕
        </Button>
      </header>

      <div className="flex-1 space-y-4 overflow-y-auto px-4 py-3">
        {miss ? (
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Cause">
              <span className="font-semibold" data-testid="explanation-cause" data-cause={miss.cause}>
                {CAUSE_LABEL[miss.cause] ?? miss.cause}
              </span>
              <EvidenceBadge evidence={miss.evidence} className="ml-2 align-middle" />
            </Row>
            {miss.decidedBy && (
              <Row label={miss.evidence === "candidates" ? "To decide" : "Decided by"}>
                <p className="text-xs leading-snug" data-testid="explanation-decided-by"><InlineText text={miss.decidedBy} /></p>
              </Row>
            )}
            {miss.changedFiles && (
              <Row label="Changed files">
                {miss.changedFiles.length ? (
                  <ul className="font-mono text-xs" data-testid="explanation-changed-files">
                    {miss.changedFiles.slice(0, 12).map((f) => (
                      <li key={f} className="truncate" title={f}>{f}</li>
                    ))}
                    {miss.changedFiles.length > 12 && <li className="font-sans text-zinc-600 dark:text-zinc-400">…and {miss.changedFiles.length - 12} more</li>}
                  </ul>
                ) : (
                  <span className="text-xs">None of the changed files reach this step.</span>
                )}
              </Row>
            )}
            <Row label="Why">
              <p className="leading-snug" data-testid="explanation-text"><InlineText text={miss.explanation} /></p>
            </Row>
            <Row label="Root step">
              {root ? (
                <button
                  type="button"
                  onClick={() => onSelectStep(root.id)}
                  data-testid="root-step-link"
                  className="text-left font-mono text-xs text-sky-700 underline underline-offset-2 hover:text-sky-900 dark:text-sky-400"
                >
                  {root.stage} {root.position}/{root.of}: {root.text}
                </button>
              ) : (
                <span className="text-xs">This step (its own cache key changed)</span>
              )}
            </Row>
            <Row label="Cost">
              <span className="tabular-nums">{formatDuration(miss.costSeconds)}</span>
              <span className="ml-1 text-xs text-zinc-600 dark:text-zinc-400">rebuilt because of {miss.rootCause ? "this step" : "the root step"}</span>
            </Row>
            {miss.fix && (
              <Row label="Fix">
                <div className="leading-snug" data-testid="explanation-fix"><FixText text={miss.fix} /></div>
              </Row>
            )}
            {miss.candidates.length > 1 && (
              <Row label="Candidates">
                <ol className="list-decimal pl-4 text-xs">
                  {miss.candidates.map((c) => (
                    <li key={c}>{CAUSE_LABEL[c] ?? c}</li>
                  ))}
                </ol>
                {miss.decideWith && !miss.decidedBy && <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">To decide: <InlineText text={miss.decideWith} /></p>}
              </Row>
            )}
          </dl>
        ) : step.note ? null : (
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            {step.status === "cached"
              ? "This step was served from the build cache: its cache key matched an earlier build."
              : step.status === "not-run"
                ? "This step did not run in this build."
                : "No cache explanation for this step."}
          </p>
        )}

        {step.note && <p className="text-sm text-zinc-700 dark:text-zinc-300"><InlineText text={step.note} /></p>}

        {step.error && (
          <div>
            <h3 className="text-xs font-semibold text-red-700 uppercase dark:text-red-400">Error</h3>
            <pre className="mt-1 max-h-40 overflow-auto rounded bg-red-50 p-2 font-mono text-[11px] whitespace-pre-wrap text-red-900 dark:bg-red-950/40 dark:text-red-200">{step.error}</pre>
          </div>
        )}

        {(step.sizeBytes != null || step.pulledBytes != null || layer) && (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {step.sizeBytes != null && <>Layer size {formatBytes(step.sizeBytes)}. </>}
            {step.pulledBytes != null && step.pulledBytes > 0 && <>Pulled {formatBytes(step.pulledBytes)}. </>}
          </p>
        )}

        {findings.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">Findings on this step</h3>
            <ul className="mt-1 space-y-1.5">
              {findings.map((f, i) => (
                <li key={i} className="text-xs">
                  <span className="font-semibold"><InlineText text={f.message} /></span>
                  <div className="text-zinc-600 dark:text-zinc-400">Fix: <FixText text={f.fix} /></div>
                </li>
              ))}
            </ul>
          </div>
        )}

        <div>
          <h3 className="mb-1 text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">Dockerfile</h3>
          {dockerfile.trim() ? (
            <DockerfileView text={dockerfile} steps={report.steps} selectedStep={step.id} onSelectStep={onSelectStep} />
          ) : (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">Add the Dockerfile to see this step in context.</p>
          )}
        </div>

        {step.output.length > 0 && (
          <details>
            <summary className="cursor-pointer text-xs font-semibold text-zinc-600 uppercase dark:text-zinc-400">
              Output (last {step.output.length} of {step.outputLineCount} lines)
            </summary>
            <pre className="mt-1 max-h-56 overflow-auto rounded bg-zinc-100 p-2 font-mono text-[11px] whitespace-pre-wrap dark:bg-zinc-950">{step.output.join("\n")}</pre>
          </details>
        )}
      </div>
    </aside>
  );
}
