import { afterAll, describe, expect, it } from "vitest";
import { hostilePemFlood, hostileShareBody } from "../../bench/hostile-inputs";
import { PoolBusyError, SharePool, TaskTimeoutError } from "./worker-pool";

const pools: SharePool[] = [];
afterAll(async () => {
  for (const p of pools) await p.close();
});

describe("share worker pool", () => {
  it("prepares a share in a worker thread: redacted, validated, hashed", { timeout: 60_000 }, async () => {
    const pool = new SharePool(1);
    pools.push(pool);
    const r = await pool.run(hostileShareBody("#1 DONE 0.1s ghp_FAKE0gh28ClassicABCDEFGHIJKLMNOPQRSTU"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body).not.toContain("ghp_FAKE0");
    expect(r.redactions).toEqual([{ kind: "github-token", count: 1 }]);
    expect(r.id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(await pool.run("{nope")).toMatchObject({ ok: false, status: 400 });
    expect(pool.inline).toBe(false);
  });

  it("a task over its time budget is stopped, and the next one runs on a fresh worker", { timeout: 60_000 }, async () => {
    const pool = new SharePool(1, 1);
    pools.push(pool);
    await expect(pool.run(hostileShareBody(hostilePemFlood(4 * 1024 * 1024)))).rejects.toBeInstanceOf(TaskTimeoutError);
    const relaxed = new SharePool(1, 30_000);
    pools.push(relaxed);
    expect((await relaxed.run(hostileShareBody("#1 ok"))).ok).toBe(true);
  });

  it("a full queue answers busy instead of waiting forever", { timeout: 60_000 }, async () => {
    const pool = new SharePool(1, 30_000, 2);
    pools.push(pool);
    const body = hostileShareBody(hostilePemFlood(256 * 1024));
    const runs = Array.from({ length: 6 }, () => pool.run(body).then(() => "ok", (e) => (e instanceof PoolBusyError ? "busy" : "error")));
    const results = await Promise.all(runs);
    expect(results).toContain("busy");
    expect(results).toContain("ok");
    expect(results).not.toContain("error");
  });
});
