/**
 * Property: a random secret, in a random form, planted at a random line of a real captured log
 * (fixtures/scenarios/<slug>/after.log, with its Dockerfile), never reaches any shared output —
 * permalink payload, stored body, JSON report, Markdown, text, SVG.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { inflateSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { renderMarkdown, renderSvgCard, renderText } from "../../lib/render/index";
import { base64UrlToBytes, createPermalink } from "../../lib/share/permalink";
import { redactInputs } from "../../lib/share/redact";
import { analyzeForSharing } from "../../lib/share/share-report";

const dir = path.resolve(__dirname, "../../fixtures/scenarios");
const slugs = existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(path.join(dir, d, "after.log"))) : [];
const read = (slug: string, f: string) => (existsSync(path.join(dir, slug, f)) ? readFileSync(path.join(dir, slug, f), "utf8") : null);

/** How the secret S is printed. Each keeps S whole in the text. */
const FORMS: ((s: string) => string)[] = [
  (s) => `ghp_${s.padEnd(36, "x").slice(0, 36)}`,
  (s) => `curl -H "Authorization: Bearer ${s}" https://api.example.com`,
  (s) => `curl -H 'X-Api-Key: ${s}' https://api.example.com`,
  (s) => `docker login -u ci -p ${s} registry.example.com`,
  (s) => `tool --api-token=${s}`,
  (s) => `git clone https://ci:${s}@git.example.com/r.git`,
  (s) => `export DEPLOY_SECRET=${s}`,
  (s) => `--build-arg NPM_TOKEN=${s}`,
  (s) => `{"password": "${s}"}`,
  (s) => `curl "https://x.blob.core.windows.net/a?sv=1&sig=${s}"`,
  (s) => `https://hooks.slack.com/services/T0/B0/${s}`,
  (s) => `npm config set //r.example.com/:_authToken ${s}`,
  (s) => `-----BEGIN PRIVATE KEY-----\n${s}\n${s.split("").reverse().join("")}\n-----END PRIVATE KEY-----`,
];

const secretArb = fc.stringMatching(/^[A-Za-z0-9]{12,40}$/).map((s) => `Zq9${s}`);

function plant(log: string, at: number, text: string): string {
  const lines = log.split("\n");
  const i = at % lines.length;
  const vertex = /^#(\d+) /.exec(lines[i] ?? "");
  const prefix = vertex ? `#${vertex[1]} 0.123 ` : "";
  const planted = text.split("\n").map((l) => prefix + l);
  lines.splice(i + 1, 0, ...planted);
  return lines.join("\n");
}

function secretsIn(text: string, secret: string): boolean {
  const rev = secret.split("").reverse().join("");
  return text.includes(secret) || text.includes(rev) || text.includes(secret.slice(0, 36));
}

describe.skipIf(slugs.length === 0)("property: planted random secrets never reach a shared output", () => {
  it("in real captured logs", () => {
    fc.assert(
      fc.property(fc.constantFrom(...slugs), fc.nat(), fc.nat(FORMS.length - 1), secretArb, (slug, at, formIndex, secret) => {
        const text = FORMS[formIndex]!(secret);
        const log = plant(read(slug, "after.log")!, at, text);
        const inputs = { log, dockerfile: read(slug, "Dockerfile"), previousLog: read(slug, "before.log"), previousDockerfile: null, image: null };
        const outputs: string[] = [];
        outputs.push(JSON.stringify(redactInputs(inputs).inputs));
        const link = createPermalink({ inputs, selectedStep: null, view: "graph" });
        outputs.push(strFromU8(inflateSync(base64UrlToBytes(link.hash.slice(4)))));
        const { report, redactions } = analyzeForSharing(inputs);
        outputs.push(JSON.stringify(report), renderMarkdown(report), renderText(report), renderSvgCard(report));
        for (const o of outputs) if (secretsIn(o, secret)) return false;
        return redactions.length > 0;
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 80) },
    );
  });
});
