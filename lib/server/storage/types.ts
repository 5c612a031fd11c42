/** Server-side storage of shared inputs ("stored links"). Node-only. */

export interface StoredShare {
  id: string;
  /** Canonical JSON of the redacted share (see canonicalShareBody); "" once expired (the body is purged). */
  body: string;
  createdAt: Date;
  expiresAt: Date | null;
  /** The share expired: its body is gone, the id stays so a GET answers 410 and a re-post cannot revive it. */
  expired?: boolean;
}

export interface PutOptions {
  /** null / undefined: never expires. */
  expiresAt?: Date | null;
  /** Clock, for tests. */
  now?: Date;
}

export interface PutResult {
  /** False when the id already existed (the stored body is never changed). */
  created: boolean;
  createdAt: Date;
  /** The share's expiry, as set when it was first created: a re-post never changes it. */
  expiresAt: Date | null;
  /** The id exists but has expired: nothing was stored (expired shares are not revived). */
  expired?: boolean;
}

export interface StoreUsage {
  /** Characters of live (unexpired) bodies. */
  bytes: number;
  count: number;
}

/**
 * A content-addressed store. `put` of an existing id changes nothing — not the body (same content
 * → same id → same link) and not the expiry (re-posting cannot extend or clear it). Once expired,
 * a share's body is purged and its id kept as a tombstone: `get` returns it with `expired: true`
 * (the API answers 410) and `put` of the same id stores nothing (`expired: true`).
 */
export interface ShareStore {
  readonly kind: "sqlite" | "postgres";
  put(id: string, body: string, options?: PutOptions): Promise<PutResult>;
  get(id: string, now?: Date): Promise<StoredShare | null>;
  /** Size of what is stored (live shares), for the storage quota. */
  usage(now?: Date): Promise<StoreUsage>;
  close(): Promise<void>;
}

export class ShareConflictError extends Error {
  constructor(id: string) {
    super(`share ${id} already exists with different content`);
    this.name = "ShareConflictError";
  }
}
