/**
 * Starts a throwaway PostgreSQL server for tests: initdb in a temp dir, listening on a free
 * loopback port and a unix socket inside the temp dir; as the `postgres` user when run as root
 * (initdb refuses root). Returns null (with the reason) when no PostgreSQL binaries exist.
 * Node-only, test support.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface PgTestServer {
  url: string;
  stop(): Promise<void>;
}

function findBinDir(): string | null {
  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv && existsSync(path.join(fromEnv, "initdb"))) return fromEnv;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(path.join(root, v, "bin", "initdb"))) return path.join(root, v, "bin");
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) {
    const dir = path.dirname(which.stdout.trim());
    if (existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function userIds(name: string): { uid: number; gid: number } | null {
  const r = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) return null;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function startPgTestServer(): Promise<PgTestServer | { skip: string }> {
  const bin = findBinDir();
  if (!bin) return { skip: "PostgreSQL binaries (initdb, pg_ctl) not found; install them (Debian: apt-get install -y postgresql) or set PG_BINDIR" };
  const asRoot = process.getuid?.() === 0;
  const pgUser = asRoot ? userIds("postgres") : null;
  if (asRoot && !pgUser) return { skip: "running as root and there is no 'postgres' user to run initdb as" };

  const dir = mkdtempSync(path.join(tmpdir(), "cachescope-pg-"));
  const data = path.join(dir, "data");
  if (pgUser) {
    chmodSync(dir, 0o700);
    chownSync(dir, pgUser.uid, pgUser.gid);
  }
  const run = (cmd: string, args: string[]) =>
    pgUser
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: "pipe", timeout: 60_000 })
      : execFileSync(path.join(bin, cmd), args, { stdio: "pipe", timeout: 60_000 });

  const port = await freePort();
  try {
    run("initdb", ["-D", data, "-A", "trust", "-U", "cachescope", "--no-sync", "-E", "UTF8", "--locale=C"]);
    run("pg_ctl", [
      "-D", data, "-w", "-t", "60", "-l", path.join(dir, "server.log"),
      "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      "start",
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`could not start PostgreSQL: ${err.stderr?.toString() || err.message}`);
  }
  return {
    url: `postgres://cachescope@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
