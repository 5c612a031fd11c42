/**
 * Load test of the server routes, run by `npm run bench` after the browser part against the
 * `next start` server on 127.0.0.1 (bench/server.ts), or alone: `node --import tsx bench/load.ts`.
 *
 * 2,000 requests at concurrency 20 in two waves of 1,000: POST /api/share (distinct and repeated
 * bodies), GET /api/share/<id>, GET /api/card.svg?…, plus a few bad requests that must be refused
 * with 4xx. Reports errors (network errors, 5xx, unexpected statuses), latency p50/p99 per route and
 * the server's RSS before, between and after the waves (memory must settle, not grow per request).
 * Stops issuing requests after 60 s whatever happened. Loopback only.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateSmallBuild } from "./generate";
import { treeRss } from "./server";

const TOTAL = 2000;
const CONCURRENCY = 20;
const DEADLINE_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const TARGET_P99_MS = 500;
const TARGET_RSS_GROWTH_MB = 64; // second wave vs first: no per-request leak

interface Sample {
  route: string;
  ms: number;
  ok: boolean;
  status: number;
  note?: string;
}

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function loadBench(url: string, serverPid: number, _root: string): Promise<{ figures: Record<string, unknown>; misses: string[] }> {
  const u = new URL(url);
  if (u.hostname !== "127.0.0.1" && u.hostname !== "localhost" && u.hostname !== "::1") throw new Error(`load test runs against loopback only, not ${u.hostname}`);
  console.log(`\n## Server routes under load (${TOTAL} requests, concurrency ${CONCURRENCY}, ${url})\n`);
  const misses: string[] = [];

  // Request bodies: 40 distinct small builds, reused so some shares already exist (content address).
  const bodies = Array.from({ length: 40 }, (_, i) => {
    const g = generateSmallBuild(100 + i);
    return JSON.stringify({ version: 1, inputs: { log: g.log, dockerfile: g.dockerfile }, view: "graph" });
  });
  const ids: string[] = [];
  const started = Date.now();
  const samples: Sample[] = [];

  const one = async (i: number): Promise<Sample> => {
    const kind = i % 20;
    let route: string;
    let init: RequestInit = {};
    let path_: string;
    let expect: (s: number) => boolean = (s) => s >= 200 && s < 300;
    if (kind < 8) {
      route = "POST /api/share";
      path_ = "/api/share";
      init = { method: "POST", headers: { "content-type": "application/json" }, body: i % 3 === 0 ? bodies[i % bodies.length] : bodies[(i * 7) % bodies.length] };
    } else if (kind < 11 && ids.length) {
      route = "GET /api/share/<id>";
      path_ = `/api/share/${ids[i % ids.length]}`;
    } else if (kind === 19) {
      // Refusals must be fast 4xx, never 5xx.
      const bad = i % 3;
      route = "bad requests";
      expect = (s) => s >= 400 && s < 500;
      if (bad === 0) {
        path_ = "/api/share";
        init = { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" };
      } else if (bad === 1) {
        path_ = "/api/share";
        init = { method: "POST", headers: { "content-type": "text/plain" }, body: "x" };
      } else {
        path_ = "/api/card.svg?status=<script>&hit=NaN&total=-1";
        expect = (s) => (s >= 400 && s < 500) || s === 200;
      }
    } else {
      route = "GET /api/card.svg";
      path_ = `/api/card.svg?status=${["success", "failed", "canceled", "incomplete"][i % 4]}&hit=${(i % 100) / 100}&rebuilt=${i % 60}.5&total=${60 + (i % 40)}&cause=${encodeURIComponent(`COPY . . changed (${i})`)}&steps=${10 + (i % 30)}&rebuiltSteps=${i % 10}`;
    }
    const t = performance.now();
    try {
      const res = await fetch(url + path_, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await res.text();
      const ms = performance.now() - t;
      if (route === "POST /api/share" && res.ok) {
        try {
          const id = (JSON.parse(text) as { id?: string }).id;
          if (id && ids.length < 200 && !ids.includes(id)) ids.push(id);
        } catch {
          /* counted below */
        }
      }
      if (route === "GET /api/card.svg" && res.ok && (!text.startsWith("<svg") || /<script/i.test(text))) return { route, ms, ok: false, status: res.status, note: "not a clean SVG" };
      return { route, ms, ok: expect(res.status), status: res.status, note: expect(res.status) ? undefined : text.slice(0, 200) };
    } catch (e) {
      return { route, ms: performance.now() - t, ok: false, status: 0, note: (e as Error).message };
    }
  };

  const wave = async (from: number, to: number) => {
    let next = from;
    const worker = async () => {
      while (next < to && Date.now() - started < DEADLINE_MS) {
        const i = next++;
        samples.push(await one(i));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };

  const rss0 = treeRss(serverPid);
  await wave(0, TOTAL / 2);
  const rss1 = treeRss(serverPid);
  await wave(TOTAL / 2, TOTAL);
  await new Promise((r) => setTimeout(r, 500));
  const rss2 = treeRss(serverPid);
  const elapsed = (Date.now() - started) / 1000;

  const routes = [...new Set(samples.map((s) => s.route))];
  const rows = routes.map((r) => {
    const xs = samples.filter((s) => s.route === r);
    const ms = xs.map((s) => s.ms);
    return { route: r, requests: xs.length, errors: xs.filter((s) => !s.ok).length, p50: pct(ms, 50), p99: pct(ms, 99) };
  });
  const all = samples.map((s) => s.ms);
  const errors = samples.filter((s) => !s.ok);
  const p99 = pct(all, 99);
  const mb = (x: number | null) => (x == null ? "?" : (x / 1024 / 1024).toFixed(0));
  const growth2 = rss1 != null && rss2 != null ? (rss2 - rss1) / 1024 / 1024 : null;

  const w = [22, 8, 6, 9, 9];
  const line = (xs: string[]) => "| " + xs.map((x, i) => x.padEnd(w[i]!)).join(" | ") + " |";
  console.log(line(["route", "requests", "errors", "p50 ms", "p99 ms"]));
  console.log("|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|");
  for (const r of rows) console.log(line([r.route, String(r.requests), String(r.errors), r.p50.toFixed(1), r.p99.toFixed(1)]));
  console.log(line(["all", String(samples.length), String(errors.length), pct(all, 50).toFixed(1), p99.toFixed(1)]));
  console.log(
    `\n${samples.length} requests in ${elapsed.toFixed(1)} s (${(samples.length / elapsed).toFixed(0)} req/s); errors ${errors.length} ${errors.length === 0 ? "PASS" : "MISS"}; ` +
      `p99 ${p99.toFixed(0)} ms (target ≤ ${TARGET_P99_MS} ms) ${p99 <= TARGET_P99_MS ? "PASS" : "MISS"}`,
  );
  console.log(
    `server RSS: ${mb(rss0)} MB before → ${mb(rss1)} MB after 1,000 → ${mb(rss2)} MB after 2,000; second-wave growth ${growth2 == null ? "?" : growth2.toFixed(0)} MB (target ≤ ${TARGET_RSS_GROWTH_MB} MB) ${growth2 == null ? "" : growth2 <= TARGET_RSS_GROWTH_MB ? "PASS" : "MISS"}`,
  );
  if (errors.length) {
    const byNote = new Map<string, number>();
    for (const e of errors) byNote.set(`${e.route} → ${e.status} ${e.note ?? ""}`.slice(0, 160), (byNote.get(`${e.route} → ${e.status} ${e.note ?? ""}`.slice(0, 160)) ?? 0) + 1);
    for (const [k, n] of [...byNote].slice(0, 5)) console.log(`  error ×${n}: ${k}`);
    misses.push(`load: ${errors.length} errors of ${samples.length} requests`);
  }
  if (samples.length < TOTAL) misses.push(`load: only ${samples.length}/${TOTAL} requests within ${DEADLINE_MS / 1000} s`);
  if (p99 > TARGET_P99_MS) misses.push(`load: p99 ${p99.toFixed(0)} ms (target ≤ ${TARGET_P99_MS} ms)`);
  if (growth2 != null && growth2 > TARGET_RSS_GROWTH_MB) misses.push(`load: server RSS grew ${growth2.toFixed(0)} MB during the second 1,000 requests`);
  return {
    figures: { requests: samples.length, errors: errors.length, seconds: elapsed, p50Ms: pct(all, 50), p99Ms: p99, routes: rows, rssBefore: rss0, rssMid: rss1, rssAfter: rss2 },
    misses,
  };
}

// Standalone: start a server, run, stop.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const { startServer, productionBuildPresent } = await import("./server");
  const why = productionBuildPresent(root);
  if (why) {
    console.log(`load: SKIPPED — ${why}`);
  } else {
    const server = await startServer(root);
    try {
      const r = await loadBench(server.url, server.pid, root);
      if (r.misses.length) console.log(`MISSES:\n- ${r.misses.join("\n- ")}`);
    } finally {
      await server.stop();
    }
  }
}
