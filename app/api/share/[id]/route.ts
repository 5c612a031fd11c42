import { handleGetShare } from "@/lib/server/share-api";
import { getShareStore } from "@/lib/server/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/share/<id> — the stored (redacted) inputs; 404 unknown, 410 expired, 429 over the read limit. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return handleGetShare(id, { store: getShareStore() }, request);
}
