import { describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { diffFingerprints, fingerprintContext, isInside } from "./fingerprint";
import { baselineKey, baselinePath, cacheDir, loadBaseline, saveBaseline } from "./fingerprint-store";
import { parseBuildArgs } from "./build-args";

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cachescope-fp-"));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), c);
  }
  return dir;
}

describe("context fingerprint", () => {
  it("lists edits, new and deleted files; a touch alone is not a change", () => {
    const dir = context({ "src/a.js": "a", "src/b.js": "b", "gone.txt": "x" });
    const base = fingerprintContext(dir, null, null).fingerprint;
    writeFileSync(path.join(dir, "src/a.js"), "a2");
    writeFileSync(path.join(dir, "new.txt"), "n");
    const t = Date.now() / 1000 + 10;
    utimesSync(path.join(dir, "src/b.js"), t, t);
    rmSync(path.join(dir, "gone.txt"));
    const next = fingerprintContext(dir, null, base);
    expect(diffFingerprints(base, next.fingerprint)).toEqual(["gone.txt", "new.txt", "src/a.js"]);
    // only the two files whose metadata changed were read again
    expect(next.stats.hashed).toBe(3);
  });

  it("a mode change and a symlink target change count, as in BuildKit's file hash", () => {
    const dir = context({ "run.sh": "echo", "t1": "1", "t2": "2" });
    symlinkSync("t1", path.join(dir, "link"));
    const base = fingerprintContext(dir, null, null).fingerprint;
    chmodSync(path.join(dir, "run.sh"), 0o755);
    rmSync(path.join(dir, "link"));
    symlinkSync("t2", path.join(dir, "link"));
    expect(diffFingerprints(base, fingerprintContext(dir, null, base).fingerprint)).toEqual(["link", "run.sh"]);
  });

  it("honours the ignore file: skips ignored folders, walks into them for `!` re-includes", () => {
    const dir = context({ ".git/HEAD": "ref", "node_modules/x/i.js": "1", "docs/keep.txt": "k", "docs/drop.txt": "d", "src/a.js": "a" });
    const fp = fingerprintContext(dir, ".git\nnode_modules\ndocs\n!docs/keep.txt\n", null);
    expect(Object.keys(fp.fingerprint.files).sort()).toEqual(["docs/keep.txt", "src/a.js"]);
    expect(fingerprintContext(dir, ".git\nnode_modules\n", null).stats.skippedDirs).toBe(2);
  });

  it("keeps baselines atomically outside the context; a broken one is ignored", () => {
    const store = mkdtempSync(path.join(tmpdir(), "cachescope-store-"));
    const dir = context({ "a": "1" });
    const file = baselinePath(store, baselineKey(dir, path.join(dir, "Dockerfile"), null));
    const fp = fingerprintContext(dir, null, null).fingerprint;
    saveBaseline(file, fp);
    expect(loadBaseline(file)).toEqual(fp);
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    writeFileSync(file, "{ half a baseline");
    expect(loadBaseline(file)).toBeNull();
    expect(baselineKey(dir, "Dockerfile", "a")).not.toBe(baselineKey(dir, "Dockerfile", "b"));
    expect(cacheDir({ XDG_CACHE_HOME: "/x" })).toBe("/x/cachescope");
    expect(isInside(dir, path.join(dir, "sub"))).toBe(true);
    expect(isInside(dir, store)).toBe(false);
    expect(readFileSync(file, "utf8")).toContain("half");
  });
});

describe("buildx arguments", () => {
  it("finds context, Dockerfile and target, replaces --progress, passes the rest through", () => {
    const a = parseBuildArgs(["--network=host", "-t", "app:1", "--progress", "plain", "-f", "docker/Dockerfile.prod", "--target=web", "--load", "--build-arg", "A=1", "."]);
    expect(a.context).toBe(".");
    expect(a.dockerfile).toBe("docker/Dockerfile.prod");
    expect(a.target).toBe("web");
    expect(a.droppedProgress).toBe("plain");
    expect(a.passthrough).toEqual(["--network=host", "-t", "app:1", "-f", "docker/Dockerfile.prod", "--target=web", "--load", "--build-arg", "A=1", "."]);
  });
  it("defaults the Dockerfile to the context's; a URL context has no local folder", () => {
    expect(parseBuildArgs(["ctx"]).dockerfile).toBe(path.join("ctx", "Dockerfile"));
    expect(parseBuildArgs(["https://github.com/a/b.git"]).contextDir).toBeNull();
    expect(parseBuildArgs(["-"]).contextDir).toBeNull();
  });
});

describe("rawjson progress stream", () => {
  it("splits one-line (buildx 0.29) and pretty-printed (buildx 0.13) objects, keeps text lines", async () => {
    const { RawjsonSplitter, ProgressView } = await import("./build-progress");
    const objs: string[] = [];
    const text: string[] = [];
    const s = new RawjsonSplitter((o) => objs.push(o), (t) => text.push(t));
    const v = '{"vertexes":[{"digest":"d1","name":"[build 2/3] RUN echo \\"}\\"","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:01.5Z"}]}';
    s.feed(v.slice(0, 20));
    s.feed(v.slice(20) + "\n{\n  \"vertexes\": [\n    {\n      \"digest\": \"d2\",\n      \"name\": \"[build 3/3] COPY . .\",\n      \"cached\": true,\n      \"completed\": \"2026-01-01T00:00:02Z\"\n    }\n  ]\n}\nERROR: failed to solve: {bad}\n");
    s.end();
    expect(objs).toHaveLength(2);
    expect(text).toEqual(["ERROR: failed to solve: {bad}"]);
    const lines: string[] = [];
    const view = new ProgressView((l) => lines.push(l));
    for (const o of objs) view.line(o);
    expect(lines).toEqual(['[build 2/3] RUN echo "}"  DONE 1.5s', "[build 3/3] COPY . .  CACHED"]);
  });
});
