import { positional, type SimpleCommand } from "./shell";

/**
 * Package managers and build tools the rules know: how to recognise their dependency install,
 * which manifest files it reads, and where their download cache lives (as root, in the official
 * images).
 */

export interface CacheMountSpec {
  target: string;
  /** Extra mount options, e.g. `sharing=locked` for apt. */
  options?: string;
}

export interface ToolUse {
  tool: ToolId;
  /** A dependency download/install (`npm ci`), a build that also fetches dependencies (`go build`), or a system package install. */
  kind: "deps" | "build" | "system";
  /** Manifest files this command reads, when it reads files from the build context. */
  manifests: string[];
  command: SimpleCommand;
}

export type ToolId =
  | "npm"
  | "yarn"
  | "pnpm"
  | "bun"
  | "pip"
  | "uv"
  | "poetry"
  | "pipenv"
  | "bundler"
  | "go"
  | "cargo"
  | "composer"
  | "maven"
  | "gradle"
  | "dotnet"
  | "mix"
  | "apt"
  | "apk";

export const TOOL_CACHE: Record<ToolId, CacheMountSpec[]> = {
  npm: [{ target: "/root/.npm" }],
  yarn: [{ target: "/usr/local/share/.cache/yarn" }],
  pnpm: [{ target: "/root/.local/share/pnpm/store" }],
  bun: [{ target: "/root/.bun/install/cache" }],
  pip: [{ target: "/root/.cache/pip" }],
  uv: [{ target: "/root/.cache/uv" }],
  poetry: [{ target: "/root/.cache/pypoetry" }],
  pipenv: [{ target: "/root/.cache/pipenv" }],
  bundler: [],
  go: [{ target: "/go/pkg/mod" }, { target: "/root/.cache/go-build" }],
  cargo: [{ target: "/usr/local/cargo/registry" }, { target: "/usr/local/cargo/git" }],
  composer: [{ target: "/root/.composer/cache" }],
  maven: [{ target: "/root/.m2" }],
  gradle: [{ target: "/root/.gradle/caches" }, { target: "/root/.gradle/wrapper" }],
  dotnet: [{ target: "/root/.nuget/packages" }],
  mix: [],
  apt: [
    { target: "/var/cache/apt", options: "sharing=locked" },
    { target: "/var/lib/apt", options: "sharing=locked" },
  ],
  apk: [{ target: "/var/cache/apk" }],
};

/** Words in a cache-mount target or id that show the mount is meant for this tool. */
const TOOL_HINT: Record<ToolId, RegExp> = {
  npm: /npm/,
  yarn: /yarn/,
  pnpm: /pnpm/,
  bun: /bun/,
  pip: /pip/,
  uv: /(^|\/)uv\b/,
  poetry: /poetry/,
  pipenv: /pipenv/,
  bundler: /bundle|gem/,
  go: /go-build|pkg\/mod|gocache|gomod/,
  cargo: /cargo/,
  composer: /composer/,
  maven: /\.m2|maven/,
  gradle: /gradle/,
  dotnet: /nuget/,
  mix: /hex|mix/,
  apt: /apt/,
  apk: /apk/,
};

/** True when one of the mount targets/ids plausibly serves this tool's cache. */
export function mountCoversTool(tool: ToolId, mounts: { target: string | null; id: string | null }[]): boolean {
  const hint = TOOL_HINT[tool];
  const wanted = TOOL_CACHE[tool].map((c) => c.target);
  return mounts.some((m) => {
    const t = m.target ?? "";
    return wanted.some((w) => t === w || w.startsWith(t + "/") || t.startsWith(w + "/")) || hint.test(t) || (m.id != null && hint.test(m.id));
  });
}

export const MANIFEST_FILES = [
  "package.json",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lockb",
  "requirements.txt",
  "Pipfile",
  "Pipfile.lock",
  "pyproject.toml",
  "poetry.lock",
  "uv.lock",
  "setup.py",
  "Gemfile",
  "Gemfile.lock",
  "go.mod",
  "go.sum",
  "Cargo.toml",
  "Cargo.lock",
  "composer.json",
  "composer.lock",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "settings.gradle",
  "settings.gradle.kts",
  "mix.exs",
  "mix.lock",
];

const first = (c: SimpleCommand) => positional(c.args)[0] ?? "";
const has = (c: SimpleCommand, ...flags: string[]) => c.args.some((a) => flags.includes(a));

/** Requirement files named by `-r file` / `--requirement=file`. */
function requirementFiles(args: string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if ((a === "-r" || a === "--requirement" || a === "-c" || a === "--constraint") && args[i + 1]) out.push(args[i + 1]!);
    else if (/^(-r|--requirement=|-c|--constraint=)\S/.test(a)) out.push(a.replace(/^(-r|--requirement=|-c|--constraint=)/, ""));
  });
  return out.map((f) => f.replace(/^\.\//, ""));
}

/** Files fed to apt/apk through `$(cat file)` or `< file`. */
function fedFiles(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\$\(\s*(?:cat|grep\s+\S+)\s+([^\s)]+)\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/<\s*([^\s<>&|;]+)/g)) out.push(m[1]!);
  return out.map((f) => f.replace(/^\.\//, ""));
}

const toolUseMemo = new WeakMap<SimpleCommand, ToolUse | null>();

/**
 * Recognises a dependency install / build / system package install in one simple command.
 * Memoised per command (commands are memoised per RUN): several rules ask about every command.
 * The result is read-only.
 */
export function toolUse(c: SimpleCommand): ToolUse | null {
  let use = toolUseMemo.get(c);
  if (use === undefined) toolUseMemo.set(c, (use = readToolUse(c)));
  return use;
}

function readToolUse(c: SimpleCommand): ToolUse | null {
  const sub = first(c);
  const use = (tool: ToolId, kind: ToolUse["kind"], manifests: string[]): ToolUse => ({ tool, kind, manifests, command: c });
  switch (c.program) {
    case "npm":
      if (["ci", "install", "i", "clean-install"].includes(sub) && !has(c, "-g", "--global")) {
        // `npm install left-pad` adds a named package: it still reads package.json.
        return use("npm", "deps", ["package.json", "package-lock.json"]);
      }
      return null;
    case "yarn":
      if ((sub === "" || sub === "install") && !has(c, "global")) return use("yarn", "deps", ["package.json", "yarn.lock"]);
      return null;
    case "pnpm":
      if (["install", "i", "fetch"].includes(sub) && !has(c, "-g", "--global"))
        return use("pnpm", "deps", sub === "fetch" ? ["pnpm-lock.yaml"] : ["package.json", "pnpm-lock.yaml"]);
      return null;
    case "bun":
      if (sub === "install" || sub === "i") return use("bun", "deps", ["package.json", "bun.lockb"]);
      return null;
    case "pip":
    case "pip3": {
      if (sub !== "install" && !(sub === "download" || sub === "wheel")) return null;
      const reqs = requirementFiles(c.args);
      const local = positional(c.args.slice(1)).some((a) => a === "." || a === "./" || a.startsWith(".["));
      const manifests = [...reqs, ...(local ? ["pyproject.toml"] : [])];
      return use("pip", "deps", manifests);
    }
    case "uv":
      if (sub === "sync") return use("uv", "deps", ["pyproject.toml", "uv.lock"]);
      if (sub === "pip" && positional(c.args)[1] === "install") return use("uv", "deps", requirementFiles(c.args));
      return null;
    case "poetry":
      if (sub === "install") return use("poetry", "deps", ["pyproject.toml", "poetry.lock"]);
      return null;
    case "pipenv":
      if (sub === "install" || sub === "sync") return use("pipenv", "deps", ["Pipfile", "Pipfile.lock"]);
      return null;
    case "bundle":
    case "bundler":
      if (sub === "install" || sub === "") return use("bundler", "deps", ["Gemfile", "Gemfile.lock"]);
      return null;
    case "go":
      if (sub === "mod" && positional(c.args)[1] === "download") return use("go", "deps", ["go.mod", "go.sum"]);
      if (["build", "install", "test", "generate", "vet"].includes(sub)) return use("go", "build", ["go.mod", "go.sum"]);
      return null;
    case "cargo":
      if (sub === "fetch") return use("cargo", "deps", ["Cargo.toml", "Cargo.lock"]);
      if (["build", "install", "test", "chef"].includes(sub)) return use("cargo", "build", ["Cargo.toml", "Cargo.lock"]);
      return null;
    case "composer":
      if (sub === "install" || sub === "update") return use("composer", "deps", ["composer.json", "composer.lock"]);
      return null;
    case "mvn":
    case "mvnw":
      if (c.args.some((a) => a.startsWith("dependency:"))) return use("maven", "deps", ["pom.xml"]);
      if (c.args.some((a) => ["package", "install", "verify", "compile"].includes(a))) return use("maven", "build", ["pom.xml"]);
      return null;
    case "gradle":
    case "gradlew":
      if (c.args.some((a) => /^(dependencies|build|assemble|bootJar|jar|installDist|shadowJar)$/.test(a)))
        return use("gradle", c.args.includes("dependencies") ? "deps" : "build", ["build.gradle", "settings.gradle"]);
      return null;
    case "dotnet":
      if (sub === "restore") return use("dotnet", "deps", ["*.csproj"]);
      if ((sub === "publish" || sub === "build") && !has(c, "--no-restore")) return use("dotnet", "build", ["*.csproj"]);
      return null;
    case "mix":
      if (sub === "deps.get") return use("mix", "deps", ["mix.exs", "mix.lock"]);
      return null;
    case "apt-get":
    case "apt":
    case "aptitude":
      if (sub === "install") return use("apt", "system", fedFiles(c.text));
      return null;
    case "apk":
      if (sub === "add") return use("apk", "system", fedFiles(c.text));
      return null;
    default:
      return null;
  }
}

/** A simple command that reads a dependency manifest by name (`md5sum package.json`, `jq . composer.json`). */
export function mentionedManifests(c: SimpleCommand): string[] {
  const words = [c.program, ...c.args].map((w) => w.replace(/^\.\//, ""));
  return MANIFEST_FILES.filter((m) => words.some((w) => w === m || w.endsWith("/" + m) || (m === "requirements.txt" && /^requirements[\w.-]*\.txt$/.test(w))));
}

/** The usual manifest list to copy first for a tool, for the rewritten Dockerfile. */
export function manifestCopyList(use: ToolUse): string[] {
  switch (use.tool) {
    case "npm":
      return ["package.json", "package-lock.json"];
    case "gradle":
      return ["build.gradle*", "settings.gradle*"];
    default:
      return use.manifests.length ? use.manifests : [];
  }
}
