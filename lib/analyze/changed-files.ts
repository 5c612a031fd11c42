/**
 * The changed-files post-pass: runs after explainMisses and names, for every rebuilt COPY / ADD /
 * RUN --mount=type=bind step, the listed files it copies or mounts (after the ignore file). Pure.
 *
 * - A root context miss whose step copies a listed file is decided: `context-changed`, evidence
 *   `exact` (the list names the files).
 * - A root step none of whose sources the list reaches keeps its cause and evidence, with
 *   `changedFiles: []` and a sentence saying the list does not explain it.
 * - Steps rebuilt because their parent was get the files too (`changedFiles`), cause untouched.
 * - Listed files no rebuilt step reads are reported as `unused` ("did not matter").
 */
import type { DockerfileInstruction, DockerfileModel } from "../model/dockerfile";
import type { ChangedFilesSummary, Miss, ReportStep, RootCause } from "../model/report";
import { diag, type Diagnostic } from "../model/diagnostics";
import { parseChangedList } from "../context/changed-list";
import { createIgnoreMatcher } from "../context/dockerignore";
import { contextUseOf, useCovers, type ContextUse } from "../context/sources";
import { junkLine, meaningfulFirst } from "../context/junk";
import { changedFilesTexts as T, type ListSource } from "./changed-files-catalog";

export interface ChangedFilesFacts {
  source: ListSource;
  summary: ChangedFilesSummary;
  /** Per step id: the context files it reads, as computed (only steps that read the context). */
  uses: Map<string, ContextUse>;
  /** Listed files sent to the builder (not ignored). */
  sent: string[];
}

export interface ChangedFilesInput {
  changedFiles: string | null | undefined;
  source?: ListSource | null;
  dockerignore: string | null | undefined;
  dockerfile: DockerfileModel | null;
  steps: ReportStep[];
  rootCauses: RootCause[];
}

const RAN = new Set(["rebuilt", "error", "canceled", "unfinished"]);

export function applyChangedFiles(input: ChangedFilesInput): { facts: ChangedFilesFacts | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (input.changedFiles == null) return { facts: null, diagnostics };
  const source: ListSource = input.source ?? "list";
  const list = parseChangedList(input.changedFiles);
  for (const p of list.problems) diagnostics.push(diag("warning", "changed-files", p.line, "changed-files/unusable-line", T.listProblem(p.text, p.reason)));
  const ignore = createIgnoreMatcher(input.dockerignore);
  for (const e of ignore.errors) diagnostics.push(diag("warning", "dockerignore", e.line, "dockerignore/bad-pattern", T.ignoreProblem(e.pattern, e.reason)));
  const ignored = list.paths.filter((p) => ignore.ignores(p));
  const ignoredSet = new Set(ignored);
  const sent = list.paths.filter((p) => !ignoredSet.has(p));

  const instructionAt = indexInstructions(input.dockerfile);
  const uses = new Map<string, ContextUse>();
  const used = new Set<string>();
  for (const s of input.steps) {
    const ins = s.line != null ? instructionAt.get(`${s.stageIndex}@${s.line}`) ?? null : null;
    const use = contextUseOf(ins, s.text);
    if (!use) continue;
    uses.set(s.id, use);
    const shown = s.text.replace(/`/g, "'");
    const label = `\`${shown.length > 80 ? shown.slice(0, 77) + "…" : shown}\``;
    if (use.unknown) {
      if (s.miss && RAN.has(s.status)) {
        s.miss.changedFiles = null;
        s.miss.explanation += T.unknownSources(use.unknown);
      }
      continue;
    }
    const files = meaningfulFirst(sent.filter((f) => useCovers(use, f)));
    if (s.status === "cached") {
      if (files.length) diagnostics.push(diag("info", "changed-files", null, "changed-files/cached-but-listed", T.cachedButChanged(label, files)));
      continue;
    }
    if (!s.miss || !RAN.has(s.status)) continue;
    for (const f of files) used.add(f);
    annotate(s.miss, s, label, files, use, source, list.paths.length, ignored.length, !ignore.ignores(".git/HEAD") && useCovers(use, ".git/HEAD"));
  }

  // Root causes carry their root step's miss.
  const byId = new Map(input.steps.map((s) => [s.id, s]));
  for (const rc of input.rootCauses) {
    const m = byId.get(rc.rootStep)?.miss;
    if (!m) continue;
    rc.changedFiles = m.changedFiles;
    rc.cause = m.cause;
    rc.evidence = m.evidence;
    rc.explanation = m.explanation;
    rc.fix = m.fix;
  }

  const summary: ChangedFilesSummary = {
    source,
    listed: list.paths,
    ignored,
    unused: sent.filter((f) => !used.has(f)),
    ignoreFile: !!input.dockerignore && ignore.patterns.length > 0,
  };
  return { facts: { source, summary, uses, sent }, diagnostics };
}

function annotate(miss: Miss, s: ReportStep, label: string, files: string[], use: ContextUse, source: ListSource, listed: number, ignored: number, readsGit: boolean): void {
  miss.changedFiles = files;
  const bind = use.kind === "bind";
  const sources = use.sources.map((x) => `\`${x.raw.replace(/`/g, "'")}\``).join(", ");
  // A bind mount of the context is keyed on the mounted files' content, like a COPY.
  const contextCandidate = bind || miss.cause === "context-changed" || miss.candidates.includes("context-changed");
  if (!miss.rootCause) {
    if (files.length) miss.explanation += T.alsoCopies(files);
    return;
  }
  // A listed file the step reads changed its cache key for certain: that decides an open cause.
  if (files.length && (miss.evidence !== "exact" || miss.cause === "context-changed")) {
    miss.cause = "context-changed";
    miss.candidates = ["context-changed"];
    miss.evidence = "exact";
    miss.certainty = "exact";
    miss.decidedBy = T.decidedBy(source, files);
    miss.decideWith = null;
    miss.explanation = bind ? T.decidedMount(label, s.line, files) : T.decided(label, s.line, files);
    // A narrow COPY of edited sources is the step that should re-run: nothing to fix then.
    const broad = use.sources.some((x) => x.path === "." || x.kind !== "path");
    miss.fix = broad || files.some((f) => junkLine(f)) ? (bind ? T.fixMount(sources) : T.fixCopy(sources)) : null;
    return;
  }
  if (files.length) {
    if (miss.cause !== "context-changed") miss.explanation += T.alsoCopies(files);
    return;
  }
  // Only a context miss is the list's to explain; another cause stands on its own.
  if (contextCandidate || readsGit) {
    miss.explanation += T.none(source, listed, ignored);
    if (readsGit && source === "list") miss.explanation += T.gitNotListed(bind);
  }
}

function indexInstructions(dockerfile: DockerfileModel | null): Map<string, DockerfileInstruction> {
  const m = new Map<string, DockerfileInstruction>();
  for (const st of dockerfile?.stages ?? []) for (const i of st.instructions) m.set(`${st.index}@${i.line}`, i);
  return m;
}

/** A listed file sits under a path a step uses on purpose (`COPY .git …`, `--mount=source=.git`). */
export function copiedByName(uses: Map<string, ContextUse>, dir: string): boolean {
  for (const u of uses.values())
    for (const s of u.sources) if (s.kind === "path" && s.path !== "." && (s.path === dir || s.path.startsWith(dir + "/") || dir.startsWith(s.path + "/"))) return true;
  return false;
}
