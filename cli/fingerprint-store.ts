/**
 * Where `cachescope build` keeps its baselines: one per context + Dockerfile + target, OUTSIDE the
 * context (a file written into the context would itself change the context and break the cache):
 * `$CACHESCOPE_CACHE_DIR`, else `$XDG_CACHE_HOME/cachescope`, else `~/.cache/cachescope`.
 * Written atomically (temp file in the same folder + rename), so a crash or Ctrl-C mid-write leaves
 * the previous baseline whole.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Fingerprint } from "./fingerprint";

export function cacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.CACHESCOPE_CACHE_DIR) return resolve(env.CACHESCOPE_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return join(resolve(env.XDG_CACHE_HOME), "cachescope");
  return join(homedir(), ".cache", "cachescope");
}

export function baselineKey(contextDir: string, dockerfile: string, target: string | null): string {
  return createHash("sha256").update(`${resolve(contextDir)}\0${resolve(dockerfile)}\0${target ?? ""}`).digest("hex").slice(0, 32);
}

export function baselinePath(dir: string, key: string): string {
  return join(dir, "baselines", `${key}.json`);
}

export function recordPath(dir: string, key: string): string {
  return join(dir, "records", `${key}.dockerbuild`);
}

/** The stored baseline, or null when there is none or it cannot be read (a broken one is ignored). */
export function loadBaseline(path: string): Fingerprint | null {
  try {
    const fp = JSON.parse(readFileSync(path, "utf8")) as Fingerprint;
    return fp && fp.version === 1 && fp.files && typeof fp.files === "object" ? fp : null;
  } catch {
    return null;
  }
}

export function saveBaseline(path: string, fp: Fingerprint): void {
  mkdirSync(join(path, ".."), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(fp));
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
