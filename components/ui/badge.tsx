import { DISPLAY_STATUS_LABEL, DISPLAY_STATUS_TITLE, type DisplayStatus } from "@/lib/view/status";
import { cx } from "./cx";

/** Status colours; every use pairs the colour with its text label. */
export const STATUS_TONE: Record<DisplayStatus, string> = {
  cached: "bg-emerald-100 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-500/15 dark:text-emerald-300 dark:ring-emerald-400/30",
  rebuilt: "bg-amber-100 text-amber-900 ring-amber-600/40 dark:bg-amber-500/15 dark:text-amber-300 dark:ring-amber-400/30",
  error: "bg-red-100 text-red-800 ring-red-600/40 dark:bg-red-500/15 dark:text-red-300 dark:ring-red-400/30",
  canceled: "bg-zinc-200 text-zinc-700 ring-zinc-500/30 dark:bg-zinc-700/50 dark:text-zinc-300 dark:ring-zinc-400/30",
  unfinished: "bg-violet-100 text-violet-800 ring-violet-600/30 dark:bg-violet-500/15 dark:text-violet-300 dark:ring-violet-400/30",
  "not-run": "bg-transparent text-zinc-500 ring-zinc-400/50 ring-dashed dark:text-zinc-400",
  // Neutral: resolving a base image is not a cache miss.
  resolved: "bg-zinc-100 text-zinc-600 ring-zinc-500/25 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-400/25",
};

/** Solid fills for bars and gutters (timeline, Dockerfile gutter). */
export const STATUS_FILL: Record<DisplayStatus | "other", string> = {
  cached: "bg-emerald-500 dark:bg-emerald-500",
  rebuilt: "bg-amber-500 dark:bg-amber-400",
  error: "bg-red-600 dark:bg-red-500",
  // Hatched: canceled must not read as RESOLVED (same grey) in the timeline legend.
  canceled: "bg-[repeating-linear-gradient(135deg,#71717a_0_3px,#d4d4d8_3px_6px)]",
  unfinished: "bg-violet-500 dark:bg-violet-400",
  "not-run": "bg-zinc-300 dark:bg-zinc-700",
  resolved: "bg-zinc-400 dark:bg-zinc-500",
  other: "bg-sky-400/70 dark:bg-sky-500/60",
};

/**
 * A status word. For a step pass `displayStatus(step)` (lib/view/status): a FROM that only
 * resolved its image reads RESOLVED, with a tooltip saying why.
 */
export function StatusBadge({ status, className }: { status: DisplayStatus; className?: string }) {
  return (
    <span
      title={DISPLAY_STATUS_TITLE[status]}
      data-display-status={status}
      className={cx(
        "inline-flex shrink-0 items-center rounded px-1.5 py-px font-mono text-[10px] leading-4 font-semibold tracking-wide ring-1 ring-inset",
        STATUS_TONE[status],
        className,
      )}
    >
      {DISPLAY_STATUS_LABEL[status]}
    </span>
  );
}

const TONE = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-400/20",
  good: STATUS_TONE.cached,
  warn: STATUS_TONE.rebuilt,
  bad: STATUS_TONE.error,
  info: "bg-sky-100 text-sky-800 ring-sky-600/30 dark:bg-sky-500/15 dark:text-sky-300 dark:ring-sky-400/30",
} as const;

export type Tone = keyof typeof TONE;

export function Badge({ tone = "neutral", children, className }: { tone?: Tone; children: React.ReactNode; className?: string }) {
  return (
    <span
      className={cx(
        "inline-flex shrink-0 items-center rounded px-1.5 py-px text-[10px] leading-4 font-semibold tracking-wide uppercase ring-1 ring-inset",
        TONE[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}
