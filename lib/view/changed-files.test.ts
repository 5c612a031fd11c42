import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { analyze } from "../analyze/index";
import { changedFilesShort, changedFilesView } from "./changed-files";

const dir = path.join(__dirname, "../../fixtures/changed-files/05-two-stages");
const read = (f: string) => readFileSync(path.join(dir, f), "utf8");

describe("changed-files view model", () => {
  it("lists each step with its files, and what did not matter", () => {
    const report = analyze({ log: read("after.log"), dockerfile: read("Dockerfile"), changedFiles: read("changed-files.txt"), dockerignore: ".git\n" });
    const v = changedFilesView(report)!;
    expect(v.steps.filter((s) => s.rootCause).map((s) => [s.stepText, s.files])).toEqual([
      ["COPY api ./", ["api/main.go"]],
      ["COPY web ./", ["web/app.js"]],
    ]);
    expect(v.steps[0]!.sentence).toBe("`COPY api ./` rebuilt because `api/main.go` changed");
    expect(v.unused).toEqual(["NOTES.txt"]);
    expect(v.summary).toMatch(/^3 changed files \(list\): 2 copied by rebuilt steps, 1 did not matter/);
  });
  it("is null without a list", () => {
    expect(changedFilesView(analyze({ log: read("after.log") }))).toBeNull();
  });
  it("shortens for a table cell", () => {
    expect(changedFilesShort(["a", "b", "c", "d"])).toBe("a, b +2");
    expect(changedFilesShort([])).toBe("none of the changed files");
    expect(changedFilesShort(null)).toBeNull();
  });
});
