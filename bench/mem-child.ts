/**
 * Child process for the memory figure of bench/run.ts (fresh heap per measurement):
 *   node --expose-gc --import tsx bench/mem-child.ts <log file> [<Dockerfile>]
 * Reads the inputs, collects garbage, resets the kernel's peak-RSS mark (/proc/self/clear_refs = 5),
 * runs analyze() once and prints one JSON line: the peak RSS rise over the baseline (VmHWM − VmRSS
 * before), the heap retained with the report alive, and the time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { analyze } from "../lib/analyze/index";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const status = (key: string) => {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
};

const [logPath, dfPath] = process.argv.slice(2);
const log = readFileSync(logPath!, "utf8");
const dockerfile = dfPath ? readFileSync(dfPath, "utf8") : null;
// Load and JIT the engine on a tiny input so code loading is not counted.
analyze({ log: "#1 [a 1/1] FROM x\n#1 DONE 0.1s\n", dockerfile: "FROM x AS a\n" });
gc();
gc();
let hwmReset = true;
try {
  writeFileSync("/proc/self/clear_refs", "5");
} catch {
  hwmReset = false;
}
const baseRss = status("VmRSS");
const baseHeap = process.memoryUsage().heapUsed;
const t = performance.now();
const report = analyze({ log, dockerfile });
const ms = performance.now() - t;
const peakRss = status("VmHWM");
gc();
const retained = process.memoryUsage().heapUsed - baseHeap;
process.stdout.write(JSON.stringify({ ms, steps: report.steps.length, peakRssDelta: peakRss - baseRss, heapRetained: retained, hwmReset }) + "\n");
