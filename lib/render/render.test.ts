import { describe, expect, it } from "vitest";
import { codeBlock, escapeMarkdown, escapeMermaid, escapeXml, proseToMarkdown } from "./escape";
import { literalReport, literalStep } from "./fixture-report";
import { COMMENT_MARKER, renderMarkdown } from "./markdown";
import { renderMermaid } from "./mermaid";
import { renderSvgCard } from "./svg-card";
import { renderText, sanitizeTerminal } from "./text";

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  "</details><script>alert(1)</script>",
  "```\n# injected heading\n```",
  "[click](https://evil.example) ![x](https://evil.example/x.png)",
  "@octocat please look | col | col",
  '"]; click s0 href "javascript:alert(1)"; s9["',
  "#quot; & &amp; `x` {{t}} ~~s~~ **b** _i_",
  "\x1b[31mred\x1b[0m\x07bell",
];

function hostileReport() {
  const base = literalReport();
  const steps = HOSTILE.map((t, i) =>
    literalStep({ stageIndex: 0, stage: "build", position: i + 2, of: HOSTILE.length + 1, text: `RUN ${t}`, status: i % 2 ? "cached" : "rebuilt", durationSeconds: 1 }),
  );
  return literalReport({
    steps: [base.steps[0]!, ...steps],
    stages: [{ ...base.stages[0]!, name: HOSTILE[5]! }, { ...base.stages[0]!, index: 1, name: HOSTILE[0]!, edges: [{ fromStage: 0, fromImage: null, kind: "copy-from", line: 9 }] }],
    build: { ...base.build, status: "failed", errorMessage: "process \"/bin/sh -c ```\" did not complete: <b>exit 1</b>" },
    rootCauses: [{ ...base.rootCauses[0]!, rootStep: "0:2", explanation: `copies \`${HOSTILE[2]}\` and ${HOSTILE[0]}`, fix: HOSTILE[1]! }],
    findings: [{ ...base.findings[0]!, message: HOSTILE[3]!, fix: HOSTILE[4]! }],
    diagnostics: [{ severity: "warning", source: "log", line: 3, code: "log/x", message: HOSTILE[1]! }],
  });
}

/** Markdown with the content of fenced code blocks removed (and whether every fence closed). */
function outsideFences(md: string): string {
  return scanFences(md).text;
}

function fencesBalanced(md: string): boolean {
  return scanFences(md).open === null;
}

function scanFences(md: string): { text: string; open: string | null } {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split("\n")) {
    const m = /^(`{3,})/.exec(line);
    if (fence) {
      if (m && m[1] === fence && line.trim() === fence) fence = null;
      continue;
    }
    if (m) fence = m[1]!;
    else out.push(line);
  }
  return { text: out.join("\n"), open: fence };
}

describe("escaping", () => {
  it("escapeMarkdown leaves no active character", () => {
    const out = escapeMarkdown(HOSTILE.join(" "));
    const withoutEntities = out.replace(/&(?:#\d+|amp|lt|gt);/g, "");
    expect(withoutEntities).not.toMatch(/[<>`*_[\]|~#!&]/);
    expect(out).not.toMatch(/@(?!\u2060)/);
    expect(out).not.toMatch(/[\n\r\x1b\x07]/);
  });

  it("proseToMarkdown turns backtick spans into escaped <code>", () => {
    expect(proseToMarkdown("copies `src/<a>.js` and `x`")).toBe("copies <code>src/&lt;a&gt;.js</code> and <code>x</code>");
    // unbalanced backticks: everything escaped, no code span
    expect(proseToMarkdown("a `b ` c ` d")).not.toContain("<code>");
  });

  it("codeBlock uses a fence longer than any backtick run inside", () => {
    const block = codeBlock("a ``` b ```` c");
    expect(block.startsWith("`````\n")).toBe(true);
    expect(block.endsWith("\n`````")).toBe(true);
  });

  it("escapeMermaid escapes quotes, brackets, # and HTML", () => {
    expect(escapeMermaid('a"b[c]#d<e>&`')).toBe("a#34;b#91;c#93;#35;d#60;e#62;#38;#96;");
  });

  it("escapeXml", () => {
    expect(escapeXml(`<a href="x">&'\x01`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
});

describe("renderMarkdown", () => {
  it("has headline, diagnosis, mermaid, root causes, findings, steps and the link", () => {
    const md = renderMarkdown(literalReport(), { shareUrl: "https://cachescope.dev/#v1.abc" });
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    expect(md).toContain("### ✅ Success · 50% cache hits · rebuilt 2.5s of 3.2s");
    expect(md).toContain("**Partly rebuilt**");
    expect(md).toContain("```mermaid\nflowchart LR");
    expect(md).toContain("<details><summary><b>1. context changed</b>");
    expect(md).toContain("**Fix:** Copy <code>package.json</code> first.");
    expect(md).toContain("| ⚠️ warning | 5 |");
    expect(md).toContain("[Open the full analysis in Cachescope](https://cachescope.dev/#v1.abc)");
    expect(md).toContain("Evidence: one of&#58; context changed, instruction changed — decided by");
  });

  it("cannot be injected into by step text, stage names, messages", () => {
    const md = renderMarkdown(hostileReport(), { shareUrl: "https://x.dev/#v1.a" });
    // Outside fenced blocks (whose content GitHub shows verbatim) no user HTML survives.
    expect(outsideFences(md)).not.toMatch(/<img|<script|<\/details><script|<b>exit/i);
    expect(md).not.toContain("](https://evil");
    expect(md).not.toMatch(/@octocat/);
    expect(md).not.toContain("\x1b");
    // Every fence that opens closes; <details> balanced.
    expect(fencesBalanced(md)).toBe(true);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    // The build error is inside a fence the content cannot close.
    expect(md).toContain("````text\nprocess");
  });

  it("refuses javascript: links", () => {
    const md = renderMarkdown(literalReport(), { shareUrl: "javascript:alert(1)" });
    expect(md).not.toContain("javascript:");
  });

  it("drops a share URL too long for the budget and says so", () => {
    const md = renderMarkdown(literalReport(), { shareUrl: "https://x.dev/#v1." + "a".repeat(40_000), maxBytes: 60_000 });
    expect(md).not.toContain("aaaaaaaaaa");
    expect(md).toMatch(/too long for a comment/);
  });

  it("shrinks to a budget without cutting blocks", () => {
    const md = renderMarkdown(hostileReport(), { maxBytes: 1500 });
    expect(new TextEncoder().encode(md).length).toBeLessThanOrEqual(1500);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    expect(fencesBalanced(md)).toBe(true);
  });
});

describe("renderMermaid", () => {
  it("one node per stage with status word, classDefs, edges", () => {
    const m = renderMermaid(literalReport());
    expect(m).toMatch(/^flowchart LR\n/);
    expect(m).toContain('s0["build<br/>REBUILT · 1 cached, 1 rebuilt"]');
    expect(m).toContain('img0[("local/busybox:latest")]');
    expect(m).toContain("img0 --> s0");
    expect(m).toContain("classDef rebuilt");
    expect(m).toContain("class s0 rebuilt");
  });

  it("labels cannot break out of their quotes", () => {
    const m = renderMermaid(hostileReport());
    for (const line of m.split("\n").filter((l) => /^\s+s\d+\[/.test(l))) {
      const inner = line.slice(line.indexOf('["') + 2, line.lastIndexOf('"]'));
      expect(inner).not.toMatch(/["`[\]]/);
      expect(inner.replace(/<br\/>/g, "")).not.toMatch(/[<>]/);
    }
    expect(m).not.toContain("javascript:alert(1)\"");
    expect(m).toContain("s0 -. copy .-> s1");
  });
});

describe("renderText", () => {
  it("headline, diagnosis, root causes, steps, findings; no colour by default", () => {
    const t = renderText(literalReport());
    expect(t).toContain("Cachescope — build SUCCESS · 50% cache hits (1 cached, 1 rebuilt of 2 steps that ran)");
    expect(t).toContain("Rebuilt 2.5s of 3.2s · critical path 2.5s · timing estimated");
    expect(t).toContain("Partly rebuilt: 1 of 2 steps re-ran");
    expect(t).toMatch(/1\. \[build 3\/3\] COPY \. \. \(line 5\)/);
    expect(t).toContain("context changed (1 of 2 candidates) · cost 2.5s · 1 step rebuilt");
    expect(t).toContain("Fix: Copy `package.json` first.");
    expect(t).toMatch(/REBUILT\s+\[build 3\/3\]\s+2\.5s  COPY \. \. ← context changed/);
    expect(t).toContain("warning line 5 [copy-context-before-install]");
    expect(t).not.toContain("\x1b");
  });

  it("colour only when asked; log text cannot inject escapes", () => {
    expect(renderText(literalReport(), { color: true })).toContain("\x1b[");
    const t = renderText(hostileReport());
    expect(t).not.toMatch(/[\x07\x1b]/);
    expect(sanitizeTerminal("a\x1b[2Jb\tc\n")).toBe("a[2Jb\tc\n");
  });

  it("summarises long step lists", () => {
    const r = hostileReport();
    expect(renderText(r, { maxSteps: 3 })).toMatch(/… and 6 more steps/);
  });
});

describe("renderSvgCard", () => {
  it("from a report: status, hit ratio, rebuilt time, top cause, escaped", () => {
    const svg = renderSvgCard(hostileReport());
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("FAILED");
    expect(svg).toContain("50%");
    expect(svg).toContain("rebuilt 2.5s of 3.2s");
    expect(svg).toContain("context changed — [build 2/9] RUN &lt;img");
    expect(svg).not.toContain("<img");
  });

  it("from parameters", () => {
    const svg = renderSvgCard({ status: "success", hitRatio: 1, rebuiltSeconds: 0, totalSeconds: 1, cause: null });
    expect(svg).toContain("100%");
    expect(svg).toContain("No cache misses");
  });
});
