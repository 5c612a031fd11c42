/**
 * Linear-time and regex-backtracking guards. The process's CPU time (not wall time: other
 * processes' load must not decide) is compared between two sizes of the same shape, n and 4n (two
 * doublings; after a warm-up, the minimum of a few alternating runs; sizes large enough to dwarf
 * timer noise): it may grow at most 9× (~3× per doubling; linear is 4×, quadratic 16×).
 * Pathological single lines must parse within a loose bound of CPU time (backtracking takes far longer).
 * Not a benchmark — `npm run bench` measures speed (its hostile rows: 10,000 stages, 100,000-line Dockerfile).
 */
import { describe, expect, it } from "vitest";
import { parseLog } from "../../lib/parse/log/index";
import { parseDockerfile } from "../../lib/parse/dockerfile";
import { analyze } from "../../lib/analyze/index";
import { hostileLongDockerfile, hostileManyStages, planBuild, renderPlainLog, renderRawjsonLog, renderDockerfile } from "../../bench/generate";
import { minCpuTime } from "./helpers";

/** Allowed growth for 4× the input: ~3× per doubling. */
const FACTOR = 9;
/** Below this the measurement is noise; the doubled run is then only checked against an absolute bound. */
const FLOOR_MS = 25;

function expectLinear(name: string, small: () => unknown, large: () => unknown, runs = 3) {
  small();
  large(); // warm up
  // Alternate the two sizes so a burst of load from other processes hits both alike.
  let a = Infinity;
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    a = Math.min(a, minCpuTime(small, 1));
    b = Math.min(b, minCpuTime(large, 1));
  }
  const ratio = b / Math.max(a, FLOOR_MS);
  expect(ratio, `${name}: ${a.toFixed(1)} ms → ${b.toFixed(1)} ms when the input grows 4×`).toBeLessThan(FACTOR);
}

function oneVertexLog(lines: number): string {
  const out = ['#0 building with "default" instance using docker driver', "", "#1 [build 1/2] RUN make"];
  for (let i = 0; i < lines; i++) out.push(`#1 ${(i / 100).toFixed(3)} [${i}/${lines}] Building CXX object src/CMakeFiles/core.dir/f${i}.cpp.o`);
  out.push("#1 DONE 12.3s", "");
  return out.join("\n");
}

function oneVertexRawjson(chunks: number): string {
  const d = "sha256:" + "a".repeat(64);
  const out = [JSON.stringify({ vertexes: [{ digest: d, name: "[build 1/2] RUN make", started: "2026-01-01T00:00:00Z" }] }, null, 2)];
  const data = btoa("line of output that is long enough\n".repeat(3));
  for (let i = 0; i < chunks; i++) out.push(JSON.stringify({ logs: [{ vertex: d, stream: 1, data, timestamp: "2026-01-01T00:00:01Z" }] }, null, 2));
  out.push(JSON.stringify({ vertexes: [{ digest: d, name: "[build 1/2] RUN make", started: "2026-01-01T00:00:00Z", completed: "2026-01-01T00:01:00Z" }] }, null, 2));
  return out.join("\n");
}

describe("linear time", () => {
  it("plain: 4× stages, vertices and output", () => {
    const mk = (stages: number) => {
      const plan = planBuild({ seed: 3, stages, stepsPerStage: 12, outputLinesPerRun: 400 });
      return { log: renderPlainLog(plan, { seed: 3 }), dockerfile: renderDockerfile(plan) };
    };
    const s = mk(5);
    const l = mk(20);
    expectLinear("parseLog plain", () => parseLog(s.log), () => parseLog(l.log));
    expectLinear("analyze plain", () => analyze(s), () => analyze(l));
  });

  it("rawjson (pretty): 4× stages and vertices", () => {
    const mk = (stages: number) => {
      const plan = planBuild({ seed: 4, stages, stepsPerStage: 12, outputLinesPerRun: 300 });
      return { log: renderRawjsonLog(plan, { seed: 4 }), dockerfile: renderDockerfile(plan) };
    };
    const s = mk(4);
    const l = mk(16);
    expectLinear("parseLog rawjson", () => parseLog(s.log), () => parseLog(l.log));
    expectLinear("analyze rawjson", () => analyze(s), () => analyze(l));
  });

  it("one vertex with a huge output (plain) and many log chunks (rawjson)", () => {
    const a = oneVertexLog(20_000);
    const b = oneVertexLog(80_000);
    expectLinear("plain output lines", () => parseLog(a), () => parseLog(b));
    const c = oneVertexRawjson(6_000);
    const d = oneVertexRawjson(24_000);
    expectLinear("rawjson log chunks", () => parseLog(c), () => parseLog(d));
  });

  it("Dockerfile: 4× lines", () => {
    const a = hostileLongDockerfile(2_000);
    const b = hostileLongDockerfile(8_000);
    expectLinear("parseDockerfile", () => parseDockerfile(a), () => parseDockerfile(b));
  });

  it("many stages: 4× the stage count", () => {
    const a = hostileManyStages(200);
    const b = hostileManyStages(800);
    expectLinear("analyze many stages", () => analyze(a), () => analyze(b));
  });
});

describe("regex backtracking guard", () => {
  const N = 100_000;
  const logLines: [string, string][] = [
    ["100k spaces", " ".repeat(N)],
    ["#1 + 100k digits", "#1 " + "9".repeat(N)],
    ["100k digits after #", "#" + "1".repeat(N)],
    ["[ × 100k", "[".repeat(N)],
    ["#1 [ × 100k", "#1 " + "[".repeat(N)],
    ["#1 [a  a  a …", "#1 [" + "a ".repeat(N / 2)],
    ["#1 [s 1/2] + spaces", "#1 [s 1/2]" + " ".repeat(N) + "x"],
    ["status line of sizes", "#1 sha256:" + "1.00MB / ".repeat(N / 10)],
    ["long DONE", "#1 DONE " + "1".repeat(N) + "." + "1".repeat(N) + "s"],
    ["ERROR chain", "ERROR: " + "failed to solve: ".repeat(N / 20)],
    ["timestamps", "2025-01-05T18:29:13.0319276Z ".repeat(N / 30)],
    ["ANSI starts", "\u001b[".repeat(N / 2)],
    ["{ × 100k", "{".repeat(N)],
    ["quotes", '{"' + '\\"'.repeat(N / 2)],
    ["excerpt bars", " ".repeat(N / 2) + "1 | " + ">>>".repeat(N / 10)],
    ["tabs and CRs", "\t\r".repeat(N / 2)],
  ];
  for (const [name, line] of logLines) {
    it(`log line: ${name}`, () => {
      for (const text of [line, `#0 building with "default" instance using docker driver\n\n#1 [internal] load build definition from Dockerfile\n${line}\n#1 DONE 0.1s\n`]) {
        let p: unknown;
        const ms = minCpuTime(() => (p = parseLog(text)), 1);
        expect(p).toBeTruthy();
        expect(ms, `${name}: ${ms.toFixed(0)} ms`).toBeLessThan(2000);
      }
    });
  }

  const dfLines: [string, string][] = [
    ["RUN + 100k spaces", "FROM a\nRUN " + " ".repeat(N) + "x"],
    ["$ × 100k", "FROM a\nARG X\nRUN " + "$".repeat(N)],
    ["${ × 50k", "FROM a\nRUN " + "${".repeat(N / 2)],
    ["continuations", "FROM a\nRUN a" + " \\\n".repeat(N / 2) + "b"],
    ["flags", "FROM a\nCOPY " + "--x=".repeat(N / 4) + " . ."],
    ["mount options", "FROM a\nRUN --mount=" + "type=cache,".repeat(N / 11) + " x"],
    ["unterminated heredoc", "FROM a\nRUN <<EOF\n" + "line\n".repeat(N / 5)],
    ["directive", "# syntax=" + "a".repeat(N) + "\nFROM a"],
    ["quotes", 'FROM a\nENV A="' + '\\"'.repeat(N / 2)],
    ["[ × 100k", "FROM a\nCMD " + "[".repeat(N)],
  ];
  for (const [name, text] of dfLines) {
    it(`Dockerfile: ${name}`, () => {
      let m: unknown;
      const ms = minCpuTime(() => (m = parseDockerfile(text)), 1);
      expect(m).toBeTruthy();
      expect(ms, `${name}: ${ms.toFixed(0)} ms`).toBeLessThan(3000);
    });
  }
});
