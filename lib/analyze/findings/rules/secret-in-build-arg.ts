import type { DockerfileInstruction, DockerfileStage } from "../../../model/dockerfile";
import type { Finding } from "../../../model/report";
import { defineRule } from "../types";
import { isSecretName, tokenKind } from "../secrets";
import { joinAnd, makeFinding, snippet, stepOf } from "../util";

export { isSecretName, tokenKind };

interface Evidence {
  name: string;
  keyword: "ARG" | "ENV" | null;
  line: number | null;
  stage: DockerfileStage | null;
  namedSecret: boolean;
  valueKind: string | null;
  inHistory: boolean;
  fromCommand: boolean;
}

/**
 * Why: build-arg values are recorded in the image history (`RUN |1 NPM_TOKEN=… /bin/sh -c …`)
 * and in build provenance, and ENV values live in the image config — both readable by anyone who
 * can pull the image. `RUN --mount=type=secret` exposes the value to one RUN only and never
 * stores it (a changed secret does not even bust the cache, §7.2).
 * Not a problem for names that only point at a secret (`NPM_TOKEN_FILE`, `SECRET_PATH`), or an
 * ARG that no RUN can see (declared after the last RUN and never expanded).
 */
export default defineRule({
  id: "secret-in-build-arg",
  severity: "warning",
  run(ctx) {
    const df = ctx.dockerfile;
    const byName = new Map<string, Evidence>();
    const literalEnv = new Set<string>();
    const get = (name: string): Evidence => {
      let e = byName.get(name);
      if (!e) {
        e = { name, keyword: null, line: null, stage: null, namedSecret: isSecretName(name), valueKind: null, inHistory: false, fromCommand: false };
        byName.set(name, e);
      }
      return e;
    };

    // 1. Declarations in the Dockerfile.
    if (df) {
      for (const a of df.globalArgs) {
        const k = a.defaultValue ? tokenKind(a.defaultValue) : null;
        if (isSecretName(a.name) || k) {
          const e = get(a.name);
          e.keyword ??= "ARG";
          e.line ??= a.line;
          e.valueKind ??= k;
        }
      }
      for (const stage of df.stages) {
        for (const ins of stage.instructions) {
          if (ins.keyword !== "ARG" && ins.keyword !== "ENV") continue;
          for (const d of ins.declares) {
            const literal = d.value != null && d.value.trim() !== "" && !/^["']?\$/.test(d.value.trim());
            const k = d.value ? tokenKind(d.value) : null;
            if (!isSecretName(d.name) && !k) continue;
            if (ins.keyword === "ENV" && literal) literalEnv.add(d.name);
            if (ins.keyword === "ARG" && !k && !visibleToRun(stage, ins, d.name)) continue;
            const e = get(d.name);
            if (e.keyword !== "ENV") {
              e.keyword = ins.keyword;
              e.line = ins.line;
              e.stage = stage;
            }
            e.valueKind ??= k;
          }
        }
      }
    }

    // 2. Values the build was given (CI echo of the command line).
    for (const [name, value] of Object.entries(ctx.build.command?.buildArgs ?? {})) {
      const k = tokenKind(value);
      if (!k && !(isSecretName(name) && value.length > 0)) continue;
      const e = get(name);
      e.fromCommand = true;
      e.valueKind ??= k;
    }

    // 3. Image history: `RUN |2 A=1 NPM_TOKEN=… /bin/sh -c …`.
    for (const entry of ctx.image?.entries ?? []) {
      const m = /^RUN \|(\d+) (.*)$/.exec(entry.createdBy.trim());
      if (!m) continue;
      const words = m[2]!.split(/\s+/).slice(0, Number(m[1]));
      for (const word of words) {
        const eq = word.indexOf("=");
        if (eq <= 0) continue;
        const name = word.slice(0, eq);
        const value = word.slice(eq + 1);
        const k = tokenKind(value);
        if (!value || (!k && !isSecretName(name))) continue;
        const e = get(name);
        e.inHistory = true;
        e.valueKind ??= k;
      }
    }

    const out: Finding[] = [];
    for (const e of byName.values()) {
      if (!e.namedSecret && !e.valueKind) continue;
      out.push(finding(e));
    }

    // 4. Token-shaped text in step names of the log, not tied to a declared name.
    if (out.length === 0) {
      for (const v of ctx.build.vertices) {
        const k = tokenKind(v.name);
        if (!k) continue;
        out.push(
          makeFinding(
            "secret-in-build-arg",
            "error",
            {
              subject: `Step \`${v.id}\``,
              evidence: `has ${k} written into its instruction text (log line ${v.line})`,
              leak: "Values written into instructions are stored in the image history and the build log.",
              id: "token",
              name: "TOKEN",
            },
            { line: null, steps: ctx.steps.filter((s) => s.vertex === v.id) },
          ),
        );
        break;
      }
    }
    return out;

    function finding(e: Evidence): Finding {
      const bits: string[] = [];
      if (e.namedSecret) bits.push("has a name that marks a secret");
      if (e.valueKind && e.fromCommand) bits.push(`was given a value shaped like ${e.valueKind} on the build command line`);
      else if (e.valueKind && e.inHistory) bits.push(`holds a value shaped like ${e.valueKind}`);
      else if (e.valueKind) bits.push(`has a ${e.keyword === "ENV" ? "" : "default "}value shaped like ${e.valueKind}`);
      else if (e.keyword === "ENV" && literalEnv.has(e.name)) bits.push("has its value written into the Dockerfile");
      else if (e.fromCommand) bits.push("was given a value on the build command line");
      if (e.inHistory) bits.push(`the image history stores it in plain text (\`RUN |… ${e.name}=…\`)`);
      const subject =
        e.keyword != null ? `\`${e.keyword} ${e.name}\`${e.line != null ? ` (line ${e.line})` : ""}` : `Build arg \`${e.name}\``;
      const leak =
        e.keyword === "ENV"
          ? "ENV values are stored in the image config, where `docker inspect` shows them to anyone who can pull the image."
          : "Build-arg values are recorded in the image history (`docker history` shows `RUN |1 NAME=value …`) and in build provenance, so anyone who can pull the image can read them.";
      const id = e.name.toLowerCase().replace(/[^a-z0-9]+/g, "_");
      const runs = e.stage ? e.stage.instructions.filter((i) => i.keyword === "RUN" && i.line > (e.line ?? 0)) : [];
      // Only a RUN that reads the variable is shown; others might hold secrets of their own.
      const user = runs.find((i) => i.variables.includes(e.name)) ?? null;
      const steps = e.stage && user ? [stepOf(ctx, e.stage, user)] : [];
      const rewritten: string[] = ["# syntax=docker/dockerfile:1.10   (first line; `env=` needs 1.10 or later)"];
      if (e.line != null) rewritten.push(`# delete line ${e.line} (\`${e.keyword} ${e.name}\`)`);
      if (user) {
        const lines = user.raw.trim().split(/\r?\n/);
        const head = lines[0]!.replace(/^RUN\s+/i, "");
        rewritten.push(`RUN --mount=type=secret,id=${id},env=${e.name} \\`, `    ${head}`, ...lines.slice(1));
      } else {
        rewritten.push(`RUN --mount=type=secret,id=${id},env=${e.name} <command that needs it>`);
      }
      return makeFinding(
        "secret-in-build-arg",
        e.valueKind || e.inHistory || (e.keyword === "ENV" && literalEnv.has(e.name)) ? "error" : "warning",
        { subject, evidence: joinAnd(bits), leak, id, name: e.name },
        { line: e.line, steps, extraFix: snippet(rewritten) },
      );
    }
  },
});

/** An ARG reaches a RUN after it (env) or is expanded by a later instruction. */
function visibleToRun(stage: DockerfileStage, ins: DockerfileInstruction, name: string): boolean {
  return stage.instructions.some((i) => i.line > ins.line && (i.keyword === "RUN" || i.variables.includes(name)));
}
