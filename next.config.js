/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // better-sqlite3 and pg are Node-only; keep them out of the server bundle.
  serverExternalPackages: ["better-sqlite3", "pg"],
  // The container image (Dockerfile) builds with NEXT_OUTPUT=standalone: .next/standalone holds
  // server.js and only the node_modules it uses. Elsewhere `next start` stays as it was.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
};

export default nextConfig;
