/**
 * Redaction must not change what the analysis says about a real build without secrets: every
 * captured scenario (fixtures/scenarios) and every published log of the shared corpus
 * (../shared/corpus, skipped when absent) gives the same steps, statuses and root causes from its
 * redacted inputs as from the originals. Catches rules that fire on ordinary log text.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../analyze/index";
import { decodeLog } from "../../parse/log/index";
import { redactInputs } from "../redact";

const root = path.resolve(__dirname, "../../..");
const scenarios = path.join(root, "fixtures/scenarios");
const corpus = process.env.CACHESCOPE_CORPUS_DIR || path.resolve(root, "../shared/corpus");

interface Case {
  name: string;
  log: string;
  dockerfile: string | null;
}

const cases: Case[] = [];
if (existsSync(scenarios))
  for (const d of readdirSync(scenarios)) {
    const f = (n: string) => (existsSync(path.join(scenarios, d, n)) ? readFileSync(path.join(scenarios, d, n), "utf8") : null);
    const log = f("after.log");
    if (log && !d.includes("secret")) cases.push({ name: `scenario ${d}`, log, dockerfile: f("Dockerfile") });
  }
if (existsSync(corpus))
  for (const d of readdirSync(corpus)) {
    const file = path.join(corpus, d, "build.log");
    if (existsSync(file)) cases.push({ name: `corpus ${d}`, log: decodeLog(new Uint8Array(readFileSync(file))).text, dockerfile: null });
  }

const summary = (r: ReturnType<typeof analyze>) => ({
  steps: r.steps.map((s) => [s.id, s.status]),
  causes: (r.rootCauses ?? []).map((c) => [c.rootStep, c.cause]),
});

describe.skipIf(cases.length === 0)("redaction does not change the analysis of real builds", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const { inputs, redactions } = redactInputs({ log: c.log, dockerfile: c.dockerfile });
    const before = summary(analyze({ log: c.log, dockerfile: c.dockerfile }));
    const after = summary(analyze({ log: inputs.log!, dockerfile: inputs.dockerfile }));
    expect(after, `redacted: ${JSON.stringify(redactions)}`).toEqual(before);
  });
});
