/**
 * Route handlers called with real Request objects: app/api/share (POST), app/api/share/[id] (GET),
 * app/api/card.svg (GET), against a real SQLite store in a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../app/api/share/route";
import { GET } from "../../app/api/share/[id]/route";
import { GET as CARD } from "../../app/api/card.svg/route";
import { handleCreateShare, handleGetShare } from "./share-api";
import { closeShareStore, getShareStore, SqliteShareStore } from "./storage/index";

const SECRETS = path.resolve(__dirname, "../../test/secrets");
const planted: Record<string, string> = JSON.parse(readFileSync(path.join(SECRETS, "secrets.json"), "utf8")).secrets;
let dir: string;
const prevDir = process.env.CACHESCOPE_DATA_DIR;
const prevDb = process.env.DATABASE_URL;

beforeAll(async () => {
  // Route-level tests make many requests from one "client": lift the rate limits (tested in rate-limit.test.ts).
  process.env.CACHESCOPE_SHARE_BURST = "100000";
  process.env.CACHESCOPE_SHARE_SERVER_BURST = "100000";
  dir = mkdtempSync(path.join(tmpdir(), "cachescope-api-"));
  process.env.CACHESCOPE_DATA_DIR = dir;
  delete process.env.DATABASE_URL;
  await closeShareStore();
});
afterAll(async () => {
  await closeShareStore();
  rmSync(dir, { recursive: true, force: true });
  if (prevDir === undefined) delete process.env.CACHESCOPE_DATA_DIR;
  else process.env.CACHESCOPE_DATA_DIR = prevDir;
  if (prevDb !== undefined) process.env.DATABASE_URL = prevDb;
});

const rows = () => (getShareStore() as SqliteShareStore).count();
let before = 0;
beforeEach(() => {
  before = rows();
});

const post = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }, init: RequestInit = {}) =>
  POST(new Request("http://localhost/api/share", { method: "POST", body, headers, ...init }));

const share = (log: string, extra: Record<string, unknown> = {}) => JSON.stringify({ version: 1, inputs: { log, dockerfile: "FROM x\nRUN true" }, ...extra });

const get = (id: string) => GET(new Request(`http://localhost/api/share/${id}`), { params: Promise.resolve({ id }) });

describe("POST /api/share", () => {
  it("201 with id, url and redactions; the same content again is 200 with the same id", async () => {
    const res = await post(share("#1 [1/1] RUN true\n#1 DONE 0.1s", { selectedStep: "0:1", view: "timeline" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = await res.json();
    expect(body).toMatchObject({ id: expect.stringMatching(/^[0-9A-Za-z]{22}$/), redactions: [], expiresAt: null, created: true });
    expect(body.url).toBe(`/s/${body.id}`);
    expect(res.headers.get("location")).toBe(body.url);
    expect(rows()).toBe(before + 1);

    const again = await post(share("#1 [1/1] RUN true\n#1 DONE 0.1s", { selectedStep: "0:1", view: "timeline" }));
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(body.id);
    expect(rows()).toBe(before + 1);

    const got = await get(body.id);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({
      version: 1,
      id: body.id,
      inputs: { log: "#1 [1/1] RUN true\n#1 DONE 0.1s", dockerfile: "FROM x\nRUN true", previousLog: null, previousDockerfile: null, image: null },
      selectedStep: "0:1",
      view: "timeline",
    });
    expect(got.headers.get("cache-control")).toMatch(/immutable/);
  });

  it("redacts on the server and stores no secret", async () => {
    const res = await post(
      JSON.stringify({
        version: 1,
        inputs: { log: readFileSync(path.join(SECRETS, "build.log"), "utf8"), dockerfile: readFileSync(path.join(SECRETS, "Dockerfile"), "utf8") },
      }),
    );
    expect(res.status).toBe(201);
    const { id, redactions } = await res.json();
    expect(redactions.length).toBeGreaterThan(5);
    const stored = await getShareStore().get(id);
    for (const [k, v] of Object.entries(planted)) expect(stored!.body.includes(v), k).toBe(false);
  });

  it("expiresInDays sets an expiry; expired shares are 410 and a re-post neither revives nor extends them", async () => {
    const store = getShareStore();
    const now = new Date("2030-01-01T00:00:00Z");
    const res = await handleCreateShare(
      new Request("http://x/api/share", { method: "POST", headers: { "content-type": "application/json" }, body: share("#1 expiring", { expiresInDays: 7 }) }),
      { store, now: () => now },
    );
    expect(res.status).toBe(201);
    const { id, expiresAt } = await res.json();
    expect(expiresAt).toBe("2030-01-08T00:00:00.000Z");
    const day6 = await handleGetShare(id, { store, now: () => new Date("2030-01-07T00:00:00Z") });
    expect(day6.status).toBe(200);
    expect(day6.headers.get("cache-control")).toBe("public, max-age=86400");
    // A re-post before expiry: same id, same expiry (not pushed out).
    const again = await handleCreateShare(
      new Request("http://x/api/share", { method: "POST", headers: { "content-type": "application/json" }, body: share("#1 expiring", { expiresInDays: 7 }) }),
      { store, now: () => new Date("2030-01-05T00:00:00Z") },
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, expiresAt: "2030-01-08T00:00:00.000Z", created: false });
    const gone = await handleGetShare(id, { store, now: () => new Date("2030-01-09T00:00:00Z") });
    expect(gone.status).toBe(410);
    expect((await gone.json()).error).toMatch(/expired on 2030-01-08; its contents were deleted/);
    const revive = await handleCreateShare(
      new Request("http://x/api/share", { method: "POST", headers: { "content-type": "application/json" }, body: share("#1 expiring", { expiresInDays: 7 }) }),
      { store, now: () => new Date("2030-01-10T00:00:00Z") },
    );
    expect(revive.status).toBe(410);
    expect((await revive.json()).error).toMatch(/not revived/);
    // Without an expiry the same content is another link; the expired one stays expired.
    const forever = await handleCreateShare(
      new Request("http://x/api/share", { method: "POST", headers: { "content-type": "application/json" }, body: share("#1 expiring") }),
      { store, now: () => new Date("2030-01-10T00:00:00Z") },
    );
    expect(forever.status).toBe(201);
    expect((await forever.json()).id).not.toBe(id);
    expect((await handleGetShare(id, { store, now: () => new Date("2030-01-10T00:00:00Z") })).status).toBe(410);
  });

  it.each<[string, Record<string, string>]>([
    ["no content type", {}],
    ["text/plain", { "content-type": "text/plain" }],
    ["form", { "content-type": "application/x-www-form-urlencoded" }],
  ])("415 for %s", async (_n, headers) => {
    const res = await post(share("#1"), headers);
    expect(res.status).toBe(415);
    expect((await res.json()).error).toMatch(/application\/json/);
    expect(rows()).toBe(before);
  });

  it("accepts application/json; charset=utf-8", async () => {
    const res = await post(share("#1 charset"), { "content-type": "Application/JSON; charset=utf-8" });
    expect(res.status).toBe(201);
  });

  it("413 from Content-Length before reading", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(1024));
      },
    });
    const res = await post(stream, { "content-type": "application/json", "content-length": String(6 * 1024 * 1024) }, { duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/limit/);
    expect(pulled).toBeLessThan(5);
    expect(rows()).toBe(before);
  });

  it("413 while streaming, without reading the rest", async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    const total = 200; // 12.8 MB offered
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(new TextEncoder().encode('{"version":1,"inputs":{"log":"'));
        if (sent >= total) return c.close();
        sent++;
        c.enqueue(chunk);
      },
    });
    const res = await post(stream, { "content-type": "application/json" }, { duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(100); // stopped at ~5 MB, not after 12.8 MB
    expect(rows()).toBe(before);
  });

  it.each<[string, string, RegExp]>([
    ["not JSON", "{nope", /not valid JSON/],
    ["empty body", "", /not valid JSON/],
    ["wrong version", JSON.stringify({ version: 2, inputs: { log: "x" } }), /version/],
    ["no log", JSON.stringify({ version: 1, inputs: { dockerfile: "FROM x" } }), /inputs\.log/],
    ["empty log", JSON.stringify({ version: 1, inputs: { log: "" } }), /empty/],
    ["bad step id", JSON.stringify({ version: 1, inputs: { log: "x" }, selectedStep: "'><script>" }), /selectedStep/],
    ["bad expiry", JSON.stringify({ version: 1, inputs: { log: "x" }, expiresInDays: -1 }), /expiresInDays/],
    ["array", "[]", /Invalid share/],
  ])("400 for %s, with the reason", async (_n, body, reason) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(reason);
    expect(rows()).toBe(before);
  });

  it("400 for invalid UTF-8", async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const res = await post(bytes);
    expect(res.status).toBe(400);
    expect(rows()).toBe(before);
  });

  it("503 (and nothing stored) when the store fails or hangs", async () => {
    const failing = { kind: "sqlite" as const, put: () => Promise.reject(new Error("disk full")), get: async () => null, usage: async () => ({ bytes: 0, count: 0 }), close: async () => {} };
    const r1 = await handleCreateShare(new Request("http://x", { method: "POST", headers: { "content-type": "application/json" }, body: share("#1 f") }), { store: failing });
    expect(r1.status).toBe(503);
    const hanging = { ...failing, put: () => new Promise<never>(() => {}) };
    const r2 = await handleCreateShare(new Request("http://x", { method: "POST", headers: { "content-type": "application/json" }, body: share("#1 h") }), {
      store: hanging,
      storeTimeoutMs: 50,
    });
    expect(r2.status).toBe(503);
    expect((await r2.json()).error).toMatch(/timed out/);
  });
});

describe("GET /api/share/[id]", () => {
  it.each(["0000000000000000000000", "zzzzzzzzzzzzzzzzzzzzzz", "../../etc/passwd", "x"])("404 for %s", async (id) => {
    const res = await get(id);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/No share/);
  });
});

describe("GET /api/card.svg", () => {
  it("renders the card from the query with caching headers", async () => {
    const res = CARD(new Request("http://localhost/api/card.svg?status=failed&hit=0.625&rebuilt=2.4&total=12.3&cause=context%20changed&steps=9&rebuiltSteps=3"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toMatch(/max-age=86400/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain("63%");
    expect(svg).toContain("FAILED");
    expect(svg).toContain("rebuilt 2.4s of 12s");
    expect(svg).toContain("context changed");
  });

  it("escapes text and accepts percentages", async () => {
    const res = CARD(new Request("http://localhost/api/card.svg?hit=80&cause=" + encodeURIComponent('</text><script>alert(1)</script>"&')));
    const svg = await res.text();
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;/text&gt;&lt;script&gt;");
    expect(svg).toContain("80%");
  });

  it.each(["status=weird", "hit=-1", "rebuilt=abc", "cause=" + "x".repeat(400)])("400 for %s", async (q) => {
    const res = CARD(new Request(`http://localhost/api/card.svg?${q}`));
    expect(res.status).toBe(400);
  });
});
