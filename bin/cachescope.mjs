#!/usr/bin/env node
// The `cachescope` command. Installed from the package it runs the compiled CLI (dist/cli.js,
// plain JavaScript, no dependencies). In a clone of the repository (where cli/main.ts exists) it
// runs the TypeScript sources through tsx instead, so a fresh checkout needs no build step and
// never runs a stale dist/.
import { existsSync } from "node:fs";

const fromSources = existsSync(new URL("../cli/main.ts", import.meta.url));
if (fromSources) {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import("../cli/main.ts");
  process.exitCode = await main(process.argv);
} else {
  await import("../dist/cli.js");
}
