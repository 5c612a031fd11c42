import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { routeFiles, sniffFile } from "./route-files";

const enc = (s: string) => new TextEncoder().encode(s);
const fx = (p: string) => new Uint8Array(fs.readFileSync(path.join(process.cwd(), "fixtures", p)));

describe("sniffFile", () => {
  it("tells a Dockerfile, a plain log, a rawjson log and image metadata apart by content", () => {
    expect(sniffFile("x", fx("scenarios/12-parallel-stages-one-changed/Dockerfile")).kind).toBe("dockerfile");
    expect(sniffFile("Dockerfile", fx("scenarios/12-parallel-stages-one-changed/after.log")).kind).toBe("log");
    expect(sniffFile("build.json", fx("web/7-stages-parallel/after.rawjson.log")).kind).toBe("log");
    expect(sniffFile("a.log", fx("scenarios/25-secret-in-build-arg/image.history.jsonl")).kind).toBe("image");
    expect(sniffFile("old.txt", fx("scenarios/21-old-plain-form-docker20/after.old.log")).kind).toBe("log");
    expect(sniffFile("legacy.txt", fx("scenarios/20-legacy-builder-source-changed/after.legacy.log")).kind).toBe("log");
  });
  it("a Dockerfile with a syntax line and comments first is still a Dockerfile", () => {
    expect(sniffFile("f", enc("# syntax=docker/dockerfile:1\n# comment\n\nARG V=1\nFROM local/busybox:latest\nRUN true\n")).kind).toBe("dockerfile");
  });
  it("records are recognised by their gzip / zip magic", () => {
    expect(sniffFile("b.dockerbuild", new Uint8Array([0x1f, 0x8b, 8, 0])).kind).toBe("record");
    expect(sniffFile("logs.zip", new Uint8Array([0x50, 0x4b, 3, 4, 0])).kind).toBe("record");
  });
  it("a list of paths is a changed-files list; prose is unknown", () => {
    expect(sniffFile("changed.txt", enc("src/app.js\npackage.json\n")).kind).toBe("changed-files");
    expect(sniffFile("notes.txt", enc("hello world, not a build\n")).kind).toBe("unknown");
  });
  it("dates a rawjson log by its first timestamp; a plain log has none", () => {
    expect(sniffFile("r", fx("web/7-stages-parallel/after.rawjson.log")).startedAt).toBeGreaterThan(Date.parse("2026-01-01T00:00:00Z"));
    expect(sniffFile("p", fx("web/7-stages-parallel/after.log")).startedAt).toBeNull();
  });
});

describe("routeFiles", () => {
  const df = sniffFile("Dockerfile", fx("scenarios/12-parallel-stages-one-changed/Dockerfile"));
  const log = sniffFile("after.log", fx("scenarios/12-parallel-stages-one-changed/after.log"));
  it("a Dockerfile and a log dropped together go to their own inputs, whatever the order", () => {
    for (const files of [[df, log], [log, df]]) {
      const plan = routeFiles(files);
      const by = Object.fromEntries(plan.assign.map((a) => [a.input, files[a.file].name]));
      expect(by).toEqual({ dockerfile: "Dockerfile", log: "after.log" });
      expect(plan.askOrder).toBeNull();
    }
  });
  it("two logs with timestamps: the older is the previous build", () => {
    const older = sniffFile("z.log", enc('{"vertexes":[{"digest":"a","name":"x","started":"2026-01-01T10:00:00Z"}]}\n{"vertexes":[]}\n'));
    const newer = sniffFile("a.log", enc('{"vertexes":[{"digest":"a","name":"x","started":"2026-01-02T10:00:00Z"}]}\n{"vertexes":[]}\n'));
    const plan = routeFiles([newer, older]);
    expect(plan.assign).toEqual(expect.arrayContaining([{ file: 1, input: "previousLog" }, { file: 0, input: "log" }]));
  });
  it("two logs without timestamps: ask, never guess from names", () => {
    const before = sniffFile("before.log", fx("scenarios/12-parallel-stages-one-changed/before.log"));
    const plan = routeFiles([log, before]);
    expect(plan.askOrder).toEqual([0, 1]);
    expect(plan.assign.filter((a) => a.input === "log" || a.input === "previousLog")).toEqual([]);
  });
  it("records are set aside for decoding; unknown files are reported with a reason", () => {
    const plan = routeFiles([sniffFile("b.dockerbuild", new Uint8Array([0x1f, 0x8b])), sniffFile("n.txt", enc("hello there\n"))]);
    expect(plan.records).toEqual([0]);
    expect(plan.skipped[0]).toMatchObject({ file: 1 });
  });
  it("two Dockerfiles: the one named old/before is the previous", () => {
    const old = { ...df, name: "Dockerfile.old" };
    const plan = routeFiles([old, df]);
    expect(plan.assign).toEqual(expect.arrayContaining([{ file: 1, input: "dockerfile" }, { file: 0, input: "previousDockerfile" }]));
  });
});
