/**
 * The planted-secrets set (this folder, plus the real captured fixture 25-secret-in-build-arg):
 * no planted secret may appear in anything Cachescope shares — the permalink payload (decoded),
 * the stored share body, the Markdown comment, the text report, the JSON report, the SVG card.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync, strFromU8 } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../lib/render/markdown";
import { renderSvgCard } from "../../lib/render/svg-card";
import { renderText } from "../../lib/render/text";
import { handleCreateShare } from "../../lib/server/share-api";
import { SqliteShareStore } from "../../lib/server/storage/sqlite";
import { base64UrlToBytes, createPermalink, readPermalinkFromHash } from "../../lib/share/permalink";
import { analyzeForSharing } from "../../lib/share/share-report";
import type { ShareInputs } from "../../lib/share/schema";

const here = __dirname;
const read = (f: string) => readFileSync(path.join(here, f), "utf8");
const planted: Record<string, string> = JSON.parse(read("secrets.json")).secrets;

const fx = path.resolve(here, "../../fixtures/scenarios/25-secret-in-build-arg");
const fxRead = (f: string) => (existsSync(path.join(fx, f)) ? readFileSync(path.join(fx, f), "utf8") : null);

interface Case {
  name: string;
  inputs: ShareInputs;
  secrets: Record<string, string>;
}

const cases: Case[] = [
  {
    name: "test/secrets (every token format)",
    inputs: { dockerfile: read("Dockerfile"), log: read("build.log"), previousLog: read("rawjson.log"), previousDockerfile: null, image: null },
    secrets: planted,
  },
];
if (fxRead("after.log")) {
  const all = [fxRead("after.log"), fxRead("Dockerfile"), fxRead("image.history.jsonl")].join("\n");
  const tokens = [...new Set(all.match(/npm_[A-Za-z0-9]{36}/g) ?? [])];
  cases.push({
    name: "fixture 25-secret-in-build-arg (real BuildKit log + docker history)",
    inputs: { dockerfile: fxRead("Dockerfile"), log: fxRead("after.log")!, previousLog: fxRead("before.log"), previousDockerfile: null, image: fxRead("image.history.jsonl") },
    secrets: Object.fromEntries(tokens.map((t, i) => [`fixture-npm-${i}`, t])),
  });
}

/** Undo Markdown/HTML/XML escaping so an entity-encoded secret still counts as a leak. */
function unescape(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\u2060/g, "");
}

function leaked(text: string, secrets: Record<string, string>): string[] {
  const plain = unescape(text);
  return Object.entries(secrets)
    .filter(([, v]) => plain.includes(v))
    .map(([k]) => k);
}

const dir = mkdtempSync(path.join(tmpdir(), "cachescope-secrets-"));
const store = new SqliteShareStore(path.join(dir, "shares.db"));
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
  it("the inputs really hold the secrets", () => {
    const raw = JSON.stringify(c.inputs);
    const visible = Object.fromEntries(Object.entries(c.secrets).filter(([k]) => k !== "rawjson-token"));
    expect(leaked(raw, visible).sort()).toEqual(Object.keys(visible).sort());
    expect(Object.keys(c.secrets).length).toBeGreaterThan(0);
  });

  it("permalink payload (decoded two ways)", () => {
    const link = createPermalink({ inputs: c.inputs, selectedStep: null, view: "graph" }, { baseUrl: "https://cachescope.dev/" });
    expect(link.redactions.length).toBeGreaterThan(0);
    const raw = strFromU8(inflateSync(base64UrlToBytes(link.hash.slice("#v1.".length))));
    expect(leaked(raw, c.secrets)).toEqual([]);
    expect(leaked(link.url, c.secrets)).toEqual([]);
    const back = readPermalinkFromHash(link.hash);
    expect(back.ok).toBe(true);
    expect(leaked(JSON.stringify(back), c.secrets)).toEqual([]);
    // rawjson base64 data decoded too
    const decoded = [...raw.matchAll(/\\"data\\": \\"([A-Za-z0-9+/=]+)\\"/g)].map((m) => Buffer.from(m[1]!, "base64").toString("utf8")).join("\n");
    expect(leaked(decoded, c.secrets)).toEqual([]);
  });

  it("stored share body", async () => {
    const res = await handleCreateShare(
      new Request("http://localhost/api/share", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ version: 1, inputs: c.inputs }),
      }),
      { store, limiter: null, prepare: null },
    );
    expect(res.status).toBe(201);
    const { id, redactions } = await res.json();
    expect(redactions.length).toBeGreaterThan(0);
    const row = await store.get(id);
    expect(leaked(row!.body, c.secrets)).toEqual([]);
  });

  it("control: without redaction the report would carry a secret", async () => {
    const { analyze } = await import("../../lib/analyze/index");
    const raw = analyze({ log: c.inputs.log, dockerfile: c.inputs.dockerfile, image: c.inputs.image });
    expect(leaked(JSON.stringify(raw), c.secrets).length).toBeGreaterThan(0);
  });

  it("Markdown, text, JSON and SVG built for sharing", () => {
    const { report, redactions } = analyzeForSharing(c.inputs);
    expect(redactions.length).toBeGreaterThan(0);
    expect(report.steps.length).toBeGreaterThan(0);
    expect(leaked(renderMarkdown(report, { shareUrl: "https://cachescope.dev/s/x" }), c.secrets)).toEqual([]);
    expect(leaked(renderText(report), c.secrets)).toEqual([]);
    expect(leaked(JSON.stringify(report), c.secrets)).toEqual([]);
    expect(leaked(renderSvgCard(report), c.secrets)).toEqual([]);
  });
});
