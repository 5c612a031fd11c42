import { describe, expect, it } from "vitest";
import { analyze } from "../lib/analyze/index";
import { renderText } from "../lib/render/text";
import { renderMarkdown } from "../lib/render/markdown";
import { analyzeScenario, judge, type Problem } from "./conformance";
import { FIXTURE_SETS, loadAllScenarios, loadScenarios, type Scenario } from "./scenarios";

/**
 * Ground truth from real engines: every scenario was built, changed in one known way, and rebuilt
 * (scripts/capture-fixtures.sh) on Docker 26.1 (fixtures/scenarios) and Docker 28.5
 * (fixtures/modern). The engine must read every step's status, name the right root step, and
 * state each cause with honest evidence: a cause it cannot decide is offered as a candidate.
 */
const scenarios = loadAllScenarios();
const only = (ps: Problem[], kinds: Problem["kind"][]) => ps.filter((p) => kinds.includes(p.kind)).map((p) => p.message);

/** The scenario with another captured log of the same change (rawjson, another engine pass). */
function withLog(sc: Scenario, logFile: string): Scenario {
  const steps = { ...sc.expected.steps, ...((sc.expected.alternateLogFiles as Record<string, Record<string, string>> | undefined)?.[logFile] ?? {}) };
  return { ...sc, expected: { ...sc.expected, logFile, steps } };
}

function logsOf(sc: Scenario): { file: string; known: string | null }[] {
  const alts = sc.expected.alternateLogFiles;
  const names = Array.isArray(alts) ? (alts as string[]) : Object.keys((alts as Record<string, unknown>) ?? {});
  const known = (sc.expected.alternateKnownFailures as Record<string, string> | undefined) ?? {};
  return [{ file: sc.expected.logFile, known: null }, ...names.filter((f) => sc.readBytes(f)).map((f) => ({ file: f, known: known[f] ?? null }))];
}

describe.each(scenarios.map((s) => [`${s.set}/${s.slug}`, s] as const))("scenario %s", (_name, sc) => {
  const e = sc.expected;

  for (const { file, known } of logsOf(sc)) {
    const scn = withLog(sc, file);
    describe(file, () => {
      it.skipIf(!!known)(`reads every step's status from the log${known ? ` (skipped: ${known})` : ""}`, () => {
        const r = analyzeScenario(scn, "single");
        expect(only(judge(scn, r, "single"), ["build-status", "status"])).toEqual([]);
        // One set of numbers: with exact times, rebuilt time and every cost fit in the wall time.
        if (r.build.timing === "exact" && r.build.durationSeconds != null) {
          expect(r.summary.rebuiltSeconds).toBeLessThanOrEqual(r.build.durationSeconds + 0.05);
          for (const rc of r.rootCauses) expect(rc.costSeconds).toBeLessThanOrEqual(r.summary.rebuiltSeconds + 0.05);
        }
        // A merged vertex is counted once: with summed (estimated) times the roots' costs add up to
        // no more than the rebuilt time. (With exact times parallel roots overlap in wall time.)
        if (r.build.timing !== "exact") expect(r.rootCauses.reduce((t, rc) => t + rc.costSeconds, 0)).toBeLessThanOrEqual(r.summary.rebuiltSeconds + 0.05 * (r.rootCauses.length + 1));
      });

      it.skipIf(!!known)("names the root steps, and every cause is right or offered as a candidate (single log)", () => {
        const r = analyzeScenario(scn, "single");
        expect(only(judge(scn, r, "single"), ["root", "invalidated", "wrong-claim", "missing-candidate", "evidence", "unexplained"])).toEqual([]);
      });

      it.skipIf(!!known || !e.previousLogFile)("compare mode: right causes with the evidence the two builds give", () => {
        const r = analyzeScenario(scn, "compare");
        expect(r.comparison).not.toBeNull();
        expect(only(judge(scn, r, "compare"), ["root", "wrong-claim", "missing-candidate", "evidence"])).toEqual([]);
      });
    });
  }

  it("puts steps on their Dockerfile lines", () => {
    const r = analyzeScenario(sc, "single");
    for (const rc of e.rootCauses ?? []) {
      if (rc.line == null) continue;
      expect(r.steps.find((s) => s.id === rc.rootStep)?.line).toBe(rc.line);
    }
  });

  it.skipIf(!e.findings?.length && !e.notFindings?.length)("raises the planted findings", () => {
    const r = analyzeScenario(sc, "single");
    const rules = new Set(r.findings.map((f) => f.rule));
    for (const f of e.findings ?? []) expect(rules, `finding ${f}`).toContain(f);
    for (const f of e.notFindings ?? []) expect(rules, `finding ${f} must not fire`).not.toContain(f);
  });

  it.skipIf(!e.texts && e.failure === undefined && !e.checks && !e.diagnosisKind && !e.diagnostics)("says it in the texts a user reads", () => {
    const r = analyzeScenario(sc, "single");
    const text = renderText(r);
    const md = renderMarkdown(r);
    const headline = `${r.diagnosis.title}: ${r.diagnosis.detail}`;
    const t = e.texts ?? {};
    for (const s of t.headline ?? []) expect(headline).toContain(s);
    for (const s of t.notHeadline ?? []) expect(headline).not.toContain(s);
    for (const s of t.detail ?? []) expect(headline).toContain(s);
    const step = (id: string) => r.steps.find((s) => s.id === id)!;
    for (const [id, xs] of Object.entries(t.explanation ?? {})) for (const s of xs) expect(step(id).miss?.explanation ?? "").toContain(s);
    for (const [id, xs] of Object.entries(t.notExplanation ?? {})) for (const s of xs) expect(step(id).miss?.explanation ?? "").not.toContain(s);
    for (const [id, xs] of Object.entries(t.notFix ?? {})) for (const s of xs) expect(step(id).miss?.fix ?? "").not.toContain(s);
    for (const [id, xs] of Object.entries(t.note ?? {})) for (const s of xs) expect(step(id).note ?? "").toContain(s);
    for (const [id, xs] of Object.entries(t.notNote ?? {})) for (const s of xs) expect(step(id).note ?? "").not.toContain(s);
    if (e.diagnosisKind) expect(r.diagnosis.kind).toBe(e.diagnosisKind);
    if (e.checks) expect(r.checks.map((c) => c.rule)).toEqual(e.checks);
    for (const d of e.diagnostics ?? []) expect(r.diagnostics.map((x) => x.code)).toContain(d);
    if (e.failure) {
      const f = r.diagnosis.failure;
      expect(f).not.toBeNull();
      expect({ step: f!.step, exitCode: f!.exitCode }).toEqual({ step: e.failure.step, exitCode: e.failure.exitCode });
      for (const s of e.failure.lastLinesContain ?? []) expect(f!.lastLines.join("\n")).toContain(s);
      expect(f!.canceled.map((c) => c.step)).toEqual(e.failure.canceled ?? f!.canceled.map((c) => c.step));
      // The failure leads: before any cache story, in every rendering.
      expect(text.indexOf("failed")).toBeLessThan(Math.max(0, text.indexOf("Why steps")) || Infinity);
      expect(md).toContain("failed");
    }
    // Every undecided root says so where a user reads it.
    for (const rc of r.rootCauses)
      if (rc.evidence === "candidates") {
        expect(text).toMatch(/Evidence: one of: /);
        expect(md).toMatch(/Evidence: one of(:|&#58;) /);
        expect(r.steps.find((s) => s.id === rc.rootStep)!.miss!.explanation).toMatch(/^The log cannot decide between \d+ causes/);
      }
  });

  it.skipIf(!e.previousLogFile || !(e.rootCauses ?? []).some((rc) => rc.compareEvidence))("compare mode: the text says how sure each cause is", () => {
    const r = analyzeScenario(sc, "compare");
    const text = renderText(r);
    for (const rc of e.rootCauses ?? []) {
      const m = r.steps.find((s) => s.id === rc.rootStep)?.miss;
      if (!m || !rc.compareEvidence) continue;
      if (rc.compareEvidence === "exact") expect(text).toContain("Evidence: exact");
      if (rc.compareEvidence === "inferred") expect(text).toContain("Evidence: inferred");
      if (rc.compareEvidence === "candidates") expect(text).toContain("Evidence: one of: ");
      if (rc.changedLine != null) expect(m.explanation).toContain(`line ${rc.changedLine}`);
    }
  });
});

describe("conformance over every fixture set", () => {
  it("both fixture sets are present", () => {
    for (const root of FIXTURE_SETS) expect(loadScenarios(root).length, root).toBeGreaterThan(20);
  });

  it("makes zero wrong claims (cause, candidates, grade) on every captured log, single and compare", () => {
    const wrong: string[] = [];
    for (const sc of scenarios)
      for (const { file, known } of logsOf(sc)) {
        if (known) continue;
        const scn = withLog(sc, file);
        for (const mode of ["single", "compare"] as const) {
          if (mode === "compare" && !sc.expected.previousLogFile) continue;
          for (const p of judge(scn, analyzeScenario(scn, mode), mode))
            // A wrong cause, a candidate list without the true cause, or a grade the inputs do not allow.
            if (p.kind === "wrong-claim" || p.kind === "missing-candidate" || p.kind === "evidence") wrong.push(`${sc.set}/${sc.slug} ${file} [${mode}] ${p.message}`);
        }
      }
    expect(wrong).toEqual([]);
  });

  it("never throws on a scenario's inputs swapped (Dockerfile of another scenario)", () => {
    const a = scenarios[0];
    const b = scenarios[scenarios.length - 1];
    const r = analyze({ log: a.readBytes(a.expected.logFile)!, dockerfile: b.read(b.expected.dockerfile ?? "Dockerfile") });
    expect(r.steps.length).toBeGreaterThan(0);
  });
});
