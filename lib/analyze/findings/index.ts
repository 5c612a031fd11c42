import type { Finding } from "../../model/report";
import type { AnalysisContext } from "../types";
import type { Rule, RuleId } from "./types";
import copyContextBeforeInstall from "./rules/copy-context-before-install";
import volatileArgEarly from "./rules/volatile-arg-early";
import secretInBuildArg from "./rules/secret-in-build-arg";
import copyFromCacheMount from "./rules/copy-from-cache-mount";
import aptUpdateSeparateRun from "./rules/apt-update-separate-run";
import packageInstallWithoutCacheMount from "./rules/package-install-without-cache-mount";
import addRemoteUrl from "./rules/add-remote-url";
import largeContextNoDockerignore from "./rules/large-context-no-dockerignore";
import noExternalCacheInCi from "./rules/no-external-cache-in-ci";
import stagesCouldRunParallel from "./rules/stages-could-run-parallel";
import unpinnedBaseImage from "./rules/unpinned-base-image";
import deletedFileStillShipped from "./rules/deleted-file-still-shipped";
import changedFilesNotNeeded from "./rules/changed-files-not-needed";

export { findingTexts } from "./catalog";
export { RULE_IDS, type RuleId } from "./types";

/** The ordered registry: the order breaks ties between findings of equal cost, severity and line. */
export const rules: readonly Rule[] = [
  copyContextBeforeInstall,
  volatileArgEarly,
  secretInBuildArg,
  copyFromCacheMount,
  aptUpdateSeparateRun,
  packageInstallWithoutCacheMount,
  addRemoteUrl,
  largeContextNoDockerignore,
  noExternalCacheInCi,
  stagesCouldRunParallel,
  unpinnedBaseImage,
  deletedFileStillShipped,
  changedFilesNotNeeded,
];

const SEVERITY_RANK: Record<Finding["severity"], number> = { error: 0, warning: 1, info: 2 };

/**
 * Runs every rule and orders the findings: most expensive first (findings without a cost after
 * those with one), then error → warning → info, then by Dockerfile line (findings without a line
 * last), then registry order. Rules read only the parsed model, which parsers keep total, so they do
 * not throw on user input.
 */
export function runFindings(ctx: AnalysisContext, registry: readonly Rule[] = rules): Finding[] {
  const all: { f: Finding; order: number }[] = [];
  registry.forEach((rule, order) => {
    for (const f of rule.run(ctx)) all.push({ f, order });
  });
  all.sort((x, y) => {
    const a = x.f;
    const b = y.f;
    const ca = a.costSeconds ?? -1;
    const cb = b.costSeconds ?? -1;
    if (ca !== cb) return cb - ca;
    const sa = SEVERITY_RANK[a.severity];
    const sb = SEVERITY_RANK[b.severity];
    if (sa !== sb) return sa - sb;
    const la = a.line ?? Number.MAX_SAFE_INTEGER;
    const lb = b.line ?? Number.MAX_SAFE_INTEGER;
    if (la !== lb) return la - lb;
    return x.order - y.order;
  });
  return all.map((x) => x.f);
}

/** Registry order must match the id list (a test checks it too). */
export function ruleById(id: RuleId): Rule {
  const r = rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
}


