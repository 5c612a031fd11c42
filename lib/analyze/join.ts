import type { DockerfileModel } from "../model/dockerfile";
import type { LogBuild, LogVertex } from "../model/log";
import type { ReportStage, ReportStep, StepStatus } from "../model/report";
import { diag, type Diagnostic } from "../model/diagnostics";
import { stepNotes } from "./catalog";
import { legacyInstructionOrder, skeletonFromDockerfile, skeletonFromLog, type StepSkeleton } from "./join-skeleton";
import { combinedDuration, pickVertex, resolveStage, textsAgree, toStepStatus } from "./join-vertices";

export { toStepStatus } from "./join-vertices";

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
