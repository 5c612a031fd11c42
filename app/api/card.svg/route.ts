import { cardFromQuery } from "@/lib/server/card";

export const runtime = "nodejs";

/**
 * GET /api/card.svg?status=success&hit=0.8&rebuilt=2.4&total=12.3&cause=…&steps=9&rebuiltSteps=2
 * → an SVG summary card. The output depends only on the query, so it is cached for a day.
 */
export function GET(request: Request): Response {
  const result = cardFromQuery(new URL(request.url).searchParams);
  if (!result.ok) {
    return new Response(JSON.stringify({ error: result.error }), {
      status: 400,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    });
  }
  return new Response(result.svg, {
    status: 200,
    headers: {
      "content-type": "image/svg+xml; charset=utf-8",
      "cache-control": "public, max-age=86400, s-maxage=86400, stale-while-revalidate=604800",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
