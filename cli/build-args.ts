/**
 * Reads what `cachescope build` needs from the user's `docker buildx build` arguments (context,
 * Dockerfile, target) and prepares the argument list it runs (its own `--progress=rawjson` and
 * `--metadata-file`), passing everything else through untouched.
 */
import { join } from "node:path";

/** buildx build flags that take no value (everything else with a leading `-` and no `=` takes the next word). */
const BOOLEAN_FLAGS = new Set([
  "--load", "--push", "--no-cache", "--pull", "-q", "--quiet", "--check", "--debug", "-D",
  "--help", "--detach", "--print",
]);

export interface BuildArgs {
  /** The context as given (a directory, `-`, or a URL). */
  context: string | null;
  /** Local context directory, null for `-` / URLs. */
  contextDir: string | null;
  dockerfile: string | null;
  target: string | null;
  /** The args to run (progress and metadata flags of the user removed). */
  passthrough: string[];
  /** The user asked for a progress mode; cachescope needs rawjson. */
  droppedProgress: string | null;
  metadataFile: string | null;
}

export function parseBuildArgs(args: string[]): BuildArgs {
  const passthrough: string[] = [];
  let context: string | null = null;
  let dockerfile: string | null = null;
  let target: string | null = null;
  let droppedProgress: string | null = null;
  let metadataFile: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      for (const rest of args.slice(i + 1)) {
        context = rest;
        passthrough.push(rest);
      }
      break;
    }
    if (a.startsWith("-") && a !== "-") {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(0, eq) : a;
      let value: string | null = eq > 0 ? a.slice(eq + 1) : null;
      const takes = eq < 0 && !BOOLEAN_FLAGS.has(name);
      if (takes && value == null && i + 1 < args.length) value = args[++i]!;
      if (name === "--progress") {
        droppedProgress = value;
        continue;
      }
      if (name === "-f" || name === "--file") dockerfile = value;
      if (name === "--target") target = value;
      if (name === "--metadata-file") metadataFile = value;
      if (eq > 0 || !takes) passthrough.push(a);
      else passthrough.push(name, value ?? "");
      continue;
    }
    context = a;
    passthrough.push(a);
  }
  const local = context != null && context !== "-" && !/^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/.test(context) && !/\.git(#.*)?$/.test(context);
  const contextDir = local ? context : null;
  if (!dockerfile && contextDir) dockerfile = join(contextDir, "Dockerfile");
  return { context, contextDir, dockerfile, target, passthrough, droppedProgress, metadataFile };
}
