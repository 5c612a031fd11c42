import { describe, expect, it } from "vitest";
import { analyze } from "../lib/analyze/index";
import { loadScenarios } from "./scenarios";

/**
 * Ground truth from a real engine: every scenario was built, changed in one known way, and
 * rebuilt (scripts/capture-fixtures.sh). The engine must read every step's status from the log,
 * put it on the right Dockerfile line, and name the right root step and cause.
 */
const scenarios = loadScenarios();

describe.each(scenarios.map((s) => [s.slug, s] as const))("scenario %s", (_slug, sc) => {
  const e = sc.expected;
  const input = {
    log: sc.readBytes(e.logFile)!,
    dockerfile: sc.read(e.dockerfile ?? "Dockerfile"),
    image: sc.read(e.imageFile ?? null),
  };

  it("reads every step's status from the log", () => {
    const r = analyze(input);
    expect(r.build.status).toBe(e.buildStatus);
    const got = Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
    for (const [id, status] of Object.entries(e.steps)) expect({ id, status: got[id] }).toEqual({ id, status });
  });

  it("puts steps on their Dockerfile lines", () => {
    const r = analyze(input);
    for (const rc of e.rootCauses ?? []) {
      if (rc.line == null) continue;
      const step = r.steps.find((s) => s.id === rc.rootStep);
      expect(step?.line).toBe(rc.line);
    }
  });

  it("names the root step and the cause of every rebuilt step (single log)", () => {
    const r = analyze(input);
    for (const rc of e.rootCauses ?? []) {
      const step = r.steps.find((s) => s.id === rc.rootStep)!;
      expect(step.miss, `${rc.rootStep} should be a miss`).not.toBeNull();
      expect({ step: rc.rootStep, root: step.miss!.rootCause, rootStep: step.miss!.rootStep }).toEqual({ step: rc.rootStep, root: true, rootStep: rc.rootStep });
      // Some causes only the previous build can prove; one log must still list them.
      if (rc.singleLog === "candidate") expect(step.miss!.candidates, rc.rootStep).toContain(rc.cause);
      else expect({ step: rc.rootStep, cause: step.miss!.cause }).toEqual({ step: rc.rootStep, cause: rc.cause });
    }
    for (const [id, root] of Object.entries(e.invalidated ?? {})) {
      const step = r.steps.find((s) => s.id === id)!;
      expect({ id, rootStep: step.miss?.rootStep, rootCause: step.miss?.rootCause }).toEqual({ id, rootStep: root, rootCause: false });
    }
    for (const [id, cause] of Object.entries((e.stepCauses as Record<string, string> | undefined) ?? {})) {
      const step = r.steps.find((s) => s.id === id)!;
      expect({ id, cause: step.miss?.cause }).toEqual({ id, cause });
    }
    // Every rebuilt step is explained.
    for (const s of r.steps) if (s.status === "rebuilt" && s.instruction !== "FROM") expect(s.miss, s.id).not.toBeNull();
  });

  it.skipIf(!e.previousLogFile)("gives the exact cause in compare mode", () => {
    const r = analyze({
      ...input,
      previousLog: sc.readBytes(e.previousLogFile),
      previousDockerfile: sc.read(e.previousDockerfile ?? e.dockerfile ?? "Dockerfile"),
    });
    expect(r.comparison).not.toBeNull();
    for (const rc of e.rootCauses ?? []) {
      const step = r.steps.find((s) => s.id === rc.rootStep)!;
      expect({ step: rc.rootStep, cause: step.miss?.cause, rootStep: step.miss?.rootStep }).toEqual({ step: rc.rootStep, cause: rc.cause, rootStep: rc.rootStep });
      // What the two builds show decides these causes: no candidates left. (A build arg whose value
      // never appears in a step name cannot be proven changed from the logs.)
      const argVisible = rc.cause === "build-arg-changed" && (r.comparison?.buildArgChanges.length ?? 0) > 0;
      if (["context-changed", "instruction-changed", "cache-evicted", "remote-source"].includes(rc.cause) || argVisible)
        expect({ step: rc.rootStep, certainty: step.miss?.certainty, candidates: step.miss?.candidates }).toEqual({ step: rc.rootStep, certainty: "exact", candidates: [rc.cause] });
    }
  });

  it.skipIf(!e.findings?.length && !e.notFindings?.length)("raises the planted findings", () => {
    const r = analyze(input);
    const rules = new Set(r.findings.map((f) => f.rule));
    for (const f of e.findings ?? []) expect(rules, `finding ${f}`).toContain(f);
    for (const f of e.notFindings ?? []) expect(rules, `finding ${f} must not fire`).not.toContain(f);
  });
});
