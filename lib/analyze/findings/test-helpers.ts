import { emptyLogBuild } from "../../model/log";
/**
 * Test support for the findings rules (imported by *.test.ts only). Builds the AnalysisContext
 * the rules see from a Dockerfile and, optionally, a captured log and image metadata, through the
 * real parsers, join and explainer (`analyze`).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDockerfile } from "../../parse/dockerfile";
import { parseLog } from "../../parse/log/index";
import { parseImageMetadata } from "../../parse/image";
import type { Finding, Report, ReportStep } from "../../model/report";
import { analyze } from "../index";
import type { AnalysisContext } from "../types";
import { ruleById } from "./index";
import type { RuleId } from "./types";

export const SCENARIOS = path.resolve(__dirname, "../../../fixtures/scenarios");
/** The shared corpus of real published logs (outside the repository; tests skip without it). */
export const CORPUS = path.resolve(__dirname, "../../../../shared/corpus");

export interface ContextInput {
  dockerfile?: string | null;
  log?: string | Uint8Array | null;
  image?: string | null;
  build?: number | null;
}

export function contextFor(input: ContextInput): { ctx: AnalysisContext; report: Report } {
  const log = input.log ?? "";
  const report = analyze({ log, dockerfile: input.dockerfile ?? null, image: input.image ?? null, build: input.build ?? null });
  const parsed = parseLog(log);
  const build = parsed.builds[report.input.build - 1] ?? parsed.builds[parsed.builds.length - 1] ?? emptyLogBuild();
  const ctx: AnalysisContext = {
    dockerfile: input.dockerfile?.trim() ? parseDockerfile(input.dockerfile) : null,
    log: parsed,
    build,
    stages: report.stages,
    steps: report.steps,
    layers: report.layers,
    image: input.image?.trim() ? parseImageMetadata(input.image) : null,
  };
  return { ctx, report };
}

/** Runs one rule on a Dockerfile (and optional log/image). */
export function run(rule: RuleId, input: ContextInput | string): Finding[] {
  const { ctx } = contextFor(typeof input === "string" ? { dockerfile: input } : input);
  return ruleById(rule).run(ctx);
}

/** Runs one rule after changing some steps (status, durations) — for cost arithmetic only. */
export function runWithSteps(rule: RuleId, dockerfile: string, edit: Record<string, Partial<ReportStep>>): Finding[] {
  const { ctx } = contextFor({ dockerfile });
  ctx.steps = ctx.steps.map((s) => (edit[s.id] ? { ...s, ...edit[s.id] } : s));
  return ruleById(rule).run(ctx);
}

/** A captured scenario's files. */
export function scenario(slug: string): { dockerfile: string; log: Uint8Array; image: string | null; read: (f: string) => string } {
  const dir = path.join(SCENARIOS, slug);
  const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
  const expected = JSON.parse(read("expected.json")) as { logFile: string; dockerfile?: string | null; imageFile?: string | null };
  return {
    dockerfile: read(expected.dockerfile ?? "Dockerfile"),
    log: new Uint8Array(readFileSync(path.join(dir, expected.logFile))),
    image: expected.imageFile && existsSync(path.join(dir, expected.imageFile)) ? read(expected.imageFile) : null,
    read,
  };
}

export function corpusLog(slug: string): Uint8Array | null {
  const p = path.join(CORPUS, slug, "build.log");
  return existsSync(p) ? new Uint8Array(readFileSync(p)) : null;
}

/**
 * Wraps a captured plain log the way GitHub Actions shows it: an ISO timestamp before every line
 * and the `##[group]Run …` echo of the step's command.
 */
export function asGithubActions(log: Uint8Array | string, command = "docker buildx build -t app ."): string {
  const text = typeof log === "string" ? log : new TextDecoder().decode(log);
  const lines = [`##[group]Run ${command}`, `${command}`, "##[endgroup]", ...text.split("\n")];
  return lines.map((l, i) => `2025-03-04T10:00:${String(i % 60).padStart(2, "0")}.${String(1000000 + i).slice(1)}0Z ${l}`).join("\n");
}

export function rules(findings: Finding[]): string[] {
  return findings.map((f) => f.rule);
}

