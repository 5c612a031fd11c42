import type { DockerfileInstruction, DockerfileModel, DockerfileStage } from "../../../model/dockerfile";
import type { Finding } from "../../../model/report";
import { commandsOf } from "../shell";
import { mountCoversTool, TOOL_CACHE, toolUse, type CacheMountSpec, type ToolId, type ToolUse } from "../tools";
import { defineRule } from "../types";
import { joinAnd, stageState, makeFinding, ran, rebuiltSeconds, secs, snippet, stepOf } from "../util";

/** ENV variables that move a tool's cache: their value replaces the default target. */
const CACHE_ENV: Partial<Record<ToolId, { env: string; targets: (v: string) => string[] }[]>> = {
  npm: [{ env: "npm_config_cache", targets: (v) => [v] }, { env: "NPM_CONFIG_CACHE", targets: (v) => [v] }],
  yarn: [{ env: "YARN_CACHE_FOLDER", targets: (v) => [v] }],
  pip: [{ env: "PIP_CACHE_DIR", targets: (v) => [v] }],
  uv: [{ env: "UV_CACHE_DIR", targets: (v) => [v] }],
  poetry: [{ env: "POETRY_CACHE_DIR", targets: (v) => [v] }],
  go: [
    { env: "GOPATH", targets: (v) => [`${v}/pkg/mod`, "/root/.cache/go-build"] },
    { env: "GOMODCACHE", targets: (v) => [v, "/root/.cache/go-build"] },
  ],
  cargo: [{ env: "CARGO_HOME", targets: (v) => [`${v}/registry`, `${v}/git`] }],
  composer: [{ env: "COMPOSER_HOME", targets: (v) => [`${v}/cache`] }],
  gradle: [{ env: "GRADLE_USER_HOME", targets: (v) => [`${v}/caches`, `${v}/wrapper`] }],
};

const TOOL_LABEL: Record<ToolId, string> = {
  npm: "npm",
  yarn: "Yarn",
  pnpm: "pnpm",
  bun: "Bun",
  pip: "pip",
  uv: "uv",
  poetry: "Poetry",
  pipenv: "Pipenv",
  bundler: "Bundler",
  go: "Go module and build",
  cargo: "Cargo",
  composer: "Composer",
  maven: "Maven",
  gradle: "Gradle",
  dotnet: "NuGet",
  mix: "Hex",
  apt: "APT",
  apk: "Alpine",
};

/** ENV values and USER in effect at a line of a stage (inherited through FROM <stage>). */
function envAt(df: DockerfileModel, stage: DockerfileStage, line: number): { env: Map<string, string>; user: string | null } {
  const state = stageState(df, stage);
  const env = new Map(state.inheritedEnv);
  let user = state.inheritedUser;
  for (const ins of stage.instructions) {
    if (ins.line >= line) break;
    if (ins.keyword === "ENV") for (const d of ins.declares) if (d.value != null) env.set(d.name, d.value.replace(/^["']|["']$/g, ""));
    if (ins.keyword === "USER") user = ins.args[0] ?? null;
  }
  return { env, user: user && !/^(root|0)(:.*)?$/.test(user) ? user : null };
}

function targetsFor(tool: ToolId, env: Map<string, string>): CacheMountSpec[] {
  for (const e of CACHE_ENV[tool] ?? []) {
    const v = env.get(e.env);
    if (v && v.startsWith("/")) return e.targets(v.replace(/\/+$/, "")).map((target) => ({ target }));
  }
  return TOOL_CACHE[tool];
}

/**
 * Why: a rebuilt install step downloads every package again. A `--mount=type=cache` keeps the
 * package manager's download cache on the builder between builds; it never changes the step's
 * cache key and is not part of the image (§7.7), so a rebuild only fetches what changed.
 * Not a problem when the RUN already mounts a cache for that tool, for tools without a shared
 * download cache (Bundler, Hex), or on builders that never keep state between builds (cache
 * mounts are not exported with `--cache-to`) — which is why this is only info.
 */
export default defineRule({
  id: "package-install-without-cache-mount",
  severity: "info",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    for (const stage of df.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== "RUN") continue;
        const cacheMounts = ins.mounts.filter((m) => m.type === "cache");
        const uses = new Map<ToolId, ToolUse>();
        for (const c of commandsOf(ins, df.escapeChar)) {
          const use = toolUse(c);
          if (!use || TOOL_CACHE[use.tool].length === 0 || uses.has(use.tool)) continue;
          if (mountCoversTool(use.tool, cacheMounts)) continue;
          uses.set(use.tool, use);
        }
        if (uses.size === 0) continue;
        const { env, user } = envAt(df, stage, ins.line);
        const specs = [...uses.keys()].flatMap((t) => targetsFor(t, env));
        const step = stepOf(ctx, stage, ins);
        const cost = ran(step) ? rebuiltSeconds([step]) : null;
        const tools = [...uses.keys()];
        const notes: string[] = [];
        if (uses.has("apt")) notes.push("; on Debian and Ubuntu images also remove `/etc/apt/apt.conf.d/docker-clean`, which deletes downloaded packages");
        if (uses.has("apk") && [...uses.values()].some((u) => u.command.args.includes("--no-cache")))
          notes.push("; replace `apk add --no-cache` by `apk --update-cache add` so apk uses the mounted cache");
        if (user) notes.push(`; the paths are root's: for \`USER ${user}\` use that user's home and add \`uid=\` to the mount`);
        out.push(
          makeFinding(
            "package-install-without-cache-mount",
            "info",
            {
              command: short(tools.map((t) => uses.get(t)!.command.text).join(" … ")),
              line: ins.line,
              tool: joinAnd(tools.map((t) => TOOL_LABEL[t])),
              costNote: cost ? ` (${secs(cost)} in this build)` : "",
              note: notes.join(""),
            },
            { line: ins.line, steps: [step], costSeconds: cost, extraFix: snippet(rewrite(ins, specs, uses)) },
          ),
        );
      }
    }
    return out;
  },
});

function rewrite(ins: DockerfileInstruction, specs: CacheMountSpec[], uses: Map<ToolId, ToolUse>): string[] {
  const lines = ins.raw.trim().split(/\r?\n/);
  let rest = lines[0]!.replace(/^RUN\s+/i, "");
  if (uses.has("apk")) rest = rest.replace(/apk add --no-cache/, "apk --update-cache add");
  const mounts = specs.map((s) => `--mount=type=cache,target=${s.target}${s.options ? `,${s.options}` : ""}`);
  const head = [
    ...(uses.has("apt") ? ["RUN rm -f /etc/apt/apt.conf.d/docker-clean"] : []),
    ...mounts.map((m, i) => `${i === 0 ? "RUN " : "    "}${m} \\`),
  ];
  return [...head, `    ${rest}`, ...lines.slice(1)];
}

function short(s: string): string {
  return s.length > 70 ? `${s.slice(0, 67)}…` : s;
}
