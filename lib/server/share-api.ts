/**
 * The logic behind /api/share (POST) and /api/share/<id> (GET), with the store passed in so the
 * route files stay thin and tests can use a temporary database. Node-only.
 *
 * POST: content-type must be application/json (415); the client must be within its rate limit and
 * the server within its own (429 with Retry-After and the reason); the body is read as a stream
 * and refused as soon as it passes the limit (413), also when Content-Length already says so; it
 * must be JSON (400) matching createShareRequestSchema (400 with the reason). Parsing, validation,
 * redaction (the client is not trusted) and hashing run in a worker thread (worker-pool.ts), never
 * on the event loop. The store must have room (507 with the reason). A share's id covers its
 * content and its expiry; a re-post changes nothing, and an expired share is not revived (410).
 * Nothing is stored when any check fails.
 *
 * GET: within the read rate limit (429); unknown 404, expired 410 (its body is already deleted).
 */
import { z } from "zod";
import { shareStateSchema, type CreateShareResponse, type StoredShareResponse } from "../share/schema";
import { prepareShare, type PreparedShare } from "./share-prepare";
import { RateLimiter, clientKey, readLimitsFromEnv, writeLimitsFromEnv } from "./rate-limit";
import { PoolBusyError, TaskTimeoutError, getSharePool } from "./worker-pool";
import { isShareId } from "./storage/id";
import type { ShareStore } from "./storage/types";

export const MAX_SHARE_BODY_BYTES = 5 * 1024 * 1024;
export const BODY_READ_TIMEOUT_MS = 30_000;
export const STORE_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

/** Total size of live stored shares; past it POST answers 507. Env CACHESCOPE_STORE_MAX_BYTES. */
export const DEFAULT_STORE_QUOTA_BYTES = 1024 * 1024 * 1024;

export interface ShareApiDeps {
  store: ShareStore;
  maxBytes?: number;
  now?: () => Date;
  bodyTimeoutMs?: number;
  storeTimeoutMs?: number;
  /** Where the CPU work runs; default the process's worker pool. `null`: inline (tests). */
  prepare?: ((text: string) => Promise<PreparedShare>) | null;
  /** Rate limits; default the process's (from the environment). `null`: none. */
  limiter?: RateLimiter | null;
  readLimiter?: RateLimiter | null;
  /** Storage quota in bytes; default CACHESCOPE_STORE_MAX_BYTES or 1 GiB. */
  quotaBytes?: number;
}

const LIMITERS = Symbol.for("cachescope.shareLimiters");
type LimiterHolder = { [LIMITERS]?: { write: RateLimiter; read: RateLimiter } };
function processLimiters() {
  const g = globalThis as LimiterHolder;
  if (!g[LIMITERS]) {
    const w = writeLimitsFromEnv();
    const r = readLimitsFromEnv();
    g[LIMITERS] = { write: new RateLimiter(w.perClient, w.server), read: new RateLimiter(r.perClient, r.server) };
  }
  return g[LIMITERS];
}

function quotaFromEnv(): number {
  const v = Number(process.env.CACHESCOPE_STORE_MAX_BYTES);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_STORE_QUOTA_BYTES;
}

/** Usage per store, read from the database at most every few seconds and kept current between reads. */
const usageCache = new WeakMap<ShareStore, { bytes: number; at: number }>();
async function storeUsage(store: ShareStore, timeoutMs: number): Promise<{ bytes: number; at: number }> {
  const cached = usageCache.get(store);
  if (cached && Date.now() - cached.at < 5000) return cached;
  const u = await withTimeout(store.usage(), timeoutMs, "Reading the store size");
  const entry = { bytes: u.bytes, at: Date.now() };
  usageCache.set(store, entry);
  return entry;
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

function tooMany(scope: "client" | "server" | undefined, retryAfter: number, what: string): Response {
  const who = scope === "server" ? "This server is receiving too many requests right now" : "Too many requests from your address";
  return json(429, { error: `${who}; ${what} again in ${retryAfter} s.` }, { "retry-after": String(retryAfter) });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

function errorResponse(status: number, message: string): Response {
  return json(status, { error: message });
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(503, `${what} timed out after ${ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const media = value.split(";")[0]!.trim().toLowerCase();
  return media === "application/json";
}

/** Reads the body as UTF-8 text, failing with 413 as soon as it exceeds `max` bytes. */
export async function readBodyLimited(request: Request, max: number, timeoutMs: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared != null && /^\d+$/.test(declared) && Number(declared) > max) {
    throw new HttpError(413, `The request body is ${declared} bytes; the limit is ${max} bytes. Trim the log (or share a permalink) and try again.`);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new HttpError(408, "Reading the request body took too long.");
      const { done, value } = await withTimeout(reader.read(), left, "Reading the request body").catch((e) => {
        throw e instanceof HttpError ? new HttpError(408, "Reading the request body took too long.") : e;
      });
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        throw new HttpError(413, `The request body is larger than the limit of ${max} bytes. Trim the log (or share a permalink) and try again.`);
      }
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {}); // best effort: stop the upload
    throw e;
  }
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "The request body is not valid UTF-8.");
  }
}

export async function handleCreateShare(request: Request, deps: ShareApiDeps): Promise<Response> {
  try {
    if (!isJsonContentType(request.headers.get("content-type"))) {
      return errorResponse(415, "Send the share as JSON with Content-Type: application/json.");
    }
    const limiter = deps.limiter === undefined ? processLimiters().write : deps.limiter;
    if (limiter) {
      const d = limiter.check(clientKey(request));
      if (!d.ok) {
        await request.body?.cancel().catch(() => {});
        return tooMany(d.scope, d.retryAfter, "create a stored link");
      }
    }
    const text = await readBodyLimited(request, deps.maxBytes ?? MAX_SHARE_BODY_BYTES, deps.bodyTimeoutMs ?? BODY_READ_TIMEOUT_MS);
    const prepare = deps.prepare === undefined ? (t: string) => getSharePool().run(t) : (deps.prepare ?? (async (t: string) => prepareShare(t)));
    let prepared: PreparedShare;
    try {
      prepared = await prepare(text);
    } catch (e) {
      if (e instanceof PoolBusyError) return json(503, { error: "The server is busy preparing other shares; try again in a few seconds." }, { "retry-after": "5" });
      if (e instanceof TaskTimeoutError) return errorResponse(422, `Preparing this share ${e.message} and was stopped; nothing was stored. Trim the log, or use a permalink.`);
      throw e;
    }
    if (!prepared.ok) return errorResponse(prepared.status, prepared.error);

    const storeTimeout = deps.storeTimeoutMs ?? STORE_TIMEOUT_MS;
    const quota = deps.quotaBytes ?? quotaFromEnv();
    const usage = await storeUsage(deps.store, storeTimeout);
    if (usage.bytes + prepared.body.length > quota) {
      return errorResponse(507, `The share store is full (${mib(usage.bytes)} of ${mib(quota)} used), so this share (${mib(prepared.body.length)}) was not stored. Use a permalink, or try again later.`);
    }
    const now = deps.now?.() ?? new Date();
    const expiresAt = prepared.expiresInDays ? new Date(now.getTime() + prepared.expiresInDays * DAY_MS) : null;
    const result = await withTimeout(deps.store.put(prepared.id, prepared.body, { expiresAt, now }), storeTimeout, "Saving the share");
    if (result.expired) {
      return errorResponse(
        410,
        `A share of exactly this content and expiry existed and expired on ${result.expiresAt?.toISOString().slice(0, 10)}; expired links are not revived. Share it with a different expiry (or none) for a new link.`,
      );
    }
    if (result.created) usage.bytes += prepared.body.length;
    const url = `/s/${prepared.id}`;
    const response: CreateShareResponse = {
      id: prepared.id,
      url,
      redactions: prepared.redactions,
      expiresAt: result.expiresAt ? result.expiresAt.toISOString() : null,
      created: result.created,
    };
    return json(result.created ? 201 : 200, response, { location: url });
  } catch (e) {
    if (e instanceof HttpError) return errorResponse(e.status, e.message);
    return errorResponse(503, "The share could not be saved right now; try again, or use a permalink.");
  }
}


const storedBodySchema = shareStateSchema.extend({ version: z.literal(1) });

export type ShareLookup = { status: "ok"; share: StoredShareResponse } | { status: "missing" } | { status: "expired"; expiresAt: string | null };

/** Reads a stored share: ok, missing (unknown or unreadable) or expired. */
export async function lookupShare(id: string, store: ShareStore, now?: Date, timeoutMs = STORE_TIMEOUT_MS): Promise<ShareLookup> {
  if (!isShareId(id)) return { status: "missing" };
  const row = await withTimeout(store.get(id, now), timeoutMs, "Reading the share");
  if (!row) return { status: "missing" };
  if (row.expired) return { status: "expired", expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null };
  let data: unknown;
  try {
    data = JSON.parse(row.body);
  } catch {
    return { status: "missing" };
  }
  const parsed = storedBodySchema.safeParse(data);
  if (!parsed.success) return { status: "missing" };
  return {
    status: "ok",
    share: {
      version: 1,
      id,
      inputs: parsed.data.inputs,
      selectedStep: parsed.data.selectedStep,
      view: parsed.data.view,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null,
    },
  };
}

/** Reads a stored share; null when unknown, expired or unreadable. */
export async function loadShare(id: string, store: ShareStore, now?: Date, timeoutMs = STORE_TIMEOUT_MS): Promise<StoredShareResponse | null> {
  const r = await lookupShare(id, store, now, timeoutMs);
  return r.status === "ok" ? r.share : null;
}

export async function handleGetShare(id: string, deps: ShareApiDeps, request?: Request): Promise<Response> {
  try {
    const limiter = deps.readLimiter === undefined ? processLimiters().read : deps.readLimiter;
    if (limiter && request) {
      const d = limiter.check(clientKey(request));
      if (!d.ok) return tooMany(d.scope, d.retryAfter, "read stored links");
    }
    const r = await lookupShare(id, deps.store, deps.now?.(), deps.storeTimeoutMs);
    if (r.status === "missing") return errorResponse(404, "No share with this id.");
    if (r.status === "expired") return errorResponse(410, `This stored link expired${r.expiresAt ? ` on ${r.expiresAt.slice(0, 10)}` : ""}; its contents were deleted.`);
    const share = r.share;
    const now = deps.now?.() ?? new Date();
    const maxAge = share.expiresAt
      ? Math.max(0, Math.min(86_400, Math.floor((Date.parse(share.expiresAt) - now.getTime()) / 1000)))
      : 31_536_000;
    return json(200, share, {
      "cache-control": share.expiresAt ? `public, max-age=${maxAge}` : `public, max-age=${maxAge}, immutable`,
    });
  } catch (e) {
    if (e instanceof HttpError) return errorResponse(e.status, e.message);
    return errorResponse(503, "The share could not be read right now; try again.");
  }
}
