import type { Finding } from "../../../model/report";
import { defineRule } from "../types";
import { costOfRoot, makeFinding, secs, snippet, stepOf } from "../util";

/**
 * Why: a tag without a digest — above all no tag or `latest` — resolves to whatever was pushed
 * last. When it moves, the first step after FROM misses (`base-image-changed`) and the whole
 * stage rebuilds with no change in the repository; builds are not reproducible either.
 * Not a problem for `FROM <stage>`, `FROM scratch`, images pinned by digest, or a FROM whose
 * image is chosen by a build arg without a default (the caller pins it). Version tags without a
 * digest are accepted here (they move rarely); `latest` and a missing tag are flagged.
 */
export default defineRule({
  id: "unpinned-base-image",
  severity: "info",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    for (const stage of df.stages) {
      const b = stage.base;
      if (b.kind !== "image" || b.digest) continue;
      const ref = b.ref || b.raw;
      if (!ref || /\$/.test(ref)) continue;
      const tag = b.tag;
      if (tag != null && tag !== "latest") continue;
      const from = stage.instructions.find((i) => i.keyword === "FROM");
      const first = stage.instructions.find((i) => i.keyword !== "FROM" && i.position != null);
      const firstStep = first ? stepOf(ctx, stage, first) : null;
      const cost = firstStep?.miss?.cause === "base-image-changed" ? costOfRoot(ctx, firstStep, ["base-image-changed"]) : null;
      const name = ref.replace(/@.*$/, "").replace(/:[^/:]+$/, "");
      const asPart = stage.name ? ` AS ${stage.name}` : "";
      const platform = from?.flags.find((f) => f.name === "platform");
      const platformPart = platform?.value ? `--platform=${platform.value} ` : "";
      out.push(
        makeFinding(
          "unpinned-base-image",
          "info",
          {
            image: b.raw,
            line: stage.line,
            state: tag == null ? "has no tag (which means `latest`)" : "uses the `latest` tag",
            stage: stage.label,
            costNote: cost ? ` — it did in this build (${secs(cost)} rebuilt)` : "",
          },
          {
            line: stage.line,
            steps: [from ? stepOf(ctx, stage, from) : null, firstStep],
            costSeconds: cost,
            extraFix: snippet([
              `FROM ${platformPart}${name}:<version>@sha256:<digest>${asPart}`,
              `# the digest: docker buildx imagetools inspect ${name}:<version>`,
            ]),
          },
        ),
      );
    }
    return out;
  },
});
