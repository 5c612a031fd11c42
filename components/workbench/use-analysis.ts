"use client";

import { useEffect, useRef, useState } from "react";
import type { AnalyzeInput } from "@/lib/analyze/types";
import type { Report } from "@/lib/model/report";
import type { WorkerRequest, WorkerResponse } from "./analyze.worker";

/** Inputs larger than this (characters or bytes, all inputs together) are analysed in a worker. */
export const WORKER_THRESHOLD = 100 * 1024;

export interface AnalysisState {
  report: Report | null;
  /** True while a newer analysis is pending (the previous report stays on screen). */
  pending: boolean;
  /** The engine threw: a short message (the last good report is kept). */
  error: string | null;
  ms: number | null;
  via: "worker" | "main" | null;
}

const INITIAL: AnalysisState = { report: null, pending: false, error: null, ms: null, via: null };

function inputSize(i: AnalyzeInput): number {
  const len = (v: string | Uint8Array | null | undefined) => (v == null ? 0 : typeof v === "string" ? v.length : v.byteLength);
  return len(i.log) + len(i.dockerfile) + len(i.previousLog) + len(i.previousDockerfile) + len(i.image);
}

async function analyzeOnMainThread(input: AnalyzeInput): Promise<{ report: Report; ms: number }> {
  const { analyze } = await import("@/lib/analyze");
  const t0 = performance.now();
  const report = analyze(input);
  return { report, ms: performance.now() - t0 };
}

/**
 * Runs the engine on `input` after `delayMs` of quiet (debounced typing). Large inputs go to a Web
 * Worker; small ones, or any input when the worker cannot start or crashes, run on the main thread
 * (the engine is loaded on demand either way, so it is not part of the first-load bundle).
 */
export function useAnalysis(input: AnalyzeInput | null, delayMs: number): AnalysisState {
  const [state, setState] = useState<AnalysisState>(INITIAL);
  const seq = useRef(0);
  const worker = useRef<{ w: Worker; busy: boolean } | null>(null);
  const workerBroken = useRef(false);

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

    const runInWorker = (): Promise<{ report: Report; ms: number }> =>
      new Promise((resolve, reject) => {
        // A busy worker is working on a stale input: drop it and start a fresh one.
        if (worker.current?.busy) {
          worker.current.w.terminate();
          worker.current = null;
        }
        if (!worker.current) {
          const w = new Worker(new URL("./analyze.worker.ts", import.meta.url), { type: "module", name: "cachescope-analyze" });
          worker.current = { w, busy: false };
        }
        const slot = worker.current;
        slot.busy = true;
        slot.w.onmessage = (e: MessageEvent<WorkerResponse>) => {
          if (e.data.id !== id) return;
          slot.busy = false;
          if (e.data.ok) resolve({ report: e.data.report, ms: e.data.ms });
          else reject(Object.assign(new Error(e.data.error), { engine: true }));
        };
        slot.w.onerror = (e) => {
          e.preventDefault();
          slot.busy = false;
          reject(new Error(e.message || "worker failed"));
        };
        slot.w.onmessageerror = () => reject(new Error("worker message could not be read"));
        slot.w.postMessage({ id, input } satisfies WorkerRequest);
      });

    const timer = setTimeout(async () => {
      const useWorker = !workerBroken.current && typeof Worker !== "undefined" && inputSize(input) > WORKER_THRESHOLD;
      let via: "worker" | "main" = useWorker ? "worker" : "main";
      try {
        let result: { report: Report; ms: number };
        if (useWorker) {
          try {
            result = await runInWorker();
          } catch (e) {
            if ((e as { engine?: boolean }).engine) throw e;
            // The worker itself failed (bundling, CSP, crash): fall back to the main thread for good.
            console.warn("Cachescope: analysis worker failed, using the main thread", e);
            workerBroken.current = true;
            worker.current?.w.terminate();
            worker.current = null;
            via = "main";
            result = await analyzeOnMainThread(input);
          }
        } else {
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
