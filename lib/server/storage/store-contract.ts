/**
 * Shared behaviour tests for every ShareStore implementation (run by sqlite.test.ts and
 * postgres.test.ts against real databases).
 */
import { expect, it } from "vitest";
import { canonicalJson, shareIdFor } from "./id";
import type { ShareStore } from "./types";

const DAY = 86_400_000;

export function storeContract(getStore: () => ShareStore) {
  const body = (n: number) => canonicalJson({ version: 1, inputs: { log: `#1 DONE ${n}` }, selectedStep: null, view: "graph" });

  it("put then get", async () => {
    const store = getStore();
    const b = body(1);
    const id = shareIdFor(b);
    const now = new Date("2030-01-01T00:00:00Z");
    const put = await store.put(id, b, { now });
    expect(put).toEqual({ created: true, createdAt: now, expiresAt: null });
    const got = await store.get(id);
    expect(got).toEqual({ id, body: b, createdAt: now, expiresAt: null });
  });

  it("unknown id reads as null", async () => {
    expect(await getStore().get("0000000000000000000000")).toBeNull();
  });

  it("same content → same id; a second put is a no-op", async () => {
    const store = getStore();
    const b = body(2);
    const id = shareIdFor(b);
    expect(shareIdFor(body(2))).toBe(id);
    const first = await store.put(id, b, { now: new Date(1_900_000_000_000) });
    const second = await store.put(id, b, { now: new Date(1_900_000_100_000) });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.createdAt).toEqual(first.createdAt);
    expect((await store.get(id))!.body).toBe(b);
  });

  it("never overwrites a body under an existing id", async () => {
    const store = getStore();
    const id = shareIdFor(body(3));
    await store.put(id, body(3));
    await expect(store.put(id, body(4))).rejects.toThrow(/different content/);
    expect((await store.get(id))!.body).toBe(body(3));
  });

  it("expiry: readable before, expired after, and a re-post neither extends nor clears it", async () => {
    const store = getStore();
    const b = body(5);
    const id = shareIdFor(b);
    const t0 = new Date("2030-06-01T00:00:00Z");
    const exp = new Date(t0.getTime() + 7 * DAY);
    await store.put(id, b, { now: t0, expiresAt: exp });
    expect((await store.get(id, new Date(t0.getTime() + DAY)))!.expiresAt).toEqual(exp);
    for (const wanted of [new Date(t0.getTime() + DAY), new Date(t0.getTime() + 30 * DAY), null]) {
      expect(await store.put(id, b, { now: new Date(t0.getTime() + DAY), expiresAt: wanted })).toMatchObject({ created: false, expiresAt: exp });
    }
    const after = await store.get(id, new Date(exp.getTime() + 1));
    expect(after).toMatchObject({ id, expired: true, body: "" });
  });

  it("an expired share stays expired: its body is purged and a re-post does not revive it", async () => {
    const store = getStore();
    const b = body(6);
    const id = shareIdFor(b);
    const t0 = new Date("2031-01-01T00:00:00Z");
    await store.put(id, b, { now: t0, expiresAt: new Date(t0.getTime() + DAY) });
    const t1 = new Date(t0.getTime() + 2 * DAY);
    expect(await store.put(id, b, { now: t1 })).toMatchObject({ created: false, expired: true });
    expect(await store.get(id, t1)).toMatchObject({ expired: true, body: "" });
    expect((await store.usage(t1)).count).toBeGreaterThanOrEqual(0);
  });

  it("reports usage of live shares", async () => {
    const store = getStore();
    const before = await store.usage();
    const b = body(8);
    await store.put(shareIdFor(b), b);
    const after = await store.usage();
    expect(after.count).toBe(before.count + 1);
    expect(after.bytes).toBeGreaterThanOrEqual(before.bytes + b.length);
  });

  it("stores large bodies intact", async () => {
    const store = getStore();
    const big = canonicalJson({ version: 1, inputs: { log: "#1 ".padEnd(4_000_000, "é✓x") }, selectedStep: null, view: "graph" });
    const id = shareIdFor(big);
    await store.put(id, big);
    expect((await store.get(id))!.body).toBe(big);
  });

  it("concurrent puts of the same content create one share", async () => {
    const store = getStore();
    const b = body(7);
    const id = shareIdFor(b);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(id, b)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
}
