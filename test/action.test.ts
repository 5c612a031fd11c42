// The GitHub Action's scripts (action/*.mjs) against a loopback stand-in for the GitHub REST
// endpoints they call: list comments (paginated with Link headers), create, update; the
// artifacts list; a pull request's files; GET /user. Plus the policy, the CLI run on a real
// captured build, and the YAML of action.yml and the example workflow.
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
// @ts-expect-error plain JavaScript modules without declarations
import * as github from "../action/github.mjs";
// @ts-expect-error plain JavaScript modules without declarations
import * as policy from "../action/policy.mjs";
// @ts-expect-error plain JavaScript modules without declarations
import * as action from "../action/run.mjs";
// @ts-expect-error plain JavaScript modules without declarations
import { findBase } from "../action/find-base.mjs";

const root = resolve(__dirname, "..");
const scenario = join(root, "fixtures/scenarios/01-source-file-changed");
const MARKER = "<!-- cachescope-report -->";

// ---- the stand-in GitHub API ----------------------------------------------------------------
interface Comment { id: number; body: string; user: { login: string } }
interface Call { method: string; path: string; body: unknown; auth: string | undefined }
const state = {
  comments: [] as Comment[],
  nextId: 1000,
  user: null as string | null, // GET /user: null → 403 like GITHUB_TOKEN
  artifacts: [] as unknown[],
  pullFiles: [] as unknown[],
  calls: [] as Call[],
};
let server: Server;
let api: string;

function page<T>(req: IncomingMessage, res: ServerResponse, items: T[], wrap?: (x: T[]) => unknown, perPageCap = 2) {
  // Tiny pages (perPageCap) so every list is paginated, whatever per_page the client asks.
  const url = new URL(req.url!, api);
  const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), perPageCap);
  const n = Number(url.searchParams.get("page") ?? 1);
  const slice = items.slice((n - 1) * perPage, n * perPage);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(url);
    u.searchParams.set("page", String(p));
    return `<${u}>; rel="${rel}"`;
  };
  const links = [n < last ? link(n + 1, "next") : null, link(last, "last"), n > 1 ? link(1, "first") : null].filter(Boolean);
  res.writeHead(200, { "content-type": "application/json", link: links.join(", ") });
  res.end(JSON.stringify(wrap ? wrap(slice) : slice));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const body = raw ? JSON.parse(raw) : null;
    const path = new URL(req.url!, "http://x").pathname;
    state.calls.push({ method: req.method!, path, body, auth: req.headers.authorization });
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    let m: RegExpMatchArray | null;
    if (req.method === "GET" && path === "/user") return state.user ? json(200, { login: state.user }) : json(403, { message: "Resource not accessible by integration" });
    if (req.method === "GET" && /^\/repos\/o\/r\/issues\/7\/comments$/.test(path)) return page(req, res, state.comments);
    if (req.method === "POST" && /^\/repos\/o\/r\/issues\/7\/comments$/.test(path)) {
      const c = { id: state.nextId++, body: body.body, user: { login: state.user ?? "github-actions[bot]" } };
      state.comments.push(c);
      return json(201, c);
    }
    if (req.method === "PATCH" && (m = path.match(/^\/repos\/o\/r\/issues\/comments\/(\d+)$/))) {
      const c = state.comments.find((x) => x.id === Number(m![1]));
      if (!c) return json(404, { message: "Not Found" });
      c.body = body.body;
      return json(200, c);
    }
    if (req.method === "GET" && path === "/repos/o/r/actions/artifacts") {
      const name = new URL(req.url!, "http://x").searchParams.get("name");
      return page(req, res, state.artifacts.filter((a: any) => a.name === name), (x) => ({ total_count: state.artifacts.length, artifacts: x }));
    }
    if (req.method === "GET" && path === "/repos/o/r/pulls/7/files") return page(req, res, state.pullFiles);
    json(404, { message: "Not Found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  state.comments = [];
  state.user = null;
  state.artifacts = [];
  state.pullFiles = [];
  state.calls = [];
});

const client = () => github.createClient({ token: "t0ken", apiUrl: api });
const others = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, body: `comment ${i + 1}`, user: { login: "reviewer" } }));

describe("sticky pull-request comment", () => {
  it("updates the bot's marked comment on a later page and never one by someone else with the marker", async () => {
    state.comments = [
      ...others(2),
      { id: 50, body: `quoting the bot:\n${MARKER}\nold`, user: { login: "someone" } }, // page 2
      ...others(2).map((c) => ({ ...c, id: c.id + 60 })),
      { id: 99, body: `${MARKER}\nprevious report`, user: { login: "github-actions[bot]" } }, // page 3
    ];
    const author = await github.commentAuthor(client(), "");
    expect(author).toBe("github-actions[bot]");
    const r = await github.upsertStickyComment(client(), { owner: "o", repo: "r", issueNumber: 7, body: `${MARKER}\nnew report`, author });
    expect(r).toEqual({ action: "updated", id: 99 });
    expect(state.comments.find((c) => c.id === 99)!.body).toBe(`${MARKER}\nnew report`);
    expect(state.comments.find((c) => c.id === 50)!.body).toContain("old");
    const lists = state.calls.filter((c) => c.method === "GET" && c.path.endsWith("/comments"));
    expect(lists.length).toBe(3); // followed rel="next" to the last page
    expect(state.calls.filter((c) => c.method === "PATCH").map((c) => c.path)).toEqual(["/repos/o/r/issues/comments/99"]);
    expect(state.calls.every((c) => c.auth === "Bearer t0ken")).toBe(true);
  });

  it("creates a new comment when the only marked one is someone else's", async () => {
    state.comments = [...others(3), { id: 50, body: `${MARKER} copied`, user: { login: "someone" } }];
    const r = await github.upsertStickyComment(client(), { owner: "o", repo: "r", issueNumber: 7, body: "report", author: "github-actions[bot]" });
    expect(r.action).toBe("created");
    expect(state.calls.some((c) => c.method === "PATCH")).toBe(false);
    expect(state.comments.find((c) => c.id === 50)!.body).toBe(`${MARKER} copied`);
    // The marker is added when the body lacks it, so the next run finds this comment.
    expect(state.comments.at(-1)!.body.startsWith(MARKER)).toBe(true);
  });

  it("with a user token, the author is the token's user (GET /user), not the bot", async () => {
    state.user = "octo";
    state.comments = [
      { id: 5, body: `${MARKER} bot`, user: { login: "github-actions[bot]" } },
      { id: 6, body: `${MARKER} mine`, user: { login: "octo" } },
    ];
    const author = await github.commentAuthor(client(), "");
    expect(author).toBe("octo");
    const r = await github.upsertStickyComment(client(), { owner: "o", repo: "r", issueNumber: 7, body: `${MARKER} new`, author });
    expect(r).toEqual({ action: "updated", id: 6 });
    expect(state.comments.find((c) => c.id === 5)!.body).toBe(`${MARKER} bot`);
  });

  it("reads Link headers with several relations and none", () => {
    expect(github.nextLink('<https://a/x?page=3>; rel="next", <https://a/x?page=9>; rel="last"')).toBe("https://a/x?page=3");
    expect(github.nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=1>; rel="first"')).toBeNull();
    expect(github.nextLink(null)).toBeNull();
  });
});

describe("base branch record and changed files", () => {
  it("finds the newest unexpired artifact of the base branch across pages", async () => {
    const a = (id: number, branch: string, created: string, expired = false) => ({ id, name: "cachescope-record", expired, created_at: created, workflow_run: { id: id * 10, head_branch: branch } });
    state.artifacts = [a(1, "feature", "2026-11-30T10:00:00Z"), a(2, "main", "2026-11-28T10:00:00Z"), a(3, "main", "2026-11-30T09:00:00Z", true), a(4, "main", "2026-11-29T10:00:00Z"), { ...a(5, "main", "2026-12-01T00:00:00Z"), name: "other" }];
    expect(await github.findBaseArtifactRun(client(), { owner: "o", repo: "r", name: "cachescope-record", branch: "main" })).toEqual({ runId: 40, artifactId: 4 });
    expect(await github.findBaseArtifactRun(client(), { owner: "o", repo: "r", name: "cachescope-record", branch: "develop" })).toBeNull();
  });

  it("find-base sets the run-id output on a pull request, and says so when there is none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cachescope-action-"));
    const event = join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { ref: "main" } } }));
    const out = join(dir, "out");
    writeFileSync(out, "");
    const env = { GITHUB_REPOSITORY: "o/r", GITHUB_EVENT_PATH: event, GITHUB_API_URL: api, GITHUB_OUTPUT: out, INPUT_GITHUB_TOKEN: "t", INPUT_ARTIFACT_NAME: "cachescope-record" };
    const logs: string[] = [];
    expect(await findBase(env, (s: string) => logs.push(s))).toBeNull();
    expect(logs.join("\n")).toContain('no artifact "cachescope-record" from main yet');
    state.artifacts = [{ id: 3, name: "cachescope-record", expired: false, created_at: "2026-11-30T00:00:00Z", workflow_run: { id: 77, head_branch: "main" } }];
    await findBase(env, (s: string) => logs.push(s));
    expect(readFileSync(out, "utf8")).toBe("run-id=77\n");
    rmSync(dir, { recursive: true, force: true });
  });

  it("changed-files: auto lists the pull request's files (renames both ways) relative to the context", async () => {
    state.pullFiles = [{ filename: "app/src/a.js" }, { filename: "app/b.js", previous_filename: "app/old-b.js" }, { filename: "README.md" }];
    const dir = mkdtempSync(join(tmpdir(), "cachescope-action-"));
    const file = await action.resolveChangedFiles({ changedFiles: "auto", context: "app" }, { owner: "o", repo: "r", pullNumber: 7, workDir: dir }, client());
    expect(readFileSync(file, "utf8")).toBe("src/a.js\nb.js\nold-b.js\n");
    expect(await action.resolveChangedFiles({ changedFiles: "changes.txt" }, {}, null)).toBe("changes.txt");
    expect(action.analyzeArgs({ log: "b.log", dockerfile: "Dockerfile", previous: "a.log", changedFiles: "changes.txt" })).toEqual([
      "analyze", "--log", "b.log", "--dockerfile", "Dockerfile", "--previous-log", "a.log", "--changed-files", "changes.txt",
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("fail-on policy", () => {
  const report = {
    build: { status: "success" },
    summary: { cacheHitRatio: 0.6, rebuiltSeconds: 130.5, rebuilt: 2 },
    steps: [
      { text: "COPY . .", line: 5, miss: { rootCause: true, cause: "context-changed", costSeconds: 130.5 } },
      { text: "RUN make", line: 6, miss: { rootCause: false, cause: "context-changed", costSeconds: null } },
    ],
    findings: [{ rule: "secret-in-build-arg", line: 3 }],
  };
  it("reads every rule form and says which rule it cannot read", () => {
    expect(policy.parsePolicy("hit-ratio<80, rebuilt-seconds>120\nfinding:secret-in-build-arg\n cause:any,build-failed").map((r: any) => r.kind)).toEqual(["metric", "metric", "finding", "cause", "build-failed"]);
    expect(() => policy.parsePolicy("hit-ratio<eighty")).toThrow(/cannot read "hit-ratio<eighty"/);
    expect(() => policy.parsePolicy("speed>3")).toThrow(/unknown measure "speed"/);
    expect(policy.parsePolicy("")).toEqual([]);
  });
  it("states each violated rule with the measured value, and what it cannot decide", () => {
    const rules = policy.parsePolicy("hit-ratio<80, hit-ratio<50, rebuilt-seconds>120, finding:secret-in-build-arg, finding:add-remote-url, cause:context-changed, build-failed");
    const { violations } = policy.evaluatePolicy(rules, report);
    expect(violations.map((v: any) => v.message)).toEqual([
      "cache hit ratio is 60% (policy: hit-ratio<80)",
      "rebuilt time is 130.5 s (policy: rebuilt-seconds>120)",
      '1 finding "secret-in-build-arg" (line 3) (policy: finding:secret-in-build-arg)',
      '1 step rebuilt with root cause "context-changed" (policy: cause:context-changed)',
    ]);
    const none = policy.evaluatePolicy(policy.parsePolicy("hit-ratio<80"), { summary: { cacheHitRatio: null } });
    expect(none.violations).toEqual([]);
    expect(none.unknown[0].reason).toBe("the report has no cache hit ratio");
    expect(policy.topCause(report)).toEqual({ cause: "context-changed", step: "COPY . .", line: 5, costSeconds: 130.5 });
  });
});

describe("the action's main step on a real captured build", () => {
  let dir: string;
  let cli: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cachescope-action-run-"));
    cli = join(dir, "cli.js");
    execFileSync(process.execPath, [join(root, "action/build.mjs"), cli], { cwd: root, stdio: "ignore" });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runnerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const event = join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { ref: "main" } } }));
    for (const f of ["summary.md", "output.txt"]) writeFileSync(join(dir, f), "");
    mkdirSync(join(dir, "base"), { recursive: true });
    copyFileSync(join(scenario, "before.log"), join(dir, "base/build.log"));
    return {
      PATH: process.env.PATH!,
      CACHESCOPE_CLI: cli,
      CACHESCOPE_BASE_DIR: join(dir, "base"),
      GITHUB_REPOSITORY: "o/r",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
      GITHUB_API_URL: api,
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      GITHUB_OUTPUT: join(dir, "output.txt"),
      RUNNER_TEMP: dir,
      INPUT_LOG: join(scenario, "after.log"),
      INPUT_DOCKERFILE: join(scenario, "Dockerfile"),
      INPUT_GITHUB_TOKEN: "t0ken",
      INPUT_COMMENT: "true",
      ...extra,
    } as unknown as NodeJS.ProcessEnv;
  }
  // Asynchronous: the stand-in API answers from this process, a synchronous spawn would deadlock.
  const runScript = (env: NodeJS.ProcessEnv) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((res) =>
      execFile(process.execPath, [join(root, "action/run.mjs")], { cwd: dir, env }, (err, stdout, stderr) => res({ status: err ? Number(err.code) : 0, stdout, stderr })),
    );
  const outputs = () => Object.fromEntries(readFileSync(join(dir, "output.txt"), "utf8").trim().split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2)));

  it("writes the summary, the one comment and the outputs; the policy fails the step with its reason", async () => {
    state.comments = [{ id: 50, body: `${MARKER} by hand`, user: { login: "someone" } }];
    const env = runnerEnv({ INPUT_FAIL_ON: "hit-ratio<80, finding:secret-in-build-arg", INPUT_SHARE_BASE: "https://cachescope.example/" });
    // cwd outside any git repository: the base Dockerfile lookup (git fetch) finds nothing, quietly.
    const r = await runScript(env);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error::cachescope: cache hit ratio is 60% (policy: hit-ratio<80)");
    expect(r.stdout).not.toContain("secret-in-build-arg (");
    const o = outputs();
    expect(o["hit-ratio"]).toBe("60");
    expect(o["top-cause"]).toBe("context-changed"); // compare mode with the base log: exact
    expect(Number(o["rebuilt-seconds"])).toBeGreaterThan(0);
    expect(o["policy-violations"]).toBe("1");
    expect(o.record).toBe(join(scenario, "after.log"));
    const summary = readFileSync(join(dir, "summary.md"), "utf8");
    expect(summary.startsWith(MARKER)).toBe(true);
    expect(summary).toContain("**Cachescope policy failed**");
    expect(summary).toContain("https://cachescope.example/");
    const report = JSON.parse(readFileSync(o.report, "utf8"));
    expect(report.steps.find((s: any) => s.miss?.rootCause).miss.candidates).toEqual(["context-changed"]); // decided by compare mode
    expect(state.comments.find((c) => c.id === 50)!.body).toBe(`${MARKER} by hand`);
    const mine = state.comments.filter((c) => c.user.login === "github-actions[bot]");
    expect(mine.length).toBe(1);
    expect(mine[0].body).toContain("cache hit ratio is 60%");

    // The next push to the pull request updates that comment instead of adding one.
    const again = await runScript(runnerEnv({}));
    expect(again.status).toBe(0);
    expect(state.comments.filter((c) => c.user.login === "github-actions[bot]").length).toBe(1);
    expect(state.comments.find((c) => c.user.login === "github-actions[bot]")!.body).not.toContain("policy failed");
  });

  it("without a log, exports the builder's last record; says what to do when that fails", async () => {
    const calls: string[][] = [];
    const exec = (cmd: string, args: string[]) => {
      calls.push([cmd, ...args]);
      copyFileSync(join(scenario, "after.log"), args[args.indexOf("--output") + 1]);
    };
    const env = runnerEnv({ INPUT_LOG: "", INPUT_COMMENT: "false", CACHESCOPE_BASE_DIR: "" });
    const r = await action.run({ env, exec, log: () => {} });
    expect(calls[0]).toEqual(["docker", "buildx", "history", "export", "--finalize", "--output", join(dir, "cachescope/build.dockerbuild")]);
    expect(r.record).toBe(join(dir, "cachescope/build.dockerbuild"));
    expect(r.report.summary.steps).toBeGreaterThan(0);
    const failing = () => {
      throw Object.assign(new Error("exit 1"), { stderr: "ERROR: no build records found\n" });
    };
    await expect(action.run({ env, exec: failing, log: () => {} })).rejects.toThrow(
      "no log given and `docker buildx history export` failed (ERROR: no build records found); pass the build log or record as `log`",
    );
  });

  it("an unreadable log or a missing file fails the step with a one-line reason", async () => {
    writeFileSync(join(dir, "not-a-log.txt"), "hello\n");
    const r = await runScript(runnerEnv({ INPUT_LOG: join(dir, "not-a-log.txt"), INPUT_DOCKERFILE: "", INPUT_COMMENT: "false" }));
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split("\n").at(-1)).toMatch(/^::error::cachescope: .*not-a-log\.txt: [^\n]+$/);
    // Also with a Dockerfile, where the CLI itself still reports the Dockerfile's steps.
    await expect(action.run({ env: runnerEnv({ INPUT_LOG: join(dir, "not-a-log.txt"), INPUT_COMMENT: "false" }), log: () => {} })).rejects.toThrow(/not-a-log\.txt: log line 1: this does not look like a Docker build log/);
    const env = runnerEnv({ INPUT_LOG: join(dir, "missing.log") });
    await expect(action.run({ env, log: () => {} })).rejects.toThrow(`log: ${join(dir, "missing.log")} does not exist`);
  });
});

describe("the action's own install (action/package.json)", () => {
  it("has every package the CLI bundles, at the root package.json's versions", async () => {
    const { build } = await import("esbuild");
    // @ts-expect-error plain JavaScript module without declarations
    const { cliBundleOptions } = await import("../scripts/bundle-options.mjs");
    const result = await build({ ...cliBundleOptions(root), write: false, metafile: true, outfile: join(tmpdir(), "cachescope-cli-check.js") });
    const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const rootDeps = { ...rootPkg.dependencies, ...rootPkg.devDependencies };
    const actionDeps = JSON.parse(readFileSync(join(root, "action/package.json"), "utf8")).dependencies;
    const bundled = new Set(
      Object.keys(result.metafile!.inputs)
        .map((p) => p.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1])
        .filter((n): n is string => !!n && n in rootDeps),
    );
    expect(bundled.size).toBeGreaterThan(0);
    for (const name of bundled) expect(actionDeps[name], `add "${name}": "${rootDeps[name]}" to action/package.json (then npm install --package-lock-only there)`).toBe(rootDeps[name]);
    for (const [name, version] of Object.entries(actionDeps)) expect(version, name).toBe(rootDeps[name]);
    const lock = JSON.parse(readFileSync(join(root, "action/package-lock.json"), "utf8"));
    expect(lock.packages[""].dependencies).toEqual(actionDeps);
  });
});

describe("YAML", () => {
  const uses = (doc: any): string[] =>
    Object.values(doc.jobs ?? {}).flatMap((j: any) => (j.steps ?? []).map((s: any) => s.uses).filter(Boolean)).concat((doc.runs?.steps ?? []).map((s: any) => s.uses).filter(Boolean));

  it("action.yml parses, declares every input it reads and uses only GitHub's own actions", () => {
    const doc = parseYaml(readFileSync(join(root, "action.yml"), "utf8"));
    expect(doc.runs.using).toBe("composite");
    for (const u of uses(doc)) expect(u).toMatch(/^actions\/[a-z-]+@v\d+$/);
    const text = readFileSync(join(root, "action.yml"), "utf8");
    for (const [, name] of text.matchAll(/inputs\.([a-z-]+)/g)) expect(Object.keys(doc.inputs)).toContain(name);
    for (const out of ["hit-ratio", "rebuilt-seconds", "top-cause"]) expect(doc.outputs[out].value).toContain(`steps.run.outputs.${out}`);
  });

  it("the example workflow parses and references only this repository's action and actions/*, docker/*", () => {
    const doc = parseYaml(readFileSync(join(root, "docs/cachescope-workflow.yml"), "utf8"));
    const all = uses(doc);
    expect(all.some((u) => /^[^/]+\/cachescope@/.test(u))).toBe(true);
    for (const u of all) expect(u).toMatch(/^(actions|docker)\/[a-z-]+@v\d+$|^[^/]+\/cachescope@/);
    expect(doc.permissions["pull-requests"]).toBe("write");
  });
});
