// esbuild options shared by the npm package build (scripts/build-package.mjs) and the GitHub
// Action's build of the CLI (action/build.mjs). No import of esbuild here: the action resolves
// esbuild from its own small install.

/** Plain ESM for Node 20, every dependency bundled. */
export function bundleOptions(root) {
  return {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    absWorkingDir: root,
    legalComments: "none",
    // Bundled CommonJS dependencies may call require() for Node built-ins; ESM has no require.
    banner: { js: 'import { createRequire as __cachescopeRequire } from "node:module"; const require = __cachescopeRequire(import.meta.url);' },
    logLevel: "warning",
  };
}

/** The `cachescope` command: cli/main.ts and whatever it imports. */
export function cliBundleOptions(root) {
  return {
    ...bundleOptions(root),
    stdin: {
      contents: 'import { main } from "./cli/main.ts";\nprocess.exitCode = await main(process.argv);\n',
      resolveDir: root,
      sourcefile: "cli-entry.ts",
      loader: "ts",
    },
    // Parsing is most of a cold start: minified, `cachescope analyze` on a small log starts ~20 ms sooner.
    minify: true,
  };
}
