/**
 * Dockerfile → plain DockerfileModel.
 *
 * BuildKit's own rules (frontend/dockerfile/parser + dockerfile2llb) decide what the log shows:
 *   split.ts        where each instruction and heredoc body is (BuildKit's line rules, one pass)
 *   ast.ts          dockerfile-ast tokenises each instruction header (keyword, flags, arguments, properties)
 *   instruction.ts  the vertex text (continuations joined as BuildKit joins them, ` (<first heredoc line>...)`),
 *                   mounts, heredocs, referenced variables
 *   expand.ts       variable expansion from the ARG/ENV values known from the file (unknown ones stay literal)
 *   stages.ts       stages, `[stage i/n]` numbering (build-log-formats.md §2.4), ARG scope and first use (§7.3)
 *   text.ts         instruction-text and image-reference helpers shared with the log join
 *
 * Pure: no fs, no clock, never throws. Linear in the size of the file.
 */
import { diag, type Diagnostic } from "../../model/diagnostics";
import type { ArgDeclaration, DockerfileModel, DockerfileStage, StageEdge } from "../../model/dockerfile";
import { parseDirectives, parseHeader, type AstInstruction } from "./ast";
import { expandWith } from "./expand";
import { buildInstruction, heredocNames, heredocSummary, lineOffsets, uppercaseCmd, type Built } from "./instruction";
import { continuationRegExp, isBlank, isComment, splitInstructions } from "./split";
import { closestName, computeFirstUse, looksLikeStageName, numberStage, resolveStageRef, startStage, type Env } from "./stages";
import { normaliseImageRef } from "./text";

export { expandVariables, type ExpandOptions } from "./expand";
export { instructionTextMatches, normaliseImageRef, normaliseInstructionText, splitImageRef } from "./text";
export { parseMount } from "./instruction";

const KNOWN = new Set([
  "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
  "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
]);

/**
 * The header lines for dockerfile-ast. Leading lines that hold only the escape character are
 * continuations of nothing (BuildKit joins them away); the library would take `\\` for the
 * keyword, so they are passed as blank lines.
 */
function headerText(lines: string[], start: number, end: number, escapeChar: string): string {
  let k = start;
  while (k < end && lines[k].trim() === escapeChar) k++;
  const body = lines.slice(k, end + 1).join("\n");
  return k === start ? body : "\n".repeat(k - start) + body;
}

/** No real Dockerfile comes near this; past it the rest of a hostile file is not read (located warning). */
export const MAX_INSTRUCTIONS = 100_000;

function emptyModel(lineCount: number, diagnostics: Diagnostic[]): DockerfileModel {
  return { syntax: null, escapeChar: "\\", globalArgs: [], stages: [], edges: [], lineCount, diagnostics, stageTokenInLog: false };
}

export function parseDockerfile(text: string): DockerfileModel {
  const diagnostics: Diagnostic[] = [];
  const src = typeof text === "string" ? text.replace(/^\uFEFF/, "") : "";
  const rawLines = src.split("\n");
  const lineCount = src === "" ? 0 : src.endsWith("\n") ? rawLines.length - 1 : rawLines.length;
  const lines = rawLines.map((l) => l.replace(/[\r\n]+$/, ""));

  if (src.trim() === "") {
    diagnostics.push(diag("error", "dockerfile", null, "dockerfile/empty", "The Dockerfile is empty: it has no instructions."));
    return emptyModel(lineCount, diagnostics);
  }

  // Directives come before the first instruction; the escape character decides continuations.
  let first = 0;
  while (first < lines.length && (isBlank(lines[first]) || isComment(lines[first]))) first++;
  let escapeChar = "\\";
  let syntax: string | null = null;
  try {
    ({ escapeChar, syntax } = parseDirectives(lines.slice(0, first).join("\n")));
  } catch (e) {
    diagnostics.push(
      diag("error", "dockerfile", null, "dockerfile/syntax", `The Dockerfile could not be read: ${e instanceof Error ? e.message : String(e)}.`),
    );
    return emptyModel(lineCount, diagnostics);
  }

  const contRe = continuationRegExp(escapeChar);
  const built: Built[] = [];
  const offsets = lineOffsets(src);
  // split.ts finds each instruction; dockerfile-ast tokenises its header alone.
  let header: AstInstruction | null = null;
  let names: string[] = [];
  splitInstructions(
    lines,
    contRe,
    (seg) => {
      header = null;
      if (built.length >= MAX_INSTRUCTIONS) return { names: [], tabbed: false };
      names = [];
      try {
        header = parseHeader(headerText(lines, seg.start, seg.headerEnd, escapeChar), escapeChar).ins;
        if (header) {
          const h = heredocNames(header);
          names = h.names;
          return h;
        }
      } catch (e) {
        diagnostics.push(
          diag("error", "dockerfile", seg.start + 1, "dockerfile/syntax", `This instruction could not be read: ${e instanceof Error ? e.message : String(e)}.`),
        );
      }
      return { names: [], tabbed: false };
    },
    (seg, delimiters) => {
      if (built.length >= MAX_INSTRUCTIONS) {
        diagnostics.push(
          diag("warning", "dockerfile", seg.start + 1, "dockerfile/too-many-instructions", `The Dockerfile has more than ${MAX_INSTRUCTIONS.toLocaleString("en-US")} instructions; the rest, from this line on, was not read.`),
        );
        return false;
      }
      const a = header as AstInstruction | null;
      if (!a) return;
      try {
        built.push(buildInstruction(a, seg, delimiters, names, lines, src, offsets, contRe, escapeChar, diagnostics));
      } catch (e) {
        diagnostics.push(
          diag("error", "dockerfile", seg.start + 1, "dockerfile/syntax", `This instruction could not be read: ${e instanceof Error ? e.message : String(e)}.`),
        );
      }
    },
  );

  // ---- global ARGs and stages
  const globalArgs: ArgDeclaration[] = [];
  const globalEnv: Env = new Map();
  const stages: DockerfileStage[] = [];
  const edges: StageEdge[] = [];
  const stageEnvs: Env[] = [];
  const stageArgScope: ArgDeclaration[][] = [];
  const byName = new Map<string, number>();
  const argIndex = new Map<ArgDeclaration, number>();
  let imageSources = false;

  for (const b of built) {
    const ins = b.ins;
    if (ins.keyword === "FROM") {
      const st = startStage(b, stages, byName, globalEnv, escapeChar, diagnostics);
      ins.stageIndex = st.index;
      stages.push(st);
      let env: Env;
      let scope: ArgDeclaration[];
      if (st.base.kind === "stage" && st.base.stageIndex != null) {
        env = new Map(stageEnvs[st.base.stageIndex]);
        scope = [...stageArgScope[st.base.stageIndex]];
        edges.push({ fromStage: st.base.stageIndex, fromImage: null, toStage: st.index, kind: "from", line: ins.line });
      } else {
        env = new Map();
        scope = [];
      }
      stageEnvs.push(env);
      stageArgScope.push(scope);
      continue;
    }
    if (stages.length === 0) {
      if (ins.keyword === "ARG") {
        for (const d of b.properties) {
          let value: string | null = null;
          if (d.raw != null) value = expandWith(d.raw, (n) => globalEnv.get(n), { escapeChar, rawQuotes: false });
          if (value != null) globalEnv.set(d.name, value);
          globalArgs.push({ name: d.name, defaultValue: d.value, line: ins.line, firstUseLine: null });
        }
      } else if (KNOWN.has(ins.keyword)) {
        diagnostics.push(
          diag("error", "dockerfile", ins.line, "dockerfile/before-from", `${ins.keyword} comes before the first FROM; only ARG may appear there.`),
        );
      }
      continue;
    }
    const si = stages.length - 1;
    const st = stages[si];
    ins.stageIndex = si;
    st.instructions.push(ins);
    st.endLine = Math.max(st.endLine, ins.endLine);
    const env = stageEnvs[si];

    if (ins.keyword === "ARG") {
      for (const d of b.properties) {
        let value: string | null = null;
        if (d.raw != null) value = expandWith(d.raw, (n) => env.get(n), { escapeChar, rawQuotes: false });
        else if (globalEnv.has(d.name)) value = globalEnv.get(d.name) ?? null;
        if (value != null) env.set(d.name, value);
        const decl: ArgDeclaration = { name: d.name, defaultValue: d.value, line: ins.line, firstUseLine: null };
        argIndex.set(decl, st.instructions.length - 1);
        st.args.push(decl);
        stageArgScope[si].push(decl);
      }
    } else if (ins.keyword === "ENV") {
      for (const d of b.properties) {
        const v = d.raw != null ? expandWith(d.raw, (n) => env.get(n), { escapeChar, rawQuotes: false }) : "";
        env.set(d.name, v);
      }
    }

    // Vertex text (BuildKit: uppercaseCmd(processCmdEnv(shlex, name, env))).
    if (ins.keyword === "RUN") {
      const secretEnv = new Set(ins.mounts.filter((m) => m.type === "secret" && m.options.env).map((m) => m.options.env));
      const getter = (n: string) => (secretEnv.has(n) ? "****" : env.get(n));
      const name = b.header + heredocSummary(b);
      ins.unexpandedText = uppercaseCmd(name);
      ins.text = uppercaseCmd(expandWith(name, getter, { escapeChar, rawQuotes: true }));
    } else if (ins.keyword === "COPY" || ins.keyword === "ADD" || ins.keyword === "WORKDIR") {
      ins.unexpandedText = uppercaseCmd(b.header);
      ins.text = uppercaseCmd(expandWith(b.header, (n) => env.get(n), { escapeChar, rawQuotes: false }));
    }

    // Edges from COPY --from and RUN --mount from=.
    const addSource = (ref: string, kind: "copy-from" | "mount-from") => {
      // BuildKit resolves --mount from= by name only; COPY --from also by index.
      const target = kind === "mount-from" && /^\d+$/.test(ref) ? ({ kind: "image" } as const) : resolveStageRef(ref, byName, stages.length);
      if (target.kind === "stage") {
        if (target.index >= si) {
          diagnostics.push(
            diag(
              "error",
              "dockerfile",
              ins.line,
              "dockerfile/stage-order",
              `${kind === "copy-from" ? "COPY --from" : "RUN --mount from"}=${ref} refers to a stage that is not defined before this one.`,
            ),
          );
        }
        if (target.index !== si) edges.push({ fromStage: target.index, fromImage: null, toStage: si, kind, line: ins.line });
      } else if (target.kind === "index-out-of-range") {
        diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/unknown-stage", `There is no stage with index ${ref}.`));
      } else {
        imageSources = true;
        edges.push({ fromStage: null, fromImage: ref, toStage: si, kind, line: ins.line });
        const laterName = [...byName.keys()].includes(ref.toLowerCase());
        if (!laterName && looksLikeStageName(ref)) {
          const near = closestName(ref.toLowerCase(), [...byName.keys()]);
          diagnostics.push(
            diag(
              "warning",
              "dockerfile",
              ins.line,
              "dockerfile/unknown-stage",
              `No stage is named "${ref}", so ${kind === "copy-from" ? "COPY --from" : "--mount from"}=${ref} pulls the image ${normaliseImageRef(ref)}` +
                (near ? `; did you mean "${near}"?` : "."),
            ),
          );
        }
      }
    };
    if ((ins.keyword === "COPY" || ins.keyword === "ADD") && ins.copyFrom) addSource(ins.copyFrom, "copy-from");
    if (ins.keyword === "RUN") {
      for (const m of ins.mounts) if (m.from) addSource(m.from, "mount-from");
      // A mount without from= still registers a hidden (scratch) source state in BuildKit, which is
      // enough to make it print stage tokens for a one-stage Dockerfile.
      if (ins.flags.some((f) => f.name.toLowerCase() === "mount")) imageSources = true;
    }
  }

  // Later-defined stage names referenced by COPY --from are resolved against all stages (BuildKit
  // looks names up among every stage, then fails when the stage is not dispatched yet).
  for (const e of edges) {
    if (e.fromStage == null && e.fromImage && byName.has(e.fromImage.toLowerCase())) {
      const idx = byName.get(e.fromImage.toLowerCase())!;
      diagnostics.push(
        diag("error", "dockerfile", e.line, "dockerfile/stage-order", `"${e.fromImage}" is a stage defined after the one that uses it.`),
      );
      e.fromStage = idx;
      e.fromImage = null;
    }
  }

  // ---- positions and step counts
  for (const st of stages) numberStage(st);

  // ---- ARG first use
  computeFirstUse(globalArgs, stages, argIndex);

  if (stages.length === 0) {
    diagnostics.push(diag("error", "dockerfile", null, "dockerfile/no-from", "The Dockerfile has no FROM instruction."));
  }

  for (const b of built) {
    const ins = b.ins;
    if (!KNOWN.has(ins.keyword)) {
      diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/unknown-instruction", `Unknown instruction: ${ins.keyword}.`));
    }
  }

  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    syntax,
    escapeChar,
    globalArgs,
    stages,
    edges,
    lineCount,
    diagnostics,
    stageTokenInLog: stages.length > 1 || imageSources,
  };
}
