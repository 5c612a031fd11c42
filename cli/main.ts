import { Command, CommanderError, Option } from "commander";
import { writeFile } from "node:fs/promises";
import { analyze, isUnreadable } from "../lib/analyze/index";
import type { AnalyzeInput } from "../lib/analyze/types";
import { formatDiagnostic } from "../lib/model/diagnostics";
import type { Report } from "../lib/model/report";
import { renderText } from "../lib/render/text";
import { renderMarkdown } from "../lib/render/markdown";
import { renderSvgCard } from "../lib/render/svg-card";
import { decodeLog } from "../lib/parse/log/index";
import { analyzeForSharing } from "../lib/share/share-report";
import { describeRedactions } from "../lib/share/redact";
import { InputError } from "./input-error";
import { analyzeWithParsedLog, readLog } from "./read-input";
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS, InputLimitError, parseByteSize, readInputLimited, startWatchdog } from "./limits";
import { RecordInputError, recordTextForSharing, withHistory } from "./records";
import { MAX_CHANGED_FILES_BYTES, contextDirFor, isDirectory, readIgnoreFile } from "./changed-files";

export const FORMATS = ["text", "json", "markdown", "svg"] as const;
type Format = (typeof FORMATS)[number];

/** Set from --max-bytes before any input is read. */
let maxInputBytes = DEFAULT_MAX_BYTES;

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readInputLimited(path, what, maxInputBytes);
  } catch (e) {
    if (e instanceof InputLimitError) throw new InputError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
    throw new InputError(`${what} ${path}: ${reason}`);
  }
}

function looksBinary(bytes: Uint8Array): boolean {
  // UTF-16 logs have NULs too; the log parser decodes those. For text inputs, NUL means binary.
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

async function readText(path: string | undefined, what: string): Promise<string | null> {
  if (!path) return null;
  const bytes = await readInput(path, what);
  if (looksBinary(bytes)) throw new InputError(`${what} ${path}: this is a binary file, not text`);
  return new TextDecoder("utf-8").decode(bytes);
}

interface AnalyzeOptions {
  log: string;
  dockerfile?: string;
  previousLog?: string;
  previousDockerfile?: string;
  image?: string;
  build?: string;
  format: Format;
  out?: string;
  shareBase?: string;
  color?: boolean;
  changedFiles?: string;
  context?: string;
  maxBytes?: string;
  timeout?: string;
  redact?: boolean;
}

export async function runAnalyze(opts: AnalyzeOptions, io?: { err: (s: string) => void }): Promise<{ output: string; report: Report }> {
  if ([opts.log, opts.dockerfile, opts.changedFiles].filter((x) => x === "-").length > 1) throw new InputError("only one input can be read from standard input");
  maxInputBytes = opts.maxBytes != null ? (parseByteSize(opts.maxBytes) ?? -1) : DEFAULT_MAX_BYTES;
  if (maxInputBytes <= 0) throw new InputError(`--max-bytes ${opts.maxBytes}: expected a size such as 256MB, 1GB or 1048576`);
  const timeout = opts.timeout != null ? Number(opts.timeout) : DEFAULT_TIMEOUT_SECONDS;
  if (!(timeout >= 0)) throw new InputError(`--timeout ${opts.timeout}: expected seconds (0 = no limit)`);
  const stopWatchdog = startWatchdog(timeout);
  try {
    return await analyzeWithin(opts, io);
  } finally {
    stopWatchdog();
  }
}

async function analyzeWithin(opts: AnalyzeOptions, io?: { err: (s: string) => void }): Promise<{ output: string; report: Report }> {
  // Markdown and SVG are made to be posted: analyse redacted inputs so no secret reaches them.
  const shareable = opts.format === "markdown" || opts.format === "svg" || !!opts.redact;
  // Otherwise the log is parsed while it is read (cli/read-input.ts), never held whole.
  const streamedLog = shareable ? null : await readLog(opts.log, "log", maxInputBytes);
  const input: AnalyzeInput = {
    log: streamedLog?.kind === "parsed" ? "" : streamedLog?.kind === "record" ? streamedLog.bytes : await readInput(opts.log, "log"),
    dockerfile: await readText(opts.dockerfile, "dockerfile"),
    previousLog: opts.previousLog ? await readInput(opts.previousLog, "previous log") : null,
    previousDockerfile: await readText(opts.previousDockerfile, "previous dockerfile"),
    image: await readText(opts.image, "image metadata"),
    build: opts.build != null ? Number(opts.build) : null,
    changedFiles: await readText(opts.changedFiles, "changed files"),
    dockerignore: null,
  };
  if ((input.changedFiles?.length ?? 0) > MAX_CHANGED_FILES_BYTES)
    throw new InputError(`changed files ${opts.changedFiles}: larger than ${MAX_CHANGED_FILES_BYTES / 1024 / 1024} MB; pass the list of one change`);
  if (opts.context && !(await isDirectory(opts.context))) throw new InputError(`context ${opts.context}: not a directory`);
  if (opts.changedFiles) {
    const ignore = await readIgnoreFile(contextDirFor(opts), opts.dockerfile && opts.dockerfile !== "-" ? opts.dockerfile : null).catch((e: Error) => {
      throw new InputError(e.message);
    });
    input.dockerignore = ignore?.text ?? null;
  }
  if (opts.build != null && (!Number.isInteger(input.build) || input.build! < 1))
    throw new InputError(`--build ${opts.build}: expected a build number from 1`);
  let report: Report;
  if (shareable) {
    const text = (x: string | Uint8Array | null | undefined) => (x == null ? null : decodeLog(x).text);
    // Build records go to the share path as their redacted digest text, never as the raw bundle.
    let logText: string | null;
    let previousText: string | null;
    try {
      logText = recordTextForSharing(input.log, opts.log) ?? text(input.log);
      previousText = recordTextForSharing(input.previousLog, opts.previousLog ?? "previous log") ?? text(input.previousLog);
    } catch (e) {
      if (e instanceof RecordInputError) throw new InputError(e.message);
      throw e;
    }
    const shared = analyzeForSharing({
      log: logText ?? "",
      dockerfile: input.dockerfile,
      previousLog: previousText,
      previousDockerfile: input.previousDockerfile,
      image: input.image,
      build: input.build,
      changedFiles: input.changedFiles,
      dockerignore: input.dockerignore,
    });
    report = shared.report;
    const redacted = describeRedactions(shared.redactions);
    if (redacted !== "nothing") io?.err(`cachescope: redacted before rendering: ${redacted}\n`);
  } else {
    report = streamedLog?.kind === "parsed" ? analyzeWithParsedLog(input, streamedLog.log) : analyze(input);
  }
  if (isUnreadable(report)) {
    const first = report.diagnostics.find((d) => d.severity === "error" && d.source === "log");
    throw new InputError(first ? `${opts.log}: ${formatDiagnostic(first)}` : `${opts.log}: not a Docker build log`);
  }
  const shareUrl = opts.shareBase ?? null;
  let output: string;
  switch (opts.format) {
    case "json":
      output = JSON.stringify(report, null, 2) + "\n";
      break;
    case "markdown":
      output = renderMarkdown(report, { shareUrl });
      break;
    case "svg":
      output = renderSvgCard(report);
      break;
    default:
      output = renderText(report, { color: !!opts.color });
  }
  output = withHistory(output, report, opts.format);
  return { output, report };
}

export function buildProgram(io: { out: (s: string) => void; err: (s: string) => void }): Command {
  const program = new Command();
  program
    .name("cachescope")
    .description("Explains Docker builds: which steps were cached or rebuilt, why each cache miss happened, and how to fix it.")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .command("analyze")
    .description("Analyse a build log (plain, rawjson, legacy, CI-wrapped), optionally with its Dockerfile.")
    .requiredOption("--log <file|->", "build log: docker buildx build --progress=plain|rawjson output, legacy builder output, or a CI log around it; or a build record (.dockerbuild, the Actions .zip, history inspect JSON)")
    .option("--dockerfile <file>", "the Dockerfile that was built (gives line numbers and exact causes)")
    .option("--previous-log <file>", "log of the previous build, for compare mode")
    .option("--previous-dockerfile <file>", "the previous Dockerfile, for compare mode")
    .option("--image <file>", "docker history --no-trunc --format '{{json .}}', docker image inspect, image config or OCI manifest JSON")
    .option("--build <n>", "which build of a log or record bundle with several builds (1-based; default: the last)")
    .option("--changed-files <file|->", "changed files, one context-relative path a line (git diff --name-only base...head): names the files behind each context miss")
    .option("--context <dir>", "the build context, where .dockerignore is read (default: the Dockerfile's folder)")
    .addOption(new Option("--format <format>", "output format").choices([...FORMATS]).default("text"))
    .option("--out <file>", "write the report to a file instead of standard output")
    .option("--share-base <url>", "link to the full view, put into the Markdown comment")
    .option("--color", "colour the text report")
    .option("--redact", "redact secrets for text and json output too (markdown and svg always are)")
    .option("--max-bytes <size>", "refuse any input larger than this (e.g. 256MB, 1GB)", "256MB")
    .option("--timeout <seconds>", "stop with a message when reading and analysing take longer (0 = no limit)", String(DEFAULT_TIMEOUT_SECONDS))
    .action(async (opts: AnalyzeOptions) => {
      const { output } = await runAnalyze(opts, io);
      if (opts.out) await writeFile(opts.out, output);
      else io.out(output);
    });
  // Listed for `cachescope --help`; main() hands `build` to cli/build.ts before commander parses.
  program
    .command("build")
    .description("Run docker buildx build (args after --), show its progress, and explain every cache miss with the files that changed since the last successful build of this context (cachescope build --help).")
    .allowUnknownOption()
    .helpOption(false)
    .argument("[args...]");
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) };
  // `build` passes its arguments through to docker buildx build: commander stays out of it.
  if (argv[2] === "build") return (await import("./build")).runBuild(argv.slice(3), io);
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InputError) {
      io.err(`cachescope: ${e.message}\n`);
      return 2;
    }
    io.err(`cachescope: internal error: ${(e as Error).message}\n`);
    return 1;
  }
}
