/**
 * A plain node:http server around the share API handlers, for the loopback test and the bench
 * (`next start` serves the same handlers through app/api/*). Node-only, test and bench support.
 *
 *   POST /api/share        handleCreateShare
 *   GET  /api/share/<id>   handleGetShare
 *   GET  /ping             a tiny answer: how long does a small request wait?
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { handleCreateShare, handleGetShare, type ShareApiDeps } from "./share-api";

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) headers.set("x-forwarded-for", req.socket.remoteAddress);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs this for a streamed body
    duplex: hasBody ? "half" : undefined,
  });
}

async function send(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface LoopbackServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startLoopback(deps: ShareApiDeps): Promise<LoopbackServer> {
  let base = "http://127.0.0.1";
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const done = (r: Response) => send(res, r).catch(() => res.destroy());
    if (url === "/ping") return void res.end("pong");
    if (req.method === "POST" && url === "/api/share") return void handleCreateShare(toRequest(req, base), deps).then(done);
    const m = /^\/api\/share\/([^/?#]+)$/.exec(url);
    if (req.method === "GET" && m) return void handleGetShare(decodeURIComponent(m[1]!), deps, toRequest(req, base)).then(done);
    res.statusCode = 404;
    res.end();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Latency of small requests while `during` runs: one every `everyMs`, each timed, sent from a
 * separate thread — with its own event loop, so a server that blocks its loop is seen waiting
 * (probes sent from the server's own thread could not even start while it is blocked).
 */
export async function probeLatency(url: string, during: Promise<unknown>, everyMs = 10): Promise<{ samples: number[]; max: number; p50: number }> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    let on = true;
    const samples = [];
    parentPort.on("message", () => { on = false; });
    (async () => {
      while (on) {
        const t = performance.now();
        try { await fetch(workerData.url + "/ping").then((r) => r.text()); samples.push(performance.now() - t); } catch {}
        await new Promise((r) => setTimeout(r, workerData.everyMs));
      }
      parentPort.postMessage(samples);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { url, everyMs } });
  const result = new Promise<number[]>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await new Promise((r) => setTimeout(r, 50)); // the probe thread is up
  await during;
  worker.postMessage("stop");
  const samples = await result;
  await worker.terminate();
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples, max: sorted[sorted.length - 1] ?? 0, p50: sorted[sorted.length >> 1] ?? 0 };
}

/**
 * POSTs `body` to `url` from a separate thread (as a remote client would: building and sending 1 MB
 * costs the sender, not the server's loop). Resolves with the status.
 */
export async function postFromThread(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    fetch(workerData.url, { method: "POST", headers: { "content-type": "application/json", ...workerData.headers }, body: workerData.body })
      .then(async (r) => { await r.arrayBuffer(); parentPort.postMessage(r.status); })
      .catch(() => parentPort.postMessage(0));`;
  const worker = new Worker(code, { eval: true, workerData: { url, body, headers } });
  try {
    return await new Promise<number>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  } finally {
    await worker.terminate();
  }
}

/** `total` requests made by `concurrency` loops; counts by status. */
export async function loadTest(total: number, concurrency: number, make: (i: number) => Promise<Response>): Promise<{ byStatus: Record<number, number>; errors: number; ms: number }> {
  const byStatus: Record<number, number> = {};
  let next = 0;
  let errors = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        try {
          const r = await make(i);
          await r.arrayBuffer();
          byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { byStatus, errors, ms: performance.now() - t };
}
