/**
 * Picks the share store: PostgreSQL when DATABASE_URL is set, else SQLite in
 * `${CACHESCOPE_DATA_DIR ?? ".data"}/shares.db`. One store per process. Node-only.
 */
import path from "node:path";
import { PostgresShareStore } from "./postgres";
import { SqliteShareStore } from "./sqlite";
import type { ShareStore } from "./types";

export * from "./types";
export { SqliteShareStore } from "./sqlite";
export { PostgresShareStore } from "./postgres";
export { canonicalJson, shareIdFor, isShareId, SHARE_ID_PATTERN } from "./id";

export interface StoreConfig {
  databaseUrl?: string | null;
  dataDir?: string | null;
}

export function storeConfigFromEnv(env: Record<string, string | undefined> = process.env): StoreConfig {
  return { databaseUrl: env.DATABASE_URL || null, dataDir: env.CACHESCOPE_DATA_DIR || null };
}

export function createShareStore(config: StoreConfig = storeConfigFromEnv()): ShareStore {
  if (config.databaseUrl) return new PostgresShareStore({ connectionString: config.databaseUrl });
  return new SqliteShareStore(path.join(config.dataDir ?? ".data", "shares.db"));
}

// Kept on globalThis so Next's dev reloads do not open a new database per edit.
const KEY = Symbol.for("cachescope.shareStore");
type Holder = { [KEY]?: ShareStore };

export function getShareStore(): ShareStore {
  const g = globalThis as Holder;
  return (g[KEY] ??= createShareStore());
}

/** Closes and forgets the process store (tests; the next getShareStore re-reads the env). */
export async function closeShareStore(): Promise<void> {
  const g = globalThis as Holder;
  const store = g[KEY];
  delete g[KEY];
  if (store) await store.close();
}
