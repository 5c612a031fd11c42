/**
 * Every planted form (forms.ts) × every input flavour (plain log output, plain vertex name, rawjson
 * chunks cut inside the secret, rawjson with non-UTF-8 bytes, rawjson vertex name, Dockerfile with
 * its expanded vertex) × every shared channel (permalink payload and its reading, stored link body,
 * its GET and its page's inputs, JSON report, Markdown, Mermaid, text, SVG card): 0 leaks, and the
 * redaction list names the right kind.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync, strFromU8 } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { renderMarkdown, renderMermaid, renderSvgCard, renderText } from "../../lib/render/index";
import { handleCreateShare, handleGetShare, loadShare } from "../../lib/server/share-api";
import { SqliteShareStore } from "../../lib/server/storage/sqlite";
import { base64UrlToBytes, createPermalink, readPermalinkFromHash } from "../../lib/share/permalink";
import { analyzeForSharing } from "../../lib/share/share-report";
import type { ShareInputs } from "../../lib/share/schema";
import { FORMS, type SecretForm } from "./forms";

const root = path.resolve(__dirname, "../..");
const fx = (slug: string, f: string) => readFileSync(path.join(root, "fixtures/scenarios", slug, f), "utf8");
const PLAIN = "25-secret-in-build-arg";
const RAW = "19-rawjson-partial-rebuild";
const FIXTURE_TOKEN = "npm_FAKEcachescope0fixture0token00000000";
const haveFixtures = existsSync(path.join(root, "fixtures/scenarios", PLAIN)) && existsSync(path.join(root, "fixtures/scenarios", RAW));

// ------------------------------------------------------------------ planting

const PLAIN_RUN = "#10 [6/6] RUN sleep 1 && cat src/*.js > bundle.js";
const RAW_DIGEST = "sha256:e575a5be18a080d4f901fbce016e119c1202be2bdf40a815949319e9ef7f22dc";
const RAW_NAME = '"[stage-2 5/5] RUN sleep 1 \\u0026\\u0026 wc -c bundle.js api.txt"';

/** Go's json.Marshal escaping (& < > as \u00XX), as rawjson prints names. */
const goJson = (s: string) => JSON.stringify(s).replace(/&/g, "\\u0026").replace(/</g, "\\u003c").replace(/>/g, "\\u003e");

function plantPlainOutput(log: string, text: string): string {
  const lines = text.split("\n").map((l, i) => `#10 0.${String(500 + i).padStart(3, "0")} ${l}`);
  return log.replace("#10 DONE 1.2s", lines.join("\n") + "\n#10 DONE 1.2s");
}

function rawLogsObject(chunks: Uint8Array[]): string {
  return chunks
    .map((c, i) =>
      JSON.stringify({ logs: [{ vertex: RAW_DIGEST, stream: 1, data: Buffer.from(c).toString("base64"), timestamp: `2026-11-22T06:27:43.1${i}Z` }] }, null, 2),
    )
    .join("\n");
}

function plantRaw(log: string, objects: string): string {
  const at = log.indexOf('{\n  "vertexes": [\n    {\n      "digest": "' + RAW_DIGEST + '",', log.indexOf('"logs"'));
  return log.slice(0, at) + objects + "\n" + log.slice(at);
}

/** Cuts `bytes` into 3 chunks, the first cut inside the first secret. */
function cutInside(bytes: Uint8Array, text: string, secret: string): Uint8Array[] {
  const i = Buffer.from(text.slice(0, Math.max(0, text.indexOf(secret)))).length + Math.floor(Buffer.from(secret).length / 2);
  const j = Math.min(bytes.length, i + 7);
  return [bytes.slice(0, i), bytes.slice(i, j), bytes.slice(j)];
}

interface Flavour {
  name: string;
  inputs: ShareInputs;
}

function flavours(form: SecretForm): Flavour[] {
  const df = fx(PLAIN, "Dockerfile");
  const log = fx(PLAIN, "after.log");
  const rawLog = fx(RAW, "after.rawjson.log");
  const rawDf = fx(RAW, "Dockerfile");
  const base = { previousLog: null, previousDockerfile: null, image: null };
  const out: Flavour[] = [];
  if (form.where === "dockerfile") {
    const plantedDf = df.replace("RUN sleep 1 && cat src/*.js > bundle.js", form.text);
    out.push({ name: "Dockerfile + expanded plain vertex", inputs: { ...base, dockerfile: plantedDf, log: log.replace(PLAIN_RUN, `#10 [6/6] ${form.vertex}`) } });
    out.push({
      name: "Dockerfile + expanded rawjson vertex",
      inputs: { ...base, dockerfile: rawDf.replace("RUN sleep 1 && wc -c bundle.js api.txt", form.text), log: rawLog.split(RAW_NAME).join(goJson(`[stage-2 5/5] ${form.vertex}`)) },
    });
    return out;
  }
  out.push({ name: "plain log output", inputs: { ...base, dockerfile: df, log: plantPlainOutput(log, form.text) } });
  if (form.where === "line") out.push({ name: "plain vertex name", inputs: { ...base, dockerfile: df, log: log.replace(PLAIN_RUN, `${PLAIN_RUN.replace("RUN sleep 1 &&", `RUN sleep 1 && ${form.text} &&`)}`) } });
  const text = form.text + "\n";
  const bytes = new TextEncoder().encode(text);
  out.push({ name: "rawjson chunks cut inside the secret", inputs: { ...base, dockerfile: rawDf, log: plantRaw(rawLog, rawLogsObject(cutInside(bytes, text, form.secrets[0]!))) } });
  // Not UTF-8: a stray 0xff byte, and "é" cut between two chunks.
  const pre = new Uint8Array([0xff, 0x20, 0xc3]);
  const mid = new Uint8Array([0xa9, 0x20]);
  out.push({ name: "rawjson with non-UTF-8 bytes", inputs: { ...base, dockerfile: rawDf, log: plantRaw(rawLog, rawLogsObject([pre, mid, ...cutInside(bytes, text, form.secrets[0]!)])) } });
  if (form.where === "line") out.push({ name: "rawjson vertex name", inputs: { ...base, dockerfile: rawDf, log: rawLog.split(RAW_NAME).join(goJson(`[stage-2 5/5] RUN sleep 1 && ${form.text} && wc -c bundle.js api.txt`)) } });
  return out;
}

// ------------------------------------------------------------------ leak detection

/** Every base64 string field decoded (UTF-8 and Latin-1), plus JSON / HTML unescaping. */
function expand(text: string): string {
  const parts = [text];
  const joined: Buffer[] = []; // all chunks end to end: a secret cut between chunks shows again
  for (const m of text.matchAll(/\\?"(?:data|short)\\?"\s*:\s*\\?"([A-Za-z0-9+/=]{4,})\\?"/g)) {
    const b = Buffer.from(m[1]!, "base64");
    joined.push(b);
    parts.push(b.toString("utf8"), b.toString("latin1"));
  }
  parts.push(Buffer.concat(joined).toString("utf8"), Buffer.concat(joined).toString("latin1"));
  const all = parts.join("\n");
  const unjson = all.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/\\(["\\/])/g, "$1").replace(/\\n/g, "\n");
  const unhtml = unjson.replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d))).replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/\u2060/g, "");
  return [all, unjson, unhtml].join("\n");
}

function leaks(text: string, secrets: string[]): string[] {
  const hay = expand(text);
  return secrets.filter((s) => hay.includes(s) || hay.includes(encodeURIComponent(s)));
}

// ------------------------------------------------------------------ channels

const dir = mkdtempSync(path.join(tmpdir(), "cachescope-forms-"));
const store = new SqliteShareStore(path.join(dir, "shares.db"));
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function channels(inputs: ShareInputs): Promise<{ outputs: Record<string, string>; kinds: string[] }> {
  const outputs: Record<string, string> = {};
  const link = createPermalink({ inputs, selectedStep: null, view: "graph" }, { baseUrl: "https://cachescope.example/" });
  outputs["permalink payload"] = strFromU8(inflateSync(base64UrlToBytes(link.hash.slice("#v1.".length))));
  outputs["permalink url"] = link.url;
  outputs["permalink opened"] = JSON.stringify(readPermalinkFromHash(link.hash));
  const post = await handleCreateShare(
    new Request("http://localhost/api/share", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ version: 1, inputs }) }),
    { store, limiter: null, prepare: null },
  );
  const created = await post.json();
  outputs["stored link response"] = JSON.stringify(created);
  outputs["stored link body"] = (await store.get(created.id))?.body ?? "(missing)";
  outputs["stored link GET"] = await (await handleGetShare(created.id, { store })).text();
  outputs["stored link page inputs"] = JSON.stringify(await loadShare(created.id, store));
  const { report, redactions } = analyzeForSharing(inputs);
  outputs["JSON report"] = JSON.stringify(report);
  outputs["Markdown"] = renderMarkdown(report, { shareUrl: link.url });
  outputs["Mermaid"] = renderMermaid(report);
  outputs["text"] = renderText(report);
  outputs["SVG card"] = renderSvgCard(report);
  const kinds = [...new Set([...link.redactions, ...redactions, ...(created.redactions ?? [])].map((r: { kind: string }) => r.kind))];
  return { outputs, kinds };
}

describe.skipIf(!haveFixtures)("planted secrets × channels: 0 leaks", () => {
  for (const form of FORMS) {
    describe(`${form.group}: ${form.id}`, () => {
      for (const f of haveFixtures ? flavours(form) : []) {
        it(f.name, async () => {
          const secrets = [...form.secrets, FIXTURE_TOKEN];
          // The control: the secret really is in the input (decoded where rawjson carries it).
          expect(leaks(JSON.stringify(f.inputs), form.secrets), "planted").toContain(form.secrets[0]);
          const { outputs, kinds } = await channels(f.inputs);
          for (const [channel, text] of Object.entries(outputs)) expect(leaks(text, secrets), `${channel} leaks`).toEqual([]);
          expect(kinds.some((k) => (form.kinds as string[]).includes(k)), `counted as ${form.kinds.join(" or ")} (got ${kinds.join(", ")})`).toBe(true);
        });
      }
    });
  }
});
