/**
 * The build history of a multi-record bundle as a short table (text and Markdown): per build its
 * status, duration, cache hits, rebuilt seconds, and the steps that flipped from cached to rebuilt
 * since the build before, with the cause and how sure it is.
 */
import type { HistoryEntry } from "../model/report";
import { causeLabels } from "../analyze/catalog";

const MAX_ROWS = 50;
const MAX_FLIPS = 3;

function pct(x: number | null): string {
  return x == null ? "—" : `${Math.round(x * 100)}%`;
}

function secs(x: number | null): string {
  return x == null ? "—" : `${x.toFixed(1)}s`;
}

function when(iso: string | null): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "").slice(0, 16) : "—";
}

/** What rebuilt this build: its root causes ("RUN … (build arg changed)"), else what flipped. */
function flips(h: HistoryEntry, md: boolean): string {
  if (h.previousIndex == null) return h.index === 1 ? "first build" : "first build of this project";
  const vs = h.previousIndex !== h.index - 1 ? ` (vs #${h.previousIndex})` : "";
  const code = (s: string) => (md ? `\`${s.replace(/`/g, "'").replace(/\|/g, "\\|")}\`` : s);
  const short = (t: string) => (t.length > 40 ? t.slice(0, 39) + "…" : t);
  if (h.rootCauses.length === 0) {
    const lost = h.flipped.filter((f) => f.before === "cached" && f.after !== "cached").length;
    return (lost ? `${lost} step(s) lost their cache` : "nothing rebuilt") + vs;
  }
  const items = h.rootCauses.slice(0, MAX_FLIPS).map((r) => `${code(short(r.text))} (${causeLabels[r.cause]}${r.evidence !== "exact" ? `, ${r.evidence}` : ""})`);
  const more = h.rootCauses.length > MAX_FLIPS ? ` +${h.rootCauses.length - MAX_FLIPS} more` : "";
  return items.join("; ") + more + vs;
}

function rows(history: HistoryEntry[]): HistoryEntry[] {
  return history.slice(-MAX_ROWS);
}

export function renderHistoryText(history: HistoryEntry[]): string {
  const out: string[] = [`Build history (${history.length} builds, oldest first${history.length > MAX_ROWS ? `; last ${MAX_ROWS} shown` : ""}):`];
  out.push("   #  started           status   time    hits  rebuilt  rebuilt by");
  for (const h of rows(history)) {
    out.push(
      `  ${String(h.index).padStart(2)}  ${when(h.createdAt).padEnd(16)}  ${h.status.padEnd(7)}  ${secs(h.durationSeconds).padStart(6)}  ${pct(h.cacheHitRatio).padStart(4)}  ${secs(h.rebuiltSeconds).padStart(7)}  ${flips(h, false)}`,
    );
  }
  return out.join("\n") + "\n";
}

export function renderHistoryMarkdown(history: HistoryEntry[]): string {
  const out: string[] = [`### Build history (${history.length} builds)`, "", "| # | Started (UTC) | Status | Time | Cache hits | Rebuilt | Rebuilt by |", "|---:|---|---|---:|---:|---:|---|"];
  for (const h of rows(history)) out.push(`| ${h.index} | ${when(h.createdAt)} | ${h.status} | ${secs(h.durationSeconds)} | ${pct(h.cacheHitRatio)} | ${secs(h.rebuiltSeconds)} | ${flips(h, true)} |`);
  return out.join("\n") + "\n";
}
