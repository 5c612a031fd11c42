/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // better-sqlite3 and pg are Node-only; keep them out of the server bundle.
  serverExternalPackages: ["better-sqlite3", "pg"],
  // .next/standalone: server.js plus only the node_modules it uses (the container image ships that).
  output: "standalone",
};

export default nextConfig;
