import { describe, expect, it } from "vitest";
import { stripAnsi, unwrapLines } from "./unwrap";

describe("unwrapLines", () => {
  it("GitHub Actions: BOM, 7-digit timestamps, empty lines as a bare timestamp (corpus 015)", () => {
    const text = [
      "\uFEFF2025-01-05T18:29:09.7852392Z ##[group]Run docker build -t app crud-app/",
      "2025-01-05T18:29:13.0319276Z #0 building with \"default\" instance using docker driver",
      "2025-01-05T18:29:13.0320000Z",
      "2025-01-05T18:29:13.0321513Z #1 [internal] load build definition from Dockerfile",
    ].join("\n");
    const u = unwrapLines(text);
    expect(u.wrapper).toBe("github-actions");
    expect(u.lines).toEqual(["##[group]Run docker build -t app crud-app/", '#0 building with "default" instance using docker driver', "", "#1 [internal] load build definition from Dockerfile"]);
    expect(u.times![1] - u.times![0]).toBeCloseTo(3.2466884, 5);
    expect(u.times![0]).toBeCloseTo(Date.UTC(2025, 0, 5, 18, 29, 9) / 1000 + 0.7852392, 5);
  });

  it("Render: variable-width fractions (corpus 016)", () => {
    const text = [
      "2025-11-24T01:50:43.931587236Z #1 DONE 0.0s",
      "2025-11-24T01:50:45.0619884Z #2 ...",
      "2025-11-24T01:50:45.062002951Z",
      "2025-11-24T01:50:49.4938814Z #6 transferring context: 735B done",
    ].join("\n");
    const u = unwrapLines(text);
    expect(u.wrapper).toBe("render");
    expect(u.lines).toEqual(["#1 DONE 0.0s", "#2 ...", "", "#6 transferring context: 735B done"]);
  });

  it("Gitea relay: `<ts> err: ` stream prefixes (corpus 028)", () => {
    const text = [
      "2026-03-23T07:52:20.9359634Z err: From https://git.example/x",
      "2026-03-23T07:52:21.6716961Z err: #0 building with \"default\" instance using docker driver",
      "2026-03-23T07:52:21.6717690Z err: #1 [internal] load build definition from Dockerfile",
      "2026-03-23T07:52:21.6717690Z out: deployed",
      "2026-03-23T07:52:21.6717690Z runner line",
    ].join("\n");
    const u = unwrapLines(text);
    expect(u.wrapper).toBe("gitea-actions");
    expect(u.lines).toEqual(["From https://git.example/x", '#0 building with "default" instance using docker driver', "#1 [internal] load build definition from Dockerfile", "deployed", "runner line"]);
  });

  it("Go log prefix; unprefixed continuation lines stay (corpus 011)", () => {
    const text = ["2024/03/29 14:00:00 Step 1/49 : ARG ARCH=aarch64", "2024/03/29 14:00:00 ", "continued without prefix", "2024/03/29 14:00:00  ---> Using cache"].join("\n");
    const u = unwrapLines(text);
    expect(u.wrapper).toBe("go-log");
    expect(u.times).toBeNull();
    expect(u.lines).toEqual(["Step 1/49 : ARG ARCH=aarch64", "", "continued without prefix", " ---> Using cache"]);
  });

  it("GitLab section markers and timestamped stream flags", () => {
    const text = [
      "2024-05-13T12:46:17.478385Z 00O \x1b[0Ksection_start:1715604377:build[collapsed=true]\r\x1b[0K\x1b[36;1mBuilding image\x1b[0;m",
      "2024-05-13T12:46:17.478385Z 01E #1 [internal] load build definition from Dockerfile",
      "2024-05-13T12:46:18.000000Z 01E+#1 DONE 0.0s",
      "2024-05-13T12:46:19.000000Z 00O \x1b[0Ksection_end:1715604379:build\r\x1b[0K",
    ].join("\n");
    const u = unwrapLines(text);
    expect(u.wrapper).toBe("gitlab");
    expect(u.lines).toEqual(["Building image", "#1 [internal] load build definition from Dockerfile", "#1 DONE 0.0s", ""]);
  });

  it("GitLab section markers without timestamps", () => {
    const u = unwrapLines("\x1b[0Ksection_start:1:docker[collapsed=true]\r\x1b[0KBuild\n#1 [internal] x\n\x1b[0Ksection_end:2:docker\r\x1b[0K\n");
    expect(u.wrapper).toBe("gitlab");
    expect(u.lines.slice(0, 3)).toEqual(["Build", "#1 [internal] x", ""]);
  });

  it("CRLF, \\r\\r\\n, and ANSI codes glued to the next line (corpus 012)", () => {
    const u = unwrapLines("Sending build context to Docker daemon  22.02kB\r\r\nStep 1/2 : FROM alpine\r\n\x1b[91mWARNING: pip\n\x1b[0mnext\n");
    expect(u.wrapper).toBe("none");
    expect(u.lines).toEqual(["Sending build context to Docker daemon  22.02kB", "Step 1/2 : FROM alpine", "WARNING: pip", "next", ""]);
  });

  it("bare \\r: BuildKit lines keep it (for the output tail), others show the last redraw", () => {
    const u = unwrapLines("#6 9.716 (Reading database ... \r(Reading database ... 5%\rdone\nprogress 1\rprogress 2\n");
    expect(u.lines[0]).toBe("#6 9.716 (Reading database ... \r(Reading database ... 5%\rdone");
    expect(u.lines[1]).toBe("progress 2");
  });

  it("stripAnsi removes CSI, OSC 8 links and charset escapes", () => {
    expect(stripAnsi("\x1b[33m1 warning\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b(B\x1b[2K\x1b[1Adone")).toBe("1 warning link done");
  });
});
