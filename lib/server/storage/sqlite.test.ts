import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base62, canonicalJson, isShareId, shareIdFor } from "./id";
import { closeShareStore, createShareStore, getShareStore } from "./index";
import { SqliteShareStore } from "./sqlite";
import { storeContract } from "./store-contract";

let dir: string;
let store: SqliteShareStore;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cachescope-sqlite-"));
  store = new SqliteShareStore(path.join(dir, "nested", "shares.db"));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SqliteShareStore (real SQLite in a temp dir)", () => {
  storeContract(() => store);

  it("uses WAL", () => {
    expect(existsSync(path.join(dir, "nested", "shares.db-wal"))).toBe(true);
  });

  it("survives a restart (close and reopen the file)", async () => {
    const file = path.join(dir, "restart.db");
    const a = new SqliteShareStore(file);
    const b1 = canonicalJson({ version: 1, inputs: { log: "kept across restarts" }, selectedStep: "1:2", view: "graph" });
    const id = shareIdFor(b1);
    await a.put(id, b1, { expiresAt: new Date("2099-01-01T00:00:00Z") });
    await a.close();
    const b = new SqliteShareStore(file);
    const got = await b.get(id);
    expect(got?.body).toBe(b1);
    expect(got?.expiresAt?.toISOString()).toBe("2099-01-01T00:00:00.000Z");
    expect((await b.put(id, b1)).created).toBe(false);
    expect(b.count()).toBe(1);
    await b.close();
  });
});

describe("ids", () => {
  it("are base62 of the first 16 bytes of sha256, stable", () => {
    const id = shareIdFor("hello");
    expect(id).toBe(shareIdFor("hello"));
    expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(isShareId(id)).toBe(true);
    expect(shareIdFor("hello!")).not.toBe(id);
    expect(base62(new Uint8Array(16))).toBe("0".repeat(22));
    expect(base62(new Uint8Array(16).fill(255))).toHaveLength(22);
  });

  it("canonical JSON sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: null }], c: "é" } })).toBe('{"a":{"c":"é","d":[1,{"x":null,"z":1}]},"b":1}');
  });

  it.each(["", "../etc/passwd", "abc", "a".repeat(23), "0000000000000000000000;"])("rejects %s", (id) => {
    expect(isShareId(id)).toBe(false);
  });
});

describe("store selection", () => {
  it("SQLite in CACHESCOPE_DATA_DIR by default, Postgres with DATABASE_URL", async () => {
    const s = createShareStore({ dataDir: path.join(dir, "data") });
    expect(s.kind).toBe("sqlite");
    expect((s as SqliteShareStore).file).toBe(path.join(dir, "data", "shares.db"));
    await s.close();
    const pg = createShareStore({ databaseUrl: "postgres://nobody@127.0.0.1:1/none" });
    expect(pg.kind).toBe("postgres");
    await pg.close();
  });

  it("getShareStore is one store per process", async () => {
    const prev = process.env.CACHESCOPE_DATA_DIR;
    process.env.CACHESCOPE_DATA_DIR = path.join(dir, "proc");
    try {
      await closeShareStore();
      expect(getShareStore()).toBe(getShareStore());
      expect(existsSync(path.join(dir, "proc", "shares.db"))).toBe(true);
    } finally {
      await closeShareStore();
      if (prev === undefined) delete process.env.CACHESCOPE_DATA_DIR;
      else process.env.CACHESCOPE_DATA_DIR = prev;
    }
  });
});
