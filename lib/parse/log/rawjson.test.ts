import { describe, expect, it } from "vitest";
import type { LogBuild } from "../../model/log";
import { parseLog } from "./index";

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const D = (n: number) => "sha256:" + String(n).repeat(64).slice(0, 64);
const T = (sec: number) => new Date(Date.UTC(2025, 5, 2, 9, 14, 0) + sec * 1000).toISOString().replace(".000Z", "Z");

/** The same events as one object per line and as buildx 0.13's indented objects. */
const EVENTS: unknown[] = [
  { vertexes: [{ digest: D(1), name: "[internal] load build definition from Dockerfile" }] },
  { vertexes: [{ digest: D(1), name: "[internal] load build definition from Dockerfile", started: T(0), completed: T(0.1) }] },
  { vertexes: [{ digest: D(2), name: "[build 1/3] FROM docker.io/library/node:20", started: T(0.2) }] },
  { statuses: [{ id: "sha256:aaa", vertex: D(2), current: 1000, total: 5000, timestamp: T(0.3), started: T(0.2) }] },
  { statuses: [{ id: "sha256:aaa", vertex: D(2), current: 5000, total: 5000, timestamp: T(0.5), started: T(0.2), completed: T(0.5) }] },
  { vertexes: [{ digest: D(2), name: "[build 1/3] FROM docker.io/library/node:20", started: T(0.2), completed: T(0.6) }] },
  { vertexes: [{ digest: D(3), inputs: [D(2)], name: "[build 2/3] WORKDIR /app", cached: true, started: T(0.6), completed: T(0.6) }] },
  { vertexes: [{ digest: D(4), inputs: [D(3), D(9)], name: "[build 3/3] RUN npm run build", started: T(1) }] },
  { logs: [{ vertex: D(4), stream: 1, data: b64("> app@1.0.0 bu"), timestamp: T(1.5) }] },
  { logs: [{ vertex: D(4), stream: 1, data: b64("ild\nvite ✓\n"), timestamp: T(1.6) }] },
  // a second, overlapping interval (merged) and a later one
  { vertexes: [{ digest: D(4), inputs: [D(3), D(9)], name: "[build 3/3] RUN npm run build", started: T(1), completed: T(3) }] },
  { vertexes: [{ digest: D(4), inputs: [D(3), D(9)], name: "[build 3/3] RUN npm run build", started: T(2), completed: T(3.5) }] },
  { vertexes: [{ digest: D(9), name: "" }] },
  { vertexes: [{ digest: D(5), name: "[build 4/4] RUN never-started" }] },
  { warnings: [{ vertex: D(1), level: 1, short: b64("FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)") }] },
  { vertexes: [{ digest: D(6), name: "exporting to image", started: T(3.6), completed: T(4) }] },
];

function check(b: LogBuild) {
  expect(b.timing).toBe("exact");
  expect(b.startedAt).toBe("2025-06-02T09:14:00.000Z");
  expect(b.durationSeconds).toBe(4);
  expect(b.outcome).toBe("success");
  const names = b.vertices.map((v) => v.name);
  expect(names).toEqual(["[internal] load build definition from Dockerfile", "[build 1/3] FROM docker.io/library/node:20", "[build 2/3] WORKDIR /app", "[build 3/3] RUN npm run build", "exporting to image"]);
  const [def, from, wd, run, exp] = b.vertices;
  expect(def).toMatchObject({ id: D(1), digest: D(1), number: null, kind: "internal", status: "done", durationSeconds: 0.1, startSeconds: 0, endSeconds: 0.1 });
  expect(def.warnings).toEqual(["FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)"]);
  expect(from).toMatchObject({ status: "done", durationSeconds: 0.4, startSeconds: 0.2, endSeconds: 0.6, pulledBytes: 5000 });
  expect(wd).toMatchObject({ status: "cached", durationSeconds: null, inputs: [D(2)] });
  expect(run).toMatchObject({ status: "done", durationSeconds: 2.5, startSeconds: 1, endSeconds: 3.5, inputs: [D(3)], outputLineCount: 2 });
  expect(run.output).toEqual([
    { t: 0.6, text: "> app@1.0.0 build" },
    { t: 0.6, text: "vite ✓" },
  ]);
  expect(exp.kind).toBe("export");
  expect(b.warnings.map((w) => w.message)).toEqual(["FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)"]);
}

describe("rawjson", () => {
  it("one object per line, with non-JSON stderr lines interleaved", () => {
    const lines = EVENTS.map((e) => JSON.stringify(e));
    lines.splice(3, 0, "some stderr text that is not JSON", "[1/9] a shell script line");
    const p = parseLog(lines.join("\n") + "\n");
    expect(p.format).toBe("rawjson");
    check(p.builds[0]);
  });

  it("pretty-printed objects spanning many lines (buildx 0.13)", () => {
    const p = parseLog(EVENTS.map((e) => JSON.stringify(e, null, 2)).join("\n") + "\n");
    expect(p.format).toBe("rawjson");
    expect(p.diagnostics).toEqual([]);
    check(p.builds[0]);
  });

  it("several values on one line, behind a CI timestamp prefix", () => {
    const text = EVENTS.map((e, k) => `2025-06-02T09:15:${String(k).padStart(2, "0")}.0000000Z ${JSON.stringify(e)}${k === 2 ? JSON.stringify({ logs: [] }) : ""}`).join("\n");
    const p = parseLog(text);
    expect(p.wrapper).toBe("github-actions");
    check(p.builds[0]);
  });

  it("errors, cancellation, the trailer ERROR line, an open vertex and a cut-off object", () => {
    const lines = [
      { vertexes: [{ digest: D(1), name: "[a 1/2] RUN false", started: T(0), completed: T(1), error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1' }] },
      { vertexes: [{ digest: D(2), name: "[b 1/2] RUN sleep 9", started: T(0), completed: T(1), error: "context canceled" }] },
      { vertexes: [{ digest: D(3), name: "[c 1/2] RUN sleep 99", started: T(0.5) }] },
    ].map((e) => JSON.stringify(e, null, 2));
    const p = parseLog([...lines, "ERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1", "{", '  "vertexes": ['].join("\n"));
    const b = p.builds[0];
    expect(b.vertices.map((v) => [v.name.slice(0, 8), v.status, v.durationSeconds])).toEqual([
      ["[a 1/2] ", "error", null],
      ["[b 1/2] ", "canceled", null],
      ["[c 1/2] ", "running", null],
    ]);
    expect(b.vertices[0].error).toMatch(/exit code: 1$/);
    expect(b.outcome).toBe("failed");
    expect(b.errorMessage).toMatch(/^failed to solve/);
    expect(p.diagnostics.map((d) => d.code)).toContain("log/truncated-json");
  });

  it("COPY --link progress groups print as one vertex", () => {
    const g = { id: "pg-1", name: "[s 2/2] COPY --link a b" };
    const p = parseLog(
      [
        { vertexes: [{ digest: D(1), name: "[s 2/2] COPY --link a b", progressGroup: g, started: T(0), completed: T(1) }] },
        { vertexes: [{ digest: D(2), name: "[s 2/2] LINK COPY --link a b", inputs: [D(1)], progressGroup: g, started: T(1), completed: T(1.5) }] },
      ]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const b = p.builds[0];
    expect(b.vertices).toHaveLength(1);
    expect(b.vertices[0]).toMatchObject({ id: "pg-1", name: "[s 2/2] COPY --link a b", status: "done", durationSeconds: 1.5, inputs: [] });
  });
});

describe("rawjson output tail (decoded lazily)", () => {
  it("a long output cut at random places, with multi-byte characters split across entries: the last lines and the count", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ünïcödé 日本 ${"x".repeat(i % 17)}`);
    const bytes = new TextEncoder().encode(lines.join("\n") + "\nno newline at the end");
    const events: unknown[] = [{ vertexes: [{ digest: D(4), name: "[build 3/3] RUN make", started: T(1) }] }];
    let seed = 7;
    for (let pos = 0, k = 0; pos < bytes.length; k++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = seed % 23;
      events.push({ logs: [{ vertex: D(4), stream: 1, data: btoa(String.fromCharCode(...bytes.subarray(pos, pos + n))), timestamp: T(2 + k / 1000) }] });
      pos += n;
    }
    events.push({ vertexes: [{ digest: D(4), name: "[build 3/3] RUN make", started: T(1), completed: T(9) }] });
    for (const options of [undefined, { decodeBase64: (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)) }]) {
      const v = parseLog(events.map((e) => JSON.stringify(e)).join("\n"), options).builds[0]!.vertices[0]!;
      expect(v.outputLineCount).toBe(501);
      expect(v.output).toHaveLength(40);
      expect(v.output.map((l) => l.text)).toEqual([...lines.slice(461), "no newline at the end"]);
      expect(v.output[0]!.t).toBeGreaterThan(1);
      expect(v.output.at(-1)!.t).toBeNull();
    }
  });
});
