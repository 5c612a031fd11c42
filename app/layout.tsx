import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: "Cachescope — why did my Docker build miss the cache?",
  description:
    "Paste a Dockerfile and a docker buildx build log: see the stage graph, parallel lanes, every step CACHED or rebuilt, and why each cache miss happened.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  // Rendered per request so Next can put proxy.ts's CSP nonce on its scripts (H-share, issue 9).
  await connection();
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-dvh antialiased">{children}</body>
    </html>
  );
}
