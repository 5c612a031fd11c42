import type { Finding } from "../../model/report";
import type { AnalysisContext } from "../types";

/** Every finding rule, in registry order. Ids are part of the report contract: never rename one. */
export const RULE_IDS = [
  "copy-context-before-install",
  "volatile-arg-early",
  "secret-in-build-arg",
  "copy-from-cache-mount",
  "apt-update-separate-run",
  "package-install-without-cache-mount",
  "add-remote-url",
  "large-context-no-dockerignore",
  "no-external-cache-in-ci",
  "stages-could-run-parallel",
  "unpinned-base-image",
  "deleted-file-still-shipped",
  "changed-files-not-needed",
] as const;

export type RuleId = (typeof RULE_IDS)[number];
export type Severity = Finding["severity"];

export interface Rule {
  id: RuleId;
  /** Default severity; a finding may raise or lower it (e.g. with or without image sizes). */
  severity: Severity;
  run(ctx: AnalysisContext): Finding[];
}

/** Identity helper so each rule file reads `export default defineRule({ … })` and is type-checked. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
