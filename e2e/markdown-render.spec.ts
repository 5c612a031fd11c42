/**
 * The Mermaid stage graphs of the Markdown comment must parse and render in the real `mermaid`
 * package (the renderer GitHub uses), in Chromium: for every captured fixture build, a generated
 * 100-stage build and a report full of hostile names. mermaid is served from node_modules by a
 * tiny static server started here, so this spec needs neither the app nor the network.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { analyze } from "../lib/analyze/index";
import { literalReport, literalStep } from "../lib/render/fixture-report";
import { generateBuild } from "../lib/render/generate-build";
import { renderMarkdown } from "../lib/render/markdown";
import { mermaidBlocks } from "../lib/render/md-check";

const ROOT = process.cwd();
const SCENARIOS = path.join(ROOT, "fixtures", "scenarios");
const MERMAID = path.join(ROOT, "node_modules", "mermaid", "dist", "mermaid.min.js");

interface Diagram {
  name: string;
  source: string;
}

function fixtureDiagrams(): Diagram[] {
  if (!fs.existsSync(SCENARIOS)) return [];
  const out: Diagram[] = [];
  for (const slug of fs.readdirSync(SCENARIOS).sort()) {
    const dir = path.join(SCENARIOS, slug);
    const expectedFile = path.join(dir, "expected.json");
    if (!fs.existsSync(expectedFile)) continue;
    const expected = JSON.parse(fs.readFileSync(expectedFile, "utf8"));
    const read = (f: string | null | undefined) => (f && fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : null);
    const log = read(expected.logFile ?? "after.log");
    if (!log) continue;
    const report = analyze({ log, dockerfile: read(expected.dockerfile ?? "Dockerfile"), previousLog: read(expected.previousLogFile) });
    for (const source of mermaidBlocks(renderMarkdown(report))) out.push({ name: slug, source });
  }
  return out;
}

function hostileDiagram(): Diagram {
  const names = ['a"b', "x]y[z", "#quot; & <b>bold</b>", "back`tick```", "semi;colon|pipe", "{curly} (paren) %% comment", "classDef evil fill:red", "end", "click s0 call alert(1)"];
  const base = literalReport();
  const stages = names.map((name, index) => ({
    ...base.stages[0]!,
    index,
    name,
    edges: index === 0 ? base.stages[0]!.edges : [{ fromStage: index - 1, fromImage: null, kind: (index % 2 ? "copy-from" : "from") as "copy-from" | "from", line: null }],
  }));
  const steps = stages.map((st, i) => literalStep({ stageIndex: st.index, stage: st.name, position: 2, of: 2, text: `RUN ${names[i]}`, status: i % 3 === 0 ? "rebuilt" : i % 3 === 1 ? "cached" : "error" }));
  const md = renderMarkdown(literalReport({ stages, steps }));
  return { name: "hostile names", source: mermaidBlocks(md)[0]! };
}

function bigDiagram(): Diagram {
  const b = generateBuild(100, 20);
  const md = renderMarkdown(analyze({ log: b.log, dockerfile: b.dockerfile }));
  return { name: "generated 100-stage build", source: mermaidBlocks(md)[0]! };
}

let server: http.Server;
let base = "";

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/mermaid.min.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      fs.createReadStream(MERMAID).pipe(res);
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end('<!doctype html><html><head><meta charset="utf-8"><script src="/mermaid.min.js"></script></head><body><div id="out"></div></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test("the Markdown comment's Mermaid diagrams render without a parse error", async ({ page }) => {
  test.skip(!fs.existsSync(MERMAID), "mermaid is not installed (npm install)");
  const diagrams = [...fixtureDiagrams(), hostileDiagram(), bigDiagram()];
  expect(diagrams.length).toBeGreaterThan(3);

  await page.goto(base);
  await page.waitForFunction(() => typeof (window as unknown as { mermaid?: unknown }).mermaid !== "undefined");
  const results = await page.evaluate(async (list: Diagram[]) => {
    const mermaid = (window as unknown as { mermaid: { initialize(c: object): void; parse(s: string): Promise<unknown>; render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", maxTextSize: 200_000, maxEdges: 2000 });
    const out: { name: string; error: string | null; svg: string }[] = [];
    for (const [i, d] of list.entries()) {
      try {
        await mermaid.parse(d.source);
        const { svg } = await mermaid.render(`d${i}`, d.source);
        out.push({ name: d.name, error: null, svg });
      } catch (e) {
        out.push({ name: d.name, error: String((e as Error)?.message ?? e), svg: "" });
      }
    }
    return out;
  }, diagrams);

  for (const r of results) {
    expect(r.error, `${r.name}: ${r.error}`).toBeNull();
    expect(r.svg, r.name).toContain("<svg");
    expect(r.svg, r.name).not.toContain("Syntax error");
  }
  // Labels come out as text, escaped characters restored, no injected markup.
  const hostile = results.find((r) => r.name === "hostile names")!;
  expect(hostile.svg).toContain("back`tick```");
  expect(hostile.svg).not.toMatch(/<b>bold<\/b>/);
  expect(hostile.svg).toMatch(/REBUILT|CACHED|ERROR/);
});
