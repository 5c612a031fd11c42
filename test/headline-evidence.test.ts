/**
 * The headline follows the root causes as the last pass left them: a changed-files list that
 * decides every root (fixtures/changed-files/, real captures) must not leave a headline that still
 * says "one of: …" beside explanations that say "exact".
 */
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { analyze } from "../lib/analyze/index";

const root = path.join(__dirname, "..", "fixtures", "changed-files");
const scenarios = readdirSync(root).filter((d) => existsSync(path.join(root, d, "changed-files.txt")));
const read = (d: string, f: string) => readFileSync(path.join(root, d, f), "utf8");

describe("headline evidence after the changed-files pass", () => {
  for (const d of scenarios) {
    it(d, () => {
      const ignorePath = path.join(root, d, "context", ".dockerignore");
      const r = analyze({
        log: read(d, "after.log"),
        dockerfile: read(d, "Dockerfile"),
        changedFiles: read(d, "changed-files.txt"),
        dockerignore: existsSync(ignorePath) ? readFileSync(ignorePath, "utf8") : null,
      });
      expect(r.rootCauses.length).toBeGreaterThan(0);
      if (r.rootCauses.every((rc) => rc.evidence === "exact")) {
        expect(r.diagnosis.evidence).toBe("exact");
        expect(r.diagnosis.detail).not.toMatch(/one of/);
      }
      if (r.rootCauses.some((rc) => rc.evidence === "candidates")) expect(r.diagnosis.evidence).toBe("candidates");
    });
  }
});
