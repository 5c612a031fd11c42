/**
 * Starts `next start` on a free 127.0.0.1 port for the browser and load benchmarks, and reads the
 * server's resident memory (the process and its children) from /proc.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";

/** Null when a production build is present, else why not. */
export function productionBuildPresent(root: string): string | null {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) return "no production build (.next/BUILD_ID missing: run `npm run build` first)";
  return null;
}

export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** RSS in bytes of pid and all its descendants (Linux /proc), null when unreadable. */
export function treeRss(pid: number): number | null {
  try {
    const children = new Map<number, number[]>();
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        const list = children.get(ppid) ?? [];
        list.push(Number(d));
        children.set(ppid, list);
      } catch {
        /* process went away */
      }
    }
    let total = 0;
    const stack = [pid];
    while (stack.length) {
      const p = stack.pop()!;
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
        if (m) total += Number(m[1]) * 1024;
      } catch {
        /* gone */
      }
      stack.push(...(children.get(p) ?? []));
    }
    return total;
  } catch {
    return null;
  }
}

export async function startServer(root: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  // A throw-away data directory keeps stored shares of the load test out of the project.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cachescope-bench-"));
  // The route-latency load test measures the server, not the rate limiter: limits are raised here
  // (bench/hostile.ts measures them on their own).
  const unlimited = Object.fromEntries(
    ["SHARE_BURST", "SHARE_PER_MINUTE", "SHARE_SERVER_BURST", "SHARE_SERVER_PER_SECOND", "READ_BURST", "READ_PER_SECOND", "READ_SERVER_BURST", "READ_SERVER_PER_SECOND"].map((k) => [`CACHESCOPE_${k}`, "1000000"]),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, ...unlimited, PORT: String(port), HOSTNAME: "127.0.0.1", NODE_ENV: "production", CACHESCOPE_DATA_DIR: dataDir };
  delete env.DATABASE_URL; // the bench never touches a real database
  const child = spawn(process.execPath, [nextBin, "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode != null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`next start exited (${child.exitCode}): ${output.slice(-500)}`);
    }
    try {
      const r = await fetch(url + "/", { signal: AbortSignal.timeout(5000) });
      if (r.status < 500) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`next start did not answer within 60 s: ${output.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    stop: async () => {
      if (child.exitCode != null) {
        rmSync(dataDir, { recursive: true, force: true });
        return;
      }
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-pid, "SIGTERM"); // the group we created (detached), nothing else
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode == null && child.signalCode == null) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
