/**
 * Property tests for analyze(): damaged real logs with their (possibly damaged) Dockerfiles, foreign
 * Dockerfiles, arbitrary text, compare mode with a damaged previous log. analyze must never throw,
 * every status and cause code must be a valid enum value, and the report must survive a JSON round
 * trip unchanged (JSON.parse(JSON.stringify(r)) deep-equals r).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, isUnreadable } from "../../lib/analyze/index";
import { generateSmallBuild } from "../../bench/generate";
import { checkReport, runs, smallRealLogs } from "./helpers";
import { applyOps, interleave, lineOp, shuffleLines } from "./mutate";

const pool = () => [
  ...smallRealLogs().map((l) => ({ log: l.text, dockerfile: l.dockerfile })),
  ...[5, 6, 7].flatMap((seed) => (["plain", "old", "rawjson", "rawjson-lines"] as const).map((f) => generateSmallBuild(seed, f))).map((g) => ({ log: g.log, dockerfile: g.dockerfile })),
];

function analyzeOk(input: Parameters<typeof analyze>[0]) {
  const before = JSON.stringify({ ...input, log: typeof input.log === "string" ? input.log : Array.from(input.log) });
  const r = analyze(input);
  checkReport(r);
  if (isUnreadable(r) && typeof input.log === "string" && /\S/.test(input.log)) {
    expect(r.diagnostics.length, "unreadable log explained by a diagnostic").toBeGreaterThan(0);
  }
  expect(JSON.stringify({ ...input, log: typeof input.log === "string" ? input.log : Array.from(input.log) }), "input not mutated").toBe(before);
  return r;
}

describe("analyze properties", () => {
  it("damaged real logs with their Dockerfiles", () => {
    const p = pool();
    fc.assert(
      fc.property(fc.constantFrom(...p), fc.array(lineOp, { maxLength: 10 }), fc.array(lineOp, { maxLength: 4 }), (b, logOps, dfOps) => {
        analyzeOk({ log: applyOps(b.log, logOps), dockerfile: b.dockerfile ? applyOps(b.dockerfile, dfOps) : null });
      }),
      runs(250),
    );
  });

  it("logs paired with the wrong Dockerfile, shuffled or interleaved", () => {
    const p = pool();
    fc.assert(
      fc.property(fc.constantFrom(...p), fc.constantFrom(...p), fc.integer(), (a, b, seed) => {
        analyzeOk({ log: a.log, dockerfile: b.dockerfile });
        analyzeOk({ log: shuffleLines(a.log, seed, 0.7), dockerfile: a.dockerfile });
        analyzeOk({ log: interleave(a.log, b.log, seed), dockerfile: a.dockerfile });
      }),
      runs(100),
    );
  });

  it("compare mode with a damaged previous log and Dockerfile", () => {
    const p = pool();
    fc.assert(
      fc.property(fc.constantFrom(...p), fc.constantFrom(...p), fc.array(lineOp, { maxLength: 6 }), fc.option(fc.integer({ min: -2, max: 5 })), (a, b, ops, build) => {
        analyzeOk({ log: a.log, dockerfile: a.dockerfile, previousLog: applyOps(b.log, ops), previousDockerfile: b.dockerfile, build });
      }),
      runs(100),
    );
  });

  it("arbitrary text and bytes as log and Dockerfile", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 }), fc.uint8Array({ maxLength: 300 })),
        fc.option(fc.string({ maxLength: 200 })),
        fc.option(fc.string({ maxLength: 100 })),
        (log, dockerfile, image) => {
          analyzeOk({ log, dockerfile, image });
        },
      ),
      runs(250),
    );
  });

  it("every byte prefix of a short real log, with its Dockerfile", () => {
    const short = [...smallRealLogs(4096)].filter((l) => l.dockerfile).sort((a, b) => a.bytes.length - b.bytes.length).find((l) => l.bytes.length >= 600);
    const g = generateSmallBuild(8, "rawjson");
    const samples = [short ? { bytes: short.bytes, df: short.dockerfile } : null, { bytes: new TextEncoder().encode(g.log.slice(0, 2500)), df: g.dockerfile }].filter(Boolean) as { bytes: Uint8Array; df: string | null }[];
    for (const s of samples) {
      for (let i = 0; i <= s.bytes.length; i++) {
        const r = analyze({ log: s.bytes.subarray(0, i), dockerfile: s.df });
        if (i % 100 === 0 || i === s.bytes.length) checkReport(r);
        else for (const st of r.steps) expect(["cached", "rebuilt", "error", "canceled", "unfinished", "not-run"]).toContain(st.status);
      }
    }
  });
});
