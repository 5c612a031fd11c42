"use client";

/**
 * Where the person's own inputs are kept between visits. Small inputs go to localStorage (read
 * synchronously, the common case); large ones (a 50 MB log) go to IndexedDB, with a marker in
 * localStorage, because localStorage holds ~5 MB and JSON-stringifying 50 MB only to hit its quota
 * costs a second of main thread. Inputs opened from a link are never written here (see
 * use-persisted-inputs): the slot "stash" keeps the person's own inputs while a link is open.
 */
import { restoreInputs, type WorkbenchInputs } from "./inputs";

export const STORAGE_KEY = "cachescope:inputs:v1";
/** The person's own inputs, set aside while a shared link is open (restorable). */
export const STASH_KEY = "cachescope:inputs:own-before-link:v1";

/** Above this many characters in total, inputs go to IndexedDB (localStorage quota is ~5 M UTF-16 units). */
export const LOCAL_STORAGE_MAX_CHARS = 1_000_000;

const DB_NAME = "cachescope";
const STORE = "inputs";
const MARKER = { $indexeddb: 1 } as const;

export type SaveResult = "saved" | "too-large" | "unavailable";

function totalChars(i: WorkbenchInputs): number {
  let n = 0;
  for (const v of Object.values(i)) n += v.length;
  return n;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") return reject(new Error("no IndexedDB"));
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB open failed"));
  });
}

async function idb<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error("IndexedDB failed"));
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB aborted"));
    });
  } finally {
    db.close();
  }
}

/**
 * Large strings are stored as UTF-8 bytes: IndexedDB's structured clone of a 50 MB string costs
 * ~0.5 s of main thread, encoding it and cloning the bytes a fraction of that.
 */
function encodeForStore(inputs: WorkbenchInputs): Record<string, string | Uint8Array> {
  const enc = new TextEncoder();
  const out: Record<string, string | Uint8Array> = {};
  for (const [k, v] of Object.entries(inputs)) out[k] = v.length > 64 * 1024 ? enc.encode(v) : v;
  return out;
}

function decodeStored(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const dec = new TextDecoder();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = v instanceof Uint8Array ? dec.decode(v) : v;
  return out;
}

/** True when these inputs go to IndexedDB (saved later, off the path to the first drawing). */
export function isLarge(inputs: WorkbenchInputs): boolean {
  return totalChars(inputs) > LOCAL_STORAGE_MAX_CHARS;
}

function isMarker(raw: string | null): boolean {
  return raw != null && raw.length < 40 && raw.includes("$indexeddb");
}

/** Read a slot; null when empty, unreadable or storage is off. */
export async function readSlot(key: string): Promise<WorkbenchInputs | null> {
  try {
    const raw = window.localStorage.getItem(key);
    if (!raw) return null;
    if (isMarker(raw)) return restoreInputs(decodeStored(await idb("readonly", (s) => s.get(key))));
    return restoreInputs(JSON.parse(raw));
  } catch {
    // Storage disabled or corrupt: nothing to recover.
    return null;
  }
}

/** Synchronous read of a localStorage slot (small inputs); null for an IndexedDB marker. */
export function readSlotSync(key: string): { inputs: WorkbenchInputs | null; inIndexedDb: boolean } {
  try {
    const raw = window.localStorage.getItem(key);
    if (!raw) return { inputs: null, inIndexedDb: false };
    if (isMarker(raw)) return { inputs: null, inIndexedDb: true };
    return { inputs: restoreInputs(JSON.parse(raw)), inIndexedDb: false };
  } catch {
    return { inputs: null, inIndexedDb: false };
  }
}

export async function writeSlot(key: string, inputs: WorkbenchInputs): Promise<SaveResult> {
  const empty = Object.values(inputs).every((v) => v === "");
  try {
    if (empty) {
      await removeSlot(key);
      return "saved";
    }
    if (totalChars(inputs) <= LOCAL_STORAGE_MAX_CHARS) {
      window.localStorage.setItem(key, JSON.stringify(inputs));
      // A large copy left from before would be read instead of nothing; drop it.
      void idb("readwrite", (s) => s.delete(key)).catch(() => undefined);
      return "saved";
    }
    await idb("readwrite", (s) => s.put(encodeForStore(inputs), key));
    window.localStorage.setItem(key, JSON.stringify(MARKER));
    return "saved";
  } catch (e) {
    return e instanceof DOMException && /quota/i.test(e.name + e.message) ? "too-large" : "unavailable";
  }
}

export async function removeSlot(key: string): Promise<void> {
  try {
    const raw = window.localStorage.getItem(key);
    window.localStorage.removeItem(key);
    if (isMarker(raw)) await idb("readwrite", (s) => s.delete(key));
  } catch {
    // Storage unavailable: nothing stored to remove.
  }
}

/** Copy the saved own inputs to the stash slot (once: a second link keeps the first stash). */
export async function stashOwnInputs(): Promise<boolean> {
  try {
    if (window.localStorage.getItem(STASH_KEY)) return true;
    const own = await readSlot(STORAGE_KEY);
    if (!own) return false;
    return (await writeSlot(STASH_KEY, own)) === "saved";
  } catch {
    return false;
  }
}
