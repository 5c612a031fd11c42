/** Server-side storage of shared inputs ("stored links"). Node-only. */

export interface StoredShare {
  id: string;
  /** Canonical JSON of the redacted share (see canonicalShareBody). */
  body: string;
  createdAt: Date;
  expiresAt: Date | null;
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
  expiresAt: Date | null;
}

/**
 * A content-addressed store. `put` of an existing id never changes the body (same content → same
 * id → same link); it may only extend the expiry (a later date, or none). Expired entries read as
 * missing and are replaced by a new `put`.
 */
export interface ShareStore {
  readonly kind: "sqlite" | "postgres";
  put(id: string, body: string, options?: PutOptions): Promise<PutResult>;
  get(id: string, now?: Date): Promise<StoredShare | null>;
  close(): Promise<void>;
}

export class ShareConflictError extends Error {
  constructor(id: string) {
    super(`share ${id} already exists with different content`);
    this.name = "ShareConflictError";
  }
}

/** Later of two expiries where null means "never". */
export function laterExpiry(a: Date | null, b: Date | null): Date | null {
  if (a === null || b === null) return null;
  return a.getTime() >= b.getTime() ? a : b;
}
