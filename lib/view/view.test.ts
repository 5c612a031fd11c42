import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatPercent } from "./format";
import { toStageGraph, GRAPH_LAYOUT } from "./graph";
import { toTimeline, assignLanes, placeBars, peakOverlap, type TimelineBar } from "./timeline";
import { filterSteps, sortSteps, DEFAULT_STEP_FILTER } from "./steps";
import { toDockerfileLines } from "./dockerfile";
import { decodeText, detectEncoding, guessInputKind } from "./decode";
import { mkStage, mkStep } from "./test-helpers";
import type { Miss } from "../model/report";

const build = { status: "success", durationSeconds: null, timing: "estimated", errorMessage: null, contextTransferBytes: null, builder: null } as const;

describe("format", () => {
  it.each([
    [null, "—"],
    [0.04, "0.0s"],
    [12.34, "12s"],
    [75, "1m 15s"],
    [3725, "1h 2m"],
  ])("formatDuration(%s) = %s", (v, want) => expect(formatDuration(v)).toBe(want));
  it.each([
    [0, "0 B"],
    [1520000, "1.52 MB"],
    [999, "999 B"],
    [12_300_000_000, "12.3 GB"],
  ])("formatBytes(%s) = %s", (v, want) => expect(formatBytes(v)).toBe(want));
  it("formatPercent", () => expect(formatPercent(0.555)).toBe("56%"));
});

describe("toStageGraph", () => {
  const stages = [
    mkStage(0, { name: "deps" }),
    mkStage(1, { name: "build", baseKind: "stage", base: "deps", dependsOn: [0], edges: [{ fromStage: 0, fromImage: null, kind: "from", line: 5 }] }),
    mkStage(2, {
      name: "final",
      dependsOn: [1],
      externalSources: ["alpine:3"],
      edges: [
        { fromStage: null, fromImage: "local/busybox:latest", kind: "from", line: 9 },
        { fromStage: 1, fromImage: null, kind: "copy-from", line: 10 },
        { fromStage: null, fromImage: "alpine:3", kind: "copy-from", line: 11 },
      ],
    }),
    mkStage(3, { name: "unused", used: false, base: "other:1", edges: [{ fromStage: null, fromImage: "other:1", kind: "from", line: null }] }),
  ];
  const steps = [mkStep(0, 1, "cached"), mkStep(1, 1, "rebuilt"), mkStep(2, 1, "cached"), mkStep(2, 2, "rebuilt")];
  const g = toStageGraph({ stages, steps });

  it("has one node per stage and per external image", () => {
    expect(g.nodes.filter((n) => n.type === "stage").map((n) => n.id)).toEqual(["stage:0", "stage:1", "stage:2", "stage:3"]);
    expect(g.nodes.filter((n) => n.type === "image").map((n) => n.id).sort()).toEqual(["image:alpine:3", "image:local/busybox:latest", "image:other:1"]);
  });
  it("a base image that many stages start FROM is named in their headers, not drawn as one node with crossing edges", () => {
    const many = toStageGraph({ stages: [mkStage(0), mkStage(1), mkStage(2)], steps: [] });
    expect(many.nodes.filter((n) => n.type === "image")).toEqual([]);
    expect(many.edges).toEqual([]);
  });
  it("labels edges by kind and line", () => {
    const e = g.edges.find((x) => x.source === "stage:1" && x.target === "stage:2");
    expect(e?.kind).toBe("copy-from");
    expect(e?.label).toBe("COPY L10");
    expect(g.edges.find((x) => x.target === "stage:3")?.dimmed).toBe(true);
  });
  it("lays out left to right without overlap", () => {
    const a = g.nodes.find((n) => n.id === "stage:0")!;
    const b = g.nodes.find((n) => n.id === "stage:1")!;
    expect(b.x).toBeGreaterThanOrEqual(a.x + a.width);
    for (const n of g.nodes) expect(Number.isFinite(n.x) && Number.isFinite(n.y)).toBe(true);
  });
  it("caps the steps listed in a node", () => {
    const many = Array.from({ length: 40 }, (_, i) => mkStep(0, i + 1, i === 30 ? "rebuilt" : "cached", i === 30 ? { miss: { cause: "context-changed", rootCause: true, rootStep: "0:31", candidates: [], costSeconds: 1, explanation: "", fix: null, decideWith: null, certainty: "inferred", evidence: "inferred", decidedBy: null, changedFiles: null } } : {}));
    const big = toStageGraph({ stages: [mkStage(0)], steps: many });
    const d = big.nodes[0].data;
    if (d.kind !== "stage") throw new Error("stage expected");
    expect(d.steps.length).toBe(GRAPH_LAYOUT.maxStepsShown);
    expect(d.hiddenSteps).toBe(40 - GRAPH_LAYOUT.maxStepsShown);
    expect(d.steps.some((s) => s.id === "0:31")).toBe(true);
  });
  it("handles 100 stages", () => {
    const st = Array.from({ length: 100 }, (_, i) => mkStage(i, { dependsOn: i ? [i - 1] : [], edges: i ? [{ fromStage: i - 1, fromImage: null, kind: "copy-from", line: null }] : [] }));
    const sp = st.flatMap((s) => Array.from({ length: 20 }, (_, j) => mkStep(s.index, j + 1, "cached")));
    const big = toStageGraph({ stages: st, steps: sp });
    expect(big.nodes.length).toBe(100); // big graphs: no FROM-image node
    expect(big.nodes[0].height).toBeLessThan(300);
  });
});

describe("toTimeline", () => {
  it("estimates a schedule from dependencies and packs parallel stages into lanes", () => {
    const stages = [
      mkStage(0),
      mkStage(1),
      mkStage(2, { dependsOn: [0, 1], edges: [{ fromStage: 0, fromImage: null, kind: "copy-from", line: 12 }, { fromStage: 1, fromImage: null, kind: "copy-from", line: 13 }] }),
    ];
    const steps = [
      mkStep(0, 1, "rebuilt", { durationSeconds: 0 }),
      mkStep(0, 2, "rebuilt", { durationSeconds: 2 }),
      mkStep(1, 1, "rebuilt", { durationSeconds: 0 }),
      mkStep(1, 2, "rebuilt", { durationSeconds: 3 }),
      mkStep(2, 1, "rebuilt", { durationSeconds: 0, line: 11 }),
      mkStep(2, 2, "rebuilt", { durationSeconds: 0.5, line: 12 }),
      mkStep(2, 3, "rebuilt", { durationSeconds: 0.5, line: 13 }),
      mkStep(2, 4, "not-run"),
    ];
    const t = toTimeline({ stages, steps, build });
    const at = (id: string) => t.bars.find((b) => b.id === id)!;
    expect(t.estimated).toBe(true);
    expect(at("2:2").start).toBe(2);
    expect(at("2:3").start).toBe(3);
    expect(at("0:2").lane).not.toBe(at("1:2").lane);
    // One lane per stage, labelled with its name; stages 0 and 1 ran side by side.
    expect(t.lanes.map((l) => l.label)).toEqual(["stage-0", "stage-1", "stage-2"]);
    expect(t.laneCount).toBe(3);
    expect(t.maxParallel).toBe(2);
    expect(t.totalSeconds).toBe(3.5);
    expect(t.bars.find((b) => b.id === "2:4")).toBeUndefined();
  });
  it("uses exact times when present", () => {
    const steps = [mkStep(0, 1, "rebuilt", { startSeconds: 1, endSeconds: 4, durationSeconds: 3 })];
    const t = toTimeline({ stages: [mkStage(0)], steps, build: { ...build, timing: "exact" } });
    expect(t.bars[0]).toMatchObject({ start: 1, end: 4, exact: true });
    expect(t.estimated).toBe(false);
  });
  it("zero-duration steps stay visible and in order: no bar of a lane covers another", () => {
    const steps = [
      mkStep(0, 1, "rebuilt", { durationSeconds: 0 }),
      mkStep(0, 2, "cached"),
      mkStep(0, 3, "rebuilt", { durationSeconds: 0 }),
      mkStep(0, 4, "rebuilt", { durationSeconds: 2 }),
    ];
    const t = toTimeline({ stages: [mkStage(0)], steps, build });
    const placed = placeBars(t.bars, 10, 0);
    const byId = (id: string) => placed[t.bars.findIndex((b) => b.id === id)];
    expect(byId("0:2").left).toBeGreaterThanOrEqual(byId("0:1").left + byId("0:1").width);
    expect(byId("0:3").left).toBeGreaterThanOrEqual(byId("0:2").left + byId("0:2").width);
    for (const p of placed) expect(p.width).toBeGreaterThanOrEqual(6);
  });
  it("peakOverlap counts steps running at once, not back-to-back ones", () => {
    expect(peakOverlap([{ start: 0, end: 1 }, { start: 1, end: 2 }])).toBe(1);
    expect(peakOverlap([{ start: 0, end: 2 }, { start: 1, end: 3 }, { start: 0, end: 0 }])).toBe(2);
  });
  it("assignLanes keeps a stage in its lane", () => {
    const bar = (id: string, stageIndex: number, start: number, end: number): TimelineBar => ({ id, stepId: id, label: id, stage: "", stageIndex, status: "rebuilt", display: "rebuilt", start, end, lane: -1, onCriticalPath: false, exact: true });
    const bars = [bar("a1", 0, 0, 1), bar("b1", 1, 0, 2), bar("a2", 0, 1, 3), bar("b2", 1, 2, 4)];
    expect(assignLanes(bars)).toBe(2);
    expect(bars.map((b) => b.lane)).toEqual([0, 1, 0, 1]);
  });
});

describe("steps", () => {
  const steps = [
    mkStep(0, 1, "cached"),
    mkStep(0, 2, "rebuilt", { durationSeconds: 5 }),
    mkStep(1, 1, "rebuilt", { durationSeconds: 9, miss: { cause: "context-changed", rootCause: true, rootStep: "1:1", candidates: [], costSeconds: 20, explanation: "", fix: null, decideWith: null, certainty: "inferred", evidence: "inferred", decidedBy: null, changedFiles: null } }),
    mkStep(1, 2, "error", { durationSeconds: 1 }),
  ];
  it("filters by status and stage", () => {
    expect(filterSteps(steps, { ...DEFAULT_STEP_FILTER, status: "rebuilt" }).map((s) => s.id)).toEqual(["0:2", "1:1"]);
    expect(filterSteps(steps, { ...DEFAULT_STEP_FILTER, status: "missed", stage: 1 }).map((s) => s.id)).toEqual(["1:1", "1:2"]);
  });
  it("sorts by cost and duration, nulls last", () => {
    expect(sortSteps(steps, "cost").map((s) => s.id)).toEqual(["1:1", "0:2", "1:2", "0:1"]);
    expect(sortSteps(steps, "duration").map((s) => s.id)).toEqual(["1:1", "0:2", "1:2", "0:1"]);
    expect(sortSteps(steps, "order").map((s) => s.id)).toEqual(["0:1", "0:2", "1:1", "1:2"]);
  });
});

describe("toDockerfileLines", () => {
  it("maps lines to steps", () => {
    const lines = toDockerfileLines("FROM a\nRUN x \\\n  y\n", [mkStep(0, 1, "cached", { line: 1 }), mkStep(0, 2, "rebuilt", { line: 2, endLine: 3 })]);
    expect(lines.map((l) => [l.number, l.stepId, l.stepStart])).toEqual([
      [1, "0:1", true],
      [2, "0:2", true],
      [3, "0:2", false],
    ]);
  });
});

describe("decode", () => {
  it("detects UTF-16LE with and without BOM", () => {
    const le = new Uint8Array([0xff, 0xfe, 0x23, 0, 0x31, 0, 0x0a, 0]);
    expect(decodeText(le)).toEqual({ text: "#1\n", encoding: "utf-16le" });
    const noBom = new Uint8Array(Array.from("#1 [internal] load", (c) => [c.charCodeAt(0), 0]).flat());
    expect(detectEncoding(noBom)).toBe("utf-16le");
    expect(detectEncoding(new TextEncoder().encode("#1 hello world"))).toBe("utf-8");
  });
  it("guesses the input from a file name", () => {
    expect(guessInputKind("Dockerfile")).toBe("dockerfile");
    expect(guessInputKind("api.Dockerfile")).toBe("dockerfile");
    expect(guessInputKind("history.json")).toBe("image");
    expect(guessInputKind("build.log")).toBe("log");
  });
});

describe("splitFix", () => {
  it("keeps the rewritten Dockerfile lines apart from the sentence", async () => {
    const { splitFix } = await import("./fix");
    expect(splitFix("Copy the manifests first:\n    COPY package.json ./\n    RUN npm ci \\\n        --omit=dev\n    COPY . .")).toEqual({
      prose: "Copy the manifests first:",
      code: "COPY package.json ./\nRUN npm ci \\\n    --omit=dev\nCOPY . .",
    });
  });
  it("a sentence alone has no code", async () => {
    const { splitFix } = await import("./fix");
    expect(splitFix("Pin the image.")).toEqual({ prose: "Pin the image.", code: null });
  });
});

describe("displayStatus", () => {
  const miss: Miss = { cause: "base-image-changed", rootCause: true, rootStep: "0:1", candidates: [], costSeconds: 1, explanation: "", fix: null, decideWith: null, certainty: "inferred", evidence: "inferred", decidedBy: null, changedFiles: null };
  it("a FROM that only resolved reads RESOLVED; every view model keeps the report status", async () => {
    const { displayStatus, stageCounts, DISPLAY_STATUS_LABEL } = await import("./status");
    const resolved = mkStep(0, 1, "rebuilt");
    const pulled = mkStep(1, 1, "rebuilt", { miss: { ...miss, rootStep: "1:1" } });
    const steps = [resolved, mkStep(0, 2, "cached"), mkStep(0, 3, "rebuilt"), pulled, mkStep(1, 2, "rebuilt")];
    expect(displayStatus(resolved)).toBe("resolved");
    expect(DISPLAY_STATUS_LABEL[displayStatus(resolved)]).toBe("RESOLVED");
    expect(displayStatus(pulled)).toBe("rebuilt");
    expect(displayStatus(steps[2]!)).toBe("rebuilt");

    const stages = [mkStage(0, { counts: { cached: 1, rebuilt: 2, error: 0, other: 0 } }), mkStage(1, { counts: { cached: 0, rebuilt: 2, error: 0, other: 0 } })];
    expect(stageCounts({ steps }, stages[0]!)).toEqual({ cached: 1, rebuilt: 1, error: 0, other: 0 });
    const graph = toStageGraph({ stages, steps });
    const node0 = graph.nodes.find((n) => n.id === "stage:0")!.data;
    if (node0.kind !== "stage") throw new Error("stage node expected");
    expect(node0.counts).toEqual({ cached: 1, rebuilt: 1, error: 0, other: 0 });
    expect(node0.steps.map((s) => [s.status, s.display])).toEqual([["rebuilt", "resolved"], ["cached", "cached"], ["rebuilt", "rebuilt"]]);

    const bars = toTimeline({ stages, steps, build }).bars;
    expect(bars.find((b) => b.stepId === "0:1")).toMatchObject({ status: "rebuilt", display: "resolved" });
    const lines = toDockerfileLines("FROM a\nRUN x\n", [{ ...resolved, line: 1, endLine: 1 }]);
    expect(lines[0]).toMatchObject({ status: "rebuilt", display: "resolved" });
  });
});
