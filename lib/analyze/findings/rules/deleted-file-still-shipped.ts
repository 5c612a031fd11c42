import type { DockerfileInstruction, DockerfileModel, DockerfileStage } from "../../../model/dockerfile";
import type { Finding } from "../../../model/report";
import type { AnalysisContext } from "../../types";
import { absolutePaths, commandsOf, positional, runScript, type SimpleCommand } from "../shell";
import { toolUse, type ToolId, type ToolUse } from "../tools";
import { defineRule } from "../types";
import { ancestry, bytes, copyParts, isUnder, literalPrefix, makeFinding, resolvePath, snippet, stepOf, targetStage, workdirs } from "../util";

/** What a simple command removes. */
type Removal =
  | { kind: "paths"; paths: string[]; command: SimpleCommand }
  | { kind: "packages"; manager: "apt" | "apk"; packages: string[]; command: SimpleCommand }
  | { kind: "cache"; tool: ToolId; command: SimpleCommand };

/** Files a tool leaves behind without being told a path. */
const IMPLICIT_PATHS: Partial<Record<ToolId, string[]>> = {
  apt: ["/var/lib/apt/lists", "/var/cache/apt"],
  apk: ["/var/cache/apk"],
  pip: ["/root/.cache/pip"],
  npm: ["/root/.npm"],
  yarn: ["/usr/local/share/.cache/yarn"],
  go: ["/root/.cache/go-build", "/go/pkg/mod"],
  cargo: ["/usr/local/cargo/registry"],
  maven: ["/root/.m2"],
  gradle: ["/root/.gradle"],
};

function removals(c: SimpleCommand, cwd: string): Removal | null {
  const pos = positional(c.args);
  switch (c.program) {
    case "rm": {
      const paths = pos.filter((p) => !p.includes("$") && p !== "/" && p !== "*").map((p) => resolvePath(cwd, p));
      return paths.length ? { kind: "paths", paths, command: c } : null;
    }
    case "apt-get":
    case "apt":
      if (pos[0] === "purge" || pos[0] === "remove") return { kind: "packages", manager: "apt", packages: pos.slice(1), command: c };
      if (pos[0] === "clean") return { kind: "paths", paths: ["/var/cache/apt"], command: c };
      return null;
    case "apk":
      if (pos[0] === "del") return { kind: "packages", manager: "apk", packages: pos.slice(1).filter((p) => !p.startsWith(".")), command: c };
      return null;
    case "pip":
    case "pip3":
      if (pos[0] === "cache" && (pos[1] === "purge" || pos[1] === "remove")) return { kind: "cache", tool: "pip", command: c };
      return null;
    case "npm":
    case "yarn":
      if (pos[0] === "cache" && pos[1] === "clean") return { kind: "cache", tool: c.program, command: c };
      return null;
    case "go":
      if (pos[0] === "clean" && c.args.some((a) => a === "-cache" || a === "-modcache")) return { kind: "cache", tool: "go", command: c };
      return null;
    default:
      return null;
  }
}

interface Added {
  ins: DockerfileInstruction;
  stage: DockerfileStage;
  what: string;
}

/** What each instruction of the shipped chain adds and removes, computed once. */
interface Facts {
  ins: DockerfileInstruction;
  stage: DockerfileStage;
  cwd: string;
  cmds: SimpleCommand[];
  uses: ToolUse[];
  /** Paths a RUN names or its tools write implicitly. */
  touched: string[];
  /** Paths a RUN removes itself. */
  removed: string[];
  copy: { sources: string[]; dest: string } | null;
}

function chainFacts(df: DockerfileModel, chain: DockerfileStage[]): Facts[] {
  const out: Facts[] = [];
  for (const st of chain) {
    const wd = workdirs(df, st).at;
    for (const ins of st.instructions) {
      const cwd = wd.get(ins.line) ?? "/";
      const cmds = commandsOf(ins, df.escapeChar);
      const uses = cmds.map(toolUse).filter((u): u is ToolUse => u != null);
      const touched =
        ins.keyword === "RUN"
          ? [...absolutePaths(runScript(ins, df.escapeChar)).map(literalPrefix), ...uses.flatMap((u) => IMPLICIT_PATHS[u.tool] ?? [])]
          : [];
      const removed = cmds.flatMap((c) => {
        const r = removals(c, cwd);
        return r?.kind === "paths" ? r.paths.map(literalPrefix) : [];
      });
      const parts = ins.copyFrom == null ? copyParts(ins) : null;
      out.push({ ins, stage: st, cwd, cmds, uses, touched, removed, copy: parts ? { sources: parts.sources, dest: resolvePath(cwd, parts.dest) } : null });
    }
  }
  return out;
}

/** `isUnder` for paths that are already normalised (literalPrefix / resolvePath output). */
function under(p: string, dir: string): boolean {
  return dir === "/" || p === dir || p.startsWith(dir + "/");
}

/** The earlier instruction (of the shipped chain) that put the removed thing into a layer. */
function findAdder(facts: Facts[], upTo: number, r: Removal): Added | null {
  const targets = r.kind === "paths" ? r.paths.map((p) => ({ p, target: literalPrefix(p) })) : [];
  for (let k = 0; k < upTo; k++) {
    const f = facts[k]!;
    if (r.kind === "paths") {
      for (const { p, target } of targets) {
        const hit = f.touched.find((q) => q !== "/" && (under(q, target) || (under(target, q) && q.split("/").length > 2)));
        if (hit && !f.removed.some((q) => under(hit, q))) return { ins: f.ins, stage: f.stage, what: p };
        if (f.copy && copyBrings(f.copy, f.copy.dest, target)) return { ins: f.ins, stage: f.stage, what: p };
      }
    } else if (r.kind === "packages") {
      for (const u of f.uses) {
        if (u.tool !== r.manager) continue;
        const installed = positional(u.command.args).slice(1);
        if (r.packages.some((p) => installed.includes(p))) return { ins: f.ins, stage: f.stage, what: r.packages.join(" ") };
      }
      if (r.manager === "apk") {
        const virt = f.cmds.flatMap((c) => c.args.filter((_, i) => c.args[i - 1] === "--virtual" || c.args[i - 1] === "-t"));
        if (virt.some((v) => r.command.args.includes(v))) return { ins: f.ins, stage: f.stage, what: r.packages.join(" ") };
      }
    } else if (f.uses.some((u) => u.tool === r.tool)) {
      return { ins: f.ins, stage: f.stage, what: `the ${r.tool} cache` };
    }
  }
  return null;
}

/**
 * Why: layers are additive. `RUN rm -rf /tmp/sdk` in a later layer only records a whiteout; the
 * bytes stay in the layer that created them and every pull still downloads them (image
 * metadata shows how many).
 * Not a problem when the files are removed in the same RUN that creates them, in a builder stage
 * that is only copied from, or when they come from the base image (nothing here can shrink that
 * but a multi-stage copy).
 */
export default defineRule({
  id: "deleted-file-still-shipped",
  severity: "warning",
  run(ctx) {
    const df = ctx.dockerfile;
    const target = targetStage(ctx);
    if (!df || !target) return [];
    const chain = ancestry(df, target);
    const facts = chainFacts(df, chain);
    const out: Finding[] = [];
    facts.forEach((del, k) => {
      if (del.ins.keyword !== "RUN") return;
      const seen = new Set<DockerfileInstruction>();
      for (const [n, c] of del.cmds.entries()) {
        let r = removals(c, del.cwd);
        if (!r) continue;
        if (r.kind === "paths") {
          // Files this RUN made itself before removing them are never in any layer.
          const before = del.cmds.slice(0, n).map((x) => x.text).join("\n");
          const paths = r.paths.filter((p) => !before.includes(p.split("/").pop() || p));
          if (paths.length === 0) continue;
          r = { ...r, paths };
        }
        const added = findAdder(facts, k, r);
        if (!added || seen.has(added.ins)) continue;
        seen.add(added.ins);
        out.push(finding(ctx, del.stage, del.ins, r, added));
      }
    });
    return out;
  },
});

/** Whether a context COPY can have put `target` into the image. */
function copyBrings(parts: { sources: string[]; dest: string }, dest: string, target: string): boolean {
  if (dest === "/") return false;
  if (isUnder(dest, target)) return true; // COPY x /tmp/sdk/x … rm -rf /tmp/sdk
  if (!isUnder(target, dest)) return false;
  const rel = target.slice(dest.length).replace(/^\/+/, "");
  const first = rel.split("/")[0] ?? "";
  return parts.sources.some((src) => {
    const s = src.replace(/^\.\//, "");
    if (s === "." || s === "" || s === "*" || src.endsWith("/")) return true; // a directory's contents
    const base = s.replace(/\/+$/, "").split("/").pop() ?? "";
    return base === first || parts.dest.endsWith("/") === false && target === dest;
  });
}

function finding(ctx: AnalysisContext, st: DockerfileStage, del: DockerfileInstruction, r: Removal, added: Added): Finding {
  const addStep = stepOf(ctx, added.stage, added.ins);
  const delStep = stepOf(ctx, st, del);
  const layer = addStep && ctx.layers ? ctx.layers.find((l) => l.step === addStep.id && !l.emptyLayer) : undefined;
  const size = layer?.sizeBytes ?? null;
  const sizeNote = size != null ? ` (${bytes(size)})` : "";
  const severity = size == null ? "info" : size >= 1_000_000 ? "warning" : "info";
  let rewritten: string[];
  if (added.ins.keyword === "RUN") {
    const lines = added.ins.raw.trim().split(/\r?\n/);
    if (added.ins.heredocs.length > 0 && lines.length > 1) rewritten = [...lines.slice(0, -1), r.command.text, lines[lines.length - 1]!];
    else {
      const last = lines.pop()!;
      rewritten = [...lines, `${last} \\`, `    && ${r.command.text}`];
    }
    rewritten.push(`# and drop \`${r.command.text}\` from line ${del.line}`);
  } else {
    rewritten = [
      `# leave ${added.what} out of the copy: add it to .dockerignore, or copy only what the image needs, e.g.`,
      `COPY --from=<build stage> <the files you need> ${copyParts(added.ins)?.dest ?? "<dest>"}`,
    ];
  }
  return makeFinding(
    "deleted-file-still-shipped",
    severity,
    { line: del.line, path: added.what, addLine: added.ins.line, sizeNote },
    { line: del.line, steps: [addStep, delStep], extraFix: snippet(rewritten) },
  );
}
