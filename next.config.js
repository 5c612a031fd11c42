/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // better-sqlite3 and pg are Node-only; keep them out of the server bundle.
  serverExternalPackages: ["better-sqlite3", "pg"],
};

export default nextConfig;
