/**
 * What the build summary leads with. A failed build leads with its failure (step, exit code, last
 * output lines), then the cache story; the cache story says how sure it is. One set of numbers for
 * the whole screen, counted the way the cache hit ratio and the engine's diagnosis count them (a
 * FROM that only resolved its image is neither cached nor rebuilt). Pure.
 */
import type { Evidence, Report, ReportStep } from "../model/report";
import { isResolvedFrom } from "./status";

export interface HeadlineFailure {
  /** The failing step's id, null when the failure is not a step's. */
  stepId: string | null;
  stage: string | null;
  text: string;
  line: number | null;
  exitCode: number | null;
  message: string;
  lastLines: string[];
  canceled: { stepId: string; text: string; ranSeconds: number | null }[];
}

export interface BuildNumbers {
  /** Steps that count for the cache: cached + re-ran (FROMs that only resolved and steps that never started are apart). */
  counted: number;
  /** Steps that ran instead of coming from the cache: rebuilt, failed and canceled ones. */
  reran: number;
  cached: number;
  failed: number;
  /** FROM steps that only resolved their image (shown apart: not misses). */
  resolvedFrom: number;
  notRun: number;
  canceled: number;
  unfinished: number;
  /** Every step row (the step table's count): counted + resolvedFrom + notRun + unfinished. */
  total: number;
}

export interface Headline {
  failure: HeadlineFailure | null;
  /** How sure the cache story is; null when there is none (fully cached, no steps). */
  evidence: Evidence | null;
  numbers: BuildNumbers;
}

export const EVIDENCE_LABEL: Record<Evidence, string> = {
  exact: "exact",
  inferred: "inferred",
  candidates: "candidates",
};

export const EVIDENCE_TITLE: Record<Evidence, string> = {
  exact: "Exact: an input names the cause (a Dockerfile diff, a changed build argument or base digest, a build record, a changed-files list).",
  inferred: "Inferred: BuildKit's cache rules make this the only cause that fits what the log shows.",
  candidates: "Candidates: the inputs cannot decide between several causes; the explanation says what would decide.",
};

const RANK: Record<Evidence, number> = { exact: 0, inferred: 1, candidates: 2 };

/** The weakest grade wins: a headline is only as sure as its least sure cause. */
export function weakestEvidence(grades: (Evidence | null | undefined)[]): Evidence | null {
  let worst: Evidence | null = null;
  for (const g of grades) if (g && (worst == null || RANK[g] > RANK[worst])) worst = g;
  return worst;
}

export function buildNumbers(report: Pick<Report, "steps" | "summary">): BuildNumbers {
  let reran = 0;
  let cached = 0;
  let failed = 0;
  let resolvedFrom = 0;
  for (const s of report.steps) {
    if (s.status === "cached") cached++;
    else if (s.status === "error") failed++;
    else if (s.status === "rebuilt") {
      if (isResolvedFrom(s)) resolvedFrom++;
      else reran++;
    }
  }
  const { notRun, unfinished } = report.summary;
  const canceled = report.steps.filter((s) => s.status === "canceled").length;
  return {
    counted: cached + reran + failed + canceled,
    reran: reran + failed + canceled,
    cached,
    failed,
    resolvedFrom,
    notRun,
    canceled,
    unfinished,
    total: report.steps.length,
  };
}

const EXIT_CODE = /exit code:?\s*(\d+)/i;

function failureFromSteps(report: Pick<Report, "steps" | "build">): HeadlineFailure | null {
  if (report.build.status !== "failed") return null;
  const step: ReportStep | undefined = report.steps.find((s) => s.status === "error");
  const message = report.build.errorMessage ?? step?.error ?? "The build failed.";
  const code = EXIT_CODE.exec(step?.error ?? message);
  return {
    stepId: step?.id ?? null,
    stage: step?.stage ?? null,
    text: step?.text ?? message.split("\n")[0],
    line: step?.line ?? null,
    exitCode: code ? Number(code[1]) : null,
    message,
    lastLines: (step?.output ?? []).slice(-10),
    canceled: report.steps.filter((s) => s.status === "canceled").map((s) => ({ stepId: s.id, text: s.text, ranSeconds: s.durationSeconds })),
  };
}

export function toHeadline(report: Pick<Report, "steps" | "summary" | "build" | "diagnosis" | "rootCauses">): Headline {
  const f = report.diagnosis.failure;
  const text = new Map(report.steps.map((s) => [s.id, s]));
  const failure: HeadlineFailure | null = f
    ? {
        stepId: f.step,
        stage: f.step ? (text.get(f.step)?.stage ?? null) : null,
        text: f.text,
        line: f.line,
        exitCode: f.exitCode,
        message: f.message,
        lastLines: f.lastLines.length ? f.lastLines : f.step ? (text.get(f.step)?.output ?? []).slice(-10) : [],
        canceled: f.canceled.map((c) => ({ stepId: c.step, text: text.get(c.step)?.text ?? c.step, ranSeconds: c.ranSeconds })),
      }
    : failureFromSteps(report);
  const story = report.diagnosis.kind !== "fully-cached" && report.diagnosis.kind !== "no-steps";
  const evidence = report.diagnosis.evidence ?? (story ? weakestEvidence(report.rootCauses.map((r) => r.evidence)) : null);
  return { failure, evidence, numbers: buildNumbers(report) };
}
