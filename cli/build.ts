/**
 * `cachescope build [options] [--] <docker buildx build args>`: fingerprints the build context,
 * runs `docker buildx build --progress=rawjson` with the user's arguments, shows a compact progress
 * view, keeps the build record when buildx can export it, and prints the report with the files that
 * changed since the last finished build of this context + Dockerfile + target.
 *
 * The baseline is updated only after a build that SUCCEEDED: it then describes the context every
 * step of the cache was built from. A failed build leaves some steps uncached with the new files, and
 * Ctrl-C leaves the build unfinished, so both keep the previous baseline (written atomically, so an
 * interrupted write cannot corrupt it either). Exit code: the build's (130 after SIGINT).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { analyze } from "../lib/analyze/index";
import type { Report } from "../lib/model/report";
import { renderText } from "../lib/render/text";
import { renderMarkdown } from "../lib/render/markdown";
import { renderSvgCard } from "../lib/render/svg-card";
import { parseBuildArgs } from "./build-args";
import { ProgressView, RawjsonSplitter } from "./build-progress";
import { readIgnoreFile } from "./changed-files";
import { diffFingerprints, fingerprintContext, isInside, leftByIgnore } from "./fingerprint";
import { baselineKey, baselinePath, cacheDir, loadBaseline, recordPath, saveBaseline } from "./fingerprint-store";

export interface BuildIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

interface BuildOptions {
  format: "text" | "json" | "markdown" | "svg";
  out: string | null;
  color: boolean;
  record: string | null;
  docker: string;
}

const USAGE = `Usage: cachescope build [--format text|json|markdown|svg] [--out <file>] [--record <file>] [--color] [--] <docker buildx build args>
Runs docker buildx build, shows its progress, and explains every cache miss with the files that changed
since the last successful build of the same context, Dockerfile and target.

  --format <f>     report format (default text)
  --out <file>     write the report to a file
  --record <file>  where to keep the build record (default: beside the baseline)
  --color          colour the progress and the report

Baselines live in $CACHESCOPE_CACHE_DIR, else $XDG_CACHE_HOME/cachescope, else ~/.cache/cachescope
(never inside the build context). Only a successful build updates the baseline; a failed or
interrupted one keeps the previous. The exit code is the build's (130 after Ctrl-C).`;

function parseOwnOptions(argv: string[]): { opts: BuildOptions; rest: string[] } | string {
  const opts: BuildOptions = { format: "text", out: null, color: false, record: null, docker: process.env.CACHESCOPE_DOCKER || "docker" };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    const [name, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, null];
    const value = () => inline ?? argv[++i] ?? "";
    if (name === "--format") {
      const f = value();
      if (!["text", "json", "markdown", "svg"].includes(f)) return `--format ${f}: expected text, json, markdown or svg`;
      opts.format = f as BuildOptions["format"];
    } else if (name === "--out") opts.out = value();
    else if (name === "--record") opts.record = value();
    else if (name === "--color") opts.color = true;
    else if (name === "--help" || name === "-h") return USAGE;
    else break; // the first argument that is not ours starts the buildx arguments
  }
  return { opts, rest: argv.slice(i) };
}

export async function runBuild(argv: string[], io: BuildIo): Promise<number> {
  const parsed = parseOwnOptions(argv);
  if (typeof parsed === "string") {
    if (parsed === USAGE) {
      io.out(USAGE + "\n");
      return 0;
    }
    io.err(`cachescope build: ${parsed}\n`);
    return 2;
  }
  const { opts, rest } = parsed;
  const args = parseBuildArgs(rest);
  if (!args.context) {
    io.err("cachescope build: no build context given (e.g. `cachescope build -- -t app .`)\n");
    return 2;
  }
  if (args.droppedProgress) io.err(`cachescope: --progress=${args.droppedProgress} replaced by rawjson (cachescope reads it and prints its own progress)\n`);

  // Fingerprint before the build: the files BuildKit is about to read.
  const dir = cacheDir();
  let fp: ReturnType<typeof fingerprintContext> | null = null;
  let baseline = null;
  let ignore: { path: string; text: string } | null = null;
  let key: string | null = null;
  const dockerfilePath = args.dockerfile && args.dockerfile !== "-" ? args.dockerfile : null;
  if (args.contextDir && existsSync(args.contextDir)) {
    key = baselineKey(args.contextDir, dockerfilePath ?? join(args.contextDir, "Dockerfile"), args.target);
    ignore = await readIgnoreFile(args.contextDir, dockerfilePath).catch(() => null);
    baseline = loadBaseline(baselinePath(dir, key));
    const inside = isInside(args.contextDir, dir);
    if (inside) io.err(`cachescope: the cache folder ${dir} lies inside the build context; set CACHESCOPE_CACHE_DIR elsewhere, or the baseline itself changes the context\n`);
    fp = fingerprintContext(args.contextDir, ignore?.text ?? null, baseline, { skip: inside ? (p) => isInside(dir, p) : undefined });
  } else io.err(`cachescope: the context ${args.context} is not a local folder: no changed files can be named\n`);

  const work = join(tmpdir(), `cachescope-build-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  const metadataFile = args.metadataFile ?? join(work, "metadata.json");
  const childArgs = ["buildx", "build", "--progress=rawjson", ...(args.metadataFile ? [] : ["--metadata-file", metadataFile]), ...args.passthrough];

  const view = new ProgressView((l) => io.err(l + "\n"), opts.color);
  const logChunks: string[] = [];
  let interrupted = false;
  const code: number = await new Promise((resolveExit) => {
    const child = spawn(opts.docker, childArgs, { stdio: ["inherit", "inherit", "pipe"] });
    const onSigint = () => {
      interrupted = true;
      child.kill("SIGINT");
    };
    const onSigterm = () => {
      interrupted = true;
      child.kill("SIGTERM");
    };
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigterm);
    const splitter = new RawjsonSplitter(
      (json) => {
        if (!view.line(json)) io.err(json + "\n");
      },
      (text) => io.err(text + "\n"),
    );
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      logChunks.push(chunk);
      splitter.feed(chunk);
    });
    child.on("error", (e) => {
      io.err(`cachescope: could not run ${opts.docker}: ${e.message}\n`);
      resolveExit(127);
    });
    child.on("close", (c, signal) => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
      splitter.end();
      resolveExit(interrupted ? 130 : c ?? (signal ? 128 + (signal === "SIGINT" ? 2 : 15) : 1));
    });
  });

  try {
    if (interrupted) {
      io.err("cachescope: build interrupted; the baseline is kept as it was\n");
      return 130;
    }
    if (code === 127) return code;
    // Keep the build record (buildx >= 0.23) for `cachescope analyze --log <record>`.
    const record = opts.record ?? (key ? recordPath(dir, key) : null);
    if (record) exportRecord(opts.docker, metadataFile, record, io);

    const log = logChunks.join("");
    const changed = fp && baseline ? diffFingerprints(baseline, fp.fingerprint) : null;
    const dockerfile = dockerfilePath && existsSync(dockerfilePath) ? readFileSync(dockerfilePath, "utf8") : null;
    const report = analyze({ log, dockerfile, changedFiles: changed ? changed.join("\n") : null, changedFilesSource: "fingerprint", dockerignore: ignore?.text ?? null });
    const left = fp && baseline ? leftByIgnore(baseline, fp.fingerprint) : [];
    if (left.length)
      io.err(`cachescope: the ignore file changed since the baseline: ${left.length} file${left.length === 1 ? "" : "s"} left the context (a COPY of them sees them as deleted), e.g. ${left.slice(0, 3).join(", ")}\n`);
    if (fp && !baseline) io.err("cachescope: first build of this context here: the baseline is recorded now, and the next build names the files that changed\n");
    const output = render(report, opts);
    if (opts.out) writeFileSync(opts.out, output);
    else io.out("\n" + output);

    if (code === 0 && fp && key) saveBaseline(baselinePath(dir, key), fp.fingerprint);
    else if (code !== 0 && fp) io.err("cachescope: the build failed; the baseline stays at the last successful build\n");
    return code;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function render(report: Report, opts: BuildOptions): string {
  switch (opts.format) {
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "markdown":
      return renderMarkdown(report, {});
    case "svg":
      return renderSvgCard(report);
    default:
      return renderText(report, { color: opts.color });
  }
}

function exportRecord(docker: string, metadataFile: string, target: string, io: BuildIo): void {
  let ref: string | null = null;
  try {
    const md = JSON.parse(readFileSync(metadataFile, "utf8")) as Record<string, unknown>;
    const r = md["buildx.build.ref"];
    if (typeof r === "string") ref = r.split("/").pop() ?? null;
  } catch {
    return;
  }
  if (!ref) return;
  mkdirSync(dirname(target), { recursive: true });
  // --finalize waits until the record is complete; a buildx without the flag exports without it.
  let r = spawnSync(docker, ["buildx", "history", "export", "--finalize", ref, "-o", target], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0 && /unknown flag/.test(r.stderr ?? "")) r = spawnSync(docker, ["buildx", "history", "export", ref, "-o", target], { encoding: "utf8", timeout: 60_000 });
  if (r.status === 0) io.err(`cachescope: build record kept in ${target}\n`);
  else io.err("cachescope: this buildx cannot export the build record (docker buildx history export needs buildx 0.23+); the report uses the log\n");
}
