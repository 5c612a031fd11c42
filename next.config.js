/**
 * Security headers: every route (pages, API, static files) gets nosniff, Referrer-Policy,
 * X-Frame-Options and friends; API answers a CSP that lets nothing run (the SVG card sets its own);
 * pages get their nonce'd CSP from proxy.ts. No X-Powered-By.
 * @type {import('next').NextConfig}
 */
const COMMON_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 and pg are Node-only; keep them out of the server bundle.
  serverExternalPackages: ["better-sqlite3", "pg"],
  // The container image (Dockerfile) builds with NEXT_OUTPUT=standalone: .next/standalone holds
  // server.js and only the node_modules it uses. Elsewhere `next start` stays as it was.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  async headers() {
    return [
      { source: "/:path*", headers: COMMON_HEADERS },
      { source: "/api/:path((?!card\\.svg$).*)", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
