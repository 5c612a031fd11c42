import { describe, expect, it } from "vitest";
import { RateLimiter, clientKey } from "./rate-limit";

describe("rate limits", () => {
  it("a client gets its burst, then one request per refill interval; others are not affected", () => {
    let now = 0;
    const rl = new RateLimiter({ capacity: 3, refillPerSecond: 0.5 }, { capacity: 100, refillPerSecond: 100 }, 1000, () => now);
    expect([1, 2, 3].map(() => rl.check("a").ok)).toEqual([true, true, true]);
    const no = rl.check("a");
    expect(no).toMatchObject({ ok: false, scope: "client" });
    expect(no.retryAfter).toBe(2);
    expect(rl.check("b").ok).toBe(true);
    now += 2000;
    expect(rl.check("a").ok).toBe(true);
    expect(rl.check("a").ok).toBe(false);
  });

  it("the server-wide bucket holds whatever keys clients claim", () => {
    const now = 0;
    const rl = new RateLimiter({ capacity: 5, refillPerSecond: 1 }, { capacity: 10, refillPerSecond: 1 }, 1000, () => now);
    const results = Array.from({ length: 50 }, (_, i) => rl.check(`spoofed-${i}`));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.at(-1)).toMatchObject({ ok: false, scope: "server" });
  });

  it("memory stays bounded under many client keys", () => {
    const rl = new RateLimiter({ capacity: 1, refillPerSecond: 1 }, { capacity: 1e9, refillPerSecond: 1e9 }, 100);
    for (let i = 0; i < 10_000; i++) rl.check(`k${i}`);
    expect((rl as unknown as { clients: Map<string, unknown> }).clients.size).toBeLessThanOrEqual(100);
  });

  it("the client is the last X-Forwarded-For hop", () => {
    expect(clientKey(new Request("http://x", { headers: { "x-forwarded-for": "1.1.1.1, 10.0.0.2" } }))).toBe("10.0.0.2");
    expect(clientKey(new Request("http://x"))).toBe("unknown");
  });
});
