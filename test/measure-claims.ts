// Conformance figures over both fixture sets, every captured log (plain, rawjson, legacy):
//   npx tsx test/measure-claims.ts [--verbose]
// wrong claims = a cause stated as exact/inferred that is not the true one, plus a candidate list
// without the true cause, plus a grade stronger than the inputs allow (the grade the
// scenario's inputs allow: exact where only inferred, exact/inferred where they cannot decide).
import { analyzeScenario, judge } from "./conformance";
import { FIXTURE_SETS, loadScenarios, type Scenario } from "./scenarios";

const verbose = process.argv.includes("--verbose");
for (const root of FIXTURE_SETS) {
  const scs = loadScenarios(root);
  for (const mode of ["single", "compare"] as const) {
    const counts = new Map<string, number>();
    let claims = 0;
    let logs = 0;
    for (const sc of scs) {
      if (mode === "compare" && !sc.expected.previousLogFile) continue;
      const alts = sc.expected.alternateLogFiles;
      const names = Array.isArray(alts) ? (alts as string[]) : Object.keys((alts as Record<string, unknown>) ?? {});
      const known = (sc.expected.alternateKnownFailures as Record<string, string> | undefined) ?? {};
      for (const file of [sc.expected.logFile, ...names.filter((f) => !known[f] && sc.readBytes(f))]) {
        const steps = { ...sc.expected.steps, ...((alts as Record<string, Record<string, string>> | undefined)?.[file] ?? {}) };
        const scn: Scenario = { ...sc, expected: { ...sc.expected, logFile: file, steps } };
        logs++;
        const r = analyzeScenario(scn, mode);
        claims += r.steps.filter((s) => s.miss).length;
        for (const p of judge(scn, r, mode)) {
          let kind: string = p.kind;
          if (kind === "evidence") {
            const m = /evidence (\w+) .*expected (\w+)/.exec(p.message);
            const rank: Record<string, number> = { candidates: 0, inferred: 1, exact: 2 };
            kind = m && rank[m[1]] > rank[m[2]] ? "over-claimed grade" : "under-claimed grade";
          }
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
          if (verbose) console.log(`  ${sc.set}/${sc.slug} ${file} [${mode}] ${kind}: ${p.message}`);
        }
      }
    }
    const wrong = (counts.get("wrong-claim") ?? 0) + (counts.get("missing-candidate") ?? 0) + (counts.get("over-claimed grade") ?? 0);
    console.log(`${root.split("/").pop()} (${scs.length} scenarios, ${logs} logs) ${mode}: ${claims} explained steps; wrong claims ${wrong}` + ([...counts].length ? ` (${[...counts].map(([k, v]) => `${k} ${v}`).join(", ")})` : ""));
  }
}
