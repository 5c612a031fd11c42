/**
 * A Mermaid flowchart of the build's stages for the pull-request comment: one node per stage,
 * coloured by what happened (cached / rebuilt / error / not run) with the status also written in
 * the label (never colour alone), edges for FROM, COPY --from and RUN --mount=from.
 * Labels are escaped with `escapeMermaid` (quotes, brackets, `#`, HTML, backticks).
 */
import type { Report, ReportStage } from "../model/report";
import { escapeMermaid } from "./escape";
import { missCounts, truncate } from "./format";

export interface MermaidOptions {
  /** Stages drawn at most (default 120); the rest are summarised in one node. */
  maxStages?: number;
  /** External images drawn at most (default 12). */
  maxImages?: number;
  direction?: "LR" | "TD";
}

export type StageState = "cached" | "rebuilt" | "error" | "notrun";

/** What happened to a stage; counts are real misses (a FROM that only resolved is not one). */
export function stageState(stage: ReportStage, counts: { cached: number; rebuilt: number; error: number } = stage.counts): StageState {
  if (counts.error > 0) return "error";
  if (counts.rebuilt > 0) return "rebuilt";
  if (!stage.used || counts.cached === 0) return "notrun";
  return "cached";
}

const STATE_WORD: Record<StageState, string> = {
  cached: "CACHED",
  rebuilt: "REBUILT",
  error: "ERROR",
  notrun: "NOT RUN",
};

const CLASS_DEFS = [
  "classDef cached fill:#dcfce7,stroke:#15803d,color:#14532d",
  "classDef rebuilt fill:#ffedd5,stroke:#c2410c,color:#7c2d12",
  "classDef error fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d",
  "classDef notrun fill:#f3f4f6,stroke:#9ca3af,color:#374151,stroke-dasharray:4 3",
  "classDef image fill:#eff6ff,stroke:#3b82f6,color:#1e3a8a",
];

export function renderMermaid(report: Report, options: MermaidOptions = {}): string {
  const maxStages = options.maxStages ?? 120;
  const maxImages = options.maxImages ?? 12;
  const lines: string[] = [`flowchart ${options.direction ?? "LR"}`];
  const stages = report.stages.slice(0, maxStages);
  const drawn = new Set(stages.map((s) => s.index));
  const byState: Record<StageState, string[]> = { cached: [], rebuilt: [], error: [], notrun: [] };

  // External images: base images and COPY --from=<image>, deduplicated.
  const images = new Map<string, string>();
  const imageNode = (ref: string): string | null => {
    const known = images.get(ref);
    if (known) return known;
    if (images.size >= maxImages) return null;
    const id = `img${images.size}`;
    images.set(ref, id);
    lines.push(`  ${id}[("${escapeMermaid(truncate(ref, 60))}")]`);
    return id;
  };

  for (const st of stages) {
    const c = missCounts(report, st.index);
    const state = stageState(st, c);
    byState[state].push(`s${st.index}`);
    const parts = [`${c.cached} cached`, `${c.rebuilt} rebuilt`];
    if (c.error) parts.push(`${c.error} failed`);
    const label = `${escapeMermaid(truncate(st.name, 48))}<br/>${STATE_WORD[state]} · ${parts.join(", ")}`;
    lines.push(`  s${st.index}["${label}"]`);
  }
  if (report.stages.length > stages.length) {
    lines.push(`  more["… and ${report.stages.length - stages.length} more stages"]`);
  }

  const edges = new Set<string>();
  for (const st of stages) {
    for (const e of st.edges) {
      let from: string | null = null;
      if (e.fromStage != null) from = drawn.has(e.fromStage) ? `s${e.fromStage}` : null;
      else if (e.fromImage) from = imageNode(e.fromImage);
      if (!from) continue;
      const arrow = e.kind === "from" ? "-->" : e.kind === "copy-from" ? "-. copy .->" : "-. mount .->";
      const edge = `  ${from} ${arrow} s${st.index}`;
      if (!edges.has(edge)) edges.add(edge);
    }
    // Stages whose edges list nothing but whose base is an image.
    if (!st.edges.some((e) => e.kind === "from") && st.baseKind === "image" && st.base) {
      const from = imageNode(st.base);
      if (from) edges.add(`  ${from} --> s${st.index}`);
    }
  }
  lines.push(...edges);
  lines.push(...CLASS_DEFS.map((d) => `  ${d}`));
  for (const state of Object.keys(byState) as StageState[]) {
    const ids = byState[state];
    if (ids.length) lines.push(`  class ${ids.join(",")} ${state}`);
  }
  if (images.size) lines.push(`  class ${[...images.values()].join(",")} image`);
  return lines.join("\n");
}
