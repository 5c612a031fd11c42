// SLOW (a real `docker buildx build` of the repository's Dockerfile: ~2 min cold, ~30 s warm):
// builds the app image on the real engine, runs it with SQLite in its volume and with PostgreSQL
// through DATABASE_URL, checks it serves the app, the health route and the share API, and runs
// Cachescope on the image's own build log (it must find nothing to fix in its own Dockerfile).
// Skips, saying why, without an engine or without a Node base image. The engine is the one of
// DOCKER_HOST; the base is CACHESCOPE_IMAGE_BASE, else node:20-bookworm-slim or local/node:20
// when the engine has it (scripts/make-local-node-image.sh makes local/node:20 offline).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runAnalyze } from "../cli/main";
import { startPgTestServer, type PgTestServer } from "../lib/server/storage/pg-test-server";

const root = resolve(__dirname, "..");
const TAG = `cachescope:test-${process.pid}`;

function sh(cmd: string, args: string[], opts: { timeout?: number } = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((res) =>
    execFile(cmd, args, { cwd: root, timeout: opts.timeout ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (e, out, err) =>
      res({ code: e ? (typeof e.code === "number" ? e.code : 1) : 0, out: String(out), err: String(err) }),
    ),
  );
}

async function findSkipReason(): Promise<{ skip: string } | { base: string }> {
  const info = await sh("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 15_000 });
  if (info.code !== 0) return { skip: `no Docker engine answers (${(info.err.trim().split("\n").pop() || "docker info failed").slice(0, 160)})` };
  const buildx = await sh("docker", ["buildx", "version"]);
  if (buildx.code !== 0) return { skip: "docker buildx is not installed" };
  const candidates = [process.env.CACHESCOPE_IMAGE_BASE, "node:20-bookworm-slim", "local/node:20"].filter((x): x is string => !!x);
  for (const c of candidates) if ((await sh("docker", ["image", "inspect", c])).code === 0) return { base: c };
  return { skip: `no Node base image on the engine (${candidates.join(", ")}); pull one or run scripts/make-local-node-image.sh` };
}

const found = await findSkipReason();
const skip = "skip" in found ? found.skip : null;
if (skip) console.warn(`[image.test] SKIPPED: ${skip}`);

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

async function waitHealthy(base: string, timeoutMs = 60_000): Promise<{ ok: boolean; storage: string }> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    try {
      const r = await fetch(`${base}/api/health`);
      const body = await r.json();
      if (r.ok) return body;
      last = JSON.stringify(body);
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${base}/api/health did not answer ok: ${last}`);
}

const shareBody = (log: string) => JSON.stringify({ version: 1, inputs: { log, dockerfile: null } });

describe.skipIf(skip !== null)(`container image (real engine${skip ? ` — skipped: ${skip}` : ""})`, () => {
  let work: string;
  let buildLog = "";
  const containers: string[] = [];
  const volume = `cachescope-test-data-${process.pid}`;
  let pgServer: PgTestServer | null = null;

  async function startApp(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    const name = `cachescope-test-${process.pid}-${containers.length}`;
    const envArgs = Object.entries({ PORT: String(port), ...env }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    // The engine has no bridge network here: host networking, a free loopback port.
    const r = await sh("docker", ["run", "-d", "--name", name, "--network=host", "--health-interval=2s", "-v", `${volume}:/data`, ...envArgs, TAG]);
    expect(r.err).toBe("");
    containers.push(name);
    return `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "cachescope-image-"));
    const meta = join(work, "metadata.json");
    const b = await sh(
      "docker",
      ["buildx", "build", "--network=host", "--progress=plain", "--build-arg", `NODE_IMAGE=${(found as { base: string }).base}`, "--metadata-file", meta, "--load", "-t", TAG, "."],
      { timeout: 15 * 60_000 },
    );
    buildLog = b.err;
    if (b.code !== 0) throw new Error(`docker buildx build failed:\n${b.err.split("\n").slice(-30).join("\n")}`);
  }, 16 * 60_000);

  afterAll(async () => {
    for (const c of containers) await sh("docker", ["rm", "-f", c]);
    await sh("docker", ["volume", "rm", "-f", volume]);
    await sh("docker", ["image", "rm", "-f", TAG]);
    await pgServer?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it("Cachescope finds nothing to fix in its own Dockerfile (from the image's build log)", async () => {
    const logFile = join(work, "build.log");
    writeFileSync(logFile, buildLog);
    const r = await runAnalyze({ log: logFile, dockerfile: join(root, "Dockerfile"), format: "json" });
    expect(r.report.input.logFormat).toBe("plain");
    expect(r.report.build.status).toBe("success");
    expect(r.report.stages.map((s) => s.name)).toEqual(["deps", "build", "runtime"]);
    expect(r.report.findings.map((f) => `${f.rule} (line ${f.line}): ${f.message}`)).toEqual([]);
  });

  it("Cachescope finds nothing to fix from the build record either", async () => {
    const ref = JSON.parse(readFileSync(join(work, "metadata.json"), "utf8"))["buildx.build.ref"] as string | undefined;
    const record = join(work, "build.dockerbuild");
    const exported = ref ? await sh("docker", ["buildx", "history", "export", "--finalize", "--output", record, ref.split("/").pop()!]) : null;
    if (!exported || exported.code !== 0 || !existsSync(record)) {
      console.warn(`[image.test] no build record: ${exported?.err.trim() || "no build ref in the metadata"}`);
      return;
    }
    let result;
    try {
      result = await runAnalyze({ log: record, dockerfile: join(root, "Dockerfile"), format: "json" });
    } catch (e) {
      // Until the CLI reads records (issue 10) it says this is not a build log.
      console.warn(`[image.test] the CLI does not read build records yet: ${(e as Error).message}`);
      return;
    }
    // With --dockerfile the CLI reports even on a log it cannot read; only a read record counts.
    if (result.report.input.logFormat === "unknown") {
      console.warn("[image.test] the CLI does not read build records yet (issue 10): record not checked");
      return;
    }
    expect(result.report.steps.filter((s) => s.status === "not-run")).toEqual([]);
    expect(result.report.findings.map((f) => `${f.rule} (line ${f.line}): ${f.message}`)).toEqual([]);
  });

  it("serves the app, the health route and the share API with SQLite in its volume, as a non-root user", async () => {
    const base = await startApp({});
    expect(await waitHealthy(base)).toEqual({ ok: true, storage: "sqlite" });
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Cachescope");
    const log = readFileSync(join(root, "fixtures/scenarios/01-source-file-changed/after.log"), "utf8");
    const created = await fetch(`${base}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: shareBody(log) });
    expect(created.status).toBeLessThan(300);
    const { id, url } = await created.json();
    expect(url).toBe(`/s/${id}`);
    const got = await (await fetch(`${base}/api/share/${id}`)).json();
    expect(got.inputs.log).toBe(log);
    expect((await fetch(`${base}${url}`)).status).toBe(200);
    const uid = await sh("docker", ["exec", containers.at(-1)!, "id", "-u"]);
    expect(uid.out.trim()).not.toBe("0");
    const files = await sh("docker", ["exec", containers.at(-1)!, "ls", "/data"]);
    expect(files.out).toContain("shares.db");
    // The image's own HEALTHCHECK (interval shortened at run time) reports healthy.
    let health = "";
    for (let i = 0; i < 40 && health !== "healthy"; i++) {
      health = (await sh("docker", ["inspect", "--format", "{{.State.Health.Status}}", containers.at(-1)!])).out.trim();
      if (health !== "healthy") await new Promise((r) => setTimeout(r, 500));
    }
    expect(health).toBe("healthy");
    // A new container on the same volume still has the link.
    await sh("docker", ["rm", "-f", containers.at(-1)!]);
    const again = await startApp({});
    await waitHealthy(again);
    expect((await fetch(`${again}/api/share/${id}`)).status).toBe(200);
  }, 180_000);

  it("stores links in PostgreSQL when DATABASE_URL is set", async (ctx) => {
    const started = await startPgTestServer();
    if ("skip" in started) return ctx.skip();
    pgServer = started;
    const base = await startApp({ DATABASE_URL: started.url });
    expect(await waitHealthy(base)).toEqual({ ok: true, storage: "postgres" });
    const body = shareBody(readFileSync(join(root, "fixtures/scenarios/04-build-arg-changed/after.log"), "utf8"));
    const first = await (await fetch(`${base}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body })).json();
    const second = await (await fetch(`${base}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body })).json();
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ id: first.id, created: false });
    expect((await fetch(`${base}/api/share/${first.id}`)).status).toBe(200);
    // The row is in PostgreSQL, not in the SQLite volume.
    const client = new pg.Client({ connectionString: started.url });
    await client.connect();
    try {
      const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public'");
      const names = tables.rows.map((r) => r.table_name as string);
      expect(names.length).toBeGreaterThan(0);
      let found = 0;
      for (const t of names) {
        const cols = await client.query("select column_name from information_schema.columns where table_name = $1", [t]);
        if (cols.rows.some((c) => c.column_name === "id")) found += Number((await client.query(`select count(*) from "${t}" where id = $1`, [first.id])).rows[0].count);
      }
      expect(found).toBe(1);
    } finally {
      await client.end();
    }
  }, 180_000);
});

describe("compose.yaml", () => {
  it("runs the app with PostgreSQL and asks for a password instead of shipping one", () => {
    // Parsed here; `docker compose` itself is not installed on every engine.
    const doc = parseYaml(readFileSync(join(root, "compose.yaml"), "utf8"));
    expect(doc.services.app.environment.DATABASE_URL).toMatch(/^postgres:\/\/cachescope:\$\{POSTGRES_PASSWORD:\?[^}]+\}@db:5432\/cachescope$/);
    expect(doc.services.app.depends_on.db.condition).toBe("service_healthy");
    expect(doc.services.db.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });
});
