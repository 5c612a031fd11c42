import { handleCreateShare } from "@/lib/server/share-api";
import { getShareStore } from "@/lib/server/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/share — `{version:1, inputs, selectedStep?, view?, expiresInDays?}` → `{id, url, redactions}`. */
export async function POST(request: Request): Promise<Response> {
  return handleCreateShare(request, { store: getShareStore() });
}
