import { describe, expect, it } from "vitest";
import { analyze } from "../lib/analyze/index";
import { renderText } from "../lib/render/text";
import { loadScenarios } from "./scenarios";

/**
 * Legacy-builder snippets as people paste them: a few `Step N/M` lines cut out of a real log
 * (fixtures/scenarios/42-legacy-snippet/after.legacy.log, Docker 26.1 with DOCKER_BUILDKIT=0) —
 * without the FROM, with CI prefixes, with `Step N :` numbering, with the user's own comment after
 * them. The snippets are cut from the captured log here, never written by hand.
 */
const sc = loadScenarios().find((s) => s.slug === "42-legacy-snippet");

describe.skipIf(!sc)("legacy snippets cut from a real capture", () => {
  const log = (sc?.read("after.legacy.log") ?? "").split("\n");
  const from = log.findIndex((l) => l.startsWith("Step 2/8"));
  const to = log.findIndex((l) => l.startsWith("Step 5/8"));
  const snip = log.slice(from, to);
  const variants: Record<string, string> = {
    "no FROM": snip.join("\n"),
    "GitHub Actions timestamps": snip.map((l, k) => `2026-12-01T09:00:${String(10 + k).padStart(2, "0")}.1234567Z ${l}`).join("\n"),
    "GitLab section escapes": snip.map((l) => `\x1b[0K${l}`).join("\n"),
    "a trailing comment": `${snip.join("\n")}\n\n^^^ why is the COPY not cached?? it never changes`,
    "Step N : numbering": snip.map((l) => l.replace(/^Step (\d+)\/\d+ :/, "Step $1 :")).join("\n"),
  };

  it("the cut really lacks its FROM", () => {
    expect(snip.some((l) => /^Step \d+\/\d+ : FROM/.test(l))).toBe(false);
    expect(snip.length).toBeGreaterThan(5);
  });

  for (const [name, text] of Object.entries(variants)) {
    it(`shows the steps of a snippet: ${name}`, () => {
      const r = analyze({ log: text });
      expect(r.input.logFormat).toBe("legacy");
      expect(r.steps.map((s) => [s.instruction, s.status])).toEqual([
        ["WORKDIR", "cached"],
        ["COPY", "rebuilt"],
        ["RUN", "rebuilt"],
      ]);
      // The COPY that re-ran is the root, offered with its candidates (a snippet decides nothing).
      const copy = r.steps[1];
      expect(copy.miss?.rootCause).toBe(true);
      expect(copy.miss?.evidence).toBe("candidates");
      expect(copy.miss?.candidates).toContain("context-changed");
      const text2 = renderText(r);
      expect(text2).toContain("COPY app.txt ./");
      expect(text2).toMatch(/Evidence: one of: context changed/);
    });
  }
});
