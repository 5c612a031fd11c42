import type { LogBuild } from "../model/log";
import type { BuildCheck, BuildFailure, ReportStep } from "../model/report";

/**
 * How the build ended, as the log states it: the failing step with its exit code and last output
 * lines, the steps canceled because of it, and the build checks (lint warnings) BuildKit printed.
 */
const EXIT_CODE = /exit code: (\d+)/;
const LAST_LINES = 10;

export function buildFailure(build: LogBuild, steps: ReportStep[], exactTiming = false): BuildFailure | null {
  if (build.outcome !== "failed" && build.outcome !== "canceled") return null;
  const failed = steps.filter((s) => s.status === "error");
  // The step the final ERROR line names, else the first that failed.
  const msg = build.errorMessage ?? "";
  const step = failed.find((s) => s.error && msg.includes(s.error)) ?? failed.find((s) => s.line != null && s.line === build.errorSource?.line) ?? failed[0] ?? null;
  const vertex = step ? null : build.vertices.find((v) => v.status === "error" && v.kind !== "cache-import");
  const message = step?.error ?? vertex?.error ?? build.errorMessage ?? (build.outcome === "canceled" ? "The build was canceled." : "The build failed.");
  const code = EXIT_CODE.exec(message) ?? EXIT_CODE.exec(msg);
  return {
    step: step?.id ?? null,
    text: step?.text ?? vertex?.name ?? "the build",
    line: step?.line ?? build.errorSource?.line ?? null,
    exitCode: code ? Number(code[1]) : null,
    message,
    lastLines: (step?.output ?? vertex?.output.map((l) => l.text) ?? []).slice(-LAST_LINES),
    canceled: steps.filter((s) => s.status === "canceled").map((s) => ({ step: s.id, ranSeconds: ranFor(s, exactTiming) })),
  };
}

/** `FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)` (WARN lines, trailer, rawjson). */
const CHECK_LINE = /^([A-Z][A-Za-z0-9]+): (.+?)(?: \(line (\d+)\))?$/;
/** `FromAsCasing - https://docs.docker.com/go/dockerfile/rule/from-as-casing/` (--call=check). */
const CHECK_URL = /^([A-Z][A-Za-z0-9]+) - (https?:\/\/\S+)$/;

export function buildChecks(build: LogBuild): BuildCheck[] {
  const out: BuildCheck[] = [];
  const seen = new Map<string, BuildCheck>();
  const texts = [...build.warnings.map((w) => w.message), ...build.vertices.flatMap((v) => v.warnings)];
  for (const raw of texts) {
    const t = raw.trim();
    const u = CHECK_URL.exec(t);
    const m = u ? null : CHECK_LINE.exec(t);
    if (!u && !m) continue;
    const rule = (u ?? m)![1];
    const line = m?.[3] ? Number(m[3]) : null;
    const key = `${rule}|${line ?? ""}`;
    const prev = seen.get(key) ?? (line == null ? [...seen.values()].find((c) => c.rule === rule) : undefined);
    if (prev) {
      if (u && !prev.url) prev.url = u[2];
      continue;
    }
    const check: BuildCheck = { rule, message: m ? m[2] : `see ${u![2]}`, line, url: u ? u[2] : null };
    seen.set(key, check);
    out.push(check);
  }
  return out;
}

/** How long a canceled step ran: its duration, else (exact times only) from its start to its cancel. */
function ranFor(s: ReportStep, exactTiming: boolean): number | null {
  if (s.durationSeconds != null) return s.durationSeconds;
  if (exactTiming && s.startSeconds != null && s.endSeconds != null) return Math.round((s.endSeconds - s.startSeconds) * 10) / 10;
  return null;
}
