import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { canonicalJson, shareIdFor } from "./id";
import { PostgresShareStore } from "./postgres";
import { startPgTestServer, type PgTestServer } from "./pg-test-server";
import { storeContract } from "./store-contract";

// A real PostgreSQL server: CACHESCOPE_TEST_DATABASE_URL when given, else one started here
// from the local binaries (initdb/pg_ctl). Without either the suite is skipped, saying why.
const external = process.env.CACHESCOPE_TEST_DATABASE_URL || null;
let server: PgTestServer | null = null;
let skip: string | null = null;
let url = external ?? "";

if (!external) {
  const started = await startPgTestServer();
  if ("skip" in started) {
    skip = started.skip;
    console.warn(`[postgres.test] SKIPPED: ${skip}`);
  } else {
    server = started;
    url = started.url;
  }
}

describe.skipIf(skip !== null)(`PostgresShareStore (real server${skip ? ` — skipped: ${skip}` : ""})`, () => {
  let store: PostgresShareStore;

  beforeAll(async () => {
    store = new PostgresShareStore({ connectionString: url });
    // Clean slate when pointed at an external database.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query("DROP TABLE IF EXISTS cachescope_shares");
    await c.end();
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  storeContract(() => store);

  it("survives a restart of the client (new pool)", async () => {
    const b = canonicalJson({ version: 1, inputs: { log: "pg restart" }, selectedStep: null, view: "graph" });
    const id = shareIdFor(b);
    await store.put(id, b);
    const again = new PostgresShareStore({ connectionString: url });
    expect((await again.get(id))?.body).toBe(b);
    await again.close();
  });
});

describe("PostgresShareStore without a server", () => {
  it("fails fast with a connection error, not a hang", async () => {
    const s = new PostgresShareStore({ connectionString: "postgres://nobody@127.0.0.1:1/none", connectTimeoutMs: 2000 });
    await expect(s.get("0000000000000000000000")).rejects.toThrow();
    await s.close();
  });
});
