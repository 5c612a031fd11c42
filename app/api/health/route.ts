import { getShareStore } from "@/lib/server/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// A well-formed id that is never issued (ids are hashes): reading it proves the store answers.
const PROBE_ID = "0000000000000000";

/**
 * GET /api/health — 200 `{ok: true, storage}` when the app serves and its share store answers a
 * read; 503 otherwise. For the container HEALTHCHECK and load balancers. Says nothing about the
 * store beyond its kind (no URL, no path, no error text that could carry either).
 */
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  let kind: string | null = null;
  try {
    const store = getShareStore();
    kind = store.kind;
    await store.get(PROBE_ID);
    return Response.json({ ok: true, storage: kind }, { headers });
  } catch {
    return Response.json({ ok: false, storage: kind, error: "share storage does not answer" }, { status: 503, headers });
  }
}
