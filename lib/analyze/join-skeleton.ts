import type { DockerfileModel, DockerfileInstruction, DockerfileStage } from "../model/dockerfile";
import type { LogVertex } from "../model/log";
import type { ReportStage } from "../model/report";

/**
 * The step skeleton of a build: every Dockerfile instruction BuildKit turns into a vertex (or,
 * without a Dockerfile, every `[stage i/n]` label / legacy `Step i/n` of the log), keyed by
 * "<stageIndex>:<position>" in BuildKit's numbering, with the stages and their edges.
 */
export interface StepSkeleton {
  stageIndex: number;
  stage: string;
  position: number;
  of: number;
  instruction: string;
  text: string;
  line: number | null;
  endLine: number | null;
  /** Key shared by steps that BuildKit would merge into one vertex. */
  chainKey: string;
  /** The Dockerfile instruction, when there is a Dockerfile. */
  ins: DockerfileInstruction | null;
}

export interface StageInfo {
  index: number;
  name: string | null;
  label: string;
  line: number | null;
  base: string | null;
  baseKind: ReportStage["baseKind"];
  platform: string | null;
  edges: ReportStage["edges"];
}

function baseDescription(st: DockerfileStage, df: DockerfileModel): { base: string | null; kind: ReportStage["baseKind"] } {
  if (st.base.kind === "stage" && st.base.stageIndex != null)
    return { base: df.stages[st.base.stageIndex]?.label ?? st.base.ref, kind: "stage" };
  if (st.base.kind === "scratch") return { base: "scratch", kind: "scratch" };
  return { base: st.base.ref || st.base.raw || null, kind: "image" };
}

/** `[context NAME] …` vertices: the named build contexts (`--build-context NAME=…`) the build loaded. */
const NAMED_CONTEXT_VERTEX = /^\[context ([^\]\s]+)\]/;
export function namedContextsOf(vertices: readonly LogVertex[]): Set<string> {
  const out = new Set<string>();
  for (const v of vertices) {
    const m = NAMED_CONTEXT_VERTEX.exec(v.name);
    if (m) out.add(m[1].toLowerCase());
  }
  return out;
}

/**
 * A FROM that names a build context (`FROM toolchain` with `--build-context toolchain=docker-image://…`)
 * is loaded as `[context toolchain] …`, not as a `[1/n] FROM` step: BuildKit still counts it in n but
 * numbers the stage's instructions from 1 (captured: fixtures/records/r14-named-context-image).
 */
function fromIsNamedContext(st: DockerfileStage, namedContexts: ReadonlySet<string>): boolean {
  return st.base.kind === "image" && !!st.base.ref && namedContexts.has(st.base.ref.toLowerCase());
}

export function skeletonFromDockerfile(df: DockerfileModel, namedContexts: ReadonlySet<string> = new Set()): { skeletons: StepSkeleton[]; stageList: StageInfo[] } {
  const skeletons: StepSkeleton[] = [];
  const stageList: StageInfo[] = [];
  const chainOfStage = new Map<number, string>();
  const edgesTo = new Map<number, ReportStage["edges"]>();
  for (const e of df.edges) {
    const edge = { fromStage: e.fromStage, fromImage: e.fromImage, kind: e.kind, line: e.line };
    const l = edgesTo.get(e.toStage);
    if (l) l.push(edge);
    else edgesTo.set(e.toStage, [edge]);
  }
  // Chain keys grow with every step; hashing each whole key (Map lookups in the join) is
  // quadratic in a stage's length. Each key is interned as (id of the key before it, instruction
  // text): equal ids ⇔ equal full keys — exact as long as no text holds a line break (else the
  // full keys are kept, as before).
  const interned = df.stages.some((st) => st.instructions.some((i) => i.text.includes("\n"))) ? null : new Map<string, string>();
  const extend = (chain: string, text: string): string => {
    const full = `${chain}\n${text}`;
    if (!interned) return full;
    let id = interned.get(full);
    if (id === undefined) interned.set(full, (id = `#${interned.size}`));
    return id;
  };
  for (const st of df.stages) {
    const { base, kind } = baseDescription(st, df);
    const edges: ReportStage["edges"] = edgesTo.get(st.index) ?? [];
    stageList.push({
      index: st.index,
      name: st.name,
      label: st.label,
      line: st.line,
      base,
      baseKind: kind,
      platform: st.platform,
      edges,
    });
    let chain =
      st.base.kind === "stage" && st.base.stageIndex != null
        ? chainOfStage.get(st.base.stageIndex) ?? `stage:${st.base.stageIndex}`
        : `${st.base.kind}:${st.base.ref}|${st.platform ?? ""}`;
    const shift = fromIsNamedContext(st, namedContexts) ? 1 : 0;
    for (const ins of st.instructions) {
      if (shift && ins.keyword === "FROM") continue;
      if (ins.position == null) {
        // Metadata that changes later steps' keys still belongs in the chain key.
        if (["ENV", "ARG", "USER", "SHELL"].includes(ins.keyword)) chain = extend(chain, ins.text);
        continue;
      }
      chain = extend(chain, ins.keyword === "COPY" || ins.keyword === "ADD" || ins.mounts.some((m) => m.from) ? `${ins.text}@${st.index}` : ins.text);
      skeletons.push({
        stageIndex: st.index,
        stage: st.label,
        position: ins.position - shift,
        of: st.stepCount,
        instruction: ins.keyword,
        text: ins.text,
        line: ins.line,
        endLine: ins.endLine,
        chainKey: chain,
        ins,
      });
    }
    chainOfStage.set(st.index, chain);
  }
  return { skeletons, stageList };
}

/** Legacy `Step i/n` numbering counts every instruction, global ARGs and FROMs included. */
export function legacyInstructionOrder(df: DockerfileModel): { stageIndex: number; position: number | null; ins: DockerfileInstruction | null }[] {
  const out: { stageIndex: number; position: number | null; ins: DockerfileInstruction | null }[] = [];
  for (const _a of df.globalArgs) out.push({ stageIndex: -1, position: null, ins: null });
  for (const st of df.stages) {
    for (const ins of st.instructions) out.push({ stageIndex: st.index, position: ins.position, ins });
  }
  return out;
}

/**
 * Without a Dockerfile: stages come from the labels. `stage-N` keeps N; named stages take the
 * remaining indices in order of first appearance.
 */
export interface Skeleton {
  skeletons: StepSkeleton[];
  stageList: StageInfo[];
  /** Legacy logs without a Dockerfile: the step id each `Step i/n` vertex was given. */
  legacyIds: Map<LogVertex, string> | null;
}

export function skeletonFromLog(stepVertices: LogVertex[]): Skeleton {
  const labels: string[] = [];
  const ofByStage = new Map<string, number>();
  const seen = new Set<string>();
  // Legacy logs: derive stages by counting FROM instructions.
  if (stepVertices.length > 0 && stepVertices.every((v) => v.legacyStep && !v.label)) {
    return skeletonFromLegacy(stepVertices);
  }
  for (const v of stepVertices) {
    if (!v.label) continue;
    const name = (v.label.stage ?? v.label.target ?? "stage-0").toLowerCase();
    if (!seen.has(name)) {
      seen.add(name);
      labels.push(name);
    }
    ofByStage.set(name, Math.max(ofByStage.get(name) ?? 0, v.label.of));
  }
  const indexOf = new Map<string, number>();
  const taken = new Set<number>();
  for (const l of labels) {
    const m = /^stage-(\d+)$/.exec(l);
    if (m && !taken.has(Number(m[1]))) {
      indexOf.set(l, Number(m[1]));
      taken.add(Number(m[1]));
    }
  }
  let next = 0;
  for (const l of labels) {
    if (indexOf.has(l)) continue;
    while (taken.has(next)) next++;
    indexOf.set(l, next);
    taken.add(next);
  }
  const fromVertexOf = new Map<string, LogVertex>();
  for (const v of stepVertices) {
    if (!v.label || v.label.instruction !== "FROM") continue;
    const l = (v.label.stage ?? v.label.target ?? "stage-0").toLowerCase();
    if (!fromVertexOf.has(l)) fromVertexOf.set(l, v);
  }
  const stageList: StageInfo[] = labels
    .map((l) => {
      const fromV = fromVertexOf.get(l);
      const ref = fromV ? fromV.label!.text.replace(/^FROM\s+/i, "").trim() : null;
      return {
        index: indexOf.get(l)!,
        name: /^stage-\d+$/.test(l) ? null : l,
        label: l,
        line: null,
        base: ref,
        baseKind: (ref ? "image" : "unknown") as ReportStage["baseKind"],
        platform: null,
        edges: [] as ReportStage["edges"],
      };
    })
    .sort((a, b) => a.index - b.index);
  // Edges visible in step text: COPY --from=<stage>.
  const byLabel = new Map(stageList.map((s) => [s.label, s.index]));
  const stageByIndex = new Map(stageList.map((s) => [s.index, s]));
  for (const v of stepVertices) {
    if (!v.label) continue;
    const l = (v.label.stage ?? v.label.target ?? "stage-0").toLowerCase();
    const to = byLabel.get(l);
    if (to == null) continue;
    const m = /--from=([^\s]+)/.exec(v.label.text);
    if (m && (v.label.instruction === "COPY" || v.label.instruction === "ADD" || v.label.instruction === "RUN")) {
      const from = m[1].replace(/,.*$/, "").toLowerCase();
      const idx = byLabel.get(from) ?? (/^\d+$/.test(from) ? Number(from) : undefined);
      const st = stageByIndex.get(to)!;
      if (idx != null && idx !== to) st.edges.push({ fromStage: idx, fromImage: null, kind: v.label.instruction === "RUN" ? "mount-from" : "copy-from", line: null });
      else if (idx == null && from.includes("/")) st.edges.push({ fromStage: null, fromImage: m[1], kind: "copy-from", line: null });
    }
  }
  const skeletons: StepSkeleton[] = [];
  const seenSteps = new Set<string>();
  for (const v of stepVertices) {
    if (!v.label) continue;
    const l = (v.label.stage ?? v.label.target ?? "stage-0").toLowerCase();
    const idx = byLabel.get(l)!;
    const key = `${idx}:${v.label.position}`;
    if (seenSteps.has(key)) continue;
    seenSteps.add(key);
    skeletons.push({
      stageIndex: idx,
      stage: l,
      position: v.label.position,
      of: ofByStage.get(l) ?? v.label.of,
      instruction: v.label.instruction,
      text: v.label.text,
      line: null,
      endLine: null,
      chainKey: `log:${key}`,
      ins: null,
    });
  }
  skeletons.sort((a, b) => a.stageIndex - b.stageIndex || a.position - b.position);
  return { skeletons, stageList, legacyIds: null };
}

const LEGACY_STEP_KEYWORDS = new Set(["FROM", "RUN", "COPY", "ADD", "WORKDIR"]);

function skeletonFromLegacy(vs: LogVertex[]): Skeleton {
  const legacyIds = new Map<LogVertex, string>();
  const stageList: StageInfo[] = [];
  const skeletons: StepSkeleton[] = [];
  const ordered = [...vs].sort((a, b) => a.legacyStep!.index - b.legacyStep!.index);
  let stage: StageInfo | null = null;
  let pos = 0;
  const names = new Map<string, number>();
  for (const v of ordered) {
    const text = v.name.trim();
    const kw = text.split(/\s/, 1)[0].toUpperCase();
    if (kw === "FROM") {
      const m = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(text);
      const ref = m?.[1] ?? "";
      const name = m?.[2]?.toLowerCase() ?? null;
      const index = stageList.length;
      const parent = names.get(ref.toLowerCase());
      stage = {
        index,
        name,
        label: name ?? `stage-${index}`,
        line: null,
        base: parent != null ? stageList[parent].label : ref,
        baseKind: parent != null ? "stage" : ref === "scratch" ? "scratch" : "image",
        platform: null,
        edges: parent != null ? [{ fromStage: parent, fromImage: null, kind: "from", line: null }] : [],
      };
      if (name) names.set(name, index);
      stageList.push(stage);
      pos = 0;
      if (parent == null && ref !== "scratch") {
        pos = 1;
        legacyIds.set(v, `${index}:1`);
        skeletons.push({ stageIndex: index, stage: stage.label, position: 1, of: 0, instruction: "FROM", text, line: null, endLine: null, chainKey: `legacy:${index}:1`, ins: null });
      }
      continue;
    }
    if (!LEGACY_STEP_KEYWORDS.has(kw)) continue;
    if (!stage) {
      // A pasted snippet often starts after the FROM: its steps still belong to a (first) stage.
      stage = { index: 0, name: null, label: "stage-0", line: null, base: null, baseKind: "unknown", platform: null, edges: [] };
      stageList.push(stage);
      pos = 0;
    }
    pos++;
    legacyIds.set(v, `${stage.index}:${pos}`);
    const m = /--from=(\S+)/.exec(text);
    if (m && names.has(m[1].toLowerCase())) stage.edges.push({ fromStage: names.get(m[1].toLowerCase())!, fromImage: null, kind: "copy-from", line: null });
    skeletons.push({ stageIndex: stage.index, stage: stage.label, position: pos, of: 0, instruction: kw, text, line: null, endLine: null, chainKey: `legacy:${stage.index}:${pos}`, ins: null });
  }
  const ofByStage = new Map<number, number>();
  for (const s of skeletons) ofByStage.set(s.stageIndex, Math.max(ofByStage.get(s.stageIndex) ?? 0, s.position));
  for (const s of skeletons) s.of = ofByStage.get(s.stageIndex)!;
  return { skeletons, stageList, legacyIds };
}

