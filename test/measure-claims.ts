// Prints the conformance figures over both fixture sets: npx tsx test/measure-claims.ts [--verbose]
import { analyzeScenario, judge } from "./conformance";
import { FIXTURE_SETS, loadScenarios } from "./scenarios";

const verbose = process.argv.includes("--verbose");
for (const root of FIXTURE_SETS) {
  const scs = loadScenarios(root);
  for (const mode of ["single", "compare"] as const) {
    const counts = new Map<string, number>();
    let claims = 0;
    for (const sc of scs) {
      if (mode === "compare" && !sc.expected.previousLogFile) continue;
      const r = analyzeScenario(sc, mode);
      claims += r.steps.filter((s) => s.miss).length;
      for (const p of judge(sc, r, mode)) {
        counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
        if (verbose) console.log(`  ${sc.set}/${sc.slug} [${mode}] ${p.kind}: ${p.message}`);
      }
    }
    console.log(`${root.split("/").pop()} (${scs.length} scenarios) ${mode}: ${claims} explained steps; ` + ([...counts].map(([k, v]) => `${k} ${v}`).join(", ") || "no problems"));
  }
}
