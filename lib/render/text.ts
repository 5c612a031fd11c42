/**
 * `cachescope analyze --format text`: a short terminal report for a person. Pure.
 * All user text (step text, file names, messages) is stripped of control characters so a log
 * cannot move the cursor or recolour the terminal.
 */
import type { Report, ReportStep, StepStatus } from "../model/report";
import { formatDiagnostic } from "../model/diagnostics";
import { evidencePhrase, formatRatio, formatSeconds, plural, stepCounts, rebuiltVsTotal, stepById, stepLabel, stepStatusWord, totalSeconds, truncate } from "./format";
import { BUILD_STATUS_WORD, STATUS_WORD, causeLabel } from "./labels";
import { changedFilesLines } from "./changed-files";

export interface TextOptions {
  /** ANSI colours; off by default. */
  color?: boolean;
  /** Root causes listed (default 5). */
  maxRootCauses?: number;
  /** Steps listed (default 60; the rest is summarised). */
  maxSteps?: number;
  /** Findings and diagnostics listed (default 15 each). */
  maxFindings?: number;
  maxDiagnostics?: number;
  /** Terminal width used to truncate step text (default 100). */
  width?: number;
}

const ANSI = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
} as const;

type Style = keyof typeof ANSI;

/** Removes C0/C1 control characters (ESC included) except newline and tab. */
export function sanitizeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

const STATUS_STYLE: Record<StepStatus, Style> = {
  cached: "green",
  rebuilt: "yellow",
  error: "red",
  canceled: "dim",
  unfinished: "dim",
  "not-run": "dim",
};

export function renderText(report: Report, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const width = Math.max(60, options.width ?? 100);
  const paint = (style: Style, text: string) => (color ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  // Continuation lines of multi-line prose (fix snippets) are indented under their item.
  const clean = (text: string) => sanitizeTerminal(text).replace(/\n/g, "\n       ");
  const out: string[] = [];
  const { summary, build } = report;

  // Headline.
  const statusStyle: Style = build.status === "success" ? "green" : build.status === "failed" ? "red" : "yellow";
  const counts = stepCounts(report.steps);
  out.push(
    `${paint("bold", "Cachescope")} — build ${paint(statusStyle, BUILD_STATUS_WORD[build.status].toUpperCase())} · ` +
      `${formatRatio(summary.cacheHitRatio)} cache hits (${counts.cached} cached, ${counts.rebuilt} rebuilt` +
      `${counts.failed ? `, ${counts.failed} failed` : ""}${counts.canceled ? `, ${counts.canceled} canceled` : ""} of ${plural(counts.ran, "step")} that ran` +
      `${counts.notRun ? `; ${counts.notRun} not run` : ""})`,
  );
  out.push(
    `${capitalize(rebuiltVsTotal(summary.rebuiltSeconds, totalSeconds(report)))}` +
      ` · critical path ${formatSeconds(summary.criticalPathSeconds)}` +
      (build.timing === "estimated" ? " · timing estimated" : ""),
  );
  // A failed build leads with the failure: the step, its exit code and its last output lines.
  const failure = report.diagnosis.failure;
  if (failure) {
    out.push("", paint("red", `${paint("bold", report.diagnosis.title)}`));
    out.push(`  ${paint("red", truncate(clean(failure.message), width * 3))}`);
    if (failure.lastLines.length) {
      out.push("  Last output:");
      for (const l of failure.lastLines) out.push(`    ${truncate(clean(l), width - 4)}`);
    }
    if (failure.canceled.length) {
      const ran = (c: (typeof failure.canceled)[number]) => {
        const st = stepById(report, c.step);
        return `${st ? `${stepLabel(st)} ${truncate(clean(st.text), 50)}` : c.step} (${c.ranSeconds != null ? `ran ${formatSeconds(c.ranSeconds)}` : "run time not in the log"})`;
      };
      out.push(`  Canceled: ${failure.canceled.map(ran).join(", ")}`);
    }
  } else if (build.errorMessage) out.push(paint("red", `Error: ${truncate(clean(build.errorMessage), width * 3)}`));

  // Diagnosis.
  if (failure) out.push("", clean(report.diagnosis.detail));
  else out.push("", `${paint("bold", report.diagnosis.title)}: ${clean(report.diagnosis.detail)}`);
  if (report.diagnosis.fix) out.push(`  Fix: ${clean(report.diagnosis.fix)}`);

  // Root causes.
  const maxRoots = options.maxRootCauses ?? 5;
  if (report.rootCauses.length) {
    out.push("", paint("bold", "Why steps were rebuilt (most expensive first):"));
    report.rootCauses.slice(0, maxRoots).forEach((rc, i) => {
      const step = stepById(report, rc.rootStep);
      const where = step ? `${stepLabel(step)} ${truncate(clean(step.text), width - 40)}${step.line != null ? ` (line ${step.line})` : ""}` : rc.rootStep;
      out.push(
        `  ${i + 1}. ${where}`,
        `     ${paint("yellow", causeLabel(rc.cause))}${gradeTag(rc.evidence, step?.miss?.candidates.length ?? 1)} · cost ${formatSeconds(rc.costSeconds)} · ${plural(rc.steps.length, "step")} rebuilt`,
        `     ${clean(rc.explanation)}`,
      );
      if (rc.fix) out.push(`     ${paint("cyan", "Fix:")} ${clean(rc.fix)}`);
      const miss = step?.miss;
      if (miss) out.push(`     Evidence: ${clean(evidencePhrase(miss))}`);
    });
    if (report.rootCauses.length > maxRoots) out.push(`  … and ${report.rootCauses.length - maxRoots} more`);
  }
  const changed = changedFilesLines(report, maxRoots);
  if (changed.length) out.push("", paint("bold", "Changed files:"), ...changed.map((l) => `  ${clean(l)}`));

  // Steps.
  if (report.steps.length) {
    const maxSteps = options.maxSteps ?? 60;
    out.push("", paint("bold", "Steps:"));
    const shown = report.steps.slice(0, maxSteps);
    const labels = shown.map((s) => stepLabel(s));
    const labelWidth = Math.min(28, Math.max(...labels.map((l) => l.length)));
    shown.forEach((s, i) => out.push("  " + stepRow(s, labels[i]!, labelWidth, width, paint, clean)));
    if (report.steps.length > maxSteps) out.push(`  … and ${report.steps.length - maxSteps} more steps`);
  }

  // Build checks.
  if (report.checks.length) {
    out.push("", paint("bold", `Build checks (${report.checks.length}):`));
    for (const c of report.checks) out.push(`  ${paint("yellow", c.rule)}${c.line != null ? ` line ${c.line}` : ""}: ${clean(c.message)}${c.url && !c.message.includes(c.url) ? ` (${clean(c.url)})` : ""}`);
  }

  // Findings.
  if (report.findings.length) {
    const maxFindings = options.maxFindings ?? 15;
    out.push("", paint("bold", "Findings:"));
    for (const f of report.findings.slice(0, maxFindings)) {
      const sev = f.severity === "error" ? paint("red", f.severity) : f.severity === "warning" ? paint("yellow", f.severity) : f.severity;
      out.push(`  ${sev}${f.line != null ? ` line ${f.line}` : ""} [${f.rule}]: ${clean(f.message)}`);
      out.push(`     ${paint("cyan", "Fix:")} ${clean(f.fix)}`);
    }
    if (report.findings.length > maxFindings) out.push(`  … and ${report.findings.length - maxFindings} more findings`);
  }

  // Diagnostics.
  if (report.diagnostics.length) {
    const maxDiagnostics = options.maxDiagnostics ?? 15;
    out.push("", paint("bold", "Diagnostics:"));
    for (const d of report.diagnostics.slice(0, maxDiagnostics)) out.push(`  ${d.severity}: ${clean(formatDiagnostic(d))}`);
    if (report.diagnostics.length > maxDiagnostics) out.push(`  … and ${report.diagnostics.length - maxDiagnostics} more`);
  }

  return out.join("\n") + "\n";
}

/** " (exact)", "" for inferred, " (1 of 3 candidates)". */
function gradeTag(evidence: string, candidates: number): string {
  if (evidence === "exact") return " (exact)";
  if (evidence === "candidates") return ` (1 of ${candidates} candidates)`;
  return "";
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function stepRow(
  s: ReportStep,
  label: string,
  labelWidth: number,
  width: number,
  paint: (style: Style, text: string) => string,
  clean: (t: string) => string,
): string {
  const status = stepStatusWord(s, STATUS_WORD).padEnd(10);
  const dur = (s.durationSeconds != null ? formatSeconds(s.durationSeconds) : "").padStart(7);
  const prefix = `${status} ${label.padEnd(labelWidth)} ${dur}  `;
  const room = Math.max(20, width - prefix.length - 2);
  const marker = s.miss?.rootCause ? ` ← ${causeLabel(s.miss.cause)}${s.miss.evidence === "candidates" ? "?" : ""}` : "";
  return paint(STATUS_STYLE[s.status], status) + prefix.slice(status.length) + truncate(clean(s.text), room) + marker;
}
