/**
 * The renderers on reports the engine produces from the captured real builds
 * (fixtures/scenarios) and from a generated 2,000-step build.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../analyze/index";
import { loadAllScenarios } from "../../test/scenarios";
import { missCounts, stepCounts } from "./format";
import { generateBuild } from "./generate-build";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "./markdown";
import { detailsBalanced, fencesBalanced, mermaidBlocks, outsideFences } from "./md-check";
import { renderMermaid } from "./mermaid";
import { renderSvgCard } from "./svg-card";
import { renderText } from "./text";

const scenarios = loadAllScenarios().filter((s) => s.read(s.expected.logFile));

function reportFor(s: (typeof scenarios)[number]) {
  return analyze({
    log: s.readBytes(s.expected.logFile)!,
    dockerfile: s.read(s.expected.dockerfile ?? "Dockerfile"),
    previousLog: s.expected.previousLogFile ? s.readBytes(s.expected.previousLogFile) : null,
    previousDockerfile: s.expected.previousDockerfile ? s.read(s.expected.previousDockerfile) : null,
    image: s.expected.imageFile ? s.read(s.expected.imageFile) : null,
  });
}

describe.each(scenarios.map((s) => [s.slug, s] as const))("%s", (_slug, s) => {
  const report = reportFor(s);

  it("Markdown: headline, every root cause with its fix, intact blocks, under the limit", () => {
    const md = renderMarkdown(report, { shareUrl: "https://cachescope.dev/#v1.x" });
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(fencesBalanced(md)).toBe(true);
    expect(detailsBalanced(md)).toBe(true);
    expect(md).toMatch(/^<!-- cachescope-report -->\n\n### (✅|❌|⏹️|⚠️) /);
    const c = missCounts(report);
    // One set of numbers: the Markdown header counts what the diagnosis and the text count.
    const n = stepCounts(report.steps);
    expect(md).toContain(`| ${n.ran} | ${n.cached} | ${n.rebuilt} | ${n.failed + n.canceled} |`);
    expect(n.cached + n.rebuilt + n.failed + n.canceled).toBe(n.ran);
    expect(renderText(report)).toContain(`of ${n.ran} step${n.ran === 1 ? "" : "s"} that ran`);
    expect(c.cached + c.rebuilt + c.error).toBeLessThanOrEqual(report.summary.steps);
    report.rootCauses.slice(0, 10).forEach((rc, i) => expect(md).toContain(`<details><summary><b>${i + 1}. `));
    if (report.rootCauses.some((rc) => rc.fix)) expect(md).toContain("**Fix:**");
    expect(outsideFences(md)).not.toMatch(/<(?!\/?(details|summary|b|code|sub|br\/?)>)[a-z]/i);
    if (report.stages.length) expect(mermaidBlocks(md)).toHaveLength(1);
  });

  it("Mermaid: one node per stage, state in words, every stage classed", () => {
    const m = renderMermaid(report);
    for (const st of report.stages) {
      expect(m).toMatch(new RegExp(`\\n  s${st.index}\\["[^"\\n]*<br/>(CACHED|REBUILT|ERROR|NOT RUN) · `));
      expect(m).toMatch(new RegExp(`\\n  class [^\\n]*\\bs${st.index}\\b`));
    }
  });

  it("text: headline, diagnosis, root steps, every step listed", () => {
    const t = renderText(report);
    expect(t).toMatch(/^Cachescope — build (SUCCESS|FAILED|CANCELED|INCOMPLETE) · /);
    expect(t).toContain(report.diagnosis.title);
    for (const st of report.steps.slice(0, 60)) expect(t).toContain(`[${st.stage} ${st.position}/${st.of}]`);
    expect(t).not.toContain("\x1b");
  });

  it("SVG card", () => {
    const svg = renderSvgCard(report);
    expect(svg).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>$/);
    expect(svg.match(/<text/g)!.length).toBe(svg.match(/<\/text>/g)!.length);
  });
});

describe("a generated 2,000-step, 100-stage build", () => {
  const build = generateBuild(100, 20);
  const report = analyze({ log: build.log, dockerfile: build.dockerfile });

  it("the engine sees all of it", () => {
    expect(report.steps.length).toBe(2000);
    expect(report.stages.length).toBe(100);
    expect(report.summary.rebuilt).toBeGreaterThan(900);
  });

  it("Markdown stays under GitHub's comment limit, trimmed with '… and N more', blocks intact", () => {
    const md = renderMarkdown(report, { shareUrl: "https://cachescope.dev/s/0123456789abcdefABCDEF" });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(new TextEncoder().encode(md).length).toBeLessThanOrEqual(65_000);
    expect(md).toMatch(/… and \d+ more/);
    expect(fencesBalanced(md)).toBe(true);
    expect(detailsBalanced(md)).toBe(true);
    expect(md).toContain("https://cachescope.dev/s/0123456789abcdefABCDEF");
  });

  it("a tight budget still gives a complete comment", () => {
    for (const maxBytes of [30_000, 10_000, 3_000]) {
      const md = renderMarkdown(report, { maxBytes, shareUrl: "https://x.dev/s/abc" });
      expect(new TextEncoder().encode(md).length).toBeLessThanOrEqual(maxBytes);
      expect(fencesBalanced(md)).toBe(true);
      expect(detailsBalanced(md)).toBe(true);
      expect(md).toContain("https://x.dev/s/abc");
    }
  });

  it("text stays short", () => {
    const t = renderText(report);
    expect(t.split("\n").length).toBeLessThan(200);
    expect(t).toMatch(/… and 1940 more steps/);
  });
});
