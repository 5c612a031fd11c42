import { describe, expect, it } from "vitest";
// next.config.js keeps its own copy (it is plain JS loaded by Next): they must agree.
// @ts-expect-error next.config.js is plain JS without types
import nextConfig from "../../next.config.js";
import { API_CSP, COMMON_HEADERS, newNonce, pageCsp } from "./security-headers";

describe("security headers", () => {
  it("next.config.js sends the common headers on every route, the API CSP on API routes, and no X-Powered-By", async () => {
    const cfg = nextConfig as { poweredByHeader?: boolean; headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]> };
    expect(cfg.poweredByHeader).toBe(false);
    const rules = await cfg.headers();
    expect(rules.find((r) => r.source === "/:path*")?.headers).toEqual(COMMON_HEADERS);
    expect(rules.find((r) => r.source.startsWith("/api/"))?.headers).toEqual([{ key: "Content-Security-Policy", value: API_CSP }]);
  });

  it("the page CSP carries the nonce and forbids framing, plugins and foreign scripts", () => {
    const n = newNonce();
    expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(n);
    const csp = pageCsp(n);
    expect(csp).toContain(`script-src 'self' 'nonce-${n}' 'strict-dynamic'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(pageCsp(n, { dev: true })).toContain("'unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
