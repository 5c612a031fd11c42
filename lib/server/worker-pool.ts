/**
 * Runs prepareShare (parse, validate, redact, hash) in worker threads, so a hostile 5 MB POST
 * costs a worker's time and never the event loop's: other requests keep being answered. Each task
 * has a time budget (the worker is terminated and replaced when it runs over); the queue is bounded
 * (callers get a "busy" answer instead of waiting forever). When no worker can start (an unusual
 * bundling), tasks run inline rather than fail. Node-only.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { prepareShare, type PreparedShare } from "./share-prepare";

export const TASK_TIMEOUT_MS = 20_000;
export const MAX_QUEUE = 32;

export class PoolBusyError extends Error {}
export class TaskTimeoutError extends Error {}

interface Task {
  id: number;
  text: string;
  resolve: (r: PreparedShare) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** The thread said it is up: a failure after this is the task's, before it the pool's. */
  ready: boolean;
}

function spawn(): Worker {
  if (import.meta.url.endsWith(".ts")) {
    // From source (tsx, vitest): register tsx's loader in the thread, then import the TypeScript entry.
    const entry = import.meta.url.replace(/worker-pool\.ts$/, "share-worker.ts");
    const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true });
  }
  // Bundled (next build): written inline so the bundler sees the worker entry and bundles it.
  return new Worker(new URL("./share-worker.ts", import.meta.url));
}

export class SharePool {
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private seq = 0;
  private broken = false;

  constructor(
    private readonly size = Math.max(1, Math.min(2, (os.availableParallelism?.() ?? os.cpus().length) - 1)),
    private readonly timeoutMs = TASK_TIMEOUT_MS,
    private readonly maxQueue = MAX_QUEUE,
  ) {}

  get inline(): boolean {
    return this.broken;
  }

  run(text: string): Promise<PreparedShare> {
    if (this.broken) return Promise.resolve(prepareShare(text));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new PoolBusyError("busy"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.seq, text, resolve, reject });
      this.pump();
    });
  }

  private addSlot(): Slot | null {
    let worker: Worker;
    try {
      worker = spawn();
    } catch (e) {
      console.warn("cachescope: share worker threads unavailable, preparing shares inline", e);
      this.broken = true;
      for (const t of this.queue.splice(0)) t.resolve(prepareShare(t.text));
      return null;
    }
    const slot: Slot = { worker, task: null, timer: null, ready: false };
    worker.unref();
    worker.on("message", (msg: { id?: number; result?: PreparedShare; ready?: boolean }) => {
      if (msg.ready) slot.ready = true;
      if (msg.ready || !slot.task || msg.id !== slot.task.id) return;
      const t = slot.task;
      this.finish(slot);
      t.resolve(msg.result!);
      this.pump();
    });
    worker.on("error", (e) => {
      const t = slot.task;
      this.drop(slot);
      if (!slot.ready) return this.giveUp(e, t);
      t?.reject(e instanceof Error ? e : new Error(String(e)));
      this.pump();
    });
    worker.on("exit", () => {
      if (this.slots.includes(slot)) {
        const t = slot.task;
        this.drop(slot);
        if (!slot.ready) return this.giveUp(new Error("share worker exited before it was ready"), t);
        t?.reject(new Error("share worker exited"));
        this.pump();
      }
    });
    this.slots.push(slot);
    return slot;
  }

  /** No worker thread can start here: prepare shares inline from now on (correct, only not isolated). */
  private giveUp(e: unknown, pending: Task | null) {
    if (!this.broken) console.warn("cachescope: share worker threads unavailable, preparing shares inline", e);
    this.broken = true;
    if (pending) pending.resolve(prepareShare(pending.text));
    for (const t of this.queue.splice(0)) t.resolve(prepareShare(t.text));
  }

  private finish(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
  }

  private drop(slot: Slot) {
    this.finish(slot);
    this.slots = this.slots.filter((s) => s !== slot);
    slot.worker.terminate().catch(() => {});
  }

  private pump() {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) slot = this.addSlot() ?? undefined;
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref(); // keep the process alive while a request waits on it
      const s = slot;
      slot.timer = setTimeout(() => {
        this.drop(s);
        task.reject(new TaskTimeoutError(`took longer than ${Math.round(this.timeoutMs / 1000)} s`));
        this.pump();
      }, this.timeoutMs);
      slot.worker.postMessage({ id: task.id, text: task.text });
    }
  }

  async close() {
    for (const s of this.slots.splice(0)) await s.worker.terminate().catch(() => {});
    for (const t of this.queue.splice(0)) t.reject(new Error("closed"));
  }
}

const KEY = Symbol.for("cachescope.sharePool");
type Holder = { [KEY]?: SharePool };

/** One pool per process (kept on globalThis across Next's dev reloads). */
export function getSharePool(): SharePool {
  const g = globalThis as Holder;
  return (g[KEY] ??= new SharePool());
}
