// Builds the Cachescope CLI from this checkout of the action (cli/main.ts and what it imports) into
// one JavaScript file, with esbuild and the few packages of action/package.json (`npm ci` there
// first). The action runs the code of the ref it is pinned to: nothing is fetched by name.
//   node action/build.mjs <out.js>
import { build } from "esbuild";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cliBundleOptions } from "../scripts/bundle-options.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const out = resolve(process.argv[2] ?? join(here, "dist/cli.js"));
// Packages resolve from the repository's node_modules when present, else from action/node_modules.
await build({ ...cliBundleOptions(root), outfile: out, nodePaths: [join(here, "node_modules")] });
process.stdout.write(`${out}\n`);
