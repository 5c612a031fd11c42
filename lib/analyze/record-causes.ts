/**
 * Compare mode on two build records: every root miss gets the cause the records decide, with the
 * evidence grade the records support. `exact` where a record attribute, a definition difference, a
 * material digest or an output layer names it; `inferred` where only BuildKit semantics tie it
 * (context bytes sent, nothing changed at all → evicted); `candidates` where the records cannot
 * decide (a bind mount of the context with no transfer size).
 */
import type { CauseCode, Evidence, Miss, Report, ReportStep, RootCause } from "../model/report";
import type { DigestOp, DigestRecord } from "../parse/record/types";
import { causeInfo, diagnosisTexts, type CauseParams } from "./catalog";
import { isMiss, stepLabel } from "./explain";
import { recordTexts } from "./record-catalog";
import { changedLineIn, declarationOf, diffOps, followPaths, imageKey, localName, materialDigest, opIndex, sourceLines } from "./record-ops";
import { round1 } from "./timeline";
import { expandWith } from "../parse/dockerfile/expand";

/** Context bytes at or above this carry file content, not just metadata (see explain.ts SMALL_CONTEXT_BYTES). */
const CONTEXT_CONTENT_BYTES = 40;

interface Decision {
  cause: CauseCode;
  evidence: Evidence;
  decidedBy: string;
  params: Partial<CauseParams>;
  candidates?: CauseCode[];
}

export function applyRecordCauses(report: Report, cur: DigestRecord, prev: DigestRecord | null, prevSteps: Map<string, ReportStep> | null): void {
  const ix = opIndex(cur);
  // What ran, from the record itself (a step the log join could not place still ran).
  const rebuiltOps = new Set<string>();
  for (const v of cur.vertices) {
    if (v.cached || v.intervals.length === 0) continue;
    const o = ix.byVertex.get(v.digest);
    if (o && o.op.kind !== "source") rebuiltOps.add(o.id);
  }
  const stepOfOp = new Map<string, ReportStep>();
  for (const s of report.steps) {
    const o = s.vertex ? ix.byVertex.get(s.vertex) : undefined;
    if (o && (!stepOfOp.has(o.id) || (!stepOfOp.get(o.id)!.miss && s.miss))) stepOfOp.set(o.id, s);
  }
  const stageOf = new Map(report.stages.map((st) => [st.index, st.name]));
  let changed = false;
  for (const s of report.steps) {
    if (!s.miss || !isMiss(s)) continue;
    const o = s.vertex ? ix.byVertex.get(s.vertex) : undefined;
    const stage = stageOf.get(s.stageIndex) ?? s.stage;
    const parent = o ? rebuiltParent(o, ix.byId, rebuiltOps) : null;
    if (!s.miss.rootCause && (parent || !o)) continue; // "after a rebuilt step" stands
    let d = decide(s.id, s.line, o ?? null, stage, cur, prev, prevSteps);
    if (parent && s.miss.rootCause && d?.cause !== "no-cache") {
      // The records show a rebuilt op under this "root": either a step the report shows rebuilt
      // (then this one is only after it), or one it could not place (then that op's cause is ours).
      const ps = stepOfOp.get(parent.id);
      if (ps && ps !== s && ps.miss && isMiss(ps)) {
        s.miss = { ...s.miss, cause: "parent-rebuilt", rootCause: false, rootStep: ps.miss.rootStep, candidates: ["parent-rebuilt"], evidence: "exact", certainty: "exact",
          explanation: causeInfo["parent-rebuilt"].explain({ step: stepLabel(s), line: s.line, rootStep: stepLabel(ps) }), fix: null, decideWith: null,
          decidedBy: recordTexts.parentRan(stepLabel(ps)) };
        changed = true;
        continue;
      }
      d = decide(s.id, parent.lines[0]?.[0] ?? null, parent, stage, cur, prev, null);
      if (d && d.cause === "cache-evicted") d = null;
    }
    if (!d) continue;
    s.miss = toMiss(s, d, s.miss);
    changed = true;
  }
  if (cur.attrs.noCache || cur.attrs.noCacheFilter.length) {
    // Under --no-cache every step ran for that reason: the attribute decides each one.
    const decidedBy = recordTexts.noCache(cur.attrs.noCache ? [] : cur.attrs.noCacheFilter);
    for (const s of report.steps)
      if (s.miss?.cause === "no-cache" && s.miss.evidence !== "exact") s.miss = { ...s.miss, evidence: "exact", certainty: "exact", candidates: ["no-cache"], decidedBy, decideWith: null };
  }
  if (cur.attrs.noCache) {
    report.diagnosis = {
      ...report.diagnosis,
      kind: "no-cache",
      title: diagnosisTexts["no-cache"].title,
      detail: diagnosisTexts["no-cache"].detail(),
      fix: diagnosisTexts["no-cache"].fix,
      evidence: "exact",
    };
  }
  if (changed) rebuildRootCauses(report);
}

/** Re-export for the record analysis: root causes after the record changed steps. */
export { rebuildRootCauses };

/** The nearest rebuilt Dockerfile-step op feeding `o` (through unnamed ops), or null. */
function rebuiltParent(o: DigestOp, byId: Map<string, DigestOp>, rebuilt: Set<string>): DigestOp | null {
  const seen = new Set<string>();
  const walk = (id: string, depth: number): DigestOp | null => {
    if (seen.has(id) || depth > 8) return null;
    seen.add(id);
    const x = byId.get(id);
    if (!x || x.op.kind === "source") return null;
    if (rebuilt.has(id)) return x;
    if (x.lines.length > 0) return null;
    for (const i of x.inputs) {
      const r = walk(i, depth + 1);
      if (r) return r;
    }
    return null;
  };
  for (const i of o.inputs) {
    const r = walk(i, 0);
    if (r) return r;
  }
  return null;
}

function decide(
  stepId: string,
  line: number | null,
  o: DigestOp | null,
  stage: string,
  cur: DigestRecord,
  prev: DigestRecord | null,
  prevSteps: Map<string, ReportStep> | null,
): Decision | null {
  if (cur.attrs.noCache || cur.attrs.noCacheFilter.includes(stage))
    return { cause: "no-cache", evidence: "exact", decidedBy: recordTexts.noCache(cur.attrs.noCache ? [] : cur.attrs.noCacheFilter), params: {} };
  if (!prev || !o) return null;
  if (prev.ops.length === 0) return null;
  const pix = opIndex(prev);
  const ps = prevSteps?.get(stepId);
  let p = ps?.vertex ? pix.byVertex.get(ps.vertex) : undefined;
  // Fall back to the op at the same Dockerfile lines.
  if (!p && o.lines.length) p = prev.ops.find((x) => x.lines.length && x.lines[0][0] === o.lines[0][0] && x.op.kind === o.op.kind);
  if (!p) return { cause: "instruction-changed", evidence: "exact", decidedBy: recordTexts.newStep, params: { changedLine: { line, before: null, after: sourceLines(cur, o.lines) } } };

  const diff = diffOps(p.op, o.op);
  if (diff.kind === "env") {
    const argNames = new Set([...cur.attrs.buildArgs, ...prev.attrs.buildArgs].map((a) => a.name));
    const args = diff.names.filter((n) => argNames.has(n));
    if (args.length === diff.names.length) {
      const value = (r: DigestRecord, n: string, at: number | null) => {
        const a = r.attrs.buildArgs.find((x) => x.name === n);
        if (a) return a.secret ? "[redacted]" : a.value;
        // Not passed: the ARG's default in that build's Dockerfile.
        const m = /^\s*ARG\s+\S+?=(.*)$/i.exec(declarationOf(r, n, at)?.text ?? "");
        return m ? `${m[1].replace(/^["']|["']$/g, "")} (default)` : null;
      };
      return {
        cause: "build-arg-changed",
        evidence: "exact",
        decidedBy: recordTexts.buildArg(args),
        params: {
          args: args.map((n) => ({ name: n, value: value(cur, n, line), previous: value(prev, n, p.lines[0]?.[0] ?? null) })),
          // The step's own source uses every changed value: declaring the ARG later cannot help.
          argDeclaredRightBefore: usesEvery(sourceLines(cur, o.lines), args),
        },
      };
    }
    const after = declarationOf(cur, diff.names[0], line);
    const before = declarationOf(prev, diff.names[0], p.lines[0]?.[0] ?? null);
    const changedLine = after || before ? { line: after?.line ?? null, before: before?.text ?? null, after: after?.text ?? null } : undefined;
    return { cause: "instruction-changed", evidence: "exact", decidedBy: recordTexts.envChanged(diff.names), params: changedLine ? { changedLine } : {} };
  }
  if (diff.kind !== "same") {
    const what = { "op-kind": "kind of operation", args: "command", cwd: "working directory", user: "user", network: "network mode", mounts: "mounts", file: "file operations (sources or destinations)", source: "source" }[diff.kind];
    return {
      cause: "instruction-changed",
      evidence: "exact",
      decidedBy: recordTexts.opChanged(what),
      params: { changedLine: changedLineIn(prev, cur, p.lines, o.lines) },
    };
  }

  // Same definition: what feeds it?
  const ix = opIndex(cur);
  const locals: { name: string; paths: string[]; op: DigestOp; prevOp: DigestOp | null }[] = [];
  for (let k = 0; k < o.inputs.length; k++) {
    const inOp = ix.byId.get(o.inputs[k]);
    const prevIn = p.inputs[k] ? pix.byId.get(p.inputs[k]) : undefined;
    if (!inOp) continue;
    if (inOp.op.kind === "source" && inOp.op.identifier.startsWith("docker-image://")) {
      const before = prevIn?.op.kind === "source" ? prevIn.op.identifier : null;
      const image = imageKey(inOp.op.identifier);
      if (before && before !== inOp.op.identifier) {
        const nc = namedContextChange(cur, prev);
        return {
          cause: "base-image-changed",
          evidence: "exact",
          decidedBy: nc ? recordTexts.namedContext(nc.name, nc.before, nc.after) : recordTexts.baseRef(imageKey(before), image),
          params: { image, digests: { before: imageKey(before), after: image } },
        };
      }
      const db = materialDigest(prev, inOp.op.identifier);
      const da = materialDigest(cur, inOp.op.identifier);
      if (db && da && db !== da)
        return { cause: "base-image-changed", evidence: "exact", decidedBy: recordTexts.baseDigest(image, db, da), params: { image, digests: { before: db, after: da } } };
    }
    const ln = localName(inOp.op);
    if (ln) locals.push({ name: ln, paths: followPaths(inOp.op), op: inOp, prevOp: prevIn ?? null });
  }
  if (locals.length > 0) {
    const named = locals.find((l) => l.name !== "context" && l.name !== "dockerfile");
    if (named) {
      const nc = namedContextChange(cur, prev, named.name);
      if (nc) return { cause: "context-changed", evidence: "exact", decidedBy: recordTexts.namedContext(nc.name, nc.before, nc.after), params: { sources: sourcesOf(o) } };
    }
    const sources = sourcesOf(o);
    const paths = describePaths(locals, o.op.kind === "file" ? sources : null);
    if (o.op.kind === "file" && o.layer && p.layer) {
      if (o.layer !== p.layer) return { cause: "context-changed", evidence: "exact", decidedBy: recordTexts.layerChanged(paths, p.layer, o.layer), params: { sources } };
      return { cause: "cache-evicted", evidence: "inferred", decidedBy: recordTexts.layerSame(o.layer), params: {} };
    }
    const sent = contextBytesFor(cur, locals.map((l) => l.name));
    if (sent != null && sent >= CONTEXT_CONTENT_BYTES)
      return { cause: "context-changed", evidence: "inferred", decidedBy: recordTexts.contextSent(sent, paths), params: { sources } };
    return { cause: "context-changed", evidence: "candidates", candidates: ["context-changed", "cache-evicted"], decidedBy: recordTexts.contextUnknown(paths), params: { sources } };
  }
  return { cause: "cache-evicted", evidence: "inferred", decidedBy: recordTexts.nothingChanged, params: {} };
}

function namedContextChange(cur: DigestRecord, prev: DigestRecord, only?: string): { name: string; before: string | null; after: string | null } | null {
  const names = new Set([...cur.attrs.namedContexts, ...prev.attrs.namedContexts].map((c) => c.name));
  for (const name of names) {
    if (only && name !== only) continue;
    const a = cur.attrs.namedContexts.find((c) => c.name === name)?.value ?? null;
    const b = prev.attrs.namedContexts.find((c) => c.name === name)?.value ?? null;
    if (a !== b) return { name, before: b, after: a };
  }
  return null;
}

function sourcesOf(o: DigestOp): string[] {
  if (o.op.kind === "file") return o.op.actions.flatMap((a) => (a.type === "copy" ? [a.src.replace(/^\//, "") || "."] : [])).slice(0, 10);
  if (o.op.kind === "exec") return o.op.mounts.filter((m) => m.type === "bind" && m.dest !== "/").map((m) => (m.selector ?? "/").replace(/^\//, "") || ".").slice(0, 10);
  return [];
}

/** What the step reads of each local source: its own copy sources, else the source's followpaths. */
function describePaths(locals: { name: string; paths: string[] }[], copySources: string[] | null): string {
  return locals
    .map((l) => {
      const where = l.name === "context" ? "the build context" : `named context \`${l.name}\``;
      const paths = copySources && copySources.length ? copySources : l.paths;
      return paths.length ? `${paths.map((p) => `\`${p}\``).join(", ")} of ${where}` : `files of ${where}`;
    })
    .join("; ");
}

/** Bytes sent by the `load build context` vertices of these local sources. */
function contextBytesFor(r: DigestRecord, names: string[]): number | null {
  let total: number | null = null;
  for (const v of r.vertices) {
    if (v.contextBytes == null) continue;
    const m = /^\[internal\] load build context(?: (\S+))?$/.exec(v.name) ?? /^\[context (\S+)\] load from client$/.exec(v.name);
    const name = m ? m[1] ?? "context" : null;
    if (name && names.includes(name)) total = (total ?? 0) + v.contextBytes;
  }
  return total;
}

/** True when an instruction's text expands every one of these variables (the Dockerfile parser's own expansion rules). */
function usesEvery(text: string | null, names: string[]): boolean {
  if (!text) return false;
  const used = new Set<string>();
  expandWith(text, (n) => {
    used.add(n);
    return undefined;
  });
  return names.every((n) => used.has(n));
}

function toMiss(s: ReportStep, d: Decision, old: Miss): Miss {
  const info = causeInfo[d.cause];
  const params: CauseParams = { step: stepLabel(s), line: s.line, ...d.params };
  const candidates = d.candidates ?? [d.cause];
  return {
    ...old,
    cause: d.cause,
    rootCause: true,
    rootStep: s.id,
    candidates,
    explanation: info.explain(params),
    fix: info.fix(params),
    decideWith: d.evidence === "candidates" ? d.decidedBy : null,
    certainty: d.evidence === "exact" ? "exact" : "inferred",
    evidence: d.evidence,
    decidedBy: d.decidedBy,
  };
}

/** Root causes regrouped after causes changed (same rule as the explainer: a root pays for its chain). */
function rebuildRootCauses(report: Report): void {
  const byId = new Map(report.steps.map((s) => [s.id, s]));
  // A root that turned out to be "after a rebuilt step" hands its chain to its own root.
  for (const s of report.steps) {
    if (!s.miss) continue;
    let root = s.miss.rootStep;
    for (let k = 0; k < 64; k++) {
      const r = byId.get(root)?.miss;
      if (!r || r.rootCause || r.rootStep === root) break;
      root = r.rootStep;
    }
    s.miss.rootStep = root;
  }
  const groups = new Map<string, ReportStep[]>();
  for (const s of report.steps) {
    if (!s.miss) continue;
    const g = groups.get(s.miss.rootStep);
    if (g) g.push(s);
    else groups.set(s.miss.rootStep, [s]);
  }
  const roots: RootCause[] = [];
  for (const [rootStep, members] of groups) {
    const root = byId.get(rootStep);
    if (!root?.miss) continue;
    const cost = round1(members.reduce((t, m) => t + (m.durationSeconds ?? 0), 0));
    for (const m of members) m.miss!.costSeconds = cost;
    roots.push({
      rootStep,
      cause: root.miss.cause,
      costSeconds: cost,
      steps: members.map((m) => m.id),
      explanation: root.miss.explanation,
      fix: root.miss.fix,
      evidence: root.miss.evidence,
      changedFiles: root.miss.changedFiles,
    });
  }
  roots.sort((a, b) => b.costSeconds - a.costSeconds || a.rootStep.localeCompare(b.rootStep));
  report.rootCauses = roots;
  const d = report.diagnosis;
  if ((d.kind === "cold-cache" || d.kind === "cache-import-failed" || d.kind === "no-cache") && roots.length > 0 && roots.every((r) => r.cause !== d.kind)) {
    const rebuilt = report.steps.filter((s) => s.instruction !== "FROM" && isMiss(s)).length;
    const total = report.steps.filter((s) => s.instruction !== "FROM" && s.status !== "not-run").length;
    report.diagnosis = { ...d, kind: "partial", title: diagnosisTexts.partial.title, detail: diagnosisTexts.partial.detail(rebuilt, total, roots.length), fix: null, evidence: roots.every((r) => r.evidence === "exact") ? "exact" : roots.some((r) => r.evidence === "candidates") ? "candidates" : "inferred" };
  } else if (d.kind === "partial") {
    const rebuilt = report.steps.filter((s) => s.instruction !== "FROM" && isMiss(s)).length;
    const total = report.steps.filter((s) => s.instruction !== "FROM" && s.status !== "not-run").length;
    report.diagnosis = { ...d, detail: diagnosisTexts.partial.detail(rebuilt, total, roots.length) };
  }
}
