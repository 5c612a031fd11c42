/**
 * The logic behind /api/share (POST) and /api/share/<id> (GET), with the store passed in so the
 * route files stay thin and tests can use a temporary database. Node-only.
 *
 * POST: content-type must be application/json (415); the body is read as a stream and refused as
 * soon as it passes the limit (413), also when Content-Length already says so; it must be JSON
 * (400) matching createShareRequestSchema (400 with the reason). Inputs are redacted on the server
 * too (the client is not trusted), then stored under their content address. Nothing is stored
 * when any check fails.
 */
import { z } from "zod";
import { mergeRedactions, redactInputs } from "../share/redact";
import {
  createShareRequestSchema,
  describeZodError,
  shareStateSchema,
  type CreateShareResponse,
  type StoredShareResponse,
} from "../share/schema";
import { canonicalJson, isShareId, shareIdFor } from "./storage/id";
import type { ShareStore } from "./storage/types";

export const MAX_SHARE_BODY_BYTES = 5 * 1024 * 1024;
export const BODY_READ_TIMEOUT_MS = 30_000;
export const STORE_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

export interface ShareApiDeps {
  store: ShareStore;
  maxBytes?: number;
  now?: () => Date;
  bodyTimeoutMs?: number;
  storeTimeoutMs?: number;
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
    const text = await readBodyLimited(request, deps.maxBytes ?? MAX_SHARE_BODY_BYTES, deps.bodyTimeoutMs ?? BODY_READ_TIMEOUT_MS);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return errorResponse(400, "The request body is not valid JSON.");
    }
    const parsed = createShareRequestSchema.safeParse(data);
    if (!parsed.success) return errorResponse(400, `Invalid share: ${describeZodError(parsed.error)}.`);
    const req = parsed.data;

    const { inputs, redactions } = redactInputs(req.inputs);
    const body = canonicalJson({ version: 1, inputs, selectedStep: req.selectedStep, view: req.view });
    const id = shareIdFor(body);
    const now = deps.now?.() ?? new Date();
    const expiresAt = req.expiresInDays ? new Date(now.getTime() + req.expiresInDays * DAY_MS) : null;
    const result = await withTimeout(deps.store.put(id, body, { expiresAt, now }), deps.storeTimeoutMs ?? STORE_TIMEOUT_MS, "Saving the share");
    const url = `/s/${id}`;
    const response: CreateShareResponse = {
      id,
      url,
      redactions: mergeRedactions(redactions),
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

/** Reads a stored share; null when unknown, expired or unreadable. */
export async function loadShare(id: string, store: ShareStore, now?: Date, timeoutMs = STORE_TIMEOUT_MS): Promise<StoredShareResponse | null> {
  if (!isShareId(id)) return null;
  const row = await withTimeout(store.get(id, now), timeoutMs, "Reading the share");
  if (!row) return null;
  let data: unknown;
  try {
    data = JSON.parse(row.body);
  } catch {
    return null;
  }
  const parsed = storedBodySchema.safeParse(data);
  if (!parsed.success) return null;
  return {
    version: 1,
    id,
    inputs: parsed.data.inputs,
    selectedStep: parsed.data.selectedStep,
    view: parsed.data.view,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null,
  };
}

export async function handleGetShare(id: string, deps: ShareApiDeps): Promise<Response> {
  try {
    const share = await loadShare(id, deps.store, deps.now?.(), deps.storeTimeoutMs);
    if (!share) return errorResponse(404, "No share with this id (it may have expired).");
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
