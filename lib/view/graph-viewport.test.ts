import { describe, expect, it } from "vitest";
import { toStageGraph } from "./graph";
import { VIEWPORT, fitViewport, focusNode } from "./graph-viewport";
import { mkStage, mkStep } from "./test-helpers";

const chain = (n: number) => {
  const stages = Array.from({ length: n }, (_, i) =>
    mkStage(i, { name: `s${i}`, dependsOn: i ? [i - 1] : [], edges: i ? [{ fromStage: i - 1, fromImage: null, kind: "copy-from", line: null }] : [] }),
  );
  const steps = stages.flatMap((s) => [mkStep(s.index, 1, "cached"), mkStep(s.index, 2, s.index === n - 2 ? "rebuilt" : "cached")]);
  return { stages, steps };
};

describe("fitViewport", () => {
  it("shows a small graph whole, centred, never above maxZoom", () => {
    const g = toStageGraph(chain(2));
    const { viewport, whole } = fitViewport(g, { width: 1200, height: 480 }, null);
    expect(whole).toBe(true);
    expect(viewport.zoom).toBeLessThanOrEqual(VIEWPORT.maxZoom);
    expect(viewport.zoom).toBeGreaterThanOrEqual(VIEWPORT.readableZoom);
    // Centred: the same margin on both sides.
    const left = viewport.x;
    const right = 1200 - (viewport.x + g.width * viewport.zoom);
    expect(Math.abs(left - right)).toBeLessThan(1);
  });
  it("is deterministic: same graph, same pane, same viewport", () => {
    const g = toStageGraph(chain(7));
    const a = fitViewport(g, { width: 900, height: 420 }, focusNode(g, null));
    const b = fitViewport(toStageGraph(chain(7)), { width: 900, height: 420 }, focusNode(g, null));
    expect(a).toEqual(b);
  });
  it("never fits below the readable zoom: a wide graph focuses on its root cause instead", () => {
    const g = toStageGraph(chain(30));
    const focus = focusNode(g, null);
    expect(focus?.data.kind === "stage" && focus.data.name).toBe("s28");
    const { viewport, whole } = fitViewport(g, { width: 390, height: 420 }, focus);
    expect(whole).toBe(false);
    expect(viewport.zoom).toBe(VIEWPORT.readableZoom);
    // The focus node is in the pane.
    const left = focus!.x * viewport.zoom + viewport.x;
    expect(left).toBeGreaterThan(-focus!.width * viewport.zoom);
    expect(left).toBeLessThan(390);
  });
  it("focuses the selected step's stage first", () => {
    const g = toStageGraph(chain(7));
    expect(focusNode(g, "3:2")?.id).toBe("stage:3");
  });
});

describe("toStageGraph layout", () => {
  it("collapses fully cached stages on request, keeping rebuilt ones open", () => {
    const g = toStageGraph(chain(4), { collapseCached: true });
    const s0 = g.nodes.find((n) => n.id === "stage:0")!.data;
    const s2 = g.nodes.find((n) => n.id === "stage:2")!.data;
    if (s0.kind !== "stage" || s2.kind !== "stage") throw new Error("stages expected");
    expect(s0.collapsed).toBe(true);
    expect(s0.steps).toEqual([]);
    expect(s0.hiddenSteps).toBe(2);
    expect(s2.collapsed).toBe(false);
    expect(s2.steps.length).toBe(2);
  });
  it("routes every edge with points and puts its label on it, with a readable name", () => {
    const g = toStageGraph(chain(3));
    for (const e of g.edges) {
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      const xs = e.points.map((p) => p.x);
      expect(e.labelX).toBeGreaterThanOrEqual(Math.min(...xs) - 1);
      expect(e.labelX).toBeLessThanOrEqual(Math.max(...xs) + 1);
    }
    const e = g.edges.find((x) => x.source === "stage:0" && x.target === "stage:1")!;
    expect(e.ariaLabel).toBe("s0 is copied into s1 (COPY --from)");
    const two = toStageGraph(chain(2));
    expect(two.edges.find((x) => x.source.startsWith("image:"))!.ariaLabel).toMatch(/^local\/busybox:latest is the base of s\d/);
  });
});
