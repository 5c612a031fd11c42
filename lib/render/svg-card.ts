/**
 * A compact SVG summary card (status, cache hit ratio, rebuilt time, top cause), e.g. for a README
 * badge or a social preview. Takes a report or the few numbers the `/api/card.svg` route gets in
 * its query string. All text is XML-escaped. Pure.
 */
import type { Report } from "../model/report";
import { escapeXml } from "./escape";
import { formatRatio, missCounts, rebuiltVsTotal, stepById, stepLabel, totalSeconds, truncate } from "./format";
import { BUILD_STATUS_WORD, causeLabel } from "./labels";

export type CardStatus = Report["build"]["status"];

export interface CardParams {
  status: CardStatus;
  /** 0..1, null when unknown. */
  hitRatio: number | null;
  rebuiltSeconds: number | null;
  totalSeconds: number | null;
  /** Short top-cause line, e.g. "context changed — [build 3/5] COPY . ." */
  cause: string | null;
  steps?: number | null;
  rebuilt?: number | null;
  title?: string | null;
}

export function cardParamsFromReport(report: Report): CardParams {
  const top = report.rootCauses[0];
  let cause: string | null = null;
  if (top) {
    const step = stepById(report, top.rootStep);
    cause = `${causeLabel(top.cause)} — ${step ? `${stepLabel(step)} ${step.text}` : top.rootStep}`;
  }
  return {
    status: report.build.status,
    hitRatio: report.summary.cacheHitRatio,
    rebuiltSeconds: report.summary.rebuiltSeconds,
    totalSeconds: totalSeconds(report),
    cause,
    steps: report.summary.steps,
    rebuilt: missCounts(report).rebuilt,
  };
}

/** Query string for `/api/card.svg` that reproduces `renderSvgCard(report)`. */
export function cardQuery(params: CardParams): string {
  const q = new URLSearchParams();
  q.set("status", params.status);
  if (params.hitRatio != null) q.set("hit", String(Math.round(params.hitRatio * 1000) / 1000));
  if (params.rebuiltSeconds != null) q.set("rebuilt", String(Math.round(params.rebuiltSeconds * 10) / 10));
  if (params.totalSeconds != null) q.set("total", String(Math.round(params.totalSeconds * 10) / 10));
  if (params.cause) q.set("cause", truncate(params.cause, 120));
  if (params.steps != null) q.set("steps", String(params.steps));
  if (params.rebuilt != null) q.set("rebuiltSteps", String(params.rebuilt));
  return q.toString();
}

const STATUS_COLOR: Record<CardStatus, string> = {
  success: "#15803d",
  failed: "#b91c1c",
  canceled: "#6b7280",
  incomplete: "#b45309",
};

function isReport(x: Report | CardParams): x is Report {
  return (x as Report).schemaVersion === 1 && Array.isArray((x as Report).steps);
}

export const CARD_WIDTH = 480;
export const CARD_HEIGHT = 132;

export function renderSvgCard(input: Report | CardParams): string {
  const p = isReport(input) ? cardParamsFromReport(input) : input;
  const color = STATUS_COLOR[p.status] ?? STATUS_COLOR.incomplete;
  const status = BUILD_STATUS_WORD[p.status] ?? "Unknown";
  const hit = formatRatio(p.hitRatio);
  const hitWidth = p.hitRatio != null && Number.isFinite(p.hitRatio) ? Math.round(Math.max(0, Math.min(1, p.hitRatio)) * 200) : 0;
  const rebuilt = rebuiltVsTotal(p.rebuiltSeconds, p.totalSeconds);
  const stepsLine =
    p.steps != null ? `${p.steps} steps${p.rebuilt != null ? ` · ${p.rebuilt} rebuilt` : ""}` : "";
  const cause = p.cause ? truncate(p.cause, 64) : "No cache misses";
  const title = truncate(p.title ?? "Cachescope", 40);
  const x = escapeXml;
  const label = `${title}: ${status}, ${hit} cache hits, ${rebuilt}. ${cause}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}" role="img" aria-label="${x(label)}">`,
    `<title>${x(label)}</title>`,
    `<rect x="0.5" y="0.5" width="${CARD_WIDTH - 1}" height="${CARD_HEIGHT - 1}" rx="10" fill="#ffffff" stroke="#d1d5db"/>`,
    `<rect x="0.5" y="0.5" width="8" height="${CARD_HEIGHT - 1}" rx="4" fill="${color}"/>`,
    `<g font-family="-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif" fill="#111827">`,
    `<text x="24" y="30" font-size="13" fill="#6b7280">${x(title)}</text>`,
    `<text x="${CARD_WIDTH - 20}" y="30" font-size="13" font-weight="600" text-anchor="end" fill="${color}">${x(status.toUpperCase())}</text>`,
    `<text x="24" y="62" font-size="26" font-weight="700">${x(hit)}</text>`,
    `<text x="${24 + 12 * Math.max(2, hit.length) + 8}" y="62" font-size="14" fill="#374151">cache hits · ${x(rebuilt)}</text>`,
    `<rect x="24" y="74" width="200" height="6" rx="3" fill="#ffedd5"/>`,
    `<rect x="24" y="74" width="${hitWidth}" height="6" rx="3" fill="#16a34a"/>`,
    stepsLine ? `<text x="${CARD_WIDTH - 20}" y="80" font-size="12" text-anchor="end" fill="#6b7280">${x(stepsLine)}</text>` : "",
    `<text x="24" y="110" font-size="13" fill="#374151">${x(cause)}</text>`,
    `</g>`,
    `</svg>`,
  ]
    .filter(Boolean)
    .join("\n");
}
