/**
 * The conformance judge: what a report got wrong against a captured scenario's expected.json.
 * A "wrong claim" is a cause stated as exact or inferred that is not the true one; a cause the
 * inputs cannot decide must be offered with evidence "candidates" and the true cause among them.
 */
import { analyze } from "../lib/analyze/index";
import type { Report } from "../lib/model/report";
import type { Scenario } from "./scenarios";

export type ProblemKind = "build-status" | "status" | "root" | "invalidated" | "wrong-claim" | "missing-candidate" | "evidence" | "unexplained";

export interface Problem {
  kind: ProblemKind;
  step: string | null;
  message: string;
}

const BUILD_WIDE = new Set(["no-cache", "cold-cache", "cache-import-failed"]);

export function analyzeScenario(sc: Scenario, mode: "single" | "compare"): Report {
  const e = sc.expected;
  return analyze({
    log: sc.readBytes(e.logFile)!,
    dockerfile: sc.read(e.dockerfile === undefined ? "Dockerfile" : e.dockerfile),
    image: sc.read(e.imageFile ?? null),
    build: e.build ?? null,
    ...(mode === "compare"
      ? {
          previousLog: sc.readBytes(e.previousLogFile),
          previousDockerfile: sc.read(e.previousDockerfile ?? (e.dockerfile === undefined ? "Dockerfile" : e.dockerfile)),
        }
      : {}),
  });
}

export function judge(sc: Scenario, r: Report, mode: "single" | "compare"): Problem[] {
  const e = sc.expected;
  const out: Problem[] = [];
  const byId = new Map(r.steps.map((s) => [s.id, s]));
  if (r.build.status !== e.buildStatus) out.push({ kind: "build-status", step: null, message: `build ${r.build.status}, expected ${e.buildStatus}` });
  for (const [id, status] of Object.entries(e.steps)) {
    const got = byId.get(id)?.status;
    if (got !== status) out.push({ kind: "status", step: id, message: `${id} is ${got ?? "absent"}, expected ${status}` });
  }
  const expectedCause = new Map<string, string>();
  for (const rc of e.rootCauses ?? []) expectedCause.set(rc.rootStep, rc.cause);
  for (const [id, c] of Object.entries(e.stepCauses ?? {})) if (!expectedCause.has(id)) expectedCause.set(id, c);

  for (const rc of e.rootCauses ?? []) {
    const s = byId.get(rc.rootStep);
    const m = s?.miss;
    if (!m || !m.rootCause || m.rootStep !== rc.rootStep) {
      out.push({ kind: "root", step: rc.rootStep, message: `${rc.rootStep} should be a root cause (got ${m ? `rootStep ${m.rootStep}, root ${m.rootCause}` : "no miss"})` });
      continue;
    }
    const want = mode === "compare" ? rc.compareEvidence : rc.evidence ?? (rc.singleLog === "candidate" ? "candidates" : undefined);
    if (want && m.evidence !== want) out.push({ kind: "evidence", step: rc.rootStep, message: `${rc.rootStep} evidence ${m.evidence} (${m.cause}), expected ${want}` });
    if (mode === "single")
      for (const c of rc.candidates ?? [])
        if (!m.candidates.includes(c as never)) out.push({ kind: "missing-candidate", step: rc.rootStep, message: `${rc.rootStep} candidates ${m.candidates.join(",")} lack ${c}` });
  }
  // A step the log cannot tell apart from a root of its own (e.g. a COPY --from in a stage that
  // looks like --no-cache) may be reported as an undecided root, if the true cause is a candidate.
  const candidateRoot = (id: string): boolean => {
    const m = byId.get(id)?.miss;
    const cause = expectedCause.get(id);
    return !!m && m.rootCause && m.rootStep === id && m.evidence === "candidates" && !!cause && m.candidates.includes(cause as never);
  };
  for (const [id, root] of Object.entries(e.invalidated ?? {})) {
    const m = byId.get(id)?.miss;
    if (candidateRoot(id)) continue;
    if (m && !m.rootCause && candidateRoot(m.rootStep) && e.invalidated?.[m.rootStep] === root) continue;
    if (!m || m.rootStep !== root || m.rootCause) out.push({ kind: "invalidated", step: id, message: `${id} should be invalidated by ${root} (got ${m ? `${m.rootStep}${m.rootCause ? ", as a root" : ""}` : "no miss"})` });
  }
  for (const [id, cause] of expectedCause) {
    const m = byId.get(id)?.miss;
    if (!m) continue; // reported as a root/invalidated problem
    if (m.cause === cause) continue;
    const root = byId.get(m.rootStep)?.miss ?? m;
    // A step after an undecided root inherits its candidates: "parent-rebuilt" of a root whose
    // candidates hold the build-wide cause is honest.
    if (!m.rootCause && BUILD_WIDE.has(cause) && m.cause === "parent-rebuilt" && root.evidence === "candidates" && root.candidates.includes(cause as never)) continue;
    if (!m.rootCause && cause === "parent-rebuilt" && BUILD_WIDE.has(m.cause)) continue;
    if (m.evidence === "candidates") {
      if (!m.candidates.includes(cause as never)) out.push({ kind: "missing-candidate", step: id, message: `${id}: ${cause} not among candidates ${m.candidates.join(", ")}` });
      continue;
    }
    out.push({ kind: "wrong-claim", step: id, message: `${id}: ${m.evidence} ${m.cause}, truly ${cause}` });
  }
  for (const s of r.steps)
    if (s.status === "rebuilt" && s.instruction !== "FROM" && !s.miss) out.push({ kind: "unexplained", step: s.id, message: `${s.id} rebuilt without an explanation` });
  return out;
}
