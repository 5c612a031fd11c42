import type { LogWrapper } from "../../../model/log";
import { defineRule } from "../types";
import { makeFinding, ran, rebuiltSeconds, secs, snippet } from "../util";

export const MIN_SECONDS = 3;

const CI_WRAPPERS: Partial<Record<LogWrapper, string>> = {
  "github-actions": "GitHub Actions",
  "gitea-actions": "Gitea Actions",
  gitlab: "GitLab CI",
};

/**
 * Why: a CI runner usually starts with an empty builder, so without `--cache-from` every step
 * rebuilds on every run. Exporting the cache (`--cache-to …,mode=max`) and importing it in the
 * next run makes CI builds as incremental as local ones (cache mounts are still not exported).
 * Not a problem for `--no-cache` builds (a clean build was asked for), for builds that did import
 * a cache (a failed import is the explainer's `cache-import-failed`), or on self-hosted runners
 * that keep their builder — there some step would have been CACHED.
 */
export default defineRule({
  id: "no-external-cache-in-ci",
  severity: "warning",
  run(ctx) {
    const cmd = ctx.build.command;
    const ci = CI_WRAPPERS[ctx.log.wrapper] ?? (cmd ? "CI" : null);
    if (!ci) return [];
    if (cmd?.noCache || (cmd?.cacheFrom.length ?? 0) > 0 || ctx.build.cacheImports.length > 0) return [];
    const work = ctx.steps.filter((s) => s.instruction !== "FROM" && s.status !== "not-run");
    if (work.length < 2) return [];
    if (!work.every((s) => ran(s))) return [];
    const seconds = rebuiltSeconds(work);
    // A build of a few trivial steps gains nothing from a remote cache.
    if (seconds < MIN_SECONDS && work.some((s) => s.durationSeconds != null)) return [];
    const example =
      ctx.log.wrapper === "gitlab"
        ? [
            "docker buildx build \\",
            "  --cache-from type=registry,ref=$CI_REGISTRY_IMAGE:buildcache \\",
            "  --cache-to type=registry,ref=$CI_REGISTRY_IMAGE:buildcache,mode=max \\",
            "  -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA .",
          ]
        : ctx.log.wrapper === "github-actions"
          ? [
              "# with docker/build-push-action (after docker/setup-buildx-action):",
              "cache-from: type=gha",
              "cache-to: type=gha,mode=max",
              "# or on the command line:",
              "docker buildx build --cache-from type=gha --cache-to type=gha,mode=max .",
            ]
          : [
              "docker buildx build \\",
              "  --cache-from type=registry,ref=<registry>/<image>:buildcache \\",
              "  --cache-to type=registry,ref=<registry>/<image>:buildcache,mode=max .",
            ];
    return [
      makeFinding(
        "no-external-cache-in-ci",
        "warning",
        { ci, count: work.length, seconds: secs(seconds) },
        { line: null, steps: work, costSeconds: seconds, extraFix: snippet(example) },
      ),
    ];
  },
});
