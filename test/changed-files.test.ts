/**
 * Ground truth for the changed files (fixtures/changed-files/, captured on Docker 28.5 / buildx 0.29
 * with scripts/capture-fixtures.sh): each scenario's change() wrote `changed-files.txt` (the commit's
 * `git diff --name-only`, or what changed on disk where git does not track it) and
 * `context-changed.txt` (every changed file of the context, computed with coreutils — what
 * `cachescope build`'s fingerprint must find). Each root gets exactly the files it copies, in JSON,
 * text and Markdown.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { analyze } from "../lib/analyze/index";
import { renderText } from "../lib/render/text";
import { renderMarkdown } from "../lib/render/markdown";
import { escapeMarkdown } from "../lib/render/escape";
import type { Report } from "../lib/model/report";

const root = path.join(__dirname, "..", "fixtures", "changed-files");
const scenarios = readdirSync(root).filter((d) => existsSync(path.join(root, d, "expected.json")));

interface Expected {
  roots: Record<string, { list: string[]; fingerprint: string[]; fingerprintGit: boolean; explains?: Partial<Record<"list" | "fingerprint", string>> }>;
  alsoCopies?: Record<string, string[]>;
  list: { ignored: string[]; unused: string[] };
  fingerprint: { ignoredGit: boolean; unused: string[] };
  finding: Record<"list" | "fingerprint", { lines: string[]; saves: boolean; message: string } | null>;
}

const read = (d: string, f: string) => readFileSync(path.join(root, d, f), "utf8");
const sorted = (xs: string[] | null | undefined) => (xs == null ? xs : [...xs].sort());

for (const d of scenarios) {
  const expected = JSON.parse(read(d, "expected.json")) as Expected;
  const dockerfile = read(d, "Dockerfile");
  const ignorePath = path.join(root, d, "context", ".dockerignore");
  const dockerignore = existsSync(ignorePath) ? readFileSync(ignorePath, "utf8") : null;
  for (const fmt of ["plain", "rawjson"] as const) {
    const log = read(d, fmt === "plain" ? "after.log" : "after.rawjson.log");
    for (const source of ["list", "fingerprint"] as const) {
      const changedFiles = read(d, source === "list" ? "changed-files.txt" : "context-changed.txt");
      describe(`${d} (${fmt}, ${source === "list" ? "--changed-files" : "fingerprint"})`, () => {
        const report = analyze({ log, dockerfile, changedFiles, changedFilesSource: source, dockerignore });

        it("gives each root exactly the changed files it copies", () => {
          const roots = report.rootCauses.map((rc) => report.steps.find((s) => s.id === rc.rootStep)!);
          expect(roots.map((s) => s.text).sort()).toEqual(Object.keys(expected.roots).sort());
          for (const s of roots) {
            const want = expected.roots[s.text]!;
            const got = s.miss!.changedFiles!;
            if (source === "list") expect(sorted(got)).toEqual(sorted(want.list));
            else {
              expect(sorted(got.filter((f) => !f.startsWith(".git/")))).toEqual(sorted(want.fingerprint));
              expect(got.some((f) => f.startsWith(".git/"))).toBe(want.fingerprintGit);
            }
            const rc = report.rootCauses.find((r) => r.rootStep === s.id)!;
            expect(rc.changedFiles).toEqual(got);
            if (got.length) {
              expect(s.miss!.cause).toBe("context-changed");
              expect(s.miss!.evidence).toBe("exact");
              // a file is named, or a crowd of git/package files is counted
              expect(s.miss!.decidedBy).toMatch(new RegExp(`\`${got[0]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\`|\\d+ files in \`(\\.git|.*node_modules)/\``));
            } else expect(s.miss!.explanation).toMatch(/does not explain this miss/);
            if (want.explains?.[source]) expect(s.miss!.explanation).toMatch(new RegExp(want.explains[source]!));
          }
          for (const [text, files] of Object.entries(expected.alsoCopies ?? {})) {
            const s = report.steps.find((x) => x.text === text)!;
            expect(s.miss!.rootCause).toBe(false);
            expect(sorted(s.miss!.changedFiles)).toEqual(sorted(files));
          }
        });

        it("reports what was ignored and what did not matter", () => {
          const cf = report.changedFiles!;
          expect(cf.source).toBe(source);
          if (source === "list") {
            expect(sorted(cf.ignored)).toEqual(sorted(expected.list.ignored));
            expect(sorted(cf.unused)).toEqual(sorted(expected.list.unused));
          } else {
            expect(cf.ignored.some((f) => f.startsWith(".git/"))).toBe(expected.fingerprint.ignoredGit);
            expect(sorted(cf.unused.filter((f) => !f.startsWith(".git/")))).toEqual(sorted(expected.fingerprint.unused));
          }
        });

        it("suggests .dockerignore lines only where they keep the step cached", () => {
          const f = report.findings.find((x) => x.rule === "changed-files-not-needed");
          const want = expected.finding[source];
          if (!want) return expect(f).toBeUndefined();
          expect(f).toBeDefined();
          for (const l of want.lines) expect(f!.fix).toContain(l);
          expect(f!.costSeconds != null && f!.costSeconds > 0).toBe(want.saves);
          expect(f!.message).toMatch(new RegExp(want.message));
        });

        it("says it in text, Markdown and JSON", () => {
          const text = renderText(report);
          const md = renderMarkdown(report);
          const json = JSON.parse(JSON.stringify(report)) as Report;
          for (const [stepText] of Object.entries(expected.roots)) {
            const s = report.steps.find((x) => x.text === stepText)!;
            const files = s.miss!.changedFiles!;
            const js = json.steps.find((x) => x.id === s.id)!;
            expect(js.miss!.changedFiles).toEqual(files);
            if (files.length) {
              const named = files.find((f) => !f.startsWith(".git/") && !f.includes("node_modules/"));
              expect(text).toContain(`\`${stepText}\` rebuilt because `);
              expect(md).toContain(`<code>${escapeMarkdown(stepText)}</code> rebuilt because `);
              if (named) {
                expect(text).toMatch(new RegExp(`rebuilt because [^\\n]*\`${named.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\``));
                expect(md).toContain(`<code>${escapeMarkdown(named)}</code>`);
              } else expect(text.includes(`rebuilt because \`${files[0]}\``) || /rebuilt because \d+ files in `(\.git|.*node_modules)\/`/.test(text)).toBe(true);
            } else {
              expect(text).toContain(`\`${stepText}\` rebuilt, but none of the changed files reaches it`);
            }
          }
          expect(text).toContain("Changed files:");
          expect(md).toContain("#### Changed files");
        });
      });
    }
  }
}
