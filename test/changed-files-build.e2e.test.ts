/**
 * The captured changed-files scenarios (fixtures/changed-files/) replayed through `cachescope build`
 * on a real engine: the scenario's own prepare() and change() hooks run on a scratch copy, the build
 * runs twice, and the second report must give each root exactly the files expected — and the
 * fingerprint must list exactly what coreutils found changed (context-changed.txt the hook writes),
 * minus what the ignore file leaves out. Skips with its reason without an engine.
 *
 * A `WORKDIR /cachescope-salt-<random>` after every FROM keeps earlier runs' cache out of the picture
 * (an ENV would not: a COPY's cache key does not include the environment, only its parent and files).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Report } from "../lib/model/report";
import { createIgnoreMatcher } from "../lib/context/dockerignore";
import { parseChangedList } from "../lib/context/changed-list";

const root = path.join(__dirname, "..");
const fixtures = path.join(root, "fixtures", "changed-files");
const bin = path.join(root, "bin", "cachescope.mjs");

function engineProblem(): string | null {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 20_000 });
  if (info.status !== 0) return `docker info failed: ${(info.stderr || info.error?.message || "").trim().split("\n")[0]}`;
  if (spawnSync("docker", ["buildx", "version"], { timeout: 20_000 }).status !== 0) return "docker buildx is not installed";
  if (spawnSync("docker", ["image", "inspect", "local/busybox:latest"], { timeout: 20_000 }).status !== 0) return "local/busybox:latest is missing";
  if (spawnSync("git", ["--version"], { timeout: 10_000 }).status !== 0) return "git is not installed";
  return null;
}
const problem = engineProblem();
if (problem) console.warn(`skipping changed-files build e2e: ${problem}`);

const scenarios = readdirSync(fixtures).filter((d) => existsSync(path.join(fixtures, d, "scenario.sh")));

describe.skipIf(!!problem)("changed-files scenarios through cachescope build (real engine)", () => {
  for (const slug of scenarios) {
    it(slug, () => {
      const t = mkdtempSync(path.join(tmpdir(), "cachescope-cfb-"));
      const sdir = path.join(t, "s", slug);
      const work = path.join(t, "work");
      mkdirSync(sdir, { recursive: true });
      cpSync(path.join(fixtures, "lib.sh"), path.join(t, "s", "lib.sh"));
      for (const f of ["scenario.sh", "expected.json"]) cpSync(path.join(fixtures, slug, f), path.join(sdir, f));
      mkdirSync(work);
      cpSync(path.join(fixtures, slug, "context"), path.join(work, "context"), { recursive: true });
      const salt = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      const dockerfile = readFileSync(path.join(fixtures, slug, "Dockerfile"), "utf8").replace(/^(FROM .*)$/gm, `$1\nWORKDIR /cachescope-salt-${salt}`);
      writeFileSync(path.join(work, "Dockerfile"), dockerfile);

      const hook = (name: string) => {
        const r = spawnSync("bash", ["-c", `set -e; prepare() { :; }; change() { :; }; dir="$1"; source "$dir/scenario.sh"; ${name}`, "hook", sdir], { cwd: work, encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
      };
      const env = { ...process.env, CACHESCOPE_CACHE_DIR: path.join(t, "cache") };
      const build = (out: string) => {
        const r = spawnSync(process.execPath, [bin, "build", "--format", "json", "--out", out, "--", "--network=host", "--output", "type=cacheonly", "-f", "Dockerfile", "context"], { cwd: work, encoding: "utf8", env, timeout: 300_000 });
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(readFileSync(out, "utf8")) as Report;
      };

      hook("prepare");
      build(path.join(t, "before.json"));
      hook("change");
      const report = build(path.join(t, "after.json"));

      // The fingerprint found exactly what coreutils found, minus the ignored files.
      const ignoreFile = path.join(work, "context", ".dockerignore");
      const ignore = createIgnoreMatcher(existsSync(ignoreFile) ? readFileSync(ignoreFile, "utf8") : null);
      const truth = parseChangedList(readFileSync(path.join(sdir, "context-changed.txt"), "utf8")).paths.filter((p) => !ignore.ignores(p));
      expect([...report.changedFiles!.listed].sort()).toEqual([...truth].sort());

      const expected = JSON.parse(readFileSync(path.join(sdir, "expected.json"), "utf8")) as {
        roots: Record<string, { fingerprint: string[]; fingerprintGit: boolean }>;
      };
      const roots = report.rootCauses.map((rc) => report.steps.find((s) => s.id === rc.rootStep)!);
      expect(roots.map((s) => s.text).sort()).toEqual(Object.keys(expected.roots).sort());
      for (const s of roots) {
        const files = s.miss!.changedFiles!;
        expect(files.filter((f) => !f.startsWith(".git/")).sort()).toEqual([...expected.roots[s.text]!.fingerprint].sort());
        expect(files.some((f) => f.startsWith(".git/"))).toBe(expected.roots[s.text]!.fingerprintGit);
      }
    }, 300_000);
  }
});
