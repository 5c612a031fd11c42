import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** A captured real-engine scenario (fixtures/scenarios/<slug>/), see fixtures/scenarios/README.md. */
export interface Scenario {
  slug: string;
  dir: string;
  expected: {
    description: string;
    change: string;
    format: string;
    logFile: string;
    previousLogFile?: string | null;
    dockerfile?: string | null;
    previousDockerfile?: string | null;
    buildStatus: string;
    steps: Record<string, string>;
    rootCauses?: { rootStep: string; cause: string; line?: number | null; singleLog?: "candidate" }[];
    invalidated?: Record<string, string>;
    findings?: string[];
    notFindings?: string[];
    imageFile?: string | null;
    [k: string]: unknown;
  };
  read(file: string | null | undefined): string | null;
  readBytes(file: string | null | undefined): Uint8Array | null;
}

export const SCENARIO_ROOT = path.resolve(__dirname, "../fixtures/scenarios");

export function loadScenarios(): Scenario[] {
  if (!existsSync(SCENARIO_ROOT)) return [];
  return readdirSync(SCENARIO_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(SCENARIO_ROOT, d.name, "expected.json")))
    .map((d) => {
      const dir = path.join(SCENARIO_ROOT, d.name);
      const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8"));
      const file = (f: string | null | undefined) => (f && existsSync(path.join(dir, f)) ? path.join(dir, f) : null);
      return {
        slug: d.name,
        dir,
        expected,
        read: (f) => {
          const p = file(f);
          return p ? readFileSync(p, "utf8") : null;
        },
        readBytes: (f) => {
          const p = file(f);
          return p ? new Uint8Array(readFileSync(p)) : null;
        },
      } satisfies Scenario;
    })
    .sort((a, b) => a.slug.localeCompare(b.slug));
}
