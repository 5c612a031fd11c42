// The action's main step: explain the build, write the job summary, keep ONE pull-request comment
// up to date, set the outputs, and fail the job when the `fail-on` policy says so.
// Reads its inputs from INPUT_* variables (action.yml passes them); plain Node 20, no dependency.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { COMMENT_MARKER, commentAuthor, createClient, listPullFiles, upsertStickyComment } from "./github.mjs";
import { PolicyError, evaluatePolicy, parsePolicy, topCause } from "./policy.mjs";

export class ActionError extends Error {}

export function readInputs(env = process.env) {
  const input = (name) => (env[`INPUT_${name.replace(/-/g, "_").toUpperCase()}`] ?? "").trim();
  return {
    log: input("log"),
    dockerfile: input("dockerfile"),
    context: input("context"),
    previous: input("previous"),
    changedFiles: input("changed-files"),
    shareBase: input("share-base"),
    failOn: input("fail-on"),
    comment: input("comment") !== "false",
    commentAuthor: input("comment-author"),
    token: input("github-token"),
    builder: input("builder"),
  };
}

/** GitHub's context from the runner's environment. */
export function readContext(env = process.env) {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "/").split("/");
  let event = {};
  if (env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH)) {
    try {
      event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
    } catch {
      event = {};
    }
  }
  return {
    owner,
    repo,
    eventName: env.GITHUB_EVENT_NAME ?? "",
    pullNumber: event.pull_request?.number ?? null,
    baseRef: env.GITHUB_BASE_REF || event.pull_request?.base?.ref || null,
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    workDir: env.RUNNER_TEMP ? join(env.RUNNER_TEMP, "cachescope") : resolve(".cachescope"),
    summaryFile: env.GITHUB_STEP_SUMMARY || null,
    outputFile: env.GITHUB_OUTPUT || null,
  };
}

/** The build to explain: the given path, else the last build record exported from the builder. */
export function resolveLog(inputs, ctx, exec = execFileSync) {
  if (inputs.log) {
    if (!existsSync(inputs.log)) throw new ActionError(`log: ${inputs.log} does not exist`);
    return inputs.log;
  }
  const out = join(ctx.workDir, "build.dockerbuild");
  const args = ["buildx", "history", "export", "--finalize", "--output", out];
  if (inputs.builder) args.push("--builder", inputs.builder);
  try {
    exec("docker", args, { stdio: ["ignore", "inherit", "pipe"] });
  } catch (e) {
    const why = String(e.stderr ?? e.message).trim().split("\n").pop();
    throw new ActionError(`no log given and \`docker buildx history export\` failed (${why}); pass the build log or record as \`log\``);
  }
  return out;
}

/** The base branch's record or log: the `previous` input, or the one file of the downloaded artifact. */
export function resolvePrevious(inputs, downloadedDir) {
  if (inputs.previous) return existsSync(inputs.previous) ? inputs.previous : null;
  if (!downloadedDir || !existsSync(downloadedDir)) return null;
  const files = readdirSync(downloadedDir).map((f) => join(downloadedDir, f)).filter((f) => statSync(f).isFile());
  return files.length === 1 ? files[0] : files.find((f) => /\.(dockerbuild|log|json|zip)$/.test(f)) ?? null;
}

/** `changed-files`: a file (or `-`) handed to the CLI as is, or `auto`: the pull request's files. */
export async function resolveChangedFiles(inputs, ctx, client) {
  if (!inputs.changedFiles) return null;
  if (inputs.changedFiles !== "auto") return inputs.changedFiles;
  if (!ctx.pullNumber || !client) return null;
  const files = await listPullFiles(client, { owner: ctx.owner, repo: ctx.repo, pullNumber: ctx.pullNumber });
  // The CLI wants paths relative to the build context; files outside it cannot change the build.
  const context = inputs.context || ".";
  const rel = files.map((f) => relative(context, f)).filter((f) => f && !f.startsWith(".."));
  const out = join(ctx.workDir, "changed-files.txt");
  writeFileSync(out, rel.join("\n") + (rel.length ? "\n" : ""));
  return out;
}

/** The CLI arguments shared by both renderings. */
export function analyzeArgs({ log, dockerfile, previous, previousDockerfile, changedFiles, context }) {
  const args = ["analyze", "--log", log];
  if (dockerfile) args.push("--dockerfile", dockerfile);
  if (previous) args.push("--previous-log", previous);
  if (previousDockerfile) args.push("--previous-dockerfile", previousDockerfile);
  if (changedFiles) args.push("--changed-files", changedFiles);
  if (context) args.push("--context", context);
  return args;
}

function runCli(cli, args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new ActionError((r.stderr || `exited with ${r.status}`).trim().replace(/^cachescope: /, ""));
  return { stdout: r.stdout, stderr: r.stderr };
}

/** The base branch's Dockerfile, for compare mode with a plain log (a record carries its own). */
function baseDockerfile(ctx, dockerfile) {
  if (!ctx.baseRef || !dockerfile) return null;
  try {
    execFileSync("git", ["fetch", "-q", "--depth=1", "origin", ctx.baseRef], { stdio: "ignore" });
    const path = relative(execFileSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).trim(), resolve(dockerfile));
    const text = execFileSync("git", ["show", `FETCH_HEAD:${path}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const out = join(ctx.workDir, "base.Dockerfile");
    writeFileSync(out, text);
    return out;
  } catch {
    return null;
  }
}

export function setOutputs(file, values) {
  if (!file) return;
  for (const [k, v] of Object.entries(values)) {
    const s = v == null ? "" : String(v);
    if (s.includes("\n")) {
      const delim = `cachescope_${Math.random().toString(36).slice(2)}`;
      appendFileSync(file, `${k}<<${delim}\n${s}\n${delim}\n`);
    } else appendFileSync(file, `${k}=${s}\n`);
  }
}

/** The whole step. Tests pass their own environment (a loopback GitHub API) and `exec` (docker). */
export async function run({ env = process.env, log = (s) => process.stdout.write(s + "\n"), exec = execFileSync } = {}) {
  const inputs = readInputs(env);
  const ctx = readContext(env);
  mkdirSync(ctx.workDir, { recursive: true });
  const cli = env.CACHESCOPE_CLI;
  if (!cli || !existsSync(cli)) throw new ActionError("the Cachescope CLI was not built (CACHESCOPE_CLI is not set)");
  const rules = parsePolicy(inputs.failOn);
  const client = inputs.token ? createClient({ token: inputs.token, apiUrl: ctx.apiUrl }) : null;

  const record = resolveLog(inputs, ctx, exec);
  // Set at once: the record is uploaded for the next compare even when the analysis fails.
  setOutputs(ctx.outputFile, { record });
  const dockerfile = inputs.dockerfile || (existsSync(join(inputs.context || ".", "Dockerfile")) ? join(inputs.context || ".", "Dockerfile") : "");
  if (inputs.dockerfile && !existsSync(inputs.dockerfile)) throw new ActionError(`dockerfile: ${inputs.dockerfile} does not exist`);
  const previous = resolvePrevious(inputs, env.CACHESCOPE_BASE_DIR);
  if (inputs.previous && !previous) log(`::warning::cachescope: previous: ${inputs.previous} does not exist; explaining without compare mode`);
  const previousDockerfile = previous ? baseDockerfile(ctx, dockerfile) : null;
  const changedFiles = await resolveChangedFiles(inputs, ctx, client);
  const args = analyzeArgs({ log: record, dockerfile, previous, previousDockerfile, changedFiles, context: inputs.context });
  log(`cachescope ${args.join(" ")}`);

  const report = JSON.parse(runCli(cli, [...args, "--format", "json"]).stdout);
  // With a Dockerfile the CLI still reports (its steps, all not run) when the log is unreadable:
  // a comment about a build nobody can see would mislead, so say what is wrong instead.
  if (report.input?.logFormat === "unknown") {
    // Worded as the CLI words it (cli/main.ts, formatDiagnostic), which now exits 2 itself first.
    const d = report.diagnostics?.find((x) => x.severity === "error" && x.source === "log");
    throw new ActionError(`${record}: ${d ? `log${d.line != null ? ` line ${d.line}` : ""}: ${d.message}` : "not a Docker build log"}`);
  }
  const md = runCli(cli, [...args, "--format", "markdown", ...(inputs.shareBase ? ["--share-base", inputs.shareBase] : [])]);
  if (md.stderr.trim()) log(md.stderr.trim());
  const markdown = md.stdout;
  const reportFile = join(ctx.workDir, "report.json");
  const markdownFile = join(ctx.workDir, "comment.md");
  writeFileSync(reportFile, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(markdownFile, markdown);

  const { violations, unknown } = evaluatePolicy(rules, report);
  const top = topCause(report);
  const ratio = report.summary?.cacheHitRatio;
  setOutputs(ctx.outputFile, {
    "hit-ratio": ratio == null ? "" : Math.round(ratio * 1000) / 10,
    "rebuilt-seconds": report.summary?.rebuiltSeconds ?? "",
    "top-cause": top?.cause ?? "",
    "top-cause-step": top?.step ?? "",
    "build-status": report.build?.status ?? "",
    report: reportFile,
    markdown: markdownFile,
    "policy-violations": violations.length,
  });

  const policyText = policySection(rules, violations, unknown);
  if (ctx.summaryFile) appendFileSync(ctx.summaryFile, markdown + (policyText ? `\n${policyText}\n` : ""));

  let comment = null;
  if (inputs.comment && ctx.pullNumber && client) {
    const author = await commentAuthor(client, inputs.commentAuthor);
    const body = markdown + (policyText ? `\n${policyText}\n` : "");
    try {
      comment = await upsertStickyComment(client, { owner: ctx.owner, repo: ctx.repo, issueNumber: ctx.pullNumber, body, author, marker: COMMENT_MARKER });
      log(`cachescope: ${comment.action} the pull-request comment ${comment.id ?? ""} (as ${author})`.trim());
    } catch (e) {
      // A pull request from a fork gets a read-only token: the summary still has the report.
      if (e.status === 403 || e.status === 404) log(`::warning::cachescope: cannot write the pull-request comment (${e.message}); the job summary has the report`);
      else throw e;
    }
  }
  for (const u of unknown) log(`::warning::cachescope: fail-on ${u.rule}: cannot decide, ${u.reason}`);
  for (const v of violations) log(`::error::cachescope: ${v.message}`);
  return { report, violations, comment, record };
}

function policySection(rules, violations, unknown) {
  if (!rules.length) return "";
  const lines = [violations.length ? `**Cachescope policy failed** (\`fail-on\`):` : `Cachescope policy passed (\`fail-on: ${rules.map((r) => r.text).join(", ")}\`).`];
  for (const v of violations) lines.push(`- ${v.message}`);
  for (const u of unknown) lines.push(`- not decided: \`${u.rule}\` — ${u.reason}`);
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const { violations } = await run();
    process.exitCode = violations.length ? 1 : 0;
  } catch (e) {
    const known = e instanceof ActionError || e instanceof PolicyError;
    process.stdout.write(`::error::cachescope: ${known ? e.message : e.stack ?? e}\n`);
    process.exitCode = 1;
  }
}
