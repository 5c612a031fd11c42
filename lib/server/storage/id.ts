/** Content-addressed share ids. Node-only (node:crypto). */
import { createHash } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Ids are base62 of the first 16 bytes of sha256: at most 22 characters. */
export const SHARE_ID_PATTERN = /^[0-9A-Za-z]{16,22}$/;

export function isShareId(id: string): boolean {
  return SHARE_ID_PATTERN.test(id);
}

export function base62(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(22, "0");
}

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function shareIdFor(body: string): string {
  const digest = createHash("sha256").update(body, "utf8").digest();
  return base62(digest.subarray(0, 16));
}
