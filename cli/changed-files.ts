/**
 * `--changed-files <file|->` and `--context <dir>` for `cachescope analyze`: reads the list and the
 * ignore file BuildKit applies, and hands both to the pure engine as text.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ignoreFileCandidates } from "../lib/context/dockerignore";

export const MAX_CHANGED_FILES_BYTES = 32 * 1024 * 1024;

/**
 * The ignore file for a build: `<Dockerfile name>.dockerignore` beside the Dockerfile wins over
 * `.dockerignore` at the context root (BuildKit's order). Null when neither exists.
 */
export async function readIgnoreFile(contextDir: string, dockerfilePath: string | null): Promise<{ path: string; text: string } | null> {
  const [specific, root] = ignoreFileCandidates(dockerfilePath ? basename(dockerfilePath) : null);
  const tries = [join(dockerfilePath ? dirname(resolve(dockerfilePath)) : resolve(contextDir), specific!), join(resolve(contextDir), root!)];
  for (const p of tries) {
    try {
      return { path: p, text: await readFile(p, "utf8") };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new Error(`ignore file ${p}: ${(e as Error).message}`);
    }
  }
  return null;
}

/** The context dir `--context` names, else the Dockerfile's folder, else the current one. */
export function contextDirFor(opts: { context?: string; dockerfile?: string }): string {
  if (opts.context) return opts.context;
  if (opts.dockerfile && opts.dockerfile !== "-") return dirname(opts.dockerfile);
  return ".";
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
