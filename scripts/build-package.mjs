// Builds what the npm package ships (runs at `prepack`):
//   dist/cli.js    the CLI: cli/main.ts and everything it imports, bundled with its dependencies
//   dist/index.js  the library (`import { analyze } from "cachescope"`), bundled the same way, readable
//   dist/types/    declarations of the library entry (tsc --emitDeclarationOnly)
// Plain JavaScript for Node 20 with no runtime dependency: `npm install cachescope` pulls nothing
// else, and running it needs neither tsx nor TypeScript. Whatever cli/main.ts imports is bundled,
// so new CLI modules need no change here.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleOptions, cliBundleOptions } from "./bundle-options.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

rmSync(dist, { recursive: true, force: true });

const results = await Promise.all([
  build({ ...cliBundleOptions(root), metafile: true, outfile: join(dist, "cli.js") }),
  build({
    ...bundleOptions(root),
    metafile: true,
    entryPoints: [join(root, "lib/index.ts")],
    outfile: join(dist, "index.js"),
    // fflate's Node build reaches for worker_threads through node:module; the engine only uses its
    // synchronous calls, which its portable build has too, so the library stays free of built-ins.
    alias: { fflate: "./node_modules/fflate/esm/browser.js" },
  }),
]);

// The library must stay pure: a Node built-in in its bundle means lib/ imported one.
const libInputs = Object.keys(results[1].metafile.inputs);
const builtins = Object.values(results[1].metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
if (builtins.some((b) => b !== "node:module")) throw new Error(`the library bundle imports Node built-ins: ${builtins.join(", ")}`);

// Declarations: emitted per file, then made resolvable under every moduleResolution a consumer
// may use (node16/nodenext need explicit extensions in ESM declaration files).
const tsc = join(root, "node_modules/typescript/bin/tsc");
execFileSync(
  process.execPath,
  [
    tsc, "lib/index.ts",
    "--declaration", "--emitDeclarationOnly", "--outDir", "dist/types", "--rootDir", "lib",
    "--target", "ES2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "ES2023,DOM",
    "--strict", "--skipLibCheck", "--resolveJsonModule", "--esModuleInterop", "--isolatedModules",
  ],
  { cwd: root, stdio: ["ignore", 2, 2] }, // stdout stays clean for `npm pack --json`
);
addDeclarationExtensions(join(dist, "types"));

const size = (f) => `${(statSync(join(dist, f)).size / 1024).toFixed(0)} kB`;
console.error(`dist/cli.js ${size("cli.js")}, dist/index.js ${size("index.js")} (${libInputs.length} modules), dist/types/index.d.ts`);

function addDeclarationExtensions(dir) {
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, name.name);
    if (name.isDirectory()) addDeclarationExtensions(file);
    else if (name.name.endsWith(".d.ts")) {
      const text = readFileSync(file, "utf8");
      const fixed = text.replace(/(from\s+|import\s*\(\s*)(["'])(\.{1,2}\/[^"']*)\2/g, (all, lead, q, spec) => {
        if (/\.(js|mjs|cjs|json)$/.test(spec)) return all;
        const base = resolve(dirname(file), spec);
        const target = existsSync(`${base}.d.ts`) ? `${spec}.js` : existsSync(join(base, "index.d.ts")) ? `${spec}/index.js` : null;
        if (!target) throw new Error(`${file}: cannot resolve ${spec}`);
        return `${lead}${q}${target}${q}`;
      });
      if (fixed !== text) writeFileSync(file, fixed);
    }
  }
}
