import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { analyze } from "../index";
import { loadAllScenarios } from "../../../test/scenarios";
import { asGithubActions, corpusLog, scenario } from "./test-helpers";

/**
 * Findings on the captured real-engine scenarios (fixtures/scenarios): every planted rule fires,
 * and nothing else does except findings that are true for every scenario or judged correct below.
 */
const scenarios = loadAllScenarios();

/** Every scenario builds FROM `local/busybox:latest`, so the `latest` tag is rightly flagged everywhere. */
const EVERYWHERE = new Set(["unpinned-base-image"]);
/** Findings that are not planted but correct. */
const ALSO_TRUE: Record<string, string[]> = {
  // `ARG APP_VERSION=0.0.0` sits above a RUN that does not read it: moving it down saves that RUN.
  "04-build-arg-changed": ["volatile-arg-early"],
};

describe.each(scenarios.map((s) => [s.slug, s] as const))("findings on scenario %s", (slug, sc) => {
  const e = sc.expected;
  const report = analyze({ log: sc.readBytes(e.logFile)!, dockerfile: sc.read(e.dockerfile ?? "Dockerfile"), image: sc.read(e.imageFile ?? null) });
  const got = report.findings.map((f) => f.rule);

  it("raises the planted findings", () => {
    for (const f of e.findings ?? []) expect(got, `planted ${f}`).toContain(f);
    for (const f of e.notFindings ?? []) expect(got, `${f} must not fire`).not.toContain(f);
  });

  it("raises no false positives", () => {
    const allowed = new Set([...(e.findings ?? []), ...EVERYWHERE, ...(ALSO_TRUE[slug] ?? [])]);
    expect(got.filter((r) => !allowed.has(r))).toEqual([]);
  });

  it("fills every template and names lines that exist", () => {
    for (const f of report.findings) {
      expect(f.message).not.toMatch(/(?<!\$)\{[a-z]\w*\}/);
      expect(f.fix).not.toMatch(/(?<!\$)\{[a-z]\w*\}/);
      if (f.line != null) expect(f.line).toBeGreaterThan(0);
      for (const id of f.steps) expect(report.steps.map((s) => s.id)).toContain(id);
    }
  });
});

describe("findings derived from captured logs", () => {
  it("no-external-cache-in-ci: the cold rebuild of 17 fires when the same log comes from GitHub Actions", () => {
    const s = scenario("17-cold-cache-pruned");
    const local = analyze({ log: s.log, dockerfile: s.dockerfile });
    expect(local.findings.map((f) => f.rule)).not.toContain("no-external-cache-in-ci");
    const ci = analyze({ log: asGithubActions(s.log), dockerfile: s.dockerfile });
    const f = ci.findings.find((x) => x.rule === "no-external-cache-in-ci")!;
    expect(f).toBeDefined();
    expect(f.fix).toContain("type=gha,mode=max");
    expect(f.costSeconds).toBe(ci.summary.rebuiltSeconds);
  });

  it("no-external-cache-in-ci: not when the CI build imported a cache (18, import failed: the explainer's case)", () => {
    const s = scenario("18-cache-from-missing");
    const ci = analyze({ log: asGithubActions(s.log), dockerfile: s.dockerfile });
    expect(ci.findings.map((f) => f.rule)).not.toContain("no-external-cache-in-ci");
  });

  it("no-external-cache-in-ci: not for a partial rebuild on CI (03)", () => {
    const s = scenario("03-copy-context-before-install");
    const ci = analyze({ log: asGithubActions(s.log), dockerfile: s.dockerfile });
    expect(ci.findings.map((f) => f.rule)).not.toContain("no-external-cache-in-ci");
  });

  it("large-context-no-dockerignore: the 03 log with its context transfer grown to 62.4 MB", () => {
    const s = scenario("03-copy-context-before-install");
    const text = new TextDecoder().decode(s.log);
    expect(text).toMatch(/transferring context: 228B/);
    const big = text.replace(/transferring context: 228B/, "transferring context: 62.40MB");
    const f = analyze({ log: big, dockerfile: s.dockerfile }).findings.find((x) => x.rule === "large-context-no-dockerignore")!;
    expect(f).toBeDefined();
    expect(f.severity).toBe("warning");
    expect(f.message).toContain("62.4 MB");
    expect(f.line).toBe(3); // the COPY . . that takes it all
    expect(f.fix).toContain(".git");
  });
});

const corpus = (slug: string) => corpusLog(slug);
describe.skipIf(!existsSync(new URL("../../../../shared/corpus", import.meta.url)))("findings on the shared corpus of published logs", () => {
  it("large-context-no-dockerignore: 007 uploads a 7.28 GB context", () => {
    const r = analyze({ log: corpus("007-rust-cargo-build-error")! });
    const f = r.findings.find((x) => x.rule === "large-context-no-dockerignore")!;
    expect(f.message).toContain("7.28 GB");
    expect(f.costSeconds).toBeGreaterThan(100);
  });

  it("large-context-no-dockerignore: not for 005's 2.79 MB context", () => {
    const r = analyze({ log: corpus("005-blender-cuda-multistage-partial-cache")! });
    expect(r.findings.map((f) => f.rule)).not.toContain("large-context-no-dockerignore");
  });

  it("no-external-cache-in-ci: the cold second build of 028 on Gitea Actions", () => {
    const r = analyze({ log: corpus("028-gitea-actions-err-prefix-build-error")!, build: 2 });
    const f = r.findings.find((x) => x.rule === "no-external-cache-in-ci")!;
    expect(f.message).toContain("Gitea Actions");
    expect(f.costSeconds).toBeGreaterThan(100);
  });

  it("no-external-cache-in-ci: not for 028's first build (18 of 19 steps cached) nor 015's fully cached third", () => {
    expect(analyze({ log: corpus("028-gitea-actions-err-prefix-build-error")!, build: 1 }).findings.map((f) => f.rule)).not.toContain("no-external-cache-in-ci");
    expect(analyze({ log: corpus("015-gha-three-builds-ids-restart")!, build: 3 }).findings.map((f) => f.rule)).not.toContain("no-external-cache-in-ci");
  });

  it("no-external-cache-in-ci: not for a cold build outside CI (032)", () => {
    expect(analyze({ log: corpus("032-lean-wasm-large-cold-two-stage")! }).findings.map((f) => f.rule)).not.toContain("no-external-cache-in-ci");
  });
});
