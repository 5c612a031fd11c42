/**
 * Size caps and a time budget for the CLI: hostile input is normal input.
 *
 * - Every input is read up to `--max-bytes` (default 256 MiB) and refused beyond it, without
 *   reading the rest: `/dev/zero`, an endless pipe or a 10 GB file stop at the cap. A regular file
 *   larger than the cap is refused from its size before reading.
 * - Input that starts with 64 KiB of NUL bytes (`/dev/zero`, a disk image) is refused at once.
 * - `--timeout` (default 600 s): a watchdog thread ends the process with a clear message when the
 *   analysis takes longer (the analysis is synchronous, so only another thread can stop it).
 * Node-only.
 */
import { open } from "node:fs/promises";
import { Worker } from "node:worker_threads";

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_TIMEOUT_SECONDS = 600;
const NUL_PROBE = 64 * 1024;

/** A problem with an input's size or shape: one line on stderr, exit 2. */
export class InputLimitError extends Error {}

/** "256MB", "1.5g", "4096", "64KiB" → bytes; null when not a size. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(text);
  if (!m) return null;
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t"];
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isFinite(n) && n > 0 ? n : null;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2) return `${Math.round((n / 1024 ** 2) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

function allNul(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function tooBig(what: string, path: string, max: number, known?: number): InputLimitError {
  const size = known != null ? `is ${formatBytes(known)}, more than` : "goes on past";
  return new InputLimitError(
    `${what} ${path} ${size} the limit of ${formatBytes(max)} (--max-bytes); stopped reading there. Pass a larger --max-bytes, or trim the log to the build you want explained.`,
  );
}

function nulInput(what: string, path: string): InputLimitError {
  return new InputLimitError(`${what} ${path}: starts with ${formatBytes(NUL_PROBE)} of NUL bytes — this is binary data, not a build log or text. Stopped reading.`);
}

/** Collects chunks up to `max` bytes; throws as soon as there are more. */
async function collect(chunks: AsyncIterable<Uint8Array>, what: string, path: string, max: number, stop: () => void): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let probed = false;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > max) {
      stop();
      throw tooBig(what, path, max);
    }
    parts.push(chunk);
    if (!probed && total >= NUL_PROBE) {
      probed = true;
      if (allNul(concat(parts, total).subarray(0, NUL_PROBE))) {
        stop();
        throw nulInput(what, path);
      }
    }
  }
  return concat(parts, total);
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  parts.length = 0;
  parts.push(out);
  return out;
}

/** Reads a file (or "-" for standard input) of at most `max` bytes. Errors are InputLimitError or the fs error. */
export async function readInputLimited(path: string, what: string, max = DEFAULT_MAX_BYTES): Promise<Uint8Array> {
  if (path === "-") {
    return collect(process.stdin as AsyncIterable<Uint8Array>, what, "(standard input)", max, () => {
      process.stdin.pause();
      process.stdin.destroy();
    });
  }
  const handle = await open(path, "r");
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (st.isFile() && st.size > max) throw tooBig(what, path, max, st.size);
    // Not a regular file (a device, a FIFO) or a file that may still grow: read in chunks, up to the cap.
    const stream = handle.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false });
    return await collect(stream as AsyncIterable<Uint8Array>, what, path, max, () => stream.destroy());
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Starts the time budget: when `seconds` pass before stop() is called, a watchdog thread prints the
 * reason and ends the process (SIGTERM: exit status 143). The thread does not keep the process alive.
 */
export function startWatchdog(seconds: number, label = "the analysis"): () => void {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return () => {};
  const ms = Math.round(seconds * 1000);
  const message = `cachescope: ${label} took longer than ${seconds} s (--timeout) and was stopped. The input may be hostile or far larger than a build log; try --max-bytes or a larger --timeout.\n`;
  const code = `
    const { workerData } = require("node:worker_threads");
    const fs = require("node:fs");
    const cell = new Int32Array(workerData.shared);
    if (Atomics.wait(cell, 0, 0, workerData.ms) === "timed-out") {
      try { fs.writeSync(2, workerData.message); } catch {}
      process.kill(process.pid, "SIGTERM");
    }`;
  const shared = new SharedArrayBuffer(4);
  const worker = new Worker(code, { eval: true, workerData: { shared, ms, message } });
  worker.unref();
  worker.on("error", () => {});
  return () => {
    const cell = new Int32Array(shared);
    Atomics.store(cell, 0, 1);
    Atomics.notify(cell, 0);
  };
}
