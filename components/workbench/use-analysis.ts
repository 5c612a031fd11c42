"use client";

import { useEffect, useRef, useState } from "react";
import type { AnalyzeInput } from "@/lib/analyze/types";
import type { Report } from "@/lib/model/report";
import type { WorkerRequest, WorkerResponse } from "./analyze.worker";

/** Inputs larger than this (characters or bytes, all inputs together) are analysed in a worker. */
export const WORKER_THRESHOLD = 100 * 1024;
/** Time budget of one analysis in the worker; past it the worker is terminated (never re-run on the main thread). */
export const ANALYSIS_TIMEOUT_MS = 30_000;
/** Inputs beyond this are refused with a message instead of analysed. */
export const MAX_ANALYSIS_SIZE = 256 * 1024 * 1024;
/** When no worker can start at all, only inputs up to this size run on the main thread. */
export const MAIN_THREAD_MAX = 2 * 1024 * 1024;

export interface AnalysisState {
  report: Report | null;
  /** True while a newer analysis is pending (the previous report stays on screen). */
  pending: boolean;
  /** The engine threw, ran out of time or the input is too large: a short message (the last good report is kept). */
  error: string | null;
  ms: number | null;
  via: "worker" | "main" | null;
}

const INITIAL: AnalysisState = { report: null, pending: false, error: null, ms: null, via: null };

function inputSize(i: AnalyzeInput): number {
  const len = (v: string | Uint8Array | null | undefined) => (v == null ? 0 : typeof v === "string" ? v.length : v.byteLength);
  return len(i.log) + len(i.dockerfile) + len(i.previousLog) + len(i.previousDockerfile) + len(i.image);
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

async function analyzeOnMainThread(input: AnalyzeInput): Promise<{ report: Report; ms: number }> {
  const { analyze } = await import("@/lib/analyze");
  const t0 = performance.now();
  const report = analyze(input);
  return { report, ms: performance.now() - t0 };
}

/** Why the worker failed: it never started (may fall back to the main thread) or it failed on this input (must not). */
class WorkerFailure extends Error {
  constructor(
    message: string,
    readonly started: boolean,
  ) {
    super(message);
  }
}

/**
 * Runs the engine on `input` after `delayMs` of quiet (debounced typing). Large inputs go to a Web
 * Worker with a time budget: past ANALYSIS_TIMEOUT_MS the worker is terminated and the page says
 * so. An input that crashed or outran the worker is never re-run on the main thread; only when no
 * worker can start at all (CSP, bundling) do small inputs run there.
 */
export function useAnalysis(input: AnalyzeInput | null, delayMs: number): AnalysisState {
  const [state, setState] = useState<AnalysisState>(INITIAL);
  const seq = useRef(0);
  const worker = useRef<{ w: Worker; busy: boolean; ready: boolean } | null>(null);
  const workerUnavailable = useRef(false);

  useEffect(() => {
    return () => worker.current?.w.terminate();
  }, []);

  useEffect(() => {
    const id = ++seq.current;
    if (!input) {
      setState(INITIAL);
      return;
    }
    setState((s) => ({ ...s, pending: true }));

    const dropWorker = () => {
      worker.current?.w.terminate();
      worker.current = null;
    };

    const runInWorker = (): Promise<{ report: Report; ms: number }> =>
      new Promise((resolve, reject) => {
        // A busy worker is working on a stale input: drop it and start a fresh one.
        if (worker.current?.busy) dropWorker();
        if (!worker.current) {
          const w = new Worker(new URL("./analyze.worker.ts", import.meta.url), { type: "module", name: "cachescope-analyze" });
          worker.current = { w, busy: false, ready: false };
        }
        const slot = worker.current;
        slot.busy = true;
        const timer = setTimeout(() => {
          if (worker.current === slot) dropWorker();
          reject(new WorkerFailure(`The analysis took longer than ${ANALYSIS_TIMEOUT_MS / 1000} s and was stopped. The input may be hostile or unusually large; it was not retried.`, true));
        }, ANALYSIS_TIMEOUT_MS);
        const done = () => {
          clearTimeout(timer);
          slot.busy = false;
        };
        slot.w.onmessage = (e: MessageEvent<WorkerResponse>) => {
          if ("ready" in e.data) {
            slot.ready = true;
            return;
          }
          if (e.data.id !== id) return;
          done();
          if (e.data.ok) resolve({ report: e.data.report, ms: e.data.ms });
          else reject(Object.assign(new Error(e.data.error), { engine: true }));
        };
        slot.w.onerror = (e) => {
          e.preventDefault();
          done();
          if (worker.current === slot) dropWorker();
          reject(new WorkerFailure(slot.ready ? "The analysis stopped unexpectedly (out of memory?) and was not retried." : e.message || "the analysis worker could not start", slot.ready));
        };
        slot.w.onmessageerror = () => {
          done();
          reject(new WorkerFailure("The analysis result could not be read.", true));
        };
        slot.w.postMessage({ id, input } satisfies WorkerRequest);
      });

    const timer = setTimeout(async () => {
      const size = inputSize(input);
      if (size > MAX_ANALYSIS_SIZE) {
        if (id === seq.current) setState((s) => ({ ...s, pending: false, error: `The inputs are ${mb(size)}; the limit is ${mb(MAX_ANALYSIS_SIZE)}. Trim the log to the build you want explained.` }));
        return;
      }
      const useWorker = !workerUnavailable.current && typeof Worker !== "undefined" && size > WORKER_THRESHOLD;
      let via: "worker" | "main" = useWorker ? "worker" : "main";
      try {
        let result: { report: Report; ms: number };
        if (useWorker) {
          try {
            result = await runInWorker();
          } catch (e) {
            if (!(e instanceof WorkerFailure) || e.started) throw e;
            // No worker can start here (bundling, CSP): small inputs may still run on the main thread.
            console.warn("Cachescope: the analysis worker could not start", e);
            workerUnavailable.current = true;
            if (size > MAIN_THREAD_MAX) throw new Error(`Background analysis is unavailable in this browser, and ${mb(size)} is too much to analyse on the page itself.`);
            via = "main";
            result = await analyzeOnMainThread(input);
          }
        } else {
          if (size > MAIN_THREAD_MAX) throw new Error(`Background analysis is unavailable in this browser, and ${mb(size)} is too much to analyse on the page itself.`);
          result = await analyzeOnMainThread(input);
        }
        if (id !== seq.current) return;
        setState({ report: result.report, pending: false, error: null, ms: result.ms, via });
      } catch (e) {
        if (id !== seq.current) return;
        console.error("Cachescope: analysis failed", e);
        const message = e instanceof Error ? e.message : String(e);
        setState((s) => ({ ...s, pending: false, error: message || "unknown error" }));
      }
    }, delayMs);
    return () => clearTimeout(timer);
  }, [input, delayMs]);

  return state;
}
