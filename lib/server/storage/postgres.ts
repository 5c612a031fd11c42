/** ShareStore on PostgreSQL (pg), used when DATABASE_URL is set. Node-only. */
import pg from "pg";
import { ShareConflictError, type PutOptions, type PutResult, type ShareStore, type StoredShare } from "./types";

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
      await client.query("DELETE FROM cachescope_shares WHERE expires_at IS NOT NULL AND expires_at <= $1", [now]);
      const res = await client.query<{ body: string; created_at: Date; expires_at: Date | null; inserted: boolean }>(
        `INSERT INTO cachescope_shares (id, body, created_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET expires_at =
           CASE WHEN cachescope_shares.expires_at IS NULL OR EXCLUDED.expires_at IS NULL THEN NULL
                ELSE GREATEST(cachescope_shares.expires_at, EXCLUDED.expires_at) END
         RETURNING body, created_at, expires_at, (xmax = 0) AS inserted`,
        [id, body, now, wanted],
      );
      const row = res.rows[0]!;
      if (row.body !== body) {
        await client.query("ROLLBACK");
        throw new ShareConflictError(id);
      }
      await client.query("COMMIT");
      return { created: row.inserted, createdAt: row.created_at, expiresAt: row.expires_at };
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
      "SELECT id, body, created_at, expires_at FROM cachescope_shares WHERE id = $1 AND (expires_at IS NULL OR expires_at > $2)",
      [id, now],
    );
    const row = res.rows[0];
    return row ? { id: row.id, body: row.body, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
