import { describe, expect, it } from "vitest";
import type { LogBuild, LogVertex } from "../../model/log";
import { OUTPUT_TAIL_LINES } from "../../model/log";
import { parseLog } from "./index";

const join = (...ls: string[]) => ls.join("\n") + "\n";
const byId = (b: LogBuild, id: string): LogVertex => {
  const v = b.vertices.find((x) => x.id === id);
  if (!v) throw new Error(`no vertex ${id}`);
  return v;
};

// Excerpt of corpus 001 (user Ctrl-C during the base-image pull).
const CANCELED = join(
  '#0 building with "default" instance using docker driver',
  "",
  "#1 [internal] load build definition from Dockerfile",
  "#1 transferring dockerfile: 926B 0.0s done",
  "#1 DONE 0.0s",
  "",
  "#4 [runner 1/7] FROM docker.io/library/node:20-alpine@sha256:6178e78b",
  "#4 resolve docker.io/library/node:20-alpine@sha256:6178e78b 0.0s done",
  "#4 sha256:60e45a9660cfaebbbac9bba98180aa28b3966b7f2462d132c46f51a1f5b25a64 0B / 42.75MB 0.1s",
  "#4 sha256:6178e78b972f79c335df281f4b7674a2d85071aae2af020ffa39f0a770265435 7.67kB / 7.67kB done",
  "#4 CANCELED",
  "",
  "#5 [internal] load build context",
  "#5 transferring context: 2.14MB 0.1s done",
  "#5 CANCELED",
  "ERROR: failed to solve: Canceled: context canceled",
  "",
  "View build details: docker-desktop://dashboard/build/default/default/jnsjj",
);

describe("plain: new form", () => {
  it("builder, statuses, layers, context bytes, canceled outcome (corpus 001)", () => {
    const p = parseLog(CANCELED);
    expect([p.format, p.wrapper, p.builds.length]).toEqual(["plain", "none", 1]);
    const b = p.builds[0];
    expect(b.builder).toEqual({ name: "default", driver: "docker" });
    expect(b.outcome).toBe("canceled");
    expect(b.errorMessage).toBe("failed to solve: Canceled: context canceled");
    expect(b.errorLine).toBe(16);
    expect(b.contextTransferBytes).toBe(2_140_000);
    const from = byId(b, "#4");
    expect(from).toMatchObject({ number: 4, kind: "step", status: "canceled", durationSeconds: null, line: 7, lastLine: 11 });
    expect(from.label).toMatchObject({ stage: "runner", position: 1, of: 7, instruction: "FROM" });
    expect(from.pulledLayers).toEqual([
      { digest: "sha256:60e45a9660cfaebbbac9bba98180aa28b3966b7f2462d132c46f51a1f5b25a64", bytes: 0 },
      { digest: "sha256:6178e78b972f79c335df281f4b7674a2d85071aae2af020ffa39f0a770265435", bytes: 7670 },
    ]);
    expect(from.pulledBytes).toBe(7670);
    expect(byId(b, "#1")).toMatchObject({ kind: "internal", status: "done", durationSeconds: 0 });
  });

  it("DONE, CACHED, log lines with stamps, output tail and count", () => {
    const out = Array.from({ length: 50 }, (_, k) => `#13 ${(k / 10).toFixed(3)} line ${k}`);
    const p = parseLog(join("#12 [build 5/6] COPY . .", "#12 CACHED", "", "#13 [build 6/6] RUN npm run build", ...out, "#13 0.412", "#13 DONE 10.3s"));
    const b = p.builds[0];
    expect(byId(b, "#12")).toMatchObject({ status: "cached", durationSeconds: null });
    const run = byId(b, "#13");
    expect(run).toMatchObject({ status: "done", durationSeconds: 10.3, outputLineCount: 51 });
    expect(run.output).toHaveLength(OUTPUT_TAIL_LINES);
    expect(run.output[OUTPUT_TAIL_LINES - 2]).toEqual({ t: 4.9, text: "line 49" });
    expect(run.output[OUTPUT_TAIL_LINES - 1]).toEqual({ t: 0.412, text: "" });
  });

  it("bare \\r in output keeps the last redraw (corpus 003)", () => {
    const p = parseLog(join("#6 [ 2/21] RUN apt-get update", "#6 9.716 (Reading database ... \r(Reading database ... 5%\r(Reading database ... 100%\r", "#6 DONE 36.9s"));
    expect(byId(p.builds[0], "#6").output).toEqual([{ t: 9.716, text: "(Reading database ... 100%" }]);
  });

  it("the last of several DONE lines wins; a step without a terminal line is running (corpus 016)", () => {
    const p = parseLog(
      join(
        "#7 [builder 1/7] FROM docker.io/library/gradle:8.5-jdk21-alpine@sha256:2295",
        "#7 DONE 19.3s",
        "",
        "#16 [builder 5/7] RUN gradle dependencies --no-daemon || true",
        "#16 25.38 BUILD SUCCESSFUL in 25s",
        "",
        "#7 [builder 1/7] FROM docker.io/library/gradle:8.5-jdk21-alpine@sha256:2295",
        "#7 DONE 21.2s",
        "",
        "#20 exporting to docker image format",
        "#20 DONE 2.5s",
      ),
    );
    const b = p.builds[0];
    expect(byId(b, "#7")).toMatchObject({ status: "done", durationSeconds: 21.2, headerCount: 2 });
    expect(byId(b, "#16").status).toBe("running");
    expect(b.outcome).toBe("success"); // the exporter finished: a missing DONE line, not a cut-off log
  });

  it("`#N ...` then another header proves overlap; resumption keeps one vertex (corpus 006)", () => {
    const p = parseLog(join("#11 [build 4/6] RUN npm ci", "#11 2.104 added 812 packages", "#11 ...", "", "#12 [stage-1 1/2] FROM nginx", "#12 DONE 0.4s", "", "#11 [build 4/6] RUN npm ci", "#11 9.870 npm notice", "#11 DONE 10.1s"));
    const b = p.builds[0];
    expect(b.vertices.map((v) => v.id)).toEqual(["#11", "#12"]);
    expect(byId(b, "#11")).toMatchObject({ interrupted: true, headerCount: 2, outputLineCount: 2, status: "done", line: 1, lastLine: 10 });
    expect(byId(b, "#12").interrupted).toBe(false);
  });

  it("a vertex printed under two compose targets keeps its first name (corpus 010)", () => {
    const p = parseLog(join("#12 [contract-service stage-1 1/3] FROM mcr.microsoft.com/dotnet/aspnet:9.0", "#12 ...", "", "#12 [gateway1 stage-1 1/3] FROM mcr.microsoft.com/dotnet/aspnet:9.0", "#12 DONE 10.7s"));
    const v = byId(p.builds[0], "#12");
    expect(v.name).toBe("[contract-service stage-1 1/3] FROM mcr.microsoft.com/dotnet/aspnet:9.0");
    expect(v.otherNames).toEqual(["[gateway1 stage-1 1/3] FROM mcr.microsoft.com/dotnet/aspnet:9.0"]);
    expect(v.label).toMatchObject({ target: "contract-service", stage: "stage-1" });
  });

  it("a log cut off mid-step is incomplete, with a diagnostic", () => {
    const p = parseLog(join('#0 building with "default" instance using docker driver', "", "#13 [build 1/7] FROM mcr.microsoft.com/dotnet/sdk:9.0", "#13 sha256:a731 96.47MB / 176.33MB 26.1s"));
    expect(p.builds[0].outcome).toBe("incomplete");
    expect(p.diagnostics.map((d) => [d.code, d.line])).toEqual([["log/truncated", 4]]);
  });

  it("WARN lines, the ANSI warnings summary, the error excerpt, the Dockerfile excerpt and the final ERROR (spec §2.10)", () => {
    const log = join(
      "#1 [internal] load build definition from Dockerfile",
      "#1 WARN: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)",
      "#1 DONE 0.0s",
      "",
      "#13 [build 6/6] RUN npm run build",
      "#13 3.127 src/main.ts(4,7): error TS2322",
      '#13 ERROR: process "/bin/sh -c npm run build" did not complete successfully: exit code: 2',
      "------",
      " > [build 6/6] RUN npm run build:",
      "3.127 src/main.ts(4,7): error TS2322",
      "ERROR: not the final line",
      "------",
      "",
      " \x1b[33m1 warning found (use docker --debug to expand):",
      "\x1b[0m - FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)",
      "Dockerfile:7",
      "--------------------",
      "   6 |     COPY . .",
      "   7 | >>> RUN npm run build",
      "--------------------",
      'ERROR: failed to build: failed to solve: process "/bin/sh -c npm run build" did not complete successfully: exit code: 2',
    );
    const p = parseLog(log);
    const b = p.builds[0];
    expect(b.outcome).toBe("failed");
    expect(b.errorLine).toBe(21);
    expect(b.errorMessage).toMatch(/^failed to build: failed to solve: process/);
    expect(b.errorSource).toEqual({ file: "Dockerfile", line: 7 });
    expect(byId(b, "#13")).toMatchObject({ status: "error", error: 'process "/bin/sh -c npm run build" did not complete successfully: exit code: 2' });
    expect(byId(b, "#1").warnings).toEqual(["FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)"]);
    expect(b.warnings).toEqual([{ message: "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)", line: 15 }]);
    expect(p.diagnostics).toEqual([]);
  });

  it("cache imports: registry not found (a vertex error that does not fail the build) and a missing local cache", () => {
    const p = parseLog(
      join(
        "#3 importing cache manifest from ghcr.io/org/app:cache",
        "#3 ERROR: failed to configure registry cache importer: ghcr.io/org/app:cache: not found",
        "",
        "#4 importing cache manifest from ghcr.io/org/base:cache",
        "#4 inferred cache manifest type: application/vnd.oci.image.manifest.v1+json done",
        "#4 DONE 0.9s",
        "",
        "#9 exporting to image",
        "#9 preparing layers for inline cache 0.1s done",
        "#9 DONE 0.3s",
        "",
        "#10 exporting cache to registry",
        "#10 DONE 1.2s",
        "------",
        " > importing cache manifest from ghcr.io/org/app:cache:",
        "------",
        "WARNING: local cache import at /tmp/.buildx-cache not found due to err: could not read /tmp/.buildx-cache/index.json: no such file or directory",
      ),
    );
    const b = p.builds[0];
    expect(b.outcome).toBe("success");
    expect(b.cacheImports.map((c) => [c.ref, c.status])).toEqual([
      ["ghcr.io/org/app:cache", "not-found"],
      ["ghcr.io/org/base:cache", "ok"],
      ["/tmp/.buildx-cache", "not-found"],
    ]);
    expect(b.cacheExports).toEqual([
      { kind: "registry", line: 12 },
      { kind: "inline", line: 9 },
    ]);
    expect(b.warnings[0].message).toMatch(/^local cache import at \/tmp\/.buildx-cache not found/);
  });

  it("the echoed CI command goes to the build it precedes", () => {
    const p = parseLog(join("[command]/usr/bin/docker buildx build --no-cache --cache-from type=gha --build-arg K=V .", '#0 building with "builder" instance using docker-container driver', "", "#1 [1/1] FROM alpine", "#1 DONE 0.1s"));
    expect(p.builds[0].command).toMatchObject({ noCache: true, cacheFrom: ["type=gha"], buildArgs: { K: "V" } });
    expect(p.builds[0].builder).toEqual({ name: "builder", driver: "docker-container" });
  });
});

describe("plain: old form and numbering", () => {
  it("Docker 20.10: `#N sha256:` digest lines, out-of-order numbers, no `#0` line", () => {
    const p = parseLog(
      join(
        "#1 [internal] load build definition from Dockerfile",
        "#1 sha256:2807006a6ea27730e66b27362ce3efe956678abb71e724f0cf3a0332614e6b50",
        "#1 transferring dockerfile: 483B done",
        "#1 DONE 0.0s",
        "",
        "#9 [backend 1/4] FROM docker.io/local/busybox:latest",
        "#9 sha256:ad0d45d7faf3865fd8a2d3569b4859a32fefd8712f29165f45f26e15e8c85906",
        "#9 DONE 0.0s",
        "",
        "#7 [frontend 2/4] WORKDIR /web",
        "#7 sha256:1111111111111111111111111111111111111111111111111111111111111111",
        "#7 CACHED",
      ),
    );
    const b = p.builds[0];
    expect(b.builder).toBeNull();
    expect(b.vertices.map((v) => [v.id, v.number, v.status])).toEqual([
      ["#1", 1, "done"],
      ["#9", 9, "done"],
      ["#7", 7, "cached"],
    ]);
    expect(byId(b, "#9").digest).toBe("sha256:ad0d45d7faf3865fd8a2d3569b4859a32fefd8712f29165f45f26e15e8c85906");
    expect(byId(b, "#9").pulledLayers).toEqual([]);
  });

  it("several builds: split at `#0 building with`, ids restart (corpus 015)", () => {
    const one = (tag: string) => ['#0 building with "default" instance using docker driver', "", `#1 [1/2] FROM ${tag}`, "#1 DONE 0.1s", "", "#2 [2/2] WORKDIR /app", "#2 CACHED", ""];
    const p = parseLog(join(...one("a"), ...one("b"), ...one("c")));
    expect(p.builds.map((b) => [b.index, b.line, b.vertices[0].name])).toEqual([
      [1, 1, "[1/2] FROM a"],
      [2, 9, "[1/2] FROM b"],
      [3, 17, "[1/2] FROM c"],
    ]);
  });

  it("old logs without `#0`: the same ids after the final ERROR start a new build", () => {
    const p = parseLog(join("#1 [1/1] FROM a", "#1 ERROR: pull access denied", "ERROR: failed to solve: pull access denied", "", "#1 [1/1] FROM b", "#1 DONE 0.2s"));
    expect(p.builds.map((b) => b.outcome)).toEqual(["failed", "success"]);
  });

  it("a vertex without a header (log starts mid-build) gets an empty name and a diagnostic", () => {
    const p = parseLog(join("#5 2.1 compiling", "#5 DONE 3.0s", "", "#6 [2/2] RUN x", "#6 DONE 0.1s"));
    expect(byId(p.builds[0], "#5")).toMatchObject({ name: "", status: "done", durationSeconds: 3 });
    expect(p.diagnostics.map((d) => [d.code, d.line])).toEqual([["log/missing-header", 1]]);
  });
});

describe("plain: CI wrappers", () => {
  it("GitHub Actions: times give estimated start/end seconds; timing stays estimated", () => {
    const p = parseLog(
      join(
        '2025-01-05T18:29:13.0000000Z #0 building with "default" instance using docker driver',
        "2025-01-05T18:29:13.0000000Z",
        "2025-01-05T18:29:14.5000000Z #6 [1/3] FROM docker.io/library/golang:1.23",
        "2025-01-05T18:29:31.7000000Z #6 DONE 17.2s",
        "2025-01-05T18:29:31.7000000Z",
        "2025-01-05T18:29:31.8000000Z #7 [2/3] WORKDIR /app",
        "2025-01-05T18:29:31.9000000Z #7 CACHED",
      ),
    );
    const b = p.builds[0];
    expect(p.wrapper).toBe("github-actions");
    expect(b.timing).toBe("estimated");
    expect(b.startedAt).toBe("2025-01-05T18:29:13.000Z");
    expect(b.durationSeconds).toBe(18.9);
    expect(byId(b, "#6")).toMatchObject({ startSeconds: 1.5, endSeconds: 18.7, durationSeconds: 17.2 });
    expect(byId(b, "#7")).toMatchObject({ startSeconds: 18.8, endSeconds: 18.9 });
  });

  it("Gitea: no blank lines between blocks, masked `#***` ids (corpus 027)", () => {
    const p = parseLog(
      join(
        '2026-03-24T02:30:20.5507768Z #0 building with "default" instance using docker driver',
        "2026-03-24T02:30:20.5508478Z #1 [internal] load build definition from Dockerfile",
        "2026-03-24T02:30:20.8593654Z #1 transferring dockerfile:",
        "2026-03-24T02:30:21.3835884Z #1 DONE 1.0s",
        "2026-03-24T02:30:21.6306770Z #2 [internal] load metadata for docker.io/library/node:***-alpine",
        "2026-03-24T02:30:23.7307078Z #2 DONE 2.2s",
        "2026-03-24T02:30:24.0000000Z #*** [deps 5/6] COPY backend/package.json ./backend/",
        "2026-03-24T02:30:24.0000000Z #*** CACHED",
        "2026-03-24T02:30:24.1000000Z #21 [deps 6/6] RUN pnpm install",
        "2026-03-24T02:30:24.1000000Z #21 CACHED",
      ),
    );
    const b = p.builds[0];
    expect(b.vertices.map((v) => [v.id, v.number, v.status, v.name.slice(0, 20)])).toEqual([
      ["#1", 1, "done", "[internal] load buil"],
      ["#2", 2, "done", "[internal] load meta"],
      ["#***", null, "cached", "[deps 5/6] COPY back"],
      ["#21", 21, "cached", "[deps 6/6] RUN pnpm "],
    ]);
  });

  it("bake: target prefixes on steps, internal vertices and exporters (buildx 0.13 capture)", () => {
    const p = parseLog(join("#2 [api internal] load build definition from Dockerfile", "#2 DONE 0.0s", "", "#9 [api api 1/2] COPY api/ ./api/", "#9 CACHED", "", "#14 [api] exporting to image", "#14 DONE 0.0s"));
    const b = p.builds[0];
    expect(b.vertices.map((v) => v.kind)).toEqual(["internal", "step", "export"]);
    expect(byId(b, "#9").label).toMatchObject({ target: "api", stage: "api", position: 1, of: 2 });
  });

  it("multi-platform: platform in labels and internal prefixes (corpus 029)", () => {
    const p = parseLog(
      join(
        "#2 [linux/arm64 internal] load metadata for docker.io/library/node:lts-slim",
        "#2 ERROR: ref buildkit/1/index-sha256:76d0 locked for 77.7ms: unavailable",
        "",
        "#7 [linux/arm/v7 builder 1/5] FROM docker.io/library/node:lts-slim",
        "#7 CANCELED",
        "ERROR: failed to build: failed to solve: node:lts-slim: no match for platform in manifest: not found",
      ),
    );
    const b = p.builds[0];
    expect(b.outcome).toBe("failed");
    expect(byId(b, "#2")).toMatchObject({ kind: "internal", status: "error" });
    expect(byId(b, "#7").label).toMatchObject({ platform: "linux/arm/v7", stage: "builder" });
  });

  it("a builder bootstrap before `#0` is not a build (corpus 029)", () => {
    const p = parseLog(join("[command]/usr/bin/docker buildx inspect --bootstrap --builder b", "#1 [internal] booting buildkit", "#1 pulling image moby/buildkit:buildx-stable-1 4.7s done", "#1 DONE 5.1s", "Name: b", '#0 building with "b" instance using docker-container driver', "", "#1 [internal] load build definition from Dockerfile", "#1 DONE 0.0s"));
    expect(p.builds).toHaveLength(1);
    expect(p.builds[0].vertices[0].name).toBe("[internal] load build definition from Dockerfile");
  });
});
