/**
 * Deterministic generators of realistic and hostile Docker build inputs, used by `npm run bench`
 * (bench/run.ts) and by the property / hostile-input tests (test/fuzz, test/hostile.test.ts).
 *
 * Pure TypeScript, no Node APIs: every generator takes a seed and returns the same bytes for it.
 *
 * Shapes follow shared/docs/build-log-formats.md §2 (plain) and §3 (rawjson) and the real logs in
 * fixtures/scenarios and shared/corpus: `#0 building with …`, `[internal]` vertices, FROM vertices with
 * layer pull status lines, `[stage i/n]` labels (position padded like `[builder  1/16]`), CACHED / DONE,
 * RUN output `#N 1.234 text`, resumptions `#N ...` + blank + other header, exporters at the end.
 */

import { utf8Length } from "../lib/render/format";

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: small, fast, deterministic. Returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = (r: Rng, n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(r() * 16)];
  return s;
};
const sha = (r: Rng) => "sha256:" + hex(r, 64);

/** BuildKit's decimal sizes: `911B`, `1.52MB`, `306.45kB`. */
export function fmtSize(bytes: number): string {
  const b = Math.round(bytes);
  if (b < 1000) return `${b}B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = b / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(2)}${units[u]}`;
}

/** UTF-8 byte length without allocating (the renderers' helper). */
export const utf8Bytes = utf8Length;

// ---------------------------------------------------------------------------------------------
// Build model: stages and steps shared by the Dockerfile and every log rendering

export type StepStatusPlan = "cached" | "done";

export interface PlannedStep {
  keyword: string; // FROM RUN COPY WORKDIR ADD (vertex) or ENV ARG LABEL EXPOSE (no vertex)
  text: string; // the instruction text as BuildKit names the vertex
  dockerfileLines: string[]; // the instruction as written (continuations, comments)
  vertex: boolean;
  position: number | null;
  status: StepStatusPlan;
  outputLines: number; // RUN output lines
  seconds: number;
  pull: boolean; // FROM that downloads layers
}

export interface PlannedStage {
  index: number;
  name: string;
  base: string; // image ref or stage name
  baseIsStage: boolean;
  steps: PlannedStep[]; // steps[0] is FROM
  of: number;
}

export interface BuildPlan {
  stages: PlannedStage[];
  globalArgs: string[];
  /** Extra text put in Dockerfile comments / step names / output lines (hostile variants). */
}

export interface PlanOptions {
  seed?: number;
  stages?: number;
  /** Vertex steps per stage, FROM included (BuildKit's n). */
  stepsPerStage?: number;
  /** Output lines per RUN on average. */
  outputLinesPerRun?: number;
  /** Fraction of stages whose chain is rebuilt from some step on (0..1). */
  rebuildFraction?: number;
  /** Text injected into some RUN commands, comments and output lines (e.g. HTML). */
  inject?: string | null;
}

const IMAGES = [
  "node:20-alpine",
  "python:3.12-slim",
  "golang:1.23-bookworm",
  "rust:1.82",
  "debian:bookworm-slim",
  "nginx:1.27-alpine",
  "eclipse-temurin:21-jdk",
  "ubuntu:22.04",
];

const RUN_CMDS = [
  "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates git && rm -rf /var/lib/apt/lists/*",
  "npm ci --no-audit --no-fund",
  "npm run build",
  "pip install --no-cache-dir -r requirements.txt",
  "go build -trimpath -ldflags='-s -w' -o /out/app ./cmd/app",
  "cargo build --release --locked",
  "--mount=type=cache,target=/root/.npm npm ci",
  "--mount=type=cache,target=/root/.cache/go-build go test ./...",
  "make -j4 all",
  "./gradlew assemble --no-daemon",
  "pnpm install --frozen-lockfile",
  "mkdir -p /srv/data && chown -R 1000:1000 /srv",
];

const OUTPUT_TEMPLATES = [
  (r: Rng) => `Get:${int(r, 1, 99)} http://deb.debian.org/debian bookworm/main amd64 libssl3 amd64 3.0.${int(r, 1, 15)}-1~deb12u1 [${int(r, 100, 9999)} kB]`,
  (r: Rng) => `npm warn deprecated inflight@1.0.${int(r, 1, 9)}: This module is not supported, and leaks memory. Do not use it.`,
  (r: Rng) => `   Compiling serde_derive v1.0.${int(r, 100, 220)} (/usr/local/cargo/registry/src/index.crates.io-${hex(r, 16)}/serde)`,
  (r: Rng) => `Collecting numpy==2.${int(r, 0, 2)}.${int(r, 0, 9)} (from -r requirements.txt (line ${int(r, 1, 80)}))`,
  (r: Rng) => `  Downloading numpy-2.1.${int(r, 0, 9)}-cp312-cp312-manylinux_2_17_x86_64.whl (${int(r, 1, 30)}.${int(r, 0, 9)} MB)`,
  (r: Rng) => `go: downloading github.com/${pick(r, ["spf13", "google", "stretchr", "klauspost"])}/${pick(r, ["cobra", "uuid", "testify", "compress"])} v1.${int(r, 0, 20)}.${int(r, 0, 9)}`,
  (r: Rng) => `> Task :app:compile${pick(r, ["Java", "Kotlin", "TestJava"])} ${pick(r, ["UP-TO-DATE", "", "FROM-CACHE", "NO-SOURCE"])}`,
  (r: Rng) => `[${int(r, 1, 400)}/${int(r, 400, 800)}] Building CXX object src/CMakeFiles/core.dir/${hex(r, 6)}.cpp.o`,
  (r: Rng) => `added ${int(r, 10, 1500)} packages, and audited ${int(r, 10, 1600)} packages in ${int(r, 1, 40)}s`,
  (r: Rng) => `✓ ${int(r, 10, 900)} modules transformed. dist/assets/index-${hex(r, 8)}.js  ${int(r, 1, 900)}.${int(r, 10, 99)} kB │ gzip: ${int(r, 1, 200)}.${int(r, 10, 99)} kB`,
  (r: Rng) => `warning: unused variable: \`x${int(r, 0, 99)}\` --> src/lib.rs:${int(r, 1, 999)}:${int(r, 1, 80)}`,
  (r: Rng) => "",
];

function pad(position: number, of: number): string {
  const w = String(of).length;
  return String(position).padStart(w, " ");
}

/** `[name i/n] TEXT` with BuildKit's padding of i to the width of n. */
export function stepLabel(stage: string, position: number, of: number, text: string): string {
  return `[${stage} ${pad(position, of)}/${of}] ${text}`;
}

export function planBuild(opts: PlanOptions = {}): BuildPlan {
  const r = prng(opts.seed ?? 1);
  const nStages = Math.max(1, opts.stages ?? 8);
  const perStage = Math.max(2, opts.stepsPerStage ?? 8);
  const outAvg = opts.outputLinesPerRun ?? 20;
  const rebuildFraction = opts.rebuildFraction ?? 0.4;
  const inject = opts.inject ?? null;
  const stages: PlannedStage[] = [];
  for (let si = 0; si < nStages; si++) {
    const name = si === nStages - 1 && nStages > 1 ? `stage-${si}` : `s${si}`;
    // Every 4th stage builds on an earlier stage; the rest on an image.
    const baseIsStage = si > 0 && si % 4 === 0;
    const base = baseIsStage ? stages[int(r, 0, si - 1)]!.name : pick(r, IMAGES);
    const steps: PlannedStep[] = [];
    const rebuildFrom = r() < rebuildFraction ? int(r, 2, perStage) : perStage + 1;
    steps.push({
      keyword: "FROM",
      text: `FROM ${baseIsStage ? base : "docker.io/library/" + base + "@sha256:" + hex(r, 64)}`,
      dockerfileLines: [name.startsWith("stage-") ? `FROM ${base}` : `FROM ${base} AS ${name}`],
      vertex: !baseIsStage,
      position: baseIsStage ? null : 1,
      status: r() < 0.7 ? "cached" : "done",
      outputLines: 0,
      seconds: 0,
      pull: r() < 0.3,
    });
    let pos = 1;
    while (pos < perStage) {
      // Non-vertex instructions sprinkled in.
      if (r() < 0.15) {
        const k = pick(r, ["ENV", "LABEL", "EXPOSE", "ARG"] as const);
        const line =
          k === "ENV" ? `ENV APP_${si}_${pos}=value${int(r, 0, 9)}` : k === "LABEL" ? `LABEL org.example.stage${si}="${inject ?? "x"}"` : k === "EXPOSE" ? `EXPOSE ${int(r, 1000, 9999)}` : `ARG OPT_${si}_${pos}=on`;
        steps.push({ keyword: k, text: line, dockerfileLines: [line], vertex: false, position: null, status: "cached", outputLines: 0, seconds: 0, pull: false });
        continue;
      }
      pos++;
      const status: StepStatusPlan = pos >= rebuildFrom ? "done" : "cached";
      const kind = pos === 2 ? "WORKDIR" : r() < 0.65 ? "RUN" : r() < 0.8 ? "COPY" : r() < 0.5 && si > 0 ? "COPYFROM" : "ADD";
      let text: string;
      let lines: string[];
      let out = 0;
      if (kind === "WORKDIR") {
        text = `WORKDIR /src/s${si}`;
        lines = [text];
      } else if (kind === "RUN") {
        let cmd = pick(r, RUN_CMDS);
        if (inject && r() < 0.3) cmd = `echo '${inject}'`;
        if (r() < 0.2) {
          // Line continuation: the name joins lines, keeping the indentation.
          lines = [`RUN ${cmd} && \\`, `    echo step-${si}-${pos}`];
          text = `RUN ${cmd} &&     echo step-${si}-${pos}`;
        } else {
          text = `RUN ${cmd} # ${si}.${pos}`;
          lines = [text];
        }
        out = status === "done" ? Math.max(0, Math.round(outAvg * (0.2 + r() * 1.6))) : 0;
      } else if (kind === "COPY") {
        text = `COPY ${pick(r, ["package.json package-lock.json ./", ". .", "src/ ./src/", "go.mod go.sum ./", "requirements.txt ."])}`;
        lines = [text];
      } else if (kind === "COPYFROM") {
        const from = stages[int(r, 0, si - 1)]!.name;
        text = `COPY --from=${from} /src/${from}/out /opt/${from}-${pos}`;
        lines = [text];
      } else {
        text = `ADD --chown=1000:1000 assets/ /srv/assets-${pos}/`;
        lines = [text];
      }
      if (r() < 0.1) lines.unshift(`# step ${si}.${pos}: ${inject ?? "keep this cached"}`);
      steps.push({
        keyword: kind === "COPYFROM" ? "COPY" : kind,
        text,
        dockerfileLines: lines,
        vertex: true,
        position: pos,
        status,
        outputLines: out,
        seconds: status === "cached" ? 0 : Math.round((kind === "RUN" ? 0.3 + r() * 60 : r() * 2) * 10) / 10,
        pull: false,
      });
    }
    let of = perStage;
    if (baseIsStage) {
      // `FROM <stage>` prints no vertex and is not counted: the next step is 1/(n-1).
      of = perStage - 1;
      for (const s of steps) if (s.position != null) s.position -= 1;
    }
    stages.push({ index: si, name, base, baseIsStage, steps, of });
  }
  return { stages, globalArgs: ["BUILD_VERSION=1.0.0"] };
}

export function renderDockerfile(plan: BuildPlan, opts: { inject?: string | null } = {}): string {
  const out: string[] = ["# syntax=docker/dockerfile:1"];
  if (opts.inject) out.push(`# ${opts.inject}`);
  for (const a of plan.globalArgs) out.push(`ARG ${a}`);
  for (const st of plan.stages) {
    out.push("");
    for (const s of st.steps) out.push(...s.dockerfileLines);
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Plain log

interface Emitted {
  parts: string[];
  bytes: number;
}

function emit(e: Emitted, line: string) {
  e.parts.push(line);
  e.bytes += line.length + 1; // ASCII-dominated; close enough for sizing
}

/** Output lines of a RUN step (without the `#N t ` prefix). */
function outputLine(r: Rng, inject: string | null): string {
  if (inject && r() < 0.02) return inject;
  return pick(r, OUTPUT_TEMPLATES)(r);
}

export interface PlainOptions extends PlanOptions {
  /** Old form (Docker 20.10): `#N sha256:` line after each header, no `#0 building with`. */
  oldForm?: boolean;
  /** Probability that a RUN is interrupted (resumption) while printing its output. */
  resumeProbability?: number;
}

export function renderPlainLog(plan: BuildPlan, opts: PlainOptions = {}): string {
  const r = prng((opts.seed ?? 1) ^ 0x5eed);
  const inject = opts.inject ?? null;
  const resumeP = opts.resumeProbability ?? 0.25;
  const e: Emitted = { parts: [], bytes: 0 };
  let n = 0;
  const header = (num: number, name: string, first: boolean) => {
    if (e.parts.length) emit(e, "");
    emit(e, `#${num} ${name}`);
    if (opts.oldForm && first) emit(e, `#${num} ${sha(r)}`);
  };
  if (!opts.oldForm) {
    emit(e, `#0 building with "default" instance using docker driver`);
  }
  // internal vertices
  n++;
  header(n, "[internal] load build definition from Dockerfile", true);
  emit(e, `#${n} transferring dockerfile: ${int(r, 1, 99)}.${int(r, 10, 99)}kB done`);
  emit(e, `#${n} DONE 0.0s`);
  const images = [...new Set(plan.stages.filter((s) => !s.baseIsStage).map((s) => s.base))];
  for (const img of images) {
    n++;
    header(n, `[internal] load metadata for docker.io/library/${img}`, true);
    emit(e, `#${n} DONE ${(r() * 2).toFixed(1)}s`);
  }
  n++;
  header(n, "[internal] load .dockerignore", true);
  emit(e, `#${n} transferring context: 2B done`);
  emit(e, `#${n} DONE 0.0s`);
  n++;
  const ctx = n;
  header(ctx, "[internal] load build context", true);
  emit(e, `#${ctx} transferring context: ${int(r, 1, 900)}.${int(r, 10, 99)}kB ${(r() * 2).toFixed(1)}s done`);
  emit(e, `#${ctx} DONE ${(r() * 2).toFixed(1)}s`);

  // Steps: BuildKit prints stages interleaved; we walk stages round-robin by a few steps at a time,
  // which keeps every stage's steps in order but mixes stages like the real printer.
  const queues = plan.stages.map((st) => st.steps.filter((s) => s.vertex).map((s) => ({ st, s })));
  let pending: { num: number; name: string; s: PlannedStep; remaining: number; t: number } | null = null;
  const finishPending = () => {
    if (!pending) return;
    const p = pending;
    header(p.num, p.name, false);
    writeOutput(p, p.remaining);
    emit(e, `#${p.num} DONE ${p.s.seconds.toFixed(1)}s`);
    pending = null;
  };
  const writeOutput = (p: { num: number; t: number }, count: number) => {
    for (let i = 0; i < count; i++) {
      p.t += r() * 0.5;
      emit(e, `#${p.num} ${p.t.toFixed(3)} ${outputLine(r, inject)}`);
    }
  };
  let active = queues.filter((q) => q.length);
  while (active.length) {
    const q = pick(r, active);
    const take = int(r, 1, 4);
    for (let k = 0; k < take && q.length; k++) {
      const { st, s } = q.shift()!;
      n++;
      const name = stepLabel(st.name, s.position!, st.of, s.text);
      header(n, name, true);
      if (s.keyword === "FROM") {
        if (s.pull) {
          emit(e, `#${n} resolve ${s.text.slice(5)} ${(r() * 1.5).toFixed(1)}s done`);
          const layers = int(r, 2, 6);
          const digests: string[] = [];
          for (let l = 0; l < layers; l++) {
            const d = sha(r);
            digests.push(d);
            const total = int(r, 200, 300_000_000);
            for (let x = 0; x <= 4; x++) emit(e, `#${n} ${d} ${fmtSize((total * x) / 4)} / ${fmtSize(total)} ${(x * 0.3).toFixed(1)}s${x === 4 ? " done" : ""}`);
          }
          for (const d of digests) {
            emit(e, `#${n} extracting ${d}`);
            emit(e, `#${n} extracting ${d} ${(r() * 3).toFixed(1)}s done`);
          }
          emit(e, `#${n} DONE ${(r() * 20).toFixed(1)}s`);
        } else if (s.status === "cached") emit(e, `#${n} CACHED`);
        else emit(e, `#${n} DONE 0.0s`);
        continue;
      }
      if (s.status === "cached") {
        emit(e, `#${n} CACHED`);
        continue;
      }
      if (s.keyword === "RUN" && s.outputLines > 4 && r() < resumeP) {
        // Print part of the output, then interrupt (resumption later).
        finishPending();
        const first = int(r, 1, s.outputLines - 1);
        const p = { num: n, name, s, remaining: s.outputLines - first, t: 0 };
        writeOutput(p, first);
        emit(e, `#${n} ...`);
        pending = p;
        continue;
      }
      if (s.keyword === "RUN") writeOutput({ num: n, t: 0 }, s.outputLines);
      emit(e, `#${n} DONE ${s.seconds.toFixed(1)}s`);
    }
    if (pending && r() < 0.5) finishPending();
    active = queues.filter((qq) => qq.length);
  }
  finishPending();
  n++;
  header(n, "exporting to image", true);
  emit(e, `#${n} exporting layers ${(r() * 5).toFixed(1)}s done`);
  emit(e, `#${n} writing image ${sha(r)} done`);
  emit(e, `#${n} naming to docker.io/library/generated:latest done`);
  emit(e, `#${n} DONE ${(r() * 5).toFixed(1)}s`);
  return e.parts.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// rawjson log

/** Go's json.Encoder escapes <, > and & (SetEscapeHTML defaults to true). */
function goJson(v: unknown, pretty: boolean): string {
  const s = pretty ? JSON.stringify(v, null, 2) : JSON.stringify(v);
  return s.replace(/[<>&]/g, (c) => (c === "<" ? "\\u003c" : c === ">" ? "\\u003e" : "\\u0026"));
}

function b64(s: string): string {
  // btoa works on Latin-1 only; encode UTF-8 first.
  const bytes = new TextEncoder().encode(s);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export interface RawjsonOptions extends PlanOptions {
  /** Pretty-printed multi-line objects like buildx 0.13 (default) or one object per line. */
  pretty?: boolean;
  /** Output lines per `logs` chunk. */
  linesPerChunk?: number;
}

export function renderRawjsonLog(plan: BuildPlan, opts: RawjsonOptions = {}): string {
  const r = prng((opts.seed ?? 1) ^ 0x7a3);
  const pretty = opts.pretty ?? true;
  const inject = opts.inject ?? null;
  const perChunk = opts.linesPerChunk ?? 8;
  const parts: string[] = [];
  const out = (o: unknown) => parts.push(goJson(o, pretty));
  const t0 = Date.UTC(2026, 0, 15, 9, 0, 0);
  let now = t0;
  const ts = (ms: number) => new Date(ms).toISOString().replace(/\.?0*Z$/, "Z").replace(/(\.\d{3})Z$/, (_m, f) => `${f}${hex(r, 3).replace(/[a-f]/g, "1")}Z`);

  type V = { digest: string; inputs: string[]; name: string; s: PlannedStep | null };
  const vertices: V[] = [];
  const internal = (name: string): V => ({ digest: sha(r), inputs: [], name, s: null });
  const pre: V[] = [internal("[internal] load build definition from Dockerfile"), internal("[internal] load .dockerignore"), internal("[internal] load build context")];
  const images = [...new Set(plan.stages.filter((s) => !s.baseIsStage).map((s) => s.base))];
  for (const img of images) pre.push(internal(`[internal] load metadata for docker.io/library/${img}`));
  vertices.push(...pre);
  const stageLast = new Map<string, string>();
  for (const st of plan.stages) {
    let prev = st.baseIsStage ? stageLast.get(st.base) ?? null : null;
    for (const s of st.steps) {
      if (!s.vertex) continue;
      const v: V = { digest: sha(r), inputs: prev ? [prev] : s.keyword === "COPY" || s.keyword === "ADD" ? [pre[2]!.digest] : [], name: stepLabel(st.name, s.position!, st.of, s.text), s };
      vertices.push(v);
      prev = v.digest;
    }
    if (prev) stageLast.set(st.name, prev);
  }
  const exporter = internal("exporting to image");
  vertices.push(exporter);

  // Graph load: every vertex once, no started.
  const loadChunk = 50;
  for (let i = 0; i < vertices.length; i += loadChunk) {
    out({ vertexes: vertices.slice(i, i + loadChunk).map((v) => ({ digest: v.digest, inputs: v.inputs.length ? v.inputs : undefined, name: v.name })) });
  }
  for (const v of vertices) {
    const base = { digest: v.digest, inputs: v.inputs.length ? v.inputs : undefined, name: v.name };
    const started = ts(now);
    if (v.s && v.s.status === "cached") {
      out({ vertexes: [{ ...base, started, completed: started, cached: true }] });
      now += int(r, 0, 5);
      continue;
    }
    out({ vertexes: [{ ...base, started }] });
    if (v.s?.pull) {
      const layers = int(r, 2, 5);
      for (let l = 0; l < layers; l++) {
        const id = sha(r);
        const total = int(r, 1_000_000, 300_000_000);
        for (let x = 1; x <= 3; x++) {
          now += int(r, 50, 400);
          out({ statuses: [{ id, vertex: v.digest, current: Math.round((total * x) / 3), total, timestamp: ts(now), started, ...(x === 3 ? { completed: ts(now) } : {}) }] });
        }
      }
    }
    const lines = v.s?.outputLines ?? 0;
    for (let i = 0; i < lines; i += perChunk) {
      let chunk = "";
      for (let k = i; k < Math.min(lines, i + perChunk); k++) chunk += outputLine(r, inject) + "\n";
      now += int(r, 10, 900);
      out({ logs: [{ vertex: v.digest, stream: r() < 0.8 ? 1 : 2, data: b64(chunk), timestamp: ts(now) }] });
    }
    now += Math.round((v.s?.seconds ?? r()) * 1000);
    out({ vertexes: [{ ...base, started, completed: ts(now) }] });
  }
  return parts.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Sized builds

export interface GeneratedBuild {
  dockerfile: string;
  log: string;
  stages: number;
  steps: number;
  bytes: number;
}

function countSteps(plan: BuildPlan): number {
  let n = 0;
  for (const st of plan.stages) for (const s of st.steps) if (s.vertex || s.keyword === "FROM") n++;
  return n;
}

/**
 * A realistic log of about `targetBytes` (±10 %): many stages and vertices, RUN output, CACHED/DONE,
 * resumptions and pull status lines. The output volume is scaled in a second pass to hit the size.
 */
export function generateSizedBuild(format: "plain" | "rawjson" | "rawjson-lines", targetBytes: number, seed = 42): GeneratedBuild {
  const stages = Math.max(4, Math.min(60, Math.round(targetBytes / 400_000) + 4));
  const base: PlanOptions = { seed, stages, stepsPerStage: 12, rebuildFraction: 0.6 };
  const render = (outputLinesPerRun: number) => {
    const plan = planBuild({ ...base, outputLinesPerRun });
    const log =
      format === "plain" ? renderPlainLog(plan, { ...base }) : renderRawjsonLog(plan, { ...base, pretty: format === "rawjson" });
    return { plan, log };
  };
  let guess = 20;
  let g = render(guess);
  for (let pass = 0; pass < 3; pass++) {
    const size = g.log.length;
    if (Math.abs(size - targetBytes) / targetBytes < 0.08) break;
    guess = Math.max(0, guess * (targetBytes / Math.max(1, size)));
    g = render(guess);
  }
  return { dockerfile: renderDockerfile(g.plan), log: g.log, stages: g.plan.stages.length, steps: countSteps(g.plan), bytes: utf8Bytes(g.log) };
}

/** The 100-stage / 2,000-step build (20 vertex steps per stage). */
export function generateLargeGraph(format: "plain" | "rawjson" = "plain", seed = 7, stages = 100, stepsPerStage = 20): GeneratedBuild {
  const plan = planBuild({ seed, stages, stepsPerStage, outputLinesPerRun: 3, rebuildFraction: 0.5 });
  const log = format === "plain" ? renderPlainLog(plan, { seed }) : renderRawjsonLog(plan, { seed });
  return { dockerfile: renderDockerfile(plan), log, stages, steps: countSteps(plan), bytes: utf8Bytes(log) };
}

/** A small, well-formed build (for property tests that mutate real-looking logs). */
export function generateSmallBuild(seed: number, format: "plain" | "rawjson" | "rawjson-lines" | "old" = "plain"): GeneratedBuild {
  const r = prng(seed);
  const plan = planBuild({ seed, stages: int(r, 1, 4), stepsPerStage: int(r, 2, 6), outputLinesPerRun: int(r, 0, 6) });
  const log =
    format === "plain" || format === "old"
      ? renderPlainLog(plan, { seed, oldForm: format === "old" })
      : renderRawjsonLog(plan, { seed, pretty: format === "rawjson" });
  return { dockerfile: renderDockerfile(plan), log, stages: plan.stages.length, steps: countSteps(plan), bytes: utf8Bytes(log) };
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs

export const HTML_PAYLOAD = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

export interface HostileCase {
  name: string;
  log: string | Uint8Array;
  dockerfile?: string;
  /** What the report must at least show. */
  expect?: { minSteps?: number; maxSeconds?: number };
}

export function hostileSingleLine(bytes = 50 * 1024 * 1024): string {
  // A "log" that is one gigantic line, half plausible header text.
  const unit = "#1 [internal] load build definition from Dockerfile ";
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

export function hostileBinary(bytes = 1024 * 1024, seed = 3): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = r() < 0.1 ? 0 : Math.floor(r() * 256);
  return out;
}

/** A real-looking log with NUL bytes sprinkled into its lines. */
export function hostileNulLog(seed = 5): string {
  const r = prng(seed);
  const { log } = generateSmallBuild(seed);
  let s = "";
  for (const ch of log) s += r() < 0.02 ? "\u0000" + ch : ch;
  return s;
}

/** Every character of a real log wrapped in colour codes, plus long runs of cursor escapes. */
export function hostileAnsiFlood(seed = 9, floodBytes = 2 * 1024 * 1024): string {
  const { log } = generateSmallBuild(seed);
  let s = "";
  for (const ch of log) s += ch === "\n" ? "\n" : `\u001b[3${ch.charCodeAt(0) % 8}m${ch}\u001b[0m`;
  const flood = "\u001b[2K\u001b[1A\u001b[0G".repeat(Math.ceil(floodBytes / 14));
  return flood + "\n" + s + flood + "\n";
}

export function hostileDeepJson(depth = 100_000): string[] {
  return [
    "[".repeat(depth),
    '{"vertexes":' + "[".repeat(depth) + "\n",
    '{"vertexes":[{"digest":"sha256:1","name":' + '{"a":'.repeat(depth) + "1" + "}".repeat(depth) + "}]}\n",
    "{\n" + '  "logs": ['.repeat(1) + "{".repeat(depth) + "\n",
  ];
}

/** N stages, each FROM an image + one RUN; log with every step. */
export function hostileManyStages(n = 10_000, seed = 11): GeneratedBuild {
  const plan = planBuild({ seed, stages: n, stepsPerStage: 2, outputLinesPerRun: 0, rebuildFraction: 0.2 });
  const log = renderPlainLog(plan, { seed, resumeProbability: 0 });
  return { dockerfile: renderDockerfile(plan), log, stages: n, steps: countSteps(plan), bytes: utf8Bytes(log) };
}

/** HTML/script in step names, log output lines and Dockerfile comments. */
export function hostileHtml(seed = 13): GeneratedBuild {
  const plan = planBuild({ seed, stages: 3, stepsPerStage: 6, outputLinesPerRun: 10, inject: HTML_PAYLOAD, rebuildFraction: 1 });
  // Make sure at least one RUN name carries the payload.
  const st = plan.stages[0]!;
  const run = st.steps.find((s) => s.keyword === "RUN") ?? st.steps[st.steps.length - 1]!;
  run.text = `RUN echo '${HTML_PAYLOAD}'`;
  run.dockerfileLines = [run.text];
  run.keyword = "RUN";
  run.status = "done";
  run.outputLines = Math.max(2, run.outputLines);
  const log = renderPlainLog(plan, { seed, inject: HTML_PAYLOAD });
  return { dockerfile: renderDockerfile(plan, { inject: HTML_PAYLOAD }), log, stages: 3, steps: countSteps(plan), bytes: utf8Bytes(log) };
}

export function hostileLongDockerfile(lines = 100_000, seed = 17): string {
  const r = prng(seed);
  const out: string[] = ["FROM alpine:3.20 AS base"];
  let stage = 0;
  while (out.length < lines) {
    const x = r();
    if (x < 0.002) out.push(`FROM base AS s${++stage}`);
    else if (x < 0.5) out.push(`RUN echo ${hex(r, 8)} && \\`, `    true`);
    else if (x < 0.7) out.push(`# comment ${hex(r, 12)}`);
    else if (x < 0.8) out.push(`ENV K${out.length}=${hex(r, 4)}`);
    else if (x < 0.9) out.push(`COPY f${out.length} /f${out.length}`);
    else out.push("");
  }
  return out.slice(0, lines).join("\n") + "\n";
}

export function allHostileCases(): HostileCase[] {
  const many = hostileManyStages();
  const html = hostileHtml();
  const deep = hostileDeepJson();
  return [
    { name: "50 MB single line", log: hostileSingleLine() },
    { name: "binary with NUL bytes (1 MB)", log: hostileBinary() },
    { name: "plain log with NUL bytes", log: hostileNulLog(), dockerfile: generateSmallBuild(5).dockerfile },
    { name: "ANSI escape flood", log: hostileAnsiFlood(), dockerfile: generateSmallBuild(9).dockerfile },
    ...deep.map((log, i) => ({ name: `deeply nested rawjson #${i + 1}`, log })),
    { name: "10,000 stages", log: many.log, dockerfile: many.dockerfile },
    { name: "HTML/script in names, output and comments", log: html.log, dockerfile: html.dockerfile },
    { name: "100,000-line Dockerfile", log: generateSmallBuild(17).log, dockerfile: hostileLongDockerfile() },
  ];
}
