import type { ReportStage, ReportStep } from "../model/report";

/**
 * The step dependency graph BuildKit builds from a Dockerfile: each step depends on the step
 * before it in its stage (the first step of `FROM <stage>` on that stage's last step), and
 * `COPY --from` / `RUN --mount=from=` steps also on the source stage's last step.
 */
export interface StepGraph {
  byId: Map<string, ReportStep>;
  /** Step that this one is built on top of (its chain parent), null for the first step. */
  chainParent: Map<string, string | null>;
  /** Source stages a step reads files from (COPY --from, RUN --mount=from). */
  sourceStages: Map<string, number[]>;
  /** All dependencies (chain parent + source stages' last steps). */
  deps: Map<string, string[]>;
  lastStepOfStage: Map<number, string>;
}

const FROM_FLAG = /--from=([^\s,]+)/g;

export function buildStepGraph(stages: ReportStage[], steps: ReportStep[]): StepGraph {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const stepsOfStage = new Map<number, ReportStep[]>();
  for (const s of steps) {
    const l = stepsOfStage.get(s.stageIndex);
    if (l) l.push(s);
    else stepsOfStage.set(s.stageIndex, [s]);
  }
  const lastStepOfStage = new Map<number, string>();
  for (const [i, l] of stepsOfStage) {
    l.sort((a, b) => a.position - b.position);
    lastStepOfStage.set(i, l[l.length - 1].id);
  }
  const stageByIndex = new Map(stages.map((s) => [s.index, s]));
  const stageByName = new Map(stages.map((s) => [s.name.toLowerCase(), s.index]));

  // A stage whose steps are all gone (FROM <stage> with no own steps) resolves to its parent's last step.
  const lastOf = (stageIndex: number, seen = new Set<number>()): string | null => {
    if (seen.has(stageIndex)) return null;
    seen.add(stageIndex);
    const last = lastStepOfStage.get(stageIndex);
    if (last) return last;
    const parent = stageByIndex.get(stageIndex)?.edges.find((e) => e.kind === "from")?.fromStage;
    return parent != null ? lastOf(parent, seen) : null;
  };

  const chainParent = new Map<string, string | null>();
  const sourceStages = new Map<string, number[]>();
  const deps = new Map<string, string[]>();
  for (const [stageIndex, l] of stepsOfStage) {
    const stage = stageByIndex.get(stageIndex);
    const parentStage = stage?.edges.find((e) => e.kind === "from")?.fromStage ?? null;
    l.forEach((s, k) => {
      const parent = k > 0 ? l[k - 1].id : parentStage != null ? lastOf(parentStage) : null;
      chainParent.set(s.id, parent);
      const sources = new Set<number>();
      if (stage) {
        for (const e of stage.edges) {
          if (e.kind === "from" || e.fromStage == null) continue;
          if (e.line != null && s.line != null && e.line >= s.line && e.line <= (s.endLine ?? s.line)) sources.add(e.fromStage);
        }
      }
      if (s.line == null) {
        for (const m of s.text.matchAll(FROM_FLAG)) {
          const name = m[1].toLowerCase();
          const idx = stageByName.get(name) ?? (/^\d+$/.test(name) ? Number(name) : undefined);
          if (idx != null && idx !== stageIndex) sources.add(idx);
        }
      }
      sourceStages.set(s.id, [...sources]);
      const d: string[] = parent ? [parent] : [];
      for (const src of sources) {
        const last = lastOf(src);
        if (last && last !== s.id) d.push(last);
      }
      deps.set(s.id, d);
    });
  }
  return { byId, chainParent, sourceStages, deps, lastStepOfStage };
}
