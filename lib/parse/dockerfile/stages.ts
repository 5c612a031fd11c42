/**
 * Stages: FROM (base image, stage names, references by name or index), BuildKit's `[stage i/n]`
 * numbering, and where each ARG is first used (build-log-formats.md §7.3).
 */
import { diag, type Diagnostic } from "../../model/diagnostics";
import type { ArgDeclaration, DockerfileStage, StageBase } from "../../model/dockerfile";
import { expandWith } from "./expand";
import type { Built } from "./instruction";
import { normaliseImageRef, splitImageRef } from "./text";

const VERTEX = new Set(["RUN", "COPY", "ADD", "WORKDIR"]);
export const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

export type Env = Map<string, string>;

export function looksLikeStageName(ref: string): boolean {
  return STAGE_NAME.test(ref.toLowerCase()) && !/[/:@]/.test(ref);
}

export function closestName(name: string, names: string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestD && d <= (n.length >= 5 ? 2 : 1)) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

type StageRef = { kind: "stage"; index: number } | { kind: "image" } | { kind: "index-out-of-range" };

export function resolveStageRef(ref: string, byName: Map<string, number>, stageCountSoFar: number): StageRef {
  if (/^\d+$/.test(ref)) {
    const idx = Number(ref);
    return idx < stageCountSoFar ? { kind: "stage", index: idx } : { kind: "index-out-of-range" };
  }
  const idx = byName.get(ref.toLowerCase());
  return idx == null ? { kind: "image" } : { kind: "stage", index: idx };
}

export function startStage(
  b: Built,
  stages: DockerfileStage[],
  byName: Map<string, number>,
  globalEnv: Env,
  escapeChar: string,
  diagnostics: Diagnostic[],
): DockerfileStage {
  const ins = b.ins;
  const index = stages.length;
  const args = ins.args;
  let rawImage = args[0] ?? "";
  let name: string | null = null;
  if (args.length === 0) {
    // diagnosed as missing arguments
  } else if (args.length >= 2) {
    if (args[1].toLowerCase() !== "as" || args.length !== 3) {
      diagnostics.push(
        diag("error", "dockerfile", ins.line, "dockerfile/syntax", `FROM expects "FROM [--platform=…] image [AS name]", got "${args.join(" ")}".`),
      );
    }
    if (args[1].toLowerCase() === "as" && args[2]) name = args[2].toLowerCase();
  }
  if (name != null) {
    if (!STAGE_NAME.test(name)) {
      diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/stage-name", `"${args[2]}" is not a valid stage name (letters, digits, - _ . ; starting with a letter).`));
    }
    if (byName.has(name)) {
      diagnostics.push(diag("error", "dockerfile", ins.line, "dockerfile/duplicate-stage", `The stage name "${name}" is already used by stage ${byName.get(name)}.`));
    } else byName.set(name, index);
  }
  rawImage = rawImage.trim();
  const ref = expandWith(rawImage, (n) => globalEnv.get(n), { escapeChar, rawQuotes: false });
  const platformRaw = ins.flags.find((f) => f.name.toLowerCase() === "platform")?.value ?? null;
  const platform = platformRaw != null ? expandWith(platformRaw, (n) => globalEnv.get(n), { escapeChar, rawQuotes: false }) : null;

  let base: StageBase;
  const lower = ref.toLowerCase();
  const parentIdx = byName.get(lower);
  if (lower === "scratch") {
    base = { kind: "scratch", raw: rawImage, ref, stageIndex: null, digest: null, tag: null, normalized: null };
  } else if (parentIdx != null && parentIdx < index) {
    base = { kind: "stage", raw: rawImage, ref, stageIndex: parentIdx, digest: null, tag: null, normalized: null };
  } else {
    const parts = splitImageRef(ref);
    base = { kind: "image", raw: rawImage, ref, stageIndex: null, digest: parts.digest, tag: parts.tag, normalized: ref ? normaliseImageRef(ref) : null };
  }

  if (base.kind === "image" && base.normalized) {
    ins.unexpandedText = "FROM " + normaliseImageRef(rawImage);
    ins.text = "FROM " + base.normalized;
  }

  return {
    index,
    name,
    label: name ?? `stage-${index}`,
    line: ins.line,
    endLine: ins.endLine,
    base,
    platform,
    args: [],
    instructions: [ins],
    stepCount: 0,
  };
}

/** BuildKit's [stage i/n]: FROM <image> = 1, then RUN/COPY/ADD/WORKDIR; `WORKDIR /` counts but is never printed. */
export function numberStage(st: DockerfileStage): void {
  let n = 0;
  let i = 0;
  let wd: string | null = st.base.kind === "scratch" ? "/" : null;
  for (const ins of st.instructions) {
    if (ins.keyword === "FROM") {
      if (st.base.kind === "image" && ins === st.instructions[0]) {
        n++;
        i++;
        ins.position = i;
      }
      continue;
    }
    if (!VERTEX.has(ins.keyword)) continue;
    n++;
    if (ins.keyword === "WORKDIR") {
      const arg = ins.text.replace(/^\S+\s*/, "").trim();
      const next = resolveWorkdir(wd, arg);
      wd = next;
      if (next === "/") continue; // no operation, no vertex
    }
    i++;
    ins.position = i;
  }
  st.stepCount = n;
}

function resolveWorkdir(cur: string | null, arg: string): string | null {
  if (arg === "" || arg.includes("$")) return null;
  let p: string;
  if (arg.startsWith("/")) p = arg;
  else if (cur == null) return null;
  else p = cur.replace(/\/$/, "") + "/" + arg;
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

export function computeFirstUse(globalArgs: ArgDeclaration[], stages: DockerfileStage[], argIndex: Map<ArgDeclaration, number>): void {
  const children: number[][] = stages.map(() => []);
  for (const st of stages) if (st.base.kind === "stage" && st.base.stageIndex != null) children[st.base.stageIndex].push(st.index);

  // Per stage: next RUN line at or after instruction k; variable → instruction indices referencing it.
  const nextRun: (number | null)[][] = [];
  const refs: Map<string, number[]>[] = [];
  for (const st of stages) {
    const list = st.instructions;
    const nr: (number | null)[] = new Array(list.length + 1).fill(null);
    for (let k = list.length - 1; k >= 0; k--) nr[k] = list[k].keyword === "RUN" ? list[k].line : nr[k + 1];
    nextRun.push(nr);
    const r = new Map<string, number[]>();
    list.forEach((ins, k) => {
      if (!["COPY", "ADD", "WORKDIR", "ENV"].includes(ins.keyword)) return;
      for (const v of ins.variables) {
        const arr = r.get(v) ?? [];
        arr.push(k);
        r.set(v, arr);
      }
    });
    refs.push(r);
  }

  const firstIn = (si: number, fromK: number, name: string): number | null => {
    const list = stages[si].instructions;
    let best = nextRun[si][Math.min(fromK, list.length)];
    const arr = refs[si].get(name);
    if (arr) {
      let lo = 0;
      let hi = arr.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (arr[mid] < fromK) lo = mid + 1;
        else hi = mid;
      }
      if (lo < arr.length) {
        const line = list[arr[lo]].line;
        if (best == null || line < best) best = line;
      }
    }
    if (best != null) return best;
    let min: number | null = null;
    for (const c of children[si]) {
      const l = firstIn(c, 1, name);
      if (l != null && (min == null || l < min)) min = l;
    }
    return min;
  };

  for (const st of stages) {
    const list = st.instructions;
    for (const a of st.args) a.firstUseLine = firstIn(st.index, (argIndex.get(a) ?? list.length) + 1, a.name);
  }

  for (const g of globalArgs) {
    let best: number | null = null;
    for (const st of stages) {
      const from = st.instructions[0];
      if (from && from.keyword === "FROM" && from.variables.includes(g.name)) {
        best = from.line;
        break;
      }
    }
    for (const st of stages) {
      for (const a of st.args) {
        if (a.name === g.name && a.defaultValue == null && a.firstUseLine != null && (best == null || a.firstUseLine < best)) {
          best = a.firstUseLine;
        }
      }
    }
    g.firstUseLine = best;
  }
}
