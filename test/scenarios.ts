import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A captured real-engine scenario (fixtures/scenarios/<slug>/ from Docker 26.1, fixtures/modern/<slug>/
 * from Docker 28.5), see fixtures/scenarios/README.md.
 */
export interface ExpectedRootCause {
  rootStep: string;
  cause: string;
  line?: number | null;
  /** Legacy spelling of evidence "candidates" for the single-log report. */
  singleLog?: "candidate";
  /** Evidence grade the single-log report must give; "candidates" means `cause` must be among the candidates. */
  evidence?: "exact" | "inferred" | "candidates";
  /** Causes that the single-log candidate list must contain (besides `cause`). */
  candidates?: string[];
  /** Evidence grade in compare mode (previous log + previous Dockerfile). */
  compareEvidence?: "exact" | "inferred" | "candidates";
  changedLine?: number;
  arg?: string;
}

export interface Scenario {
  slug: string;
  dir: string;
  /** Which fixture set: "scenarios" (Docker 26.1) or "modern" (Docker 28.5). */
  set: string;
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
    rootCauses?: ExpectedRootCause[];
    invalidated?: Record<string, string>;
    stepCauses?: Record<string, string>;
    findings?: string[];
    notFindings?: string[];
    imageFile?: string | null;
    /** Which build of a multi-build log (1-based); default the last. */
    build?: number | null;
    /** Texts the user reads that must contain these fragments. */
    texts?: {
      headline?: string[];
      notHeadline?: string[];
      detail?: string[];
      explanation?: Record<string, string[]>;
      notExplanation?: Record<string, string[]>;
      notFix?: Record<string, string[]>;
      note?: Record<string, string[]>;
      notNote?: Record<string, string[]>;
    };
    diagnosisKind?: string;
    diagnosisEvidence?: string | null;
    failure?: { step: string | null; exitCode: number | null; lastLinesContain?: string[]; canceled?: string[] } | null;
    checks?: string[];
    diagnostics?: string[];
    [k: string]: unknown;
  };
  read(file: string | null | undefined): string | null;
  readBytes(file: string | null | undefined): Uint8Array | null;
}

export const SCENARIO_ROOT = path.resolve(here, "../fixtures/scenarios");
export const MODERN_ROOT = path.resolve(here, "../fixtures/modern");
export const FIXTURE_SETS = [SCENARIO_ROOT, MODERN_ROOT];

export function loadScenarios(root: string = SCENARIO_ROOT): Scenario[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, "expected.json")))
    .map((d) => {
      const dir = path.join(root, d.name);
      const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8"));
      const file = (f: string | null | undefined) => (f && existsSync(path.join(dir, f)) ? path.join(dir, f) : null);
      return {
        slug: d.name,
        dir,
        set: path.basename(root),
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

export function loadAllScenarios(): Scenario[] {
  return FIXTURE_SETS.flatMap((r) => loadScenarios(r));
}
