// SLOW-ISH (~15 s, one `npm pack` + one `npm install`): the npm package as a user gets it.
// Packs the repository (prepack builds dist/ with esbuild + tsc), installs the tarball into an
// empty folder and uses it there: the `cachescope` command on a real captured log, the library
// from a plain Node ESM script, and its types from a TypeScript consumer.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const scenario = join(root, "fixtures/scenarios/03-copy-context-before-install");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

let work: string;
let consumer: string;
let tarball: string;
let packedFiles: string[];

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "cachescope-pack-"));
  consumer = join(work, "consumer");
  const packed = JSON.parse(execFileSync(npm, ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
  tarball = join(work, packed[0].filename);
  packedFiles = packed[0].files.map((f: { path: string }) => f.path);
  execFileSync("mkdir", ["-p", consumer]);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync(npm, ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline"], { cwd: consumer, stdio: "ignore" });
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm package (npm pack → npm install <tarball> in an empty folder)", () => {
  it("ships compiled JavaScript and declarations, not the TypeScript sources or the web app", () => {
    expect(packedFiles).toContain("dist/cli.js");
    expect(packedFiles).toContain("dist/index.js");
    expect(packedFiles).toContain("dist/types/index.d.ts");
    expect(packedFiles).toContain("bin/cachescope.mjs");
    expect(packedFiles.filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    expect(packedFiles.some((f) => f.startsWith("app/") || f.startsWith("components/") || f.startsWith("cli/"))).toBe(false);
  });

  it("installs nothing but itself: the CLI and engine dependencies are bundled", () => {
    const installed = readdirSync(join(consumer, "node_modules")).filter((n) => !n.startsWith("."));
    expect(installed).toEqual(["cachescope"]);
  });

  it("`npx cachescope analyze --log` explains a real captured build", () => {
    const r = run("npx", ["--no-install", "cachescope", "analyze", "--log", join(scenario, "after.log"), "--dockerfile", join(scenario, "Dockerfile")], consumer);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Cachescope — build SUCCESS/);
    expect(r.out).toContain("Why steps were rebuilt");
    const json = run("npx", ["--no-install", "cachescope", "analyze", "--log", join(scenario, "after.log"), "--format", "json"], consumer);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).schemaVersion).toBe(1);
  });

  it("`npx cachescope` says why on unreadable input (exit 2, one line)", () => {
    const r = run("npx", ["--no-install", "cachescope", "analyze", "--log", join(work, "missing.log")], consumer);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/^cachescope: log .*missing\.log: no such file$/);
  });

  it("`import { analyze } from \"cachescope\"` runs in a plain Node ESM script", () => {
    writeFileSync(
      join(consumer, "use.mjs"),
      [
        'import { readFileSync } from "node:fs";',
        'import { analyze, renderMarkdown } from "cachescope";',
        "const report = analyze({ log: readFileSync(process.argv[2]), dockerfile: readFileSync(process.argv[3], 'utf8') });",
        "const md = renderMarkdown(report, {});",
        "console.log(JSON.stringify({ summary: report.summary, causes: report.steps.filter((s) => s.miss?.rootCause).map((s) => s.miss.cause), md: md.length }));",
      ].join("\n"),
    );
    const r = run(process.execPath, ["use.mjs", join(scenario, "after.log"), join(scenario, "Dockerfile")], consumer);
    expect(r.err).toBe("");
    const out = JSON.parse(r.out);
    expect(out.summary.steps).toBeGreaterThan(0);
    expect(out.causes.length).toBeGreaterThan(0);
    expect(out.md).toBeGreaterThan(100);
  });

  it("type-checks a TypeScript consumer (nodenext and bundler resolution)", () => {
    writeFileSync(
      join(consumer, "consumer.ts"),
      [
        'import { analyze, renderText, type Report, type AnalyzeInput } from "cachescope";',
        'const input: AnalyzeInput = { log: "#1 [internal] load build definition from Dockerfile\\n#1 DONE 0.0s\\n", dockerfile: null };',
        "const report: Report = analyze(input);",
        "const ratio: number | null = report.summary.cacheHitRatio;",
        "const text: string = renderText(report, { color: false });",
        "// @ts-expect-error the report is typed: no such field",
        "report.summary.noSuchField;",
        "export { ratio, text };",
      ].join("\n"),
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    for (const [module, resolution] of [["nodenext", "nodenext"], ["esnext", "bundler"]]) {
      // No @types/node and no DOM library: the declarations must stand on their own.
      const compilerOptions = { noEmit: true, strict: true, skipLibCheck: false, types: [], lib: ["ES2022"], target: "ES2022", module, moduleResolution: resolution };
      writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
      const r = run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer);
      expect(r.out + r.err, `${module}/${resolution}`).toBe("");
      expect(r.code).toBe(0);
    }
  });

  it("the installed bin runs without tsx (no TypeScript sources beside it)", () => {
    const bin = readFileSync(join(consumer, "node_modules/cachescope/bin/cachescope.mjs"), "utf8");
    expect(bin).toContain("../dist/cli.js");
    const cli = readFileSync(join(consumer, "node_modules/cachescope/dist/cli.js"), "utf8");
    expect(cli).not.toMatch(/from\s*"tsx|import\("tsx/);
  });
});
