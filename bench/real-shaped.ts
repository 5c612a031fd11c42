/**
 * Bench inputs shaped like real logs, grown from the real captures in fixtures/scenarios/:
 *
 * - the structure is the captured build of `12-parallel-stages-one-changed` (two parallel stages
 *   feeding a third, `#0 building with`, the `[internal]` vertices, `[stage i/n]` labels, CACHED /
 *   DONE lines exactly as the engine printed them), replicated with renamed stages and renumbered
 *   vertices, optionally with more RUN steps per stage (for the 500-stage case);
 * - RUN output uses the output texts the captures hold (and, when ../shared/corpus is there, the
 *   output of those real published logs), in the engine's `#N <seconds> <text>` form, with
 *   `\r` progress redraws inside lines, one vertex carrying a long share of the output, and the two
 *   parallel RUNs of each replica interleaved with `#N ...` resumptions and repeated headers;
 * - rawjson is the same build as the engine's SolveStatus stream, one JSON object per line
 *   (buildx ≥ 0.14 / `docker buildx history logs --progress=rawjson`), output in base64 `logs`.
 *
 * Written through `write()` in pieces, so a 200 MB input never exists as one string.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { prng } from "./generate";

export interface ShapedOptions {
  format: "plain" | "rawjson";
  /** Approximate size of the log in bytes. */
  targetBytes: number;
  /** Replicas of the template's three stages. */
  replicas?: number;
  /** Extra RUN steps added to every stage (the template has 3–4 steps per stage). */
  extraSteps?: number;
  seed?: number;
}

export interface ShapedBuild {
  dockerfile: string;
  steps: number;
  stages: number;
  bytes: number;
  /** Where the output texts came from. */
  textSource: string;
}

interface Step {
  id: number;
  label: string; // `[frontend-1 4/4] RUN …`
  cached: boolean;
  run: boolean;
  seconds: number;
  weight: number; // share of the output
}

const TEMPLATE = "12-parallel-stages-one-changed";

/** Output texts of the captured logs (and of the shared corpus when present). */
function outputPool(root: string): { texts: string[]; source: string } {
  const texts = new Set<string>();
  const read = (file: string) => {
    const s = readFileSync(file, "utf8");
    for (const line of s.split("\n")) {
      const m = /^(?:\S+Z )?#\d+ \d+\.\d+ (.+)$/.exec(line.replace(/\r$/, ""));
      if (m && m[1]!.length < 300) texts.add(m[1]!.replace(/\x1b\[[0-9;]*m/g, ""));
    }
  };
  const scenarios = path.join(root, "fixtures", "scenarios");
  for (const d of readdirSync(scenarios)) {
    const dir = path.join(scenarios, d);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) if (f.endsWith(".log") && !f.includes("legacy") && !f.includes("rawjson")) read(path.join(dir, f));
  }
  let source = `fixtures/scenarios (${texts.size} output texts)`;
  const corpus = path.resolve(root, "..", "shared", "corpus");
  if (existsSync(corpus)) {
    const before = texts.size;
    for (const d of readdirSync(corpus)) {
      const dir = path.join(corpus, d);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir)) if (f.endsWith(".log")) read(path.join(dir, f));
    }
    source += ` + ../shared/corpus (${texts.size - before})`;
  }
  return { texts: [...texts], source };
}

export function writeShapedBuild(root: string, opts: ShapedOptions, write: (s: string) => void): ShapedBuild {
  const rnd = prng(opts.seed ?? 7);
  const replicas = opts.replicas ?? 10;
  const extra = opts.extraSteps ?? 0;
  const tplDir = path.join(root, "fixtures", "scenarios", TEMPLATE);
  const tplDockerfile = readFileSync(path.join(tplDir, "Dockerfile"), "utf8");
  const tplLog = readFileSync(path.join(tplDir, "after.log"), "utf8");
  const { texts, source } = outputPool(root);

  // ---- Dockerfile: the template's stages per replica, renamed; extra RUN steps per stage.
  const stageBlocks = tplDockerfile.trim().split(/\n\s*\n/);
  const df: string[] = [];
  const stepsOf: { stage: string; lines: string[] }[] = [];
  for (let r = 1; r <= replicas; r++) {
    for (const block of stageBlocks) {
      const lines = block.split("\n");
      const from = lines[0]!;
      const m = / AS (\S+)$/.exec(from);
      const name = `${m ? m[1] : "release"}-${r}`;
      const body = lines.slice(1).map((l) => l.replace(/--from=(\w+)/g, (_, n: string) => `--from=${n}-${r}`));
      for (let k = 0; k < extra; k++) body.push(`RUN sleep 1 && echo "step ${k} of ${name}" > /tmp/step-${k}`);
      df.push(`${from.replace(/ AS \S+$/, "")} AS ${name}`, ...body, "");
      stepsOf.push({ stage: name, lines: body });
    }
  }
  const dockerfile = df.join("\n");

  // ---- Steps in log order, with the template's cache pattern (what its log printed).
  const tplCached = new Map<string, boolean>();
  const headers = [...tplLog.matchAll(/^#(\d+) \[(\S+) +\d+\/\d+\] (.+)$/gm)];
  for (const h of headers) {
    const done = new RegExp(`^#${h[1]} CACHED$`, "m").test(tplLog);
    tplCached.set(h[3]!, done);
  }
  let nextId = 6;
  const steps: Step[] = [];
  /** Log order: per replica the steps of its stages, the two parallel final RUNs as a pair. */
  const order: (Step | [Step, Step])[] = [];
  for (let r = 0; r < replicas; r++) {
    const finals: Step[] = [];
    for (let b = 0; b < stageBlocks.length; b++) {
      const st = stepsOf[r * stageBlocks.length + b]!;
      const n = st.lines.length + 1;
      st.lines.forEach((text, k) => {
        const base = text.replace(/--from=(\w+)-\d+/g, "--from=$1");
        const run = text.startsWith("RUN ");
        // The template's cache pattern for the other steps; RUN steps ran (they carry the output).
        const cached = run ? false : (tplCached.get(base) ?? false);
        const step: Step = { id: nextId++, label: `[${st.stage} ${k + 2}/${n}] ${text}`, cached, run, seconds: 0.2 + rnd() * 3, weight: run ? 1 : 0 };
        steps.push(step);
        const parallelFinal = b < 2 && k === st.lines.length - 1 && run;
        if (parallelFinal) finals.push(step);
        else order.push(step);
        if (finals.length === 2 && b === 1 && k === st.lines.length - 1) order.push([finals[0]!, finals[1]!]);
      });
    }
  }
  // One vertex carries a long share of the output (a big compile or test run).
  const runs = steps.filter((s) => s.weight > 0);
  if (runs.length > 0) runs[Math.floor(runs.length / 2)]!.weight = Math.max(1, runs.length * 0.4);
  const totalWeight = runs.reduce((a, s) => a + s.weight, 0) || 1;

  // ---- Writer with a running byte count (ASCII-dominated; multi-byte texts counted by length).
  let bytes = 0;
  let buf: string[] = [];
  let bufLen = 0;
  const emit = (s: string) => {
    buf.push(s);
    bufLen += s.length;
    if (bufLen > 1 << 20) flush();
  };
  const flush = () => {
    if (buf.length) write(buf.join(""));
    bytes += bufLen;
    buf = [];
    bufLen = 0;
  };
  // What the headers and status lines of the steps take; the rest is RUN output.
  const budget = Math.max(0, opts.targetBytes - (opts.format === "plain" ? 110 : 900) * steps.length);
  const outputLine = (t: number): string => {
    const text = texts.length ? texts[Math.floor(rnd() * texts.length)]! : "ok";
    if (rnd() < 0.08) {
      // A progress redraw: the engine keeps the `\r`s inside one line.
      const a = Math.floor(rnd() * 90);
      return `${text} ${a}%\r${text} ${a + 5}%\r${text} ${a + 10}%`;
    }
    return text;
  };
  const meanText = texts.reduce((a, t) => a + t.length, 0) / Math.max(1, texts.length);
  // Bytes per output line: `#N ` + `12.345 ` + text + newline (rawjson: base64 and JSON framing, batched).
  const perLine = opts.format === "plain" ? meanText + 14 + String(nextId).length : (meanText + 1) * 1.34 + 30;
  const linesFor = (s: Step) => Math.round(((s.weight / totalWeight) * budget) / perLine);

  if (opts.format === "plain") {
    const internal = tplLog.split(/\n\n/).filter((b) => /^#[1235] /.test(b));
    emit(`#0 building with "default" instance using docker driver\n\n${internal.slice(0, 3).join("\n\n")}\n\n`);
    emit(`#4 [${stepsOf[0]!.stage} 1/${stepsOf[0]!.lines.length + 1}] FROM docker.io/local/busybox:latest\n#4 DONE 0.0s\n\n`);
    emit(`${internal[3] ?? "#5 [internal] load build context\n#5 transferring context: 169B done\n#5 DONE 0.0s"}\n\n`);
    const out = (s: Step, n: number, t0: number) => {
      let t = t0;
      for (let i = 0; i < n; i++) {
        t += rnd() * 0.004;
        emit(`#${s.id} ${t.toFixed(3)} ${outputLine(t)}\n`);
      }
      return t;
    };
    for (const item of order) {
      if (Array.isArray(item)) {
        // The parallel RUNs of a replica: interleaved blocks with resumptions, as the printer does.
        const [s, partner] = item;
        const na = linesFor(s);
        const nb = linesFor(partner);
        let ta = 0;
        let tb = 0;
        const rounds = 4;
        for (let k = 0; k < rounds; k++) {
          emit(`#${s.id} ${s.label}\n`);
          ta = out(s, Math.ceil(na / rounds), ta);
          emit(k === rounds - 1 ? `#${s.id} DONE ${Math.max(ta, s.seconds).toFixed(1)}s\n\n` : `#${s.id} ...\n\n`);
          emit(`#${partner.id} ${partner.label}\n`);
          tb = out(partner, Math.ceil(nb / rounds), tb);
          emit(k === rounds - 1 ? `#${partner.id} DONE ${Math.max(tb, partner.seconds).toFixed(1)}s\n\n` : `#${partner.id} ...\n\n`);
        }
        continue;
      }
      const s = item;
      emit(`#${s.id} ${s.label}\n`);
      if (s.cached) emit(`#${s.id} CACHED\n\n`);
      else {
        const t = s.weight > 0 ? out(s, linesFor(s), 0) : 0;
        emit(`#${s.id} DONE ${Math.max(t, s.seconds).toFixed(1)}s\n\n`);
      }
    }
    const ex = nextId;
    emit(`#${ex} exporting to image\n#${ex} exporting layers 0.1s done\n#${ex} writing image sha256:${"ab".repeat(32)} done\n#${ex} naming to docker.io/library/bench:latest done\n#${ex} DONE 0.2s\n`);
  } else {
    const enc = new TextEncoder();
    const b64 = (s: string) => Buffer.from(enc.encode(s)).toString("base64");
    let clock = Date.UTC(2026, 10, 22, 6, 27, 39) / 1000;
    const ts = () => new Date((clock += rnd() * 0.01) * 1000).toISOString().replace("Z", "123Z");
    const digest = (id: number) => "sha256:" + id.toString(16).padStart(64, "0");
    const vertex = (id: number, name: string, extra: string) => emit(`{"vertexes":[{"digest":"${digest(id)}","name":${JSON.stringify(name)}${extra}}]}\n`);
    const steps0: { id: number; name: string }[] = [
      { id: 1, name: "[internal] load build definition from Dockerfile" },
      { id: 2, name: "[internal] load metadata for docker.io/local/busybox:latest" },
      { id: 3, name: "[internal] load .dockerignore" },
      { id: 4, name: `[${stepsOf[0]!.stage} 1/${stepsOf[0]!.lines.length + 1}] FROM docker.io/local/busybox:latest` },
      { id: 5, name: "[internal] load build context" },
    ];
    for (const v of steps0) {
      const st = ts();
      vertex(v.id, v.name, `,"started":"${st}"`);
      vertex(v.id, v.name, `,"started":"${st}","completed":"${ts()}"`);
    }
    for (const s of order.flat()) {
      const name = s.label;
      const inputs = `,"inputs":["${digest(s.id - 1)}"]`;
      if (s.cached) {
        const st = ts();
        vertex(s.id, name, `${inputs},"cached":true,"started":"${st}","completed":"${st}"`);
        continue;
      }
      const st = ts();
      vertex(s.id, name, `${inputs},"started":"${st}"`);
      let n = s.weight > 0 ? linesFor(s) : 0;
      while (n > 0) {
        // The engine batches output: a few lines per `logs` entry.
        const k = Math.min(n, 1 + Math.floor(rnd() * 6));
        let data = "";
        for (let j = 0; j < k; j++) data += outputLine(0) + "\n";
        n -= k;
        emit(`{"logs":[{"vertex":"${digest(s.id)}","stream":1,"data":"${b64(data)}","timestamp":"${ts()}"}]}\n`);
      }
      clock += s.seconds;
      vertex(s.id, name, `${inputs},"started":"${st}","completed":"${ts()}"`);
    }
  }
  flush();
  return { dockerfile, steps: steps.length + 1, stages: stepsOf.length, bytes, textSource: source };
}
