import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../analyze/index";
import { buildNumbers, toHeadline, weakestEvidence } from "./headline";
import { dockerfileMismatch } from "./mismatch";

const fx = (slug: string, f: string) => fs.readFileSync(path.join(process.cwd(), "fixtures", "scenarios", slug, f), "utf8");

describe("toHeadline", () => {
  it("a failed build leads with the failing step, its exit code and last output lines", () => {
    const r = analyze({ log: fx("11-run-step-fails", "after.log"), dockerfile: fx("11-run-step-fails", "Dockerfile") });
    const h = toHeadline(r);
    expect(h.failure).not.toBeNull();
    expect(h.failure!.text).toMatch(/^RUN /);
    expect(h.failure!.exitCode).toBeGreaterThan(0);
    expect(h.failure!.stepId).toBe(r.steps.find((s) => s.status === "error")!.id);
    expect(h.failure!.lastLines.length).toBeGreaterThan(0);
    // The numbers agree with the diagnosis sentence here too (failed and canceled steps re-ran).
    const n = buildNumbers(r);
    const m = /(\d+) of (\d+) steps re-ran/.exec(r.diagnosis.detail);
    if (m) expect([n.reran, n.counted]).toEqual([Number(m[1]), Number(m[2])]);
    expect(n.counted + n.resolvedFrom + n.notRun + n.unfinished).toBe(n.total);
  });
  it("a successful build has no failure, and its numbers match the diagnosis sentence", () => {
    const r = analyze({ log: fx("19-rawjson-partial-rebuild", "after.rawjson.log"), dockerfile: fx("19-rawjson-partial-rebuild", "Dockerfile") });
    const h = toHeadline(r);
    expect(h.failure).toBeNull();
    const n = buildNumbers(r);
    expect(n.counted + n.resolvedFrom + n.notRun + n.unfinished).toBe(n.total);
    const m = /(\d+) of (\d+) steps re-ran/.exec(r.diagnosis.detail);
    if (m) expect([n.reran, n.counted]).toEqual([Number(m[1]), Number(m[2])]);
    // The same ratio as the report's hit ratio.
    expect(Math.round((n.cached / n.counted) * 100) / 100).toBeCloseTo(r.summary.cacheHitRatio!, 2);
  });
  it("the headline is only as sure as its least sure cause", () => {
    expect(weakestEvidence(["exact", "inferred"])).toBe("inferred");
    expect(weakestEvidence(["exact", "candidates", "inferred"])).toBe("candidates");
    expect(weakestEvidence([])).toBeNull();
  });
});

describe("dockerfileMismatch", () => {
  it("says nothing when the Dockerfile matches", () => {
    const r = analyze({ log: fx("12-parallel-stages-one-changed", "after.log"), dockerfile: fx("12-parallel-stages-one-changed", "Dockerfile") });
    expect(dockerfileMismatch(r)).toBeNull();
  });
  it("explains a Dockerfile from another build when the engine flags it", () => {
    const r = analyze({ log: fx("12-parallel-stages-one-changed", "after.log"), dockerfile: fx("03-copy-context-before-install", "Dockerfile") });
    const m = dockerfileMismatch(r);
    if (r.diagnostics.some((d) => d.code.startsWith("join/"))) expect(m?.message).toBeTruthy();
  });
});
