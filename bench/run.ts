/**
 * `npm run bench` — performance budgets of shared/docs/design.md ("Performance budgets").
 *
 *   npm run bench                       everything (engine, browser, load)
 *   npm run bench -- --quick            engine with 1 and 10 MB only, 3 repeats, rawjson 10 MB
 *   npm run bench -- --only=small,scaling,rawjson,stages   some engine cases only
 *   npm run bench -- --sizes=1,10,50    the plain sizes of the scaling table (default 1,10,50,200)
 *   npm run bench -- --runner=bundle    run the CLI from an esbuild bundle made by the bench
 *                                       (default: the compiled dist/ CLI when present, else tsx)
 *   npm run bench -- --no-browser --no-load
 *   npm run bench -- --no-engine        only the browser and load parts
 *   npm run bench -- --no-history       do not append to bench/history.jsonl
 *   npm run bench -- --no-hostile       skip the hostile-input / loopback rows (bench/hostile.ts; --quick-hostile: no parser-scale rows)
 *   npm run bench -- --no-cold-start    skip the installed command's cold start (bench/cold-start.ts)
 *
 * Engine figures (bench/engine.ts): every target of issue 12 against its floor, side by side in
 * the same run, min and median of ≥ 5. Browser figures need a production build (.next/) and a
 * Chromium (CHROMIUM_PATH or /usr/bin/chromium). Every run is appended to bench/history.jsonl.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { printTable } from "./engine";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const args = new Set(process.argv.slice(2));
const argValue = (name: string) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const sizes = (argValue("sizes") ?? "1,10,50,200").split(",").map(Number).filter((n) => n > 0);

const figures: Record<string, unknown> = {};
const misses: string[] = [];

function verdict(ok: boolean | null): string {
  return ok == null ? "" : ok ? "PASS" : "MISS";
}

async function engine() {
  const { engineBench, printTable } = await import("./engine");
  const quick = args.has("--quick");
  const only = argValue("only");
  const { figures: f, verdicts } = await engineBench({
    root,
    quick,
    sizes: argValue("sizes") ? sizes : quick ? [1, 10] : [1, 10, 50, 200],
    runner: argValue("runner") ?? null,
    only: only ? new Set(only.split(",")) : null,
  });
  console.log("\nEngine targets (issue 12), measured side by side in this run:\n");
  printTable(verdicts.map((v) => ({ case: v.name, figure: v.text, verdict: verdict(v.ok) })));
  for (const v of verdicts) if (!v.ok) misses.push(`${v.name}: ${v.text}`);
  figures.engine = f;
}

async function main() {
  const started = new Date();
  if (!args.has("--no-engine")) await engine();
  if (!args.has("--no-hostile")) {
    // Hostile inputs and the loopback share server (issue 9): bench/hostile.ts.
    const { hostileBench } = await import("./hostile");
    const h = await hostileBench({ quick: args.has("--quick-hostile") });
    console.log("\n## Hostile inputs and loopback (bench/hostile.ts)\n");
    printTable(h.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))));
    figures.hostile = h.figures;
    misses.push(...h.misses);
  }
  if (!args.has("--no-engine") && !args.has("--no-records")) { const r = await (await import("./records")).recordsBench(); figures.records = r.figures; misses.push(...r.misses); }
  if (!args.has("--no-fingerprint")) ({ figures: figures.fingerprint } = await import("./fingerprint").then((m) => m.fingerprintBench()).then((r) => (misses.push(...r.misses), r)));
  if (!args.has("--no-cold-start")) {
    const { coldStartBench } = await import("./cold-start");
    const c = await coldStartBench(root);
    figures.coldStart = c.figures;
    misses.push(...c.misses);
  }

  let server: { url: string; pid: number; stop: () => Promise<void> } | null = null;
  const browserWanted = !args.has("--no-browser");
  const loadWanted = !args.has("--no-load");
  if (browserWanted || loadWanted) {
    const { startServer, productionBuildPresent } = await import("./server");
    const why = productionBuildPresent(root);
    if (why) {
      console.log(`\nbrowser + load: SKIPPED — ${why}`);
      figures.browser = figures.load = `skipped: ${why}`;
    } else {
      try {
        server = await startServer(root);
      } catch (e) {
        console.log(`\nbrowser + load: SKIPPED — next start failed: ${(e as Error).message}`);
        figures.browser = figures.load = "skipped: next start failed";
      }
    }
  }
  try {
    if (server && browserWanted) {
      const { browserBench } = await import("./browser");
      const b = await browserBench(server.url, root);
      figures.browser = b.figures;
      misses.push(...b.misses);
    }
    if (server && loadWanted) {
      const { loadBench } = await import("./load");
      const l = await loadBench(server.url, server.pid, root);
      figures.load = l.figures;
      misses.push(...l.misses);
    }
  } finally {
    await server?.stop();
  }

  console.log(misses.length ? `\nMISSES (${misses.length}):\n- ${misses.join("\n- ")}` : "\nAll measured targets PASS.");
  if (!args.has("--no-history")) {
    let commit: string | null = null;
    try {
      commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    } catch {
      /* not a git checkout */
    }
    const entry = { date: started.toISOString(), commit, node: process.version, cpus: os.cpus().length, sizes, figures, misses };
    appendFileSync(path.join(here, "history.jsonl"), JSON.stringify(entry) + "\n");
    console.log(`(appended to bench/history.jsonl)`);
  }
}

if (!existsSync(path.join(root, "package.json"))) throw new Error("run from the project");
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
