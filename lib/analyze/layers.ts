/**
 * Image history entries → build steps (build-log-formats.md §8.2).
 *
 * The image holds the base image's entries, then the final stage's (and the stages it is built FROM)
 * entries in Dockerfile order. Builder stages leave nothing. Entries are aligned newest-first with the
 * expected instruction sequence of the best-matching stage chain; everything older than the oldest
 * matched entry is base image. Inputs without history texts (inspect, manifest) are aligned by count
 * of layer-making instructions when a Dockerfile is given.
 */
import type { DockerfileInstruction, DockerfileModel } from "../model/dockerfile";
import type { LayerInfo } from "../model/report";
import type { ImageHistoryEntry, ImageMetadata } from "./types";

export interface StepRef {
  id: string;
  instruction: string;
  text: string;
  stageIndex: number;
}

interface Expected {
  stepId: string | null;
  keyword: string;
  /** Vertex text (keyword first). */
  text: string;
  /** Makes a layer (RUN/COPY/ADD/WORKDIR other than /). */
  layer: boolean;
}

const ws = (s: string) => s.replace(/\s+/g, " ").trim();

/** Remove leading `--flag[=value]` words. */
function stripFlags(s: string): string {
  let t = s.trim();
  for (;;) {
    const m = /^--(?:"[^"]*"|'[^']*'|[^\s"'])*(?:\s+|$)/.exec(t);
    if (!m || m[0].trim() === "") return t;
    t = t.slice(m[0].length);
  }
}

function flagsOf(s: string): string[] {
  const out: string[] = [];
  let t = s.trim();
  for (;;) {
    const m = /^--((?:"[^"]*"|'[^']*'|[^\s"'])*)(?:\s+|$)/.exec(t);
    if (!m || m[0].trim() === "") return out;
    out.push(m[1]);
    t = t.slice(m[0].length);
  }
}

/** The shell command of a BuildKit/classic `created_by` RUN entry, or null when it is not a RUN. */
export function historyRunCommand(createdBy: string): string | null {
  let t = createdBy.replace(/\s+# buildkit$/, "");
  if (/^\/bin\/sh -c #\(nop\)/.test(t)) return null;
  if (/^RUN\s/.test(t)) t = t.slice(4);
  else if (!/^\|\d+ /.test(t) && !/^\/bin\/sh -c /.test(t)) return null;
  const bar = /^\|(\d+) /.exec(t);
  if (bar) {
    t = t.slice(bar[0].length);
    const n = Number(bar[1]);
    for (let i = 0; i < n; i++) {
      const m = /^[^\s=]+=\S*\s*/.exec(t);
      if (!m) break;
      t = t.slice(m[0].length);
    }
  }
  const sh = /^(\/bin\/sh|\/bin\/bash|sh|bash|cmd|powershell|pwsh)(\s+-[A-Za-z]+(\s+\w+)?)*?\s+(-c|\/S \/C|-command)\s/i.exec(t);
  if (sh) t = t.slice(sh[0].length);
  return t;
}

function historyKeyword(createdBy: string): string | null {
  const t = createdBy.trim();
  if (t === "") return null;
  const nop = /^\/bin\/sh -c #\(nop\)\s+([A-Z]+)/.exec(t);
  if (nop) return nop[1];
  if (/^\/bin\/sh -c /.test(t) || /^\|\d+ /.test(t)) return "RUN";
  return /^([A-Za-z]+)\b/.exec(t)?.[1]?.toUpperCase() ?? null;
}

/** True when a history entry's `created_by` is the record of this step. */
export function historyMatchesStep(createdBy: string, keyword: string, stepText: string): boolean {
  const kw = historyKeyword(createdBy);
  if (!kw || kw !== keyword.toUpperCase()) return false;
  const body = ws(stepText.replace(/^\S+\s*/, ""));
  if (kw === "RUN") {
    const cmd = historyRunCommand(createdBy);
    if (cmd == null) return false;
    let want = stripFlags(body);
    const jsonForm = /^\[.*\]$/.test(want) ? tryJson(want) : null;
    if (jsonForm) want = jsonForm.join(" ");
    const hd = /^(?:\d*)<<-?\s*["']?[^\s"']+["']?\s+\((.*?)(\.\.\.)?\)$/.exec(want);
    if (hd) return ws(cmd).startsWith(ws(hd[1]));
    const got = ws(cmd);
    return got === ws(want) || got.endsWith(ws(want)) || (want.length > 20 && got.startsWith(ws(want)));
  }
  if (kw === "COPY" || kw === "ADD") {
    const t = ws(createdBy.replace(/\s+# buildkit$/, "").replace(/^\S+\s*/, ""));
    const wantFlags = flagsOf(body).filter((f) => /^(chown|chmod|parents)\b/.test(f));
    let want = stripFlags(body);
    const jsonForm = /^\[.*\]$/.test(want) ? tryJson(want) : null;
    if (jsonForm) want = jsonForm.join(" ");
    const got = stripFlags(t);
    const gotFlags = flagsOf(t);
    if (ws(got) !== ws(want)) {
      // heredoc sources are recorded as <<NAME; be lenient on the destination only when sources match in order
      if (!ws(got).startsWith(ws(want).split(" ")[0])) return false;
      if (ws(got).split(" ").pop() !== ws(want).split(" ").pop()) return false;
    }
    return wantFlags.every((f) => gotFlags.includes(f));
  }
  if (kw === "WORKDIR") {
    const got = ws(createdBy.replace(/^WORKDIR\s*/i, "")).replace(/\/+$/, "");
    const want = body.replace(/\/+$/, "");
    if (want.startsWith("/")) return got === want || got === "" && want === "";
    return got.endsWith("/" + want.replace(/^\.\//, ""));
  }
  // Metadata entries: same keyword and the same first word of arguments.
  const got = ws(createdBy.replace(/^\S+\s*/, ""));
  const w1 = body.split(/[\s=]/)[0];
  return w1 === "" || got.startsWith(w1);
}

function tryJson(s: string): string[] | null {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null;
  } catch {
    return null;
  }
}

function makesLayer(ins: DockerfileInstruction): boolean {
  if (ins.keyword === "RUN" || ins.keyword === "COPY" || ins.keyword === "ADD") return true;
  if (ins.keyword === "WORKDIR") return ins.position != null;
  return false;
}

/** Expected entries (oldest first) for each candidate final stage. */
function candidatesFromDockerfile(df: DockerfileModel, stepIds: Set<string> | null): Expected[][] {
  const out: Expected[][] = [];
  for (const st of df.stages) {
    const chain: DockerfileModel["stages"] = [];
    const seen = new Set<number>();
    for (let s: number | null = st.index; s != null && !seen.has(s); ) {
      seen.add(s);
      chain.unshift(df.stages[s]);
      const b: DockerfileModel["stages"][number]["base"] = df.stages[s].base;
      s = b.kind === "stage" ? b.stageIndex : null;
    }
    const exp: Expected[] = [];
    for (const stage of chain) {
      for (const ins of stage.instructions) {
        if (ins.keyword === "FROM" || ins.keyword === "ONBUILD") continue;
        const id = ins.position != null ? `${stage.index}:${ins.position}` : null;
        exp.push({
          stepId: id != null && (stepIds == null || stepIds.has(id)) ? id : null,
          keyword: ins.keyword,
          text: ins.text,
          layer: makesLayer(ins),
        });
      }
    }
    out.push(exp);
  }
  return out;
}

function candidatesFromSteps(steps: StepRef[]): Expected[][] {
  const byStage = new Map<number, StepRef[]>();
  for (const s of steps) {
    const arr = byStage.get(s.stageIndex) ?? [];
    arr.push(s);
    byStage.set(s.stageIndex, arr);
  }
  const out: Expected[][] = [];
  for (const idx of [...byStage.keys()].sort((a, b) => a - b)) {
    const list = byStage.get(idx)!.slice().sort((a, b) => positionOf(a) - positionOf(b));
    out.push(
      list
        .filter((s) => (s.instruction || s.text.split(" ")[0]).toUpperCase() !== "FROM")
        .map((s) => {
          const keyword = (s.instruction || s.text.split(" ")[0] || "").toUpperCase();
          return { stepId: s.id, keyword, text: s.text, layer: ["RUN", "COPY", "ADD", "WORKDIR"].includes(keyword) };
        }),
    );
  }
  return out;
}

function positionOf(s: StepRef): number {
  const m = /:(\d+)$/.exec(s.id);
  return m ? Number(m[1]) : 0;
}

interface Alignment {
  /** entry index → expected index */
  map: Map<number, number>;
  score: number;
  oldestMatched: number;
  exhausted: boolean;
}

const WINDOW = 12;

function align(entries: ImageHistoryEntry[], exp: Expected[]): Alignment {
  const map = new Map<number, number>();
  let p = exp.length - 1;
  let score = 0;
  let oldest = entries.length;
  for (let h = entries.length - 1; h >= 0 && p >= 0; h--) {
    const e = entries[h];
    if (e.createdBy.trim() === "") continue;
    for (let q = p; q >= Math.max(0, p - WINDOW); q--) {
      if (historyMatchesStep(e.createdBy, exp[q].keyword, exp[q].text)) {
        map.set(h, q);
        if (exp[q].layer) score += 2;
        else score += 1;
        oldest = h;
        p = q - 1;
        break;
      }
    }
  }
  return { map, score, oldestMatched: oldest, exhausted: p < 0 };
}

/**
 * Map image layers to build steps. Returns one LayerInfo per metadata entry (base first; `index` is the
 * entry's position), including empty-layer entries (`emptyLayer: true`, size 0).
 */
export function mapLayersToSteps(meta: ImageMetadata, dockerfile: DockerfileModel | null, steps: StepRef[]): LayerInfo[] {
  const entries = meta.entries;
  const stepIds = steps.length > 0 ? new Set(steps.map((s) => s.id)) : null;
  const candidates = dockerfile && dockerfile.stages.length > 0 ? candidatesFromDockerfile(dockerfile, stepIds) : candidatesFromSteps(steps);

  const infos: LayerInfo[] = entries.map((e, i) => ({
    index: i,
    createdBy: e.createdBy,
    sizeBytes: e.sizeBytes ?? 0,
    emptyLayer: e.emptyLayer,
    step: null,
    fromBaseImage: false,
  }));
  if (entries.length === 0 || candidates.length === 0) return infos;

  const hasTexts = entries.some((e) => e.createdBy.trim() !== "");
  if (!hasTexts) {
    // inspect / manifest: the last k layers are the last k layer-making instructions.
    if (!dockerfile) return infos;
    const exp = candidates[candidates.length - 1].filter((x) => x.layer);
    const layerIdx = entries.map((e, i) => (e.emptyLayer ? -1 : i)).filter((i) => i >= 0);
    if (layerIdx.length < exp.length) return infos;
    const offset = layerIdx.length - exp.length;
    layerIdx.forEach((entryIdx, k) => {
      if (k < offset) infos[entryIdx].fromBaseImage = true;
      else infos[entryIdx].step = exp[k - offset].stepId;
    });
    return infos;
  }

  let best: Alignment | null = null;
  let bestExp: Expected[] = [];
  candidates.forEach((exp) => {
    const a = align(entries, exp);
    if (!best || a.score >= best.score) {
      best = a;
      bestExp = exp;
    }
  });
  const chosen = best as Alignment | null;
  if (!chosen || chosen.map.size === 0) return infos;
  for (const [h, q] of chosen.map) infos[h].step = bestExp[q].stepId;
  for (let h = 0; h < chosen.oldestMatched; h++) infos[h].fromBaseImage = true;
  return infos;
}
