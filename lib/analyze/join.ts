import type { DockerfileModel, DockerfileInstruction, DockerfileStage } from "../model/dockerfile";
import type { LogBuild, LogVertex, VertexStatus } from "../model/log";
import type { ReportStage, ReportStep, StepStatus } from "../model/report";
import { diag, type Diagnostic } from "../model/diagnostics";
import { stepNotes } from "./catalog";
import { instructionTextMatches } from "../parse/dockerfile";

/**
 * The join: every Dockerfile instruction that BuildKit turns into a vertex gets its vertex.
 * Steps are keyed by "<stageIndex>:<position>" in BuildKit's numbering. Without a Dockerfile,
 * steps come from the `[stage i/n]` labels alone.
 */
export interface JoinResult {
  stages: ReportStage[];
  steps: ReportStep[];
  /** Step id → the vertex (or vertices, for multi-platform builds) it was joined with. */
  vertexOf: Map<string, LogVertex[]>;
  /** Name of the stage the build targeted (the last used stage). */
  target: string | null;
  diagnostics: Diagnostic[];
}

const STATUS_RANK: Record<VertexStatus, number> = { cached: 0, done: 1, running: 2, canceled: 3, error: 4 };

export function toStepStatus(s: VertexStatus): StepStatus {
  switch (s) {
    case "cached":
      return "cached";
    case "done":
      return "rebuilt";
    case "error":
      return "error";
    case "canceled":
      return "canceled";
    case "running":
      return "unfinished";
  }
}

interface StepSkeleton {
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

export function joinBuild(dockerfile: DockerfileModel | null, build: LogBuild): JoinResult {
  const diagnostics: Diagnostic[] = [];
  const stepVertices = build.vertices.filter((v) => v.kind === "step");
  const { skeletons, stageList, legacyIds } =
    dockerfile && dockerfile.stages.length > 0
      ? { ...skeletonFromDockerfile(dockerfile), legacyIds: null }
      : skeletonFromLog(stepVertices);

  const byId = new Map<string, StepSkeleton>();
  for (const s of skeletons) byId.set(`${s.stageIndex}:${s.position}`, s);

  // Attach vertices to steps.
  const vertexOf = new Map<string, LogVertex[]>();
  const stageIndexByLabel = new Map<string, number>();
  for (const st of stageList) {
    stageIndexByLabel.set(st.label, st.index);
    if (st.name) stageIndexByLabel.set(st.name, st.index);
  }
  let unplaced = 0;
  let textMismatches = 0;
  const legacyOrder = dockerfile ? legacyInstructionOrder(dockerfile) : null;
  for (const v of stepVertices) {
    let id: string | null = null;
    if (v.label) {
      const stageIdx = resolveStage(v, stageIndexByLabel, stageList.length);
      if (stageIdx != null) id = `${stageIdx}:${v.label.position}`;
    } else if (v.legacyStep && legacyOrder) {
      const entry = legacyOrder[v.legacyStep.index - 1];
      if (entry && entry.position != null) id = `${entry.stageIndex}:${entry.position}`;
      else continue; // metadata instruction or global ARG: not a BuildKit step
    } else if (v.legacyStep) {
      const key = legacyIds?.get(v);
      if (key) id = key;
      else continue;
    }
    if (id == null || !byId.has(id)) {
      unplaced++;
      continue;
    }
    const sk = byId.get(id)!;
    if (v.label && dockerfile && !textsAgree(sk, v)) textMismatches++;
    const list = vertexOf.get(id);
    if (list) list.push(v);
    else vertexOf.set(id, [v]);
  }
  if (dockerfile && stepVertices.length > 0) {
    if (unplaced > 0)
      diagnostics.push(
        diag(
          "warning",
          "log",
          null,
          "join/unplaced-steps",
          `${unplaced} step${unplaced === 1 ? "" : "s"} in the log do not match any instruction of the Dockerfile; is this the Dockerfile that was built?`,
        ),
      );
    if (textMismatches > Math.max(1, stepVertices.length / 3))
      diagnostics.push(
        diag(
          "warning",
          "dockerfile",
          null,
          "join/text-mismatch",
          `${textMismatches} steps in the log read differently from the Dockerfile instructions at the same position; the log may come from another version of this Dockerfile.`,
        ),
      );
  }

  // Merged vertices: steps with the same chain key share one vertex (BuildKit dedups identical ops).
  const byChain = new Map<string, string[]>();
  for (const s of skeletons) {
    const id = `${s.stageIndex}:${s.position}`;
    const l = byChain.get(s.chainKey);
    if (l) l.push(id);
    else byChain.set(s.chainKey, [id]);
  }
  const mergedFrom = new Map<string, string>();
  for (const ids of byChain.values()) {
    if (ids.length < 2) continue;
    const withVertex = ids.find((id) => vertexOf.has(id));
    if (!withVertex) continue;
    for (const id of ids)
      if (!vertexOf.has(id)) {
        vertexOf.set(id, vertexOf.get(withVertex)!);
        mergedFrom.set(id, withVertex);
      }
  }

  // Stage usage: the target is the last stage with any vertex; used = target + its dependencies.
  const edgesByStage = new Map<number, ReportStage["edges"]>();
  for (const st of stageList) edgesByStage.set(st.index, st.edges);
  const stagesWithVertices = new Set<number>();
  for (const id of vertexOf.keys()) stagesWithVertices.add(Number(id.split(":")[0]));
  let targetIndex = -1;
  for (const i of stagesWithVertices) targetIndex = Math.max(targetIndex, i);
  const used = new Set<number>();
  const visit = (i: number) => {
    if (used.has(i)) return;
    used.add(i);
    for (const e of edgesByStage.get(i) ?? []) if (e.fromStage != null) visit(e.fromStage);
  };
  if (targetIndex >= 0) visit(targetIndex);
  for (const i of stagesWithVertices) visit(i); // bake / several targets

  const steps: ReportStep[] = skeletons.map((sk) => {
    const id = `${sk.stageIndex}:${sk.position}`;
    const vs = vertexOf.get(id);
    const v = vs ? pickVertex(vs) : null;
    const status: StepStatus = v ? toStepStatus(v.status) : "not-run";
    let note: string | null = null;
    if (!v) {
      if (!used.has(sk.stageIndex) && build.outcome === "success")
        note = stepNotes.notRunUnusedStage(stageList[targetIndex]?.label ?? "?");
      else if (build.outcome === "failed") note = stepNotes.notRunAfterFailure();
      else if (build.outcome === "canceled") note = stepNotes.notRunCanceled();
      else if (build.outcome === "incomplete") note = stepNotes.notRunTruncated();
      else note = stepNotes.notRunUnknown();
    } else if (mergedFrom.has(id)) {
      const other = mergedFrom.get(id)!;
      const o = byId.get(other)!;
      note =
        sk.instruction === "FROM"
          ? stepNotes.fromShared(o.stage)
          : stepNotes.mergedWith(`[${o.stage} ${o.position}/${o.of}]`);
    }
    if (status === "cached" && build.outcome === "failed" && !note) note = stepNotes.cachedInFailedBuild();
    const duration = v ? combinedDuration(vs!) : null;
    return {
      stageIndex: sk.stageIndex,
      stage: sk.stage,
      position: sk.position,
      of: sk.of,
      id,
      vertex: v ? v.id : null,
      instruction: sk.instruction,
      text: v?.label?.text ?? sk.text,
      line: sk.line,
      endLine: sk.endLine,
      status,
      durationSeconds: duration,
      startSeconds: v?.startSeconds ?? null,
      endSeconds: v?.endSeconds ?? null,
      sizeBytes: null,
      miss: null,
      note,
      onCriticalPath: false,
      pulledBytes: v && v.pulledBytes > 0 ? v.pulledBytes : null,
      error: v?.error ?? null,
      output: v ? v.output.map((l) => l.text) : [],
      outputLineCount: v?.outputLineCount ?? 0,
      logLine: v?.line ?? null,
    };
  });

  const stepsByStage = new Map<number, ReportStep[]>();
  for (const s of steps) {
    const l = stepsByStage.get(s.stageIndex);
    if (l) l.push(s);
    else stepsByStage.set(s.stageIndex, [s]);
  }
  const stages: ReportStage[] = stageList.map((st) => {
    const mine = stepsByStage.get(st.index) ?? [];
    const counts = { cached: 0, rebuilt: 0, error: 0, other: 0 };
    for (const s of mine) {
      if (s.status === "cached") counts.cached++;
      else if (s.status === "rebuilt") counts.rebuilt++;
      else if (s.status === "error") counts.error++;
      else counts.other++;
    }
    return {
      index: st.index,
      name: st.label,
      line: st.line,
      base: st.base,
      baseKind: st.baseKind,
      dependsOn: [...new Set(st.edges.filter((e) => e.fromStage != null).map((e) => e.fromStage!))].sort((a, b) => a - b),
      externalSources: [...new Set(st.edges.filter((e) => e.kind !== "from" && e.fromImage).map((e) => e.fromImage!))],
      platform: st.platform,
      used: used.has(st.index) || mine.some((s) => s.status !== "not-run"),
      onCriticalPath: false,
      counts,
      edges: st.edges,
    };
  });

  return {
    stages,
    steps,
    vertexOf,
    target: targetIndex >= 0 ? stageList[targetIndex]?.label ?? null : null,
    diagnostics,
  };
}

/** For multi-platform builds several vertices map to one step: report the worst status, longest time. */
function pickVertex(vs: LogVertex[]): LogVertex {
  let best = vs[0];
  for (const v of vs) if (STATUS_RANK[v.status] > STATUS_RANK[best.status]) best = v;
  return best;
}

function combinedDuration(vs: LogVertex[]): number | null {
  let d: number | null = null;
  for (const v of vs) if (v.durationSeconds != null) d = Math.max(d ?? 0, v.durationSeconds);
  return d;
}

interface StageInfo {
  index: number;
  name: string | null;
  label: string;
  line: number | null;
  base: string | null;
  baseKind: ReportStage["baseKind"];
  platform: string | null;
  edges: ReportStage["edges"];
}

function resolveStage(v: LogVertex, byLabel: Map<string, number>, stageCount: number): number | null {
  const l = v.label!;
  if (l.stage == null) {
    // `[1/5]`: a one-stage build, or `[web 1/2]` where the parser took `web` as a bake target.
    if (l.target && byLabel.has(l.target.toLowerCase())) return byLabel.get(l.target.toLowerCase())!;
    return stageCount >= 1 ? (byLabel.get("stage-0") ?? 0) : null;
  }
  const s = l.stage.toLowerCase();
  if (byLabel.has(s)) return byLabel.get(s)!;
  // A bake prefix can make the stage look like a target: `[web 3/5]` with stage tokens shifted.
  if (l.target && byLabel.has(l.target.toLowerCase()) && !byLabel.has(s)) return byLabel.get(l.target.toLowerCase())!;
  const m = /^stage-(\d+)$/.exec(s);
  if (m) {
    const i = Number(m[1]);
    return i < stageCount ? i : null;
  }
  return null;
}

function textsAgree(sk: StepSkeleton, v: LogVertex): boolean {
  const logText = v.label!.text;
  const kw = logText.split(/\s/, 1)[0].toUpperCase();
  if (kw === "LINK") return true; // COPY --link merge vertex in rawjson
  if (kw !== sk.instruction && kw !== "ONBUILD") return false;
  // FROM names show the resolved reference (registry, digest), so the keyword is enough there.
  return sk.instruction === "FROM" || !sk.ins || instructionTextMatches(logText, sk.ins);
}

function baseDescription(st: DockerfileStage, df: DockerfileModel): { base: string | null; kind: ReportStage["baseKind"] } {
  if (st.base.kind === "stage" && st.base.stageIndex != null)
    return { base: df.stages[st.base.stageIndex]?.label ?? st.base.ref, kind: "stage" };
  if (st.base.kind === "scratch") return { base: "scratch", kind: "scratch" };
  return { base: st.base.ref || st.base.raw || null, kind: "image" };
}

function skeletonFromDockerfile(df: DockerfileModel): { skeletons: StepSkeleton[]; stageList: StageInfo[] } {
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
    for (const ins of st.instructions) {
      if (ins.position == null) {
        // Metadata that changes later steps' keys still belongs in the chain key.
        if (["ENV", "ARG", "USER", "SHELL"].includes(ins.keyword)) chain += `\n${ins.text}`;
        continue;
      }
      chain += `\n${ins.keyword === "COPY" || ins.keyword === "ADD" || ins.mounts.some((m) => m.from) ? `${ins.text}@${st.index}` : ins.text}`;
      skeletons.push({
        stageIndex: st.index,
        stage: st.label,
        position: ins.position,
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
function legacyInstructionOrder(df: DockerfileModel): { stageIndex: number; position: number | null; ins: DockerfileInstruction | null }[] {
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
interface Skeleton {
  skeletons: StepSkeleton[];
  stageList: StageInfo[];
  /** Legacy logs without a Dockerfile: the step id each `Step i/n` vertex was given. */
  legacyIds: Map<LogVertex, string> | null;
}

function skeletonFromLog(stepVertices: LogVertex[]): Skeleton {
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
    if (!stage || !LEGACY_STEP_KEYWORDS.has(kw)) continue;
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
