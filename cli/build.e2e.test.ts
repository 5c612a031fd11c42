/**
 * `cachescope build` end to end against a real engine: a first build records the baseline, an edit
 * is named on the next build, a failing build and a build interrupted with SIGINT leave the baseline
 * exactly as it was. Skips with its reason when no engine or no buildx answers.
 * Needs `local/busybox:latest` (the engines of this project have no registry access).
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "../lib/model/report";

const bin = path.join(__dirname, "..", "bin", "cachescope.mjs");

function engineProblem(): string | null {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 20_000 });
  if (info.status !== 0) return `docker info failed: ${(info.stderr || info.error?.message || "").trim().split("\n")[0]}`;
  const bx = spawnSync("docker", ["buildx", "version"], { encoding: "utf8", timeout: 20_000 });
  if (bx.status !== 0) return "docker buildx is not installed";
  const img = spawnSync("docker", ["image", "inspect", "local/busybox:latest"], { encoding: "utf8", timeout: 20_000 });
  if (img.status !== 0) return "the base image local/busybox:latest is missing";
  return null;
}

const problem = engineProblem();
if (problem) console.warn(`skipping cachescope build e2e: ${problem}`);

describe.skipIf(!!problem)("cachescope build (real engine)", () => {
  const work = mkdtempSync(path.join(tmpdir(), "cachescope-build-e2e-"));
  const ctx = path.join(work, "ctx");
  const cache = path.join(work, "cache");
  mkdirSync(path.join(ctx, "src"), { recursive: true });
  writeFileSync(
    path.join(ctx, "Dockerfile"),
    [
      "FROM local/busybox:latest",
      "ARG FAIL=0",
      "ARG SLEEP=0",
      "WORKDIR /app",
      "COPY src ./src",
      'RUN sleep $SLEEP && test "$FAIL" != 1 && md5sum src/* > sums.txt',
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(ctx, "src", "a.txt"), "one\n");
  writeFileSync(path.join(ctx, "notes.md"), "notes\n");
  // A fresh tag per run so an older cache cannot make the first build look warm.
  writeFileSync(path.join(ctx, "src", "salt.txt"), `${process.pid}-${Math.random()}\n`);
  const env = { ...process.env, CACHESCOPE_CACHE_DIR: cache };

  const run = (extra: string[], out: string) =>
    spawnSync(process.execPath, [bin, "build", "--format", "json", "--out", out, "--", "--network=host", ...extra, ctx], { encoding: "utf8", env, timeout: 240_000 });
  const baselineFile = () => {
    const dir = path.join(cache, "baselines");
    const files = existsSync(dir) ? readdirSync(dir) : [];
    return files.length ? path.join(dir, files[0]!) : null;
  };

  it("first build records a baseline; the next one names the edited file", () => {
    const r1 = run([], path.join(work, "r1.json"));
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stderr).toMatch(/COPY src \.\/src\s+DONE/);
    expect(r1.stderr).toMatch(/baseline is recorded now/);
    expect(baselineFile()).not.toBeNull();

    writeFileSync(path.join(ctx, "src", "a.txt"), "two\n");
    writeFileSync(path.join(ctx, "notes.md"), "more notes\n");
    const r2 = run([], path.join(work, "r2.json"));
    expect(r2.status, r2.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(work, "r2.json"), "utf8")) as Report;
    const copy = report.steps.find((s) => s.text === "COPY src ./src")!;
    expect(copy.status).toBe("rebuilt");
    expect(copy.miss!.changedFiles).toEqual(["src/a.txt"]);
    expect(copy.miss!.evidence).toBe("exact");
    expect(report.changedFiles!.unused).toEqual(["notes.md"]);
    expect(report.changedFiles!.source).toBe("fingerprint");
  });

  it("a failing build keeps the baseline and returns the build's exit code", () => {
    const before = readFileSync(baselineFile()!, "utf8");
    writeFileSync(path.join(ctx, "src", "a.txt"), "three\n");
    const r = run(["--build-arg", "FAIL=1"], path.join(work, "r3.json"));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/baseline stays at the last successful build/);
    expect(readFileSync(baselineFile()!, "utf8")).toBe(before);
    const report = JSON.parse(readFileSync(path.join(work, "r3.json"), "utf8")) as Report;
    expect(report.build.status).toBe("failed");
  });

  it("SIGINT stops the build, exits 130 and leaves the baseline whole", async () => {
    const before = readFileSync(baselineFile()!, "utf8");
    writeFileSync(path.join(ctx, "src", "a.txt"), "four\n");
    const child = spawn(process.execPath, [bin, "build", "--", "--network=host", "--build-arg", "SLEEP=60", ctx], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    const code: number | null = await new Promise((resolve) => {
      let sent = false;
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        // Interrupt once the long RUN has started (the COPY before it finished).
        if (!sent && /COPY src \.\/src\s+(DONE|CACHED)/.test(stderr)) {
          sent = true;
          setTimeout(() => child.kill("SIGINT"), 500);
        }
      });
      child.on("close", (c) => resolve(c));
      setTimeout(() => child.kill("SIGKILL"), 120_000);
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted; the baseline is kept/);
    expect(readFileSync(baselineFile()!, "utf8")).toBe(before);
    expect(readdirSync(path.join(cache, "baselines")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 180_000);
});
