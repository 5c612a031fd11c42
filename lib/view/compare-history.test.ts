import { describe, expect, it } from "vitest";
import { toCompareView } from "./compare";
import { historyOf, toTrend, type HistoryEntry } from "./history";
import { mkStep } from "./test-helpers";

describe("toCompareView", () => {
  it("puts flipped steps first, keeps the rest in build order, and keeps removed steps", () => {
    const steps = [mkStep(0, 1, "cached"), mkStep(0, 2, "cached"), mkStep(0, 3, "rebuilt")];
    const v = toCompareView(
      {
        flipped: [
          { id: "0:3", text: "RUN step 3", before: "cached", after: "rebuilt" },
          { id: "0:9", text: "RUN gone", before: "cached", after: "not-run" },
        ],
        dockerfileChanges: [],
        buildArgChanges: [],
        baseImageChanges: [],
        durationDeltas: [{ id: "0:3", text: "RUN step 3", beforeSeconds: 0, afterSeconds: 4 }],
        previousDurationSeconds: 2,
      },
      steps,
    );
    expect(v.rows.map((r) => r.id)).toEqual(["0:3", "0:9", "0:1", "0:2"]);
    expect(v.rows[0]).toMatchObject({ before: "cached", after: "rebuilt", beforeSeconds: 0, afterSeconds: 4, flipped: true });
    expect(v.rows[2]).toMatchObject({ before: "cached", after: "cached", flipped: false });
    expect(v.flippedCount).toBe(2);
  });
});

describe("history trend", () => {
  const e = (index: number, d: number, r: number, ratio: number): HistoryEntry => ({
    index, ref: `r${index}`, name: "b", createdAt: null, status: "success", durationSeconds: d, steps: 10, cached: 5, rebuilt: 5, cacheHitRatio: ratio, rebuiltSeconds: r, flipped: [],
  });
  it("reads report.history only when present", () => {
    expect(historyOf({})).toBeNull();
    expect(historyOf({ history: null })).toBeNull();
    expect(historyOf({ history: [e(0, 1, 0, 1)] })?.length).toBe(1);
  });
  it("scales bars to the slowest build and reports the hit-ratio change", () => {
    const t = toTrend([e(1, 10, 5, 0.5), e(0, 20, 2, 0.9)]);
    expect(t.bars.map((b) => b.entry.index)).toEqual([0, 1]);
    expect(t.bars[0].height).toBe(1);
    expect(t.bars[1]).toMatchObject({ height: 0.5, rebuiltShare: 0.5 });
    expect(t.hitRatioChange).toBe(-40);
  });
});
