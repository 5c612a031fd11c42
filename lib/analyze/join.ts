import type { DockerfileModel } from "../model/dockerfile";
import type { LogBuild, LogVertex } from "../model/log";
import type { ReportStage, ReportStep, StepStatus } from "../model/report";
import { diag, type Diagnostic } from "../model/diagnostics";
import { stepNotes } from "./catalog";
import { legacyInstructionOrder, namedContextsOf, skeletonFromDockerfile, skeletonFromLog, type StepSkeleton } from "./join-skeleton";
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
  /** Steps BuildKit merged into one vertex: twin id → the id that stands for the group (first in Dockerfile order). */
  mergedInto: Map<string, string>;
  /** Why the Dockerfile does not fit this log (then the caller falls back to the log-only view), or null. */
  dockerfileMismatch: string | null;
  /** Name of the stage the build targeted (the last used stage). */
  target: string | null;
  diagnostics: Diagnostic[];
}

export function joinBuild(dockerfile: DockerfileModel | null, build: LogBuild): JoinResult {
  const diagnostics: Diagnostic[] = [];
  const stepVertices = build.vertices.filter((v) => v.kind === "step");
  const { skeletons, stageList, legacyIds } =
    dockerfile && dockerfile.stages.length > 0
      ? { ...skeletonFromDockerfile(dockerfile, namedContextsOf(build.vertices)), legacyIds: null }
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
  // A Dockerfile that does not fit the log would put statuses on the wrong lines: say so and let
  // the caller show the log-only view instead.
  let dockerfileMismatch: string | null = null;
  if (dockerfile && stepVertices.length > 0) {
    const misfits = unplaced + textMismatches;
    if (misfits > Math.max(1, stepVertices.length / 3))
      dockerfileMismatch = `${misfits} of ${stepVertices.length} steps in the log ${unplaced > 0 ? `have no instruction at their stage and position in the Dockerfile${textMismatches > 0 ? " or read differently from it" : ""}` : "read differently from the Dockerfile instructions at their position"}`;
    else if (unplaced > 0)
      diagnostics.push(
        diag(
          "warning",
          "log",
          null,
          "join/unplaced-steps",
          `${unplaced} step${unplaced === 1 ? "" : "s"} in the log do not match any instruction of the Dockerfile; is this the Dockerfile that was built?`,
        ),
      );
  }

  // Merged vertices: BuildKit runs the same op on the same parent once, so steps with the same
  // chain key share one vertex (printed once, under either stage's name). The first step in
  // Dockerfile order stands for the group: the others are its twins (status shared, cost once).
  const byChain = new Map<string, string[]>();
  for (const s of skeletons) {
    const id = `${s.stageIndex}:${s.position}`;
    const l = byChain.get(s.chainKey);
    if (l) l.push(id);
    else byChain.set(s.chainKey, [id]);
  }
  const mergedInto = new Map<string, string>();
  const printedAs = new Map<string, string>();
  for (const ids of byChain.values()) {
    if (ids.length < 2) continue;
    const withVertex = ids.filter((id) => vertexOf.has(id));
    if (!withVertex.length) continue;
    // Different vertices for "the same" step (bake solving a stage per target) are not a merge.
    const vertexIds = new Set(withVertex.flatMap((id) => vertexOf.get(id)!.map((v) => v.id)));
    if (vertexIds.size > vertexOf.get(withVertex[0])!.length) continue;
    const shared = vertexOf.get(withVertex[0])!;
    for (const id of ids) {
      if (!vertexOf.has(id)) vertexOf.set(id, shared);
      printedAs.set(id, withVertex[0]);
      if (id !== ids[0]) mergedInto.set(id, ids[0]);
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
    } else if (printedAs.has(id) && printedAs.get(id) !== id) {
      const o = byId.get(printedAs.get(id)!)!;
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
    // `FROM image:${TAG}`: name the reference the log resolved, not the Dockerfile's default.
    const from = mine.find((s) => s.instruction === "FROM" && s.vertex != null);
    const base = from && dockerfile?.stages[st.index]?.base.raw.includes("$") ? from.text.replace(/^FROM\s+/i, "").replace(/\s+AS\s+\S+$/i, "") : st.base;
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
      base,
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
    mergedInto,
    dockerfileMismatch,
    target: targetIndex >= 0 ? stageList[targetIndex]?.label ?? null : null,
    diagnostics,
  };
}
