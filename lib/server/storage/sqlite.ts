/** ShareStore on embedded SQLite (better-sqlite3, WAL). The default. Node-only. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ShareConflictError, type PutOptions, type PutResult, type ShareStore, type StoreUsage, type StoredShare } from "./types";

interface Row {
  id: string;
  body: string;
  created_at: number;
  expires_at: number | null;
}

export class SqliteShareStore implements ShareStore {
  readonly kind = "sqlite" as const;
  private db: Database.Database;

  constructor(readonly file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file, { timeout: 5000 });
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS shares (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS shares_expires_at ON shares (expires_at) WHERE expires_at IS NOT NULL;
    `);
  }

  /** Expired shares lose their body (privacy); the id stays as a tombstone. */
  private purgeExpired(now: number) {
    this.db.prepare("UPDATE shares SET body = '' WHERE expires_at IS NOT NULL AND expires_at <= ? AND body <> ''").run(now);
  }

  async put(id: string, body: string, options: PutOptions = {}): Promise<PutResult> {
    const now = (options.now ?? new Date()).getTime();
    const wanted = options.expiresAt ?? null;
    const tx = this.db.transaction((): PutResult => {
      this.purgeExpired(now);
      const row = this.db.prepare("SELECT id, body, created_at, expires_at FROM shares WHERE id = ?").get(id) as Row | undefined;
      if (row) {
        const expiresAt = row.expires_at == null ? null : new Date(row.expires_at);
        if (row.expires_at != null && row.expires_at <= now) return { created: false, createdAt: new Date(row.created_at), expiresAt, expired: true };
        if (row.body !== body) throw new ShareConflictError(id);
        return { created: false, createdAt: new Date(row.created_at), expiresAt };
      }
      this.db
        .prepare("INSERT INTO shares (id, body, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .run(id, body, now, wanted ? wanted.getTime() : null);
      return { created: true, createdAt: new Date(now), expiresAt: wanted };
    });
    return tx.immediate();
  }

  async get(id: string, now: Date = new Date()): Promise<StoredShare | null> {
    const row = this.db.prepare("SELECT id, body, created_at, expires_at FROM shares WHERE id = ?").get(id) as Row | undefined;
    if (!row) return null;
    const base = { id: row.id, createdAt: new Date(row.created_at), expiresAt: row.expires_at == null ? null : new Date(row.expires_at) };
    if (row.expires_at != null && row.expires_at <= now.getTime()) {
      if (row.body) this.purgeExpired(now.getTime());
      return { ...base, body: "", expired: true };
    }
    return { ...base, body: row.body };
  }

  async usage(now: Date = new Date()): Promise<StoreUsage> {
    const r = this.db
      .prepare("SELECT COALESCE(SUM(LENGTH(body)), 0) AS bytes, COUNT(*) AS n FROM shares WHERE body <> '' AND (expires_at IS NULL OR expires_at > ?)")
      .get(now.getTime()) as { bytes: number; n: number };
    return { bytes: r.bytes, count: r.n };
  }

  /** Number of rows (tests and diagnostics). */
  count(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM shares").get() as { n: number }).n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
