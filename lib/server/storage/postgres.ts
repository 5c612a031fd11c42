/** ShareStore on PostgreSQL (pg), used when DATABASE_URL is set. Node-only. */
import pg from "pg";
import { ShareConflictError, type PutOptions, type PutResult, type ShareStore, type StoreUsage, type StoredShare } from "./types";

export interface PostgresStoreOptions {
  connectionString: string;
  /** Milliseconds; default 5000 to connect, 10000 per statement. */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  max?: number;
}

export class PostgresShareStore implements ShareStore {
  readonly kind = "postgres" as const;
  private pool: pg.Pool;
  private ready: Promise<void> | null = null;

  constructor(options: PostgresStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      query_timeout: (options.statementTimeoutMs ?? 10_000) + 1000,
      idleTimeoutMillis: 30_000,
      max: options.max ?? 5,
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on("error", () => {});
  }

  private init(): Promise<void> {
    this.ready ??= this.pool
      .query(
        `CREATE TABLE IF NOT EXISTS cachescope_shares (
           id TEXT PRIMARY KEY,
           body TEXT NOT NULL,
           created_at TIMESTAMPTZ NOT NULL,
           expires_at TIMESTAMPTZ
         );
         CREATE INDEX IF NOT EXISTS cachescope_shares_expires_at ON cachescope_shares (expires_at) WHERE expires_at IS NOT NULL;`,
      )
      .then(() => undefined)
      .catch((e) => {
        this.ready = null; // retry on the next call
        throw e;
      });
    return this.ready;
  }

  async put(id: string, body: string, options: PutOptions = {}): Promise<PutResult> {
    await this.init();
    const now = options.now ?? new Date();
    const wanted = options.expiresAt ?? null;
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // Expired shares lose their body (privacy); the id stays as a tombstone.
      await client.query("UPDATE cachescope_shares SET body = '' WHERE expires_at IS NOT NULL AND expires_at <= $1 AND body <> ''", [now]);
      const ins = await client.query<{ created_at: Date; expires_at: Date | null }>(
        `INSERT INTO cachescope_shares (id, body, created_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING RETURNING created_at, expires_at`,
        [id, body, now, wanted],
      );
      if (ins.rows[0]) {
        await client.query("COMMIT");
        return { created: true, createdAt: ins.rows[0].created_at, expiresAt: ins.rows[0].expires_at };
      }
      const res = await client.query<{ body: string; created_at: Date; expires_at: Date | null }>(
        "SELECT body, created_at, expires_at FROM cachescope_shares WHERE id = $1",
        [id],
      );
      await client.query("COMMIT");
      const row = res.rows[0]!;
      if (row.expires_at && row.expires_at.getTime() <= now.getTime()) return { created: false, createdAt: row.created_at, expiresAt: row.expires_at, expired: true };
      if (row.body !== body) throw new ShareConflictError(id);
      return { created: false, createdAt: row.created_at, expiresAt: row.expires_at };
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async get(id: string, now: Date = new Date()): Promise<StoredShare | null> {
    await this.init();
    const res = await this.pool.query<{ id: string; body: string; created_at: Date; expires_at: Date | null }>(
      "SELECT id, body, created_at, expires_at FROM cachescope_shares WHERE id = $1",
      [id],
    );
    const row = res.rows[0];
    if (!row) return null;
    const base = { id: row.id, createdAt: row.created_at, expiresAt: row.expires_at };
    if (row.expires_at && row.expires_at.getTime() <= now.getTime()) {
      if (row.body) await this.pool.query("UPDATE cachescope_shares SET body = '' WHERE id = $1", [id]).catch(() => {});
      return { ...base, body: "", expired: true };
    }
    return { ...base, body: row.body };
  }

  async usage(now: Date = new Date()): Promise<StoreUsage> {
    await this.init();
    const res = await this.pool.query<{ bytes: string; n: string }>(
      "SELECT COALESCE(SUM(octet_length(body)), 0) AS bytes, COUNT(*) AS n FROM cachescope_shares WHERE body <> '' AND (expires_at IS NULL OR expires_at > $1)",
      [now],
    );
    return { bytes: Number(res.rows[0]!.bytes), count: Number(res.rows[0]!.n) };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
