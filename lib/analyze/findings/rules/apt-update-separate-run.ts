import type { DockerfileInstruction } from "../../../model/dockerfile";
import type { Finding } from "../../../model/report";
import { commandsOf, positional, type SimpleCommand } from "../shell";
import { defineRule } from "../types";
import { makeFinding, snippet, stepOf } from "../util";

type Manager = "apt" | "apk";

function managerOf(c: SimpleCommand): Manager | null {
  if (c.program === "apt-get" || c.program === "apt" || c.program === "aptitude") return "apt";
  if (c.program === "apk") return "apk";
  return null;
}

const isUpdate = (c: SimpleCommand) => {
  const m = managerOf(c);
  const sub = positional(c.args)[0];
  return m != null && sub === "update";
};
const isInstall = (c: SimpleCommand, m: Manager) => {
  if (managerOf(c) !== m) return false;
  const sub = positional(c.args)[0];
  if (m === "apt") return sub === "install" || sub === "upgrade" || sub === "dist-upgrade";
  // `apk add --no-cache` / `--update` fetch a fresh index themselves.
  return (sub === "add" || sub === "upgrade") && !c.args.includes("--no-cache") && !c.args.includes("--update") && !c.args.includes("-U");
};

/**
 * Why: `RUN apt-get update` on its own becomes a cached layer holding the package index of the
 * day it first ran. A later `RUN apt-get install …` that misses the cache (a new package in the
 * list) then installs from that stale index: 404s from the mirror or outdated packages.
 * Not a problem when the install RUN runs its own update (`apt-get update && apt-get install`),
 * for `apk add --no-cache`/`--update` (they fetch a fresh index), or when no install follows.
 */
export default defineRule({
  id: "apt-update-separate-run",
  severity: "warning",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    for (const stage of df.stages) {
      const runs = stage.instructions.filter((i) => i.keyword === "RUN");
      for (const [k, run] of runs.entries()) {
        const cmds = commandsOf(run, df.escapeChar);
        const update = cmds.find(isUpdate);
        if (!update) continue;
        const m = managerOf(update)!;
        if (cmds.some((c) => isInstall(c, m))) continue;
        let install: { ins: DockerfileInstruction; cmd: SimpleCommand } | null = null;
        for (const later of runs.slice(k + 1)) {
          const lc = commandsOf(later, df.escapeChar);
          if (lc.some(isUpdate)) break; // the later RUN refreshes the index itself
          const cmd = lc.find((c) => isInstall(c, m));
          if (cmd) {
            install = { ins: later, cmd };
            break;
          }
        }
        if (!install) continue;
        const installLines = install.ins.raw.trim().split(/\r?\n/);
        const head = installLines[0]!.replace(/^RUN\s+((--\S+\s+)*)/i, (_all, flags: string) => `RUN ${flags ?? ""}${update.text} && `);
        const drop = cmds.length === 1 ? `# delete line ${run.line}` : `# remove \`${update.text}\` from line ${run.line}`;
        const rewritten = [drop, head, ...installLines.slice(1)];
        if (m === "apt" && !/rm\s+-rf\s+\/var\/lib\/apt\/lists/.test(install.ins.raw))
          rewritten[rewritten.length - 1] += " \\\n    && rm -rf /var/lib/apt/lists/*";
        out.push(
          makeFinding(
            "apt-update-separate-run",
            "warning",
            { update: update.text, line: run.line, install: short(install.cmd.text), installLine: install.ins.line },
            { line: run.line, steps: [stepOf(ctx, stage, run), stepOf(ctx, stage, install.ins)], extraFix: snippet(rewritten.join("\n").split("\n")) },
          ),
        );
      }
    }
    return out;
  },
});

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
