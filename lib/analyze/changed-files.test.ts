import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { analyze } from "./index";
import { READS_GIT } from "./findings/rules/changed-files-not-needed";
import { fileList } from "./changed-files-catalog";

const fx = (slug: string, f: string) => readFileSync(path.join(__dirname, "../../fixtures/changed-files", slug, f), "utf8");

describe("changed-files post-pass", () => {
  it("null without a list: miss.changedFiles stays null, report.changedFiles is null", () => {
    const r = analyze({ log: fx("01-source-edit", "after.log"), dockerfile: fx("01-source-edit", "Dockerfile") });
    expect(r.changedFiles).toBeNull();
    expect(r.steps.filter((s) => s.miss).every((s) => s.miss!.changedFiles === null)).toBe(true);
  });

  it("without a Dockerfile the step text decides what a COPY reads", () => {
    const r = analyze({ log: fx("05-two-stages", "after.log"), changedFiles: "api/main.go\nweb/app.js\n" });
    const roots = Object.fromEntries(r.rootCauses.map((rc) => [r.steps.find((s) => s.id === rc.rootStep)!.text, rc.changedFiles]));
    expect(roots).toEqual({ "COPY api ./": ["api/main.go"], "COPY web ./": ["web/app.js"] });
  });

  it("a CACHED step whose files are listed is reported, not explained away", () => {
    const r = analyze({ log: fx("01-source-edit", "after.log"), dockerfile: fx("01-source-edit", "Dockerfile"), changedFiles: "requirements.txt\nsrc/api/info.py\n" });
    expect(r.diagnostics.find((d) => d.code === "changed-files/cached-but-listed")?.message).toMatch(/`COPY requirements.txt .\/` stayed CACHED although `requirements.txt`/);
  });

  it("reports unusable list lines and bad ignore patterns with their lines", () => {
    const r = analyze({ log: fx("01-source-edit", "after.log"), changedFiles: "../x\nsrc/api/info.py\n", dockerignore: ".git\n!\n" });
    expect(r.diagnostics.filter((d) => d.source === "changed-files").map((d) => d.line)).toEqual([1]);
    expect(r.diagnostics.find((d) => d.source === "dockerignore")).toMatchObject({ line: 2, code: "dockerignore/bad-pattern" });
  });

  it("recognises builds that read git metadata", () => {
    for (const run of ["RUN pip install setuptools-scm && pip install .", "RUN pip install hatch-vcs", "RUN git describe --tags > VERSION", "RUN python -m setuptools_scm"])
      expect(READS_GIT.test(run), run).toBe(true);
    for (const run of ["RUN npm ci", "RUN echo digit", "RUN make github-release"]) expect(READS_GIT.test(run), run).toBe(false);
  });

  it("file lists read naturally", () => {
    expect(fileList(["a"])).toBe("`a`");
    expect(fileList(["a", "b"])).toBe("`a` and `b`");
    expect(fileList(["a", ".git/1", ".git/2", ".git/3"])).toBe("`a` and 3 files in `.git/`");
    expect(fileList(["a`b"])).toBe("`a'b`");
  });
});
