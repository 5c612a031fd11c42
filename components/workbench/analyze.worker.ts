/// <reference lib="webworker" />
/**
 * Runs the engine off the main thread. The report is plain data, so it crosses the worker boundary
 * by structured clone. The worker says "ready" first, so the page can tell a worker that cannot
 * start (bundling, CSP) from one that crashed on an input — only the first may fall back to the
 * main thread. The page enforces the time budget by terminating this worker.
 */
import { analyze } from "@/lib/analyze";
import type { AnalyzeInput } from "@/lib/analyze/types";

export type WorkerRequest = { id: number; input: AnalyzeInput };
export type WorkerResponse =
  | { id: number; ok: true; report: ReturnType<typeof analyze>; ms: number }
  | { id: number; ok: false; error: string }
  | { id: -1; ready: true };

const ctx = self as unknown as DedicatedWorkerGlobalScope;

ctx.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, input } = event.data;
  const t0 = performance.now();
  try {
    const report = analyze(input);
    ctx.postMessage({ id, ok: true, report, ms: performance.now() - t0 } satisfies WorkerResponse);
  } catch (e) {
    ctx.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies WorkerResponse);
  }
};

ctx.postMessage({ id: -1, ready: true } satisfies WorkerResponse);
