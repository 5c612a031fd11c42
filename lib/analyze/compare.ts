import { diffArrays } from "diff";
import type { DockerfileInstruction, DockerfileModel } from "../model/dockerfile";
import type { LogBuild } from "../model/log";
import type { Comparison, ReportStep, StepStatus } from "../model/report";

/**
 * Compare mode: what changed between the previous build and this one. The facts feed the
 * explainer (turning inferred causes into exact ones) and the `comparison` section of the report.
 */
export interface CompareFacts {
  hasPreviousDockerfile: boolean;
  previousSteps: Map<string, ReportStep> | null;
  /** Dockerfile instruction changes, located on current lines (removals on the next current line). */
  changes: Comparison["dockerfileChanges"];
  /** Build args whose values differ (from step names and command lines). */
  argChanges: Map<string, { before: string | null; after: string | null }>;
  /** Base image references (FROM step text) per stage label, when they differ. */
  baseChanges: Map<string, { image: string; before: string | null; after: string | null }>;
  contextBytes: { before: number | null; after: number | null };
}

interface InstructionLine {
  line: number;
  text: string;
  keyword: string;
  /** The instruction as written, for heredocs (the vertex name shows only their first line). */
  raw?: string | null;
}

/**
 * What an instruction's cache key depends on, for the diff: the vertex text, and for a heredoc
 * RUN / COPY its body too (BuildKit names it after the first line only, `RUN <<EOF (set -e...)`).
 */
function instructionContent(ins: DockerfileInstruction): string {
  if (!ins.heredocs.length) return ins.text;
  return ins.raw.replace(/[ \t]+$/gm, "");
}

/** The first physical line where two versions of an instruction differ (heredoc bodies). */
function firstDifferingLine(before: InstructionLine, after: InstructionLine): number {
  if (!before.raw || !after.raw) return after.line;
  const a = before.raw.split("\n");
  const b = after.raw.split("\n");
  for (let k = 0; k < b.length; k++) if (a[k] !== b[k]) return after.line + k;
  return after.line;
}

function instructionLines(df: DockerfileModel): InstructionLine[] {
  const out: InstructionLine[] = [];
  for (const a of df.globalArgs) out.push({ line: a.line, text: `ARG ${a.name}${a.defaultValue != null ? `=${a.defaultValue}` : ""}`, keyword: "ARG" });
  for (const st of df.stages) {
    out.push({ line: st.line, text: `FROM ${st.base.raw}${st.name ? ` AS ${st.name}` : ""}`, keyword: "FROM" });
    for (const ins of st.instructions) if (ins.keyword !== "FROM") out.push({ line: ins.line, text: instructionContent(ins), keyword: ins.keyword, raw: ins.heredocs.length ? ins.raw : null });
  }
  return out.sort((a, b) => a.line - b.line);
}

export function diffDockerfiles(previous: DockerfileModel, current: DockerfileModel): Comparison["dockerfileChanges"] {
  const a = instructionLines(previous);
  const b = instructionLines(current);
  const parts = diffArrays(
    a.map((x) => x.text),
    b.map((x) => x.text),
  );
  const changes: Comparison["dockerfileChanges"] = [];
  let ia = 0;
  let ib = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    const n = p.count ?? p.value.length;
    if (!p.added && !p.removed) {
      ia += n;
      ib += n;
      continue;
    }
    const next = parts[k + 1];
    if (p.removed && next?.added) {
      // A removal followed by an addition reads as an edit: pair them up line by line.
      const m = next.count ?? next.value.length;
      for (let j = 0; j < Math.max(n, m); j++) {
        const before = j < n ? a[ia + j] : null;
        const after = j < m ? b[ib + j] : null;
        changes.push({
          kind: before && after ? "changed" : before ? "removed" : "added",
          line: before && after ? firstDifferingLine(before, after) : after?.line ?? b[ib + m]?.line ?? null,
          previousLine: before?.line ?? null,
          ...changedTexts(before, after),
        });
      }
      ia += n;
      ib += m;
      k++;
      continue;
    }
    for (let j = 0; j < n; j++) {
      if (p.removed) changes.push({ kind: "removed", line: b[ib]?.line ?? null, previousLine: a[ia + j].line, before: a[ia + j].text, after: null });
      else changes.push({ kind: "added", line: b[ib + j].line, previousLine: null, before: null, after: b[ib + j].text });
    }
    if (p.removed) ia += n;
    else ib += n;
  }
  return changes;
}

/** The texts of a change: for a heredoc body edit, the physical line that changed. */
function changedTexts(before: InstructionLine | null, after: InstructionLine | null): { before: string | null; after: string | null } {
  if (before?.raw && after?.raw) {
    const a = before.raw.split("\n");
    const b = after.raw.split("\n");
    const k = b.findIndex((l, i) => l !== a[i]);
    if (k >= 0) return { before: (a[k] ?? "").trim() || null, after: b[k].trim() };
  }
  return { before: before?.text ?? null, after: after?.text ?? null };
}

/** `FROM docker.io/library/node:20@sha256:abc` → the digest, or null. */
export function digestOf(fromText: string): string | null {
  const m = /@(sha256:[0-9a-f]{12,64})/.exec(fromText);
  return m ? m[1] : null;
}

/**
 * Values of `$VAR` / `${VAR}` in a Dockerfile instruction, read back from BuildKit's expanded
 * vertex name. Only simple references are aligned; anything else gives no value.
 */
export function expandedValues(template: string, expanded: string): Map<string, string> {
  const out = new Map<string, string>();
  if (template.length > 4000 || expanded.length > 8000) return out;
  const names: string[] = [];
  let pattern = "";
  let i = 0;
  let literal = "";
  const flush = () => {
    pattern += literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    literal = "";
  };
  while (i < template.length) {
    const c = template[i];
    if (c === "$") {
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(template.slice(i, i + 200));
      if (m) {
        if (names.length >= 4) return out; // keep the match linear enough
        flush();
        names.push(m[1] ?? m[2]);
        pattern += "(.*?)";
        i += m[0].length;
        continue;
      }
    }
    literal += c;
    i++;
  }
  flush();
  if (names.length === 0) return out;
  const m = new RegExp(`^${pattern}$`, "s").exec(expanded);
  if (!m) return out;
  names.forEach((n, k) => {
    if (!out.has(n)) out.set(n, m[k + 1]);
  });
  return out;
}

export function compareBuilds(input: {
  current: { steps: ReportStep[]; build: LogBuild; dockerfile: DockerfileModel | null };
  previous: { steps: ReportStep[] | null; build: LogBuild | null; dockerfile: DockerfileModel | null };
}): CompareFacts {
  const { current, previous } = input;
  const previousSteps = previous.steps ? new Map(previous.steps.map((s) => [s.id, s])) : null;
  const changes = previous.dockerfile && current.dockerfile ? diffDockerfiles(previous.dockerfile, current.dockerfile) : [];

  const argChanges = new Map<string, { before: string | null; after: string | null }>();
  const cmdBefore = previous.build?.command?.buildArgs ?? {};
  const cmdAfter = current.build.command?.buildArgs ?? {};
  for (const k of new Set([...Object.keys(cmdBefore), ...Object.keys(cmdAfter)]))
    if (cmdBefore[k] !== cmdAfter[k]) argChanges.set(k, { before: cmdBefore[k] ?? null, after: cmdAfter[k] ?? null });

  const baseChanges = new Map<string, { image: string; before: string | null; after: string | null }>();
  if (previousSteps) {
    for (const s of current.steps) {
      const p = previousSteps.get(s.id);
      if (!p) continue;
      if (s.instruction === "FROM" && s.status !== "not-run" && p.status !== "not-run") {
        const before = digestOf(p.text);
        const after = digestOf(s.text);
        const imgBefore = p.text.replace(/^FROM\s+/i, "").replace(/@sha256:\S+/, "");
        const imgAfter = s.text.replace(/^FROM\s+/i, "").replace(/@sha256:\S+/, "");
        if (before !== after || imgBefore !== imgAfter)
          baseChanges.set(s.stage, { image: imgAfter, before: before ?? (imgBefore !== imgAfter ? imgBefore : null), after: after ?? (imgBefore !== imgAfter ? imgAfter : null) });
      }
    }
  }

  // Build-arg values seen in vertex names: align both names against the Dockerfile template.
  if (previousSteps && current.dockerfile) {
    const instructionByLine = new Map<number, string>();
    for (const st of current.dockerfile.stages) for (const ins of st.instructions) instructionByLine.set(ins.line, ins.unexpandedText ?? ins.text);
    for (const s of current.steps) {
      const p = previousSteps.get(s.id);
      if (!p || s.line == null || p.text === s.text) continue;
      const template = instructionByLine.get(s.line);
      if (!template || !template.includes("$")) continue;
      const now = expandedValues(template, s.text);
      const before = expandedValues(template, p.text);
      for (const [k, v] of now) {
        const b = before.get(k);
        if (b !== undefined && b !== v && !argChanges.has(k)) argChanges.set(k, { before: b, after: v });
      }
    }
  }

  return {
    hasPreviousDockerfile: previous.dockerfile != null,
    previousSteps,
    changes,
    argChanges,
    baseChanges,
    contextBytes: { before: previous.build?.contextTransferBytes ?? null, after: current.build.contextTransferBytes },
  };
}

export function toComparison(facts: CompareFacts, steps: ReportStep[], previousDuration: number | null): Comparison {
  const flipped: Comparison["flipped"] = [];
  const durationDeltas: Comparison["durationDeltas"] = [];
  for (const s of steps) {
    const p = facts.previousSteps?.get(s.id);
    const before: StepStatus | "absent" = p ? p.status : "absent";
    if (facts.previousSteps && before !== s.status) flipped.push({ id: s.id, text: s.text, before, after: s.status });
    if (p && (p.durationSeconds != null || s.durationSeconds != null) && p.durationSeconds !== s.durationSeconds)
      durationDeltas.push({ id: s.id, text: s.text, beforeSeconds: p.durationSeconds, afterSeconds: s.durationSeconds });
  }
  durationDeltas.sort(
    (a, b) => Math.abs((b.afterSeconds ?? 0) - (b.beforeSeconds ?? 0)) - Math.abs((a.afterSeconds ?? 0) - (a.beforeSeconds ?? 0)),
  );
  return {
    flipped,
    dockerfileChanges: facts.changes,
    buildArgChanges: [...facts.argChanges].map(([name, v]) => ({ name, ...v })),
    baseImageChanges: [...facts.baseChanges.values()],
    durationDeltas,
    previousDurationSeconds: previousDuration,
  };
}
