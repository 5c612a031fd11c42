/**
 * Next 16 Proxy (the successor of middleware.ts): a fresh CSP nonce for every page request. Next
 * reads the nonce from the request's Content-Security-Policy header and puts it on its own scripts;
 * the response carries the same policy. API routes and static files get their headers from
 * next.config.js. Pages are rendered per request (app/layout.tsx awaits connection()) so the nonce
 * can be applied.
 */
import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageCsp } from "./lib/server/security-headers";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", https });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt|examples/).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
