/**
 * The HTTP security headers, in one place: the page CSP (with a per-request nonce, set by
 * proxy.ts), the strict CSP of API answers, and the headers every route gets (next.config.js).
 * No Node APIs (proxy.ts may run on the edge runtime).
 */

/** Headers on every route — pages, API routes and static files. */
export const COMMON_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Stored links carry their id in the path: never hand it to another site.
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

/** API answers are data, never a document: nothing may load or run in them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The page CSP. Scripts: only Next's own, carrying this request's nonce ('strict-dynamic' lets them
 * load their chunks). Styles: stylesheets from us and nonce'd style elements; style attributes
 * (React's `style={…}`, the graph's positioning) need 'unsafe-inline' for attributes only. The
 * analysis Web Worker is a same-origin script. Nothing may frame the app.
 */
export function pageCsp(nonce: string, opts: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
