/**
 * Child process of the hostile-Dockerfile figures (bench/engine.ts): builds one hostile Dockerfile,
 * parses it once and prints one JSON line: parse time, RSS before, peak RSS after.
 *   node --import tsx bench/dockerfile-child.ts <heredoc|continuation|escaped-escapes> <MB>
 */
import { parseDockerfile } from "../lib/parse/dockerfile";

const [kind, mbArg] = process.argv.slice(2);
const bytes = Number(mbArg) * 1024 * 1024;
const repeat = (line: string) => line.repeat(Math.max(1, Math.round(bytes / line.length)));
const text =
  kind === "heredoc"
    ? "FROM x\nRUN <<EOF\n" + repeat("echo some output of a script that never ends\n") // never terminated
    : kind === "continuation"
      ? "FROM x\nRUN echo \\\n" + repeat("  --flag value-of-a-long-continued-command \\\n") + "  end\n"
      : "FROM x\n" + repeat("RUN echo \\\\\n"); // an escaped escape at each line end: one RUN per line
const before = process.memoryUsage().rss;
const t = performance.now();
const model = parseDockerfile(text);
const ms = performance.now() - t;
const peak = process.resourceUsage().maxRSS * 1024;
const instructions = model.stages.reduce((n, s) => n + s.instructions.length, 0);
process.stdout.write(JSON.stringify({ kind, bytes: text.length, ms, rssBefore: before, peakRss: peak, instructions }) + "\n");
