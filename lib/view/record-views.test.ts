/** The web views of build records, from captured records (fixtures/records/): history rows, the input line. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../analyze/index";
import { buildNumbers } from "./headline";
import { historyOf, toHistoryRows } from "./history";
import { buildsHeldBy, describeInput } from "./input-source";

const ROOT = join(__dirname, "..", "..", "fixtures", "records");
const report = (...p: string[]) => analyze({ log: new Uint8Array(readFileSync(join(ROOT, ...p))), dockerfile: null, previousLog: null, previousDockerfile: null, image: null, build: null });

describe("history rows (history/history.dockerbuild: cold, unchanged, source added, build arg, --no-cache, Dockerfile edit)", () => {
  const r = report("history", "history.dockerbuild");
  const rows = toHistoryRows(historyOf(r)!);

  it("one row per build, newest first, numbered as --build numbers them (1-based)", () => {
    expect(rows.map((x) => x.label)).toEqual(["#6", "#5", "#4", "#3", "#2", "#1"]);
    expect(rows.map((x) => x.versus)).toEqual(["vs #5", "vs #4", "vs #3", "vs #2", "vs #1", null]);
    expect(rows[0].when).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  });

  it("durations, hit ratios and rebuilt counts are the report's own", () => {
    for (const row of rows) {
      const e = r.history!.find((h) => h.index === row.index)!;
      expect(row.hitRatio).toBe(e.cacheHitRatio == null ? "—" : `${Math.round(e.cacheHitRatio * 100)}%`);
      expect(row.rebuilt.startsWith(`${e.reran} of ${e.counted} steps`)).toBe(true);
    }
  });

  it("the latest row counts steps as the build summary does (a FROM that only resolved is not a re-run)", () => {
    const n = buildNumbers(r);
    expect(rows[0].rebuilt.startsWith(`${n.reran} of ${n.counted} steps`)).toBe(true);
    const second = rows.find((x) => x.label === "#2")!;
    expect(second.hitRatio).toBe("100%");
    expect(second.rebuilt).toBe("0 of 7 steps");
  });

  it("each build says why, with labels (not codes) and evidence", () => {
    const by = Object.fromEntries(rows.map((x) => [x.label, x]));
    expect(by["#6"].causes.map((c) => [c.label, c.evidence])).toEqual([["Instruction changed", "exact"]]);
    expect(by["#5"].causes.map((c) => c.label)).toContain("Cache disabled (--no-cache)");
    expect(by["#4"].causes.map((c) => [c.label, c.evidence])).toEqual([["Build argument changed", "exact"]]);
    expect(by["#3"].causes.map((c) => c.label)).toEqual(["Build context changed"]);
    expect(by["#3"].missed.map((f) => f.label)).toContain("Build context changed");
    expect(by["#2"].causes).toEqual([]);
    expect(by["#2"].missed).toEqual([]);
    expect(by["#2"].recovered).toBeGreaterThan(0);
  });
});

describe("the input line", () => {
  it("a record is called a build record, not a 'record log'", () => {
    const r = report("r01-source-file", "after.dockerbuild");
    const line = describeInput(r);
    expect(line).toMatch(/^build record cachescope-fx\/r01-source-file \(ref [a-z0-9]{12}\)$/);
    expect(line).not.toContain("record log");
  });
  it("a bundle of builds says which one is shown", () => {
    const r = report("history", "history.dockerbuild");
    expect(describeInput(r)).toContain("build 6 of 6 in the records");
    expect(describeInput(r)).toContain("compared with the previous build's record");
    expect(buildsHeldBy(r)).toBe("These build records hold 6 builds.");
  });
  it("a log keeps its words", () => {
    const r = analyze({ log: "#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n", dockerfile: null, previousLog: null, previousDockerfile: null, image: null, build: null });
    expect(describeInput(r)).toMatch(/^plain log/);
    expect(buildsHeldBy(r)).toMatch(/^This log holds/);
  });
});
