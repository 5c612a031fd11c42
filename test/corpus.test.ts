/**
 * Conformance against the shared corpus of real published build logs (../shared/corpus, next to
 * the repository). Skips when the folder is absent: the project must not depend on it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseLog } from "../lib/parse/log/index";

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = process.env.CACHESCOPE_CORPUS ?? path.resolve(here, "..", "..", "shared", "corpus");
const exists = existsSync(corpus);
const cases = exists ? readdirSync(corpus).filter((d) => /^\d{3}-/.test(d) && existsSync(path.join(corpus, d, "build.log"))) : [];

interface ExpectedStep {
  vertex: string;
  name: string;
  status: string;
  durationSeconds: number | null;
  build?: number;
}

describe.skipIf(!exists)("corpus conformance", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(c, () => {
      const bytes = new Uint8Array(readFileSync(path.join(corpus, c, "build.log")));
      const expected = JSON.parse(readFileSync(path.join(corpus, c, "expected.json"), "utf8")) as { format: string; steps: ExpectedStep[] };
      const parsed = parseLog(bytes);

      const wantFormat = expected.format === "gha-plain" ? "plain" : expected.format;
      expect(parsed.format).toBe(wantFormat);
      if (expected.format === "gha-plain") expect(parsed.wrapper).not.toBe("none");
      expect(parsed.builds.length).toBeGreaterThan(0);
      expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);

      const multi = expected.steps.some((s) => s.build !== undefined);
      for (const step of expected.steps) {
        // `build` picks the build in multi-build logs; otherwise the report's default, the last one.
        const build = multi ? parsed.builds[(step.build ?? 1) - 1] : parsed.builds[parsed.builds.length - 1];
        expect(build, `build ${step.build ?? "last"} for ${step.vertex}`).toBeDefined();
        const v = build.vertices.find((x) => x.id === step.vertex && (x.name === step.name || (x.otherNames ?? []).includes(step.name)));
        expect(v, `${step.vertex} ${step.name}`).toBeDefined();
        expect({ id: step.vertex, status: v!.status, durationSeconds: v!.durationSeconds }).toEqual({
          id: step.vertex,
          status: step.status,
          durationSeconds: step.durationSeconds,
        });
        expect(v!.kind).toBe("step");
      }
      // Every Dockerfile-instruction vertex in the log is one the hand-read expectations list.
      if (!multi) {
        const build = parsed.builds[parsed.builds.length - 1];
        const stepIds = build.vertices.filter((v) => v.kind === "step").map((v) => v.id);
        expect(new Set(stepIds)).toEqual(new Set(expected.steps.map((s) => s.vertex)));
      }
    });
  }
});
