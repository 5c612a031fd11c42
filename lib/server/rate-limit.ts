/**
 * Token buckets per client and for the whole server (stored links). Node-only, in memory (one
 * process; a deployment with several replicas gets one limit per replica).
 *
 * The client is identified by the last `X-Forwarded-For` entry — the address the nearest proxy (or
 * Next.js itself, which fills the header from the socket when it is absent) saw. A client can put
 * any value there when it talks to the app directly, so the server-wide bucket bounds what all
 * clients together can write regardless.
 */

export interface BucketConfig {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export interface RateDecision {
  ok: boolean;
  /** Seconds until a request would be allowed again (when !ok). */
  retryAfter: number;
  /** Which limit said no. */
  scope?: "client" | "server";
}

class Bucket {
  tokens: number;
  last: number;
  constructor(
    readonly config: BucketConfig,
    now: number,
  ) {
    this.tokens = config.capacity;
    this.last = now;
  }
  take(now: number): { ok: boolean; retryAfter: number } {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.config.capacity, this.tokens + elapsed * this.config.refillPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, retryAfter: 0 };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - this.tokens) / this.config.refillPerSecond)) };
  }
}

export class RateLimiter {
  private clients = new Map<string, Bucket>();
  private server: Bucket;

  constructor(
    readonly perClient: BucketConfig,
    serverWide: BucketConfig,
    private readonly maxClients = 50_000,
    private readonly clock: () => number = Date.now,
  ) {
    this.server = new Bucket(serverWide, clock());
  }

  check(client: string): RateDecision {
    const now = this.clock();
    let b = this.clients.get(client);
    if (!b) {
      if (this.clients.size >= this.maxClients) {
        // Forget the oldest entries (Map keeps insertion order): bounded memory under spoofed keys.
        const drop = Math.ceil(this.maxClients / 10);
        let i = 0;
        for (const k of this.clients.keys()) {
          if (i++ >= drop) break;
          this.clients.delete(k);
        }
      }
      b = new Bucket(this.perClient, now);
      this.clients.set(client, b);
    }
    const c = b.take(now);
    if (!c.ok) return { ok: false, retryAfter: c.retryAfter, scope: "client" };
    const s = this.server.take(now);
    if (!s.ok) return { ok: false, retryAfter: s.retryAfter, scope: "server" };
    return { ok: true, retryAfter: 0 };
  }
}

/** The client key of a request (see the module comment). */
export function clientKey(request: Request): string {
  const xff = request.headers.get("x-forwarded-for");
  if (xff) {
    const parts = xff.split(",").map((s) => s.trim()).filter(Boolean);
    const last = parts[parts.length - 1];
    if (last) return last.slice(0, 64);
  }
  return request.headers.get("x-real-ip")?.slice(0, 64) || "unknown";
}

const num = (v: string | undefined, d: number) => (v != null && v !== "" && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);

/** Limits for creating stored links: per client 10 at once then 1 every 6 s; the server 60 at once then 5 per second. */
export function writeLimitsFromEnv(env: Record<string, string | undefined> = process.env): { perClient: BucketConfig; server: BucketConfig } {
  return {
    perClient: { capacity: num(env.CACHESCOPE_SHARE_BURST, 10), refillPerSecond: num(env.CACHESCOPE_SHARE_PER_MINUTE, 10) / 60 },
    server: { capacity: num(env.CACHESCOPE_SHARE_SERVER_BURST, 60), refillPerSecond: num(env.CACHESCOPE_SHARE_SERVER_PER_SECOND, 5) },
  };
}

/** Limits for reading stored links (cheap, cached by browsers): per client 120 at once then 5 per second. */
export function readLimitsFromEnv(env: Record<string, string | undefined> = process.env): { perClient: BucketConfig; server: BucketConfig } {
  return {
    perClient: { capacity: num(env.CACHESCOPE_READ_BURST, 120), refillPerSecond: num(env.CACHESCOPE_READ_PER_SECOND, 5) },
    server: { capacity: num(env.CACHESCOPE_READ_SERVER_BURST, 2000), refillPerSecond: num(env.CACHESCOPE_READ_SERVER_PER_SECOND, 200) },
  };
}
