/**
 * Cold start of the installed command, side by side with bare Node: `npm pack`, install the
 * tarball into an empty folder, then time (wall, median of alternating runs) `node -e 0`,
 * `cachescope analyze --log <1 KB log>` through node_modules/.bin, the same through `npx`, and the
 * clone's TypeScript path (bin/cachescope.mjs through tsx) for comparison. Target: the installed
 * command ≤ 120 ms.
 *   node --import tsx bench/cold-start.ts        (also part of `npm run bench`; --no-cold-start skips it)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const TARGET_COLD_START_MS = 120;
const RUNS = 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function wall(cmd: string, args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${String(r.stderr).slice(0, 300)}`);
  return ms;
}

export async function coldStartBench(root: string): Promise<{ figures: Record<string, number>; misses: string[] }> {
  const work = mkdtempSync(path.join(os.tmpdir(), "cachescope-cold-"));
  try {
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    const app = path.join(work, "app");
    mkdirSync(app);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
    execFileSync("npm", ["install", path.join(work, packed[0].filename), "--no-audit", "--no-fund", "--prefer-offline"], { cwd: app, stdio: "ignore" });
    const log = path.join(root, "fixtures/scenarios/01-source-file-changed/after.log"); // 1 KB, plain
    const bin = path.join(app, "node_modules/.bin/cachescope");
    const cases: [string, string, string[], string][] = [
      ["bare node -e 0", process.execPath, ["-e", "0"], app],
      ["installed: cachescope analyze (node_modules/.bin)", bin, ["analyze", "--log", log], app],
      ["installed: npx cachescope analyze", "npx", ["--no-install", "cachescope", "analyze", "--log", log], app],
      ["clone: node bin/cachescope.mjs (tsx, TypeScript sources)", process.execPath, [path.join(root, "bin/cachescope.mjs"), "analyze", "--log", log], root],
    ];
    const times = cases.map(() => [] as number[]);
    for (const [, cmd, args, cwd] of cases) wall(cmd, args, cwd); // warm the file cache
    for (let i = 0; i < RUNS; i++) cases.forEach(([, cmd, args, cwd], k) => times[k]!.push(wall(cmd, args, cwd)));
    const med = times.map(median);
    const floor = med[0]!;
    console.log(`\ncold start, wall ms (median of ${RUNS}, alternating runs):`);
    console.log("| command | median | over bare node | target |");
    console.log("|---|---:|---:|---|");
    cases.forEach(([label], k) => {
      const target = k === 1 ? `≤ ${TARGET_COLD_START_MS} ${med[k]! <= TARGET_COLD_START_MS ? "PASS" : "MISS"}` : "";
      console.log(`| ${label} | ${med[k]!.toFixed(0)} | ${k ? `+${(med[k]! - floor).toFixed(0)}` : "–"} | ${target} |`);
    });
    const figures = { bareNodeMs: floor, installedBinMs: med[1]!, npxMs: med[2]!, cloneTsxMs: med[3]! };
    const misses = med[1]! > TARGET_COLD_START_MS ? [`cold start of the installed command: ${med[1]!.toFixed(0)} ms > ${TARGET_COLD_START_MS} ms`] : [];
    return { figures, misses };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  coldStartBench(root).then((r) => console.log(r.misses.length ? `MISS: ${r.misses.join("; ")}` : "PASS"));
}
