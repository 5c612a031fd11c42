/**
 * The pull-request comment (`--format markdown`): headline, stage graph (Mermaid), the root
 * causes by cost with explanations and fixes in <details>, findings, a collapsed step list and the
 * link to the full view. Pure.
 *
 * Size: GitHub rejects comments over 65,536 characters. The comment is assembled from whole
 * blocks; when it would exceed `maxBytes` (UTF-8 bytes, which is never less than the character
 * count) lists are shortened ("… and N more") and optional blocks dropped, in a fixed order, until
 * it fits. Nothing is ever cut inside a code block or a <details> block.
 *
 * Safety: user text goes through escape.ts (HTML/Markdown entities, <code>, fences that the
 * content cannot close, no @-mentions).
 */
import type { Report, RootCause } from "../model/report";
import { formatDiagnostic } from "../model/diagnostics";
import { codeBlock, escapeMarkdown, inlineCode, proseBlock, proseToMarkdown } from "./escape";
import { evidencePhrase, formatRatio, formatSeconds, missCounts, stepCounts, plural, rebuiltVsTotal, stepById, stepLabel, stepStatusWord, totalSeconds, truncate, utf8Length } from "./format";
import { BUILD_STATUS_EMOJI, BUILD_STATUS_WORD, SEVERITY_EMOJI, STATUS_WORD, causeLabel } from "./labels";
import { renderMermaid } from "./mermaid";
import { changedFilesLines } from "./changed-files";

export interface MarkdownOptions {
  /** Link to the full analysis (permalink or stored link). */
  shareUrl?: string | null;
  /** Size budget in UTF-8 bytes (default 65,000; GitHub's limit is 65,536 characters). */
  maxBytes?: number;
}

/** GitHub's limit for an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
export const DEFAULT_MARKDOWN_MAX_BYTES = 65_000;

/** Hidden marker so a CI job can find and update its previous comment. */
export const COMMENT_MARKER = "<!-- cachescope-report -->";

interface Limits {
  rootCauses: number;
  details: boolean;
  findings: number;
  steps: number;
  mermaid: boolean;
  mermaidStages: number;
  /** Characters of one explanation / fix / message before it is cut. */
  prose: number;
  diagnostics: number;
}

const LEVELS: Limits[] = [
  { rootCauses: 10, details: true, findings: 30, steps: 400, mermaid: true, mermaidStages: 120, prose: 1500, diagnostics: 20 },
  { rootCauses: 10, details: true, findings: 30, steps: 150, mermaid: true, mermaidStages: 120, prose: 1500, diagnostics: 10 },
  { rootCauses: 8, details: true, findings: 20, steps: 50, mermaid: true, mermaidStages: 60, prose: 1000, diagnostics: 10 },
  { rootCauses: 5, details: true, findings: 10, steps: 20, mermaid: true, mermaidStages: 30, prose: 800, diagnostics: 5 },
  { rootCauses: 5, details: true, findings: 10, steps: 0, mermaid: false, mermaidStages: 0, prose: 600, diagnostics: 5 },
  { rootCauses: 3, details: false, findings: 5, steps: 0, mermaid: false, mermaidStages: 0, prose: 300, diagnostics: 3 },
  { rootCauses: 1, details: false, findings: 0, steps: 0, mermaid: false, mermaidStages: 0, prose: 200, diagnostics: 0 },
];

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MARKDOWN_MAX_BYTES;
  let shareUrl = options.shareUrl ?? null;
  if (shareUrl && utf8Length(shareUrl) > maxBytes / 2) shareUrl = null;
  for (const limits of LEVELS) {
    const md = assemble(report, limits, shareUrl, options.shareUrl ? shareUrl === null : false);
    if (utf8Length(md) <= maxBytes) return md;
  }
  // Last resort: headline and link only.
  return assemble(report, null, shareUrl, false);
}

function assemble(report: Report, limits: Limits | null, shareUrl: string | null, linkDropped: boolean): string {
  const blocks: string[] = [COMMENT_MARKER, headline(report)];
  if (limits) {
    const error = errorBlock(report, limits);
    if (error) blocks.push(error);
    blocks.push(diagnosis(report, limits));
    if (limits.mermaid && report.stages.length > 0) {
      blocks.push("#### Stages", codeBlock(renderMermaid(report, { maxStages: limits.mermaidStages }), "mermaid"));
    }
    const roots = rootCauses(report, limits);
    if (roots) blocks.push(roots);
    const changed = changedFilesLines(report, limits.rootCauses);
    if (changed.length && limits.rootCauses > 0) blocks.push(["#### Changed files", "", ...changed.map((l) => `- ${proseToMarkdown(l)}`)].join("\n"));
    const checks = checksBlock(report, limits);
    if (checks) blocks.push(checks);
    const findings = findingsTable(report, limits);
    if (findings) blocks.push(findings);
    const steps = stepsBlock(report, limits);
    if (steps) blocks.push(steps);
    const diags = diagnosticsBlock(report, limits);
    if (diags) blocks.push(diags);
  } else {
    blocks.push("_The full report does not fit in a comment; open the link for the details._");
  }
  blocks.push(footer(shareUrl, linkDropped));
  return blocks.join("\n\n") + "\n";
}

function headline(report: Report): string {
  const { summary, build } = report;
  const total = totalSeconds(report);
  const title =
    `### ${BUILD_STATUS_EMOJI[build.status]} ${BUILD_STATUS_WORD[build.status]} · ` +
    `${formatRatio(summary.cacheHitRatio)} cache hits · ${rebuiltVsTotal(summary.rebuiltSeconds, total)}`;
  const counts = stepCounts(report.steps);
  const row = [
    String(counts.ran),
    String(counts.cached),
    String(counts.rebuilt),
    String(counts.failed + counts.canceled),
    formatRatio(summary.cacheHitRatio),
    formatSeconds(summary.rebuiltSeconds),
    formatSeconds(total) + (build.timing === "estimated" ? " (est.)" : ""),
    formatSeconds(summary.criticalPathSeconds),
  ];
  return [
    title,
    "",
    "| Steps run | Cached | Rebuilt | Failed / canceled | Cache hits | Rebuilt time | Wall time | Critical path |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${row.join(" | ")} |`,
  ].join("\n");
}

function errorBlock(report: Report, limits: Limits): string | null {
  const failure = report.diagnosis.failure;
  const msg = failure?.message ?? report.build.errorMessage;
  if (!msg) return null;
  const cut = (t: string) => (t.length > limits.prose * 2 ? t.slice(0, limits.prose * 2) + "\n…" : t);
  if (!failure) return `**Build error**\n\n${codeBlock(cut(msg), "text")}`;
  // The failure leads: which step, its exit code, its last output lines, what was canceled.
  const out = [`**${proseToMarkdown(report.diagnosis.title)}**`, "", codeBlock(cut(msg), "text")];
  if (failure.lastLines.length) out.push("", "Last output:", "", codeBlock(cut(failure.lastLines.join("\n")), "text"));
  if (failure.canceled.length)
    out.push(
      "",
      `Canceled: ${failure.canceled
        .map((c) => {
          const st = stepById(report, c.step);
          return `${inlineCode(st ? `${stepLabel(st)} ${truncate(st.text, 60)}` : c.step)} (${c.ranSeconds != null ? `ran ${formatSeconds(c.ranSeconds)}` : "run time not in the log"})`;
        })
        .join(", ")}`,
    );
  return out.join("\n");
}

function checksBlock(report: Report, limits: Limits): string | null {
  if (!report.checks.length || limits.findings === 0) return null;
  const out = [`#### Build checks (${report.checks.length})`, "", "| Rule | Line | Message |", "|---|---:|---|"];
  for (const c of report.checks.slice(0, limits.findings))
    out.push(`| ${c.url ? `[${escapeMarkdown(c.rule)}](${c.url.replace(/[\s()<>"'`\\]/g, "")})` : escapeMarkdown(c.rule)} | ${c.line ?? ""} | ${proseToMarkdown(truncate(c.message, 300))} |`);
  return out.join("\n");
}

function diagnosis(report: Report, limits: Limits): string {
  const d = report.diagnosis;
  // A failed build's title already led the comment (errorBlock); here only the cache story.
  let out = d.failure ? proseToMarkdown(truncate(d.detail, limits.prose)) : `**${escapeMarkdown(d.title)}** — ${proseToMarkdown(truncate(d.detail, limits.prose))}`;
  if (d.fix) out += `\n\n**Fix:** ${proseBlock(cutProse(d.fix, limits.prose))}`;
  return out;
}

/** Cuts prose to `max` characters keeping its line breaks (truncate() flattens them). */
function cutProse(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + "…";
}

function rootLabel(report: Report, rc: RootCause): { label: string; line: number | null } {
  const step = stepById(report, rc.rootStep);
  if (!step) return { label: rc.rootStep, line: null };
  return { label: `${stepLabel(step)} ${truncate(step.text, 100)}`, line: step.line };
}

function rootCauses(report: Report, limits: Limits): string | null {
  const all = report.rootCauses;
  if (!all.length || limits.rootCauses === 0) return null;
  const shown = all.slice(0, limits.rootCauses);
  const out: string[] = [`#### Why steps were rebuilt (${plural(all.length, "root cause")}, most expensive first)`, ""];
  if (limits.details) {
    shown.forEach((rc, i) => {
      const { label, line } = rootLabel(report, rc);
      const step = stepById(report, rc.rootStep);
      const miss = step?.miss ?? null;
      out.push(
        `<details><summary><b>${i + 1}. ${escapeMarkdown(causeLabel(rc.cause))}</b>${rc.evidence === "candidates" ? ` (1 of ${miss?.candidates.length ?? 2} candidates)` : rc.evidence === "exact" ? " (exact)" : ""} — ${inlineCode(label)}` +
          `${line != null ? ` (line ${line})` : ""} · ${formatSeconds(rc.costSeconds)} · ${plural(rc.steps.length, "step")}</summary>`,
        "",
        proseBlock(cutProse(rc.explanation, limits.prose)),
      );
      if (rc.fix) out.push("", `**Fix:** ${proseBlock(cutProse(rc.fix, limits.prose))}`);
      if (miss) out.push("", `_Evidence: ${proseToMarkdown(evidencePhrase(miss))}._`);
      out.push("", "</details>");
    });
  } else {
    out.push("| # | Root step | Cause | Cost | Steps |", "|---:|---|---|---:|---:|");
    shown.forEach((rc, i) => {
      const { label, line } = rootLabel(report, rc);
      out.push(
        `| ${i + 1} | ${inlineCode(label)}${line != null ? ` (line ${line})` : ""} | ${escapeMarkdown(causeLabel(rc.cause))} | ${formatSeconds(rc.costSeconds)} | ${rc.steps.length} |`,
      );
    });
  }
  if (all.length > shown.length) out.push("", `… and ${all.length - shown.length} more`);
  return out.join("\n");
}

function findingsTable(report: Report, limits: Limits): string | null {
  const all = report.findings;
  if (!all.length || limits.findings === 0) return null;
  const shown = all.slice(0, limits.findings);
  const cell = (t: string) => proseToMarkdown(truncate(t, Math.min(limits.prose, 400)));
  const out = [`#### Findings (${all.length})`, "", "| | Line | Finding | Fix |", "|---|---:|---|---|"];
  for (const f of shown) {
    out.push(
      `| ${SEVERITY_EMOJI[f.severity]} ${f.severity} | ${f.line ?? ""} | ${cell(f.message)} <sub>${escapeMarkdown(f.rule)}</sub> | ${cell(f.fix)} |`,
    );
  }
  if (all.length > shown.length) out.push("", `… and ${all.length - shown.length} more`);
  return out.join("\n");
}

function stepsBlock(report: Report, limits: Limits): string | null {
  const all = report.steps;
  if (!all.length || limits.steps === 0) return null;
  const shown = all.slice(0, limits.steps);
  const counts = missCounts(report);
  const out = [
    `<details><summary>All steps (${all.length}: ${counts.cached} cached, ${counts.rebuilt} rebuilt)</summary>`,
    "",
    "| Step | Status | Time | Cause |",
    "|---|---|---:|---|",
  ];
  for (const s of shown) {
    const cause = s.miss ? escapeMarkdown(causeLabel(s.miss.cause)) + (s.miss.rootCause ? " (root)" : "") : "";
    out.push(
      `| ${inlineCode(`${stepLabel(s)} ${truncate(s.text, 80)}`)} | ${stepStatusWord(s, STATUS_WORD)} | ${s.durationSeconds != null ? formatSeconds(s.durationSeconds) : ""} | ${cause} |`,
    );
  }
  if (all.length > shown.length) out.push("", `… and ${all.length - shown.length} more`);
  out.push("", "</details>");
  return out.join("\n");
}

function diagnosticsBlock(report: Report, limits: Limits): string | null {
  const all = report.diagnostics;
  if (!all.length || limits.diagnostics === 0) return null;
  const shown = all.slice(0, limits.diagnostics);
  const out = ["<details><summary>Input diagnostics (" + all.length + ")</summary>", ""];
  for (const d of shown) out.push(`- ${d.severity}: ${escapeMarkdown(truncate(formatDiagnostic(d), 300))}`);
  if (all.length > shown.length) out.push(`- … and ${all.length - shown.length} more`);
  out.push("", "</details>");
  return out.join("\n");
}

/** Percent-encodes the few characters that would end a Markdown link destination. */
function safeUrl(url: string): string | null {
  if (!/^(?:https?:\/\/|\/)/i.test(url)) return null;
  return url.replace(/[\s()<>"'`\\]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

function footer(shareUrl: string | null, linkDropped: boolean): string {
  const url = shareUrl ? safeUrl(shareUrl) : null;
  const parts: string[] = [];
  if (url) parts.push(`🔎 [Open the full analysis in Cachescope](${url})`);
  else if (linkDropped) parts.push("_The share link is too long for a comment: create a stored link instead._");
  parts.push("<sub>Generated by Cachescope</sub>");
  return parts.join("\n\n");
}
