import type { Finding } from "../../../model/report";
import { defineRule } from "../types";
import { namedContextsOf } from "../../join-skeleton";
import { costOfRoot, makeFinding, secs, snippet, stepOf } from "../util";

/**
 * Why: a tag without a digest — above all no tag or `latest` — resolves to whatever was pushed
 * last. When it moves, the first step after FROM misses (`base-image-changed`) and the whole
 * stage rebuilds with no change in the repository; builds are not reproducible either.
 * Not a problem for `FROM <stage>`, `FROM scratch`, images pinned by digest, or a FROM whose
 * image is chosen by a build arg without a default (the caller pins it). Version tags without a
 * digest are accepted here (they move rarely); `latest` and a missing tag are flagged. A FROM that
 * names a build context (`--build-context NAME=…`, seen as `[context NAME]` in the log) is no tag.
 */
export default defineRule({
  id: "unpinned-base-image",
  severity: "info",
  run(ctx) {
    const df = ctx.dockerfile;
    if (!df) return [];
    const out: Finding[] = [];
    // One finding per image: the same unpinned base under several stages is one thing to fix.
    const byImage = new Map<string, typeof df.stages>();
    const contexts = namedContextsOf(ctx.build.vertices);
    for (const stage of df.stages) {
      const b = stage.base;
      if (b.kind !== "image" || b.digest) continue;
      const ref = b.ref || b.raw;
      if (!ref || /\$/.test(ref) || contexts.has(ref.toLowerCase())) continue;
      if (b.tag != null && b.tag !== "latest") continue;
      const l = byImage.get(b.raw);
      if (l) l.push(stage);
      else byImage.set(b.raw, [stage]);
    }
    for (const [raw, stages] of byImage) {
      const stage = stages[0];
      const b = stage.base;
      const ref = b.ref || b.raw;
      const steps = [];
      let cost = 0;
      for (const st of stages) {
        const from = st.instructions.find((i) => i.keyword === "FROM");
        const first = st.instructions.find((i) => i.keyword !== "FROM" && i.position != null);
        const firstStep = first ? stepOf(ctx, st, first) : null;
        if (firstStep?.miss?.cause === "base-image-changed") cost += costOfRoot(ctx, firstStep, ["base-image-changed"]) ?? 0;
        steps.push(from ? stepOf(ctx, st, from) : null, firstStep);
      }
      const name = ref.replace(/@.*$/, "").replace(/:[^/:]+$/, "");
      const from = stage.instructions.find((i) => i.keyword === "FROM");
      const asPart = stage.name ? ` AS ${stage.name}` : "";
      const platform = from?.flags.find((f) => f.name === "platform");
      const platformPart = platform?.value ? `--platform=${platform.value} ` : "";
      const lines = stages.map((st) => st.line);
      out.push(
        makeFinding(
          "unpinned-base-image",
          "info",
          {
            image: raw,
            line: lines.length > 1 ? `lines ${lines.slice(0, -1).join(", ")} and ${lines[lines.length - 1]}` : `line ${lines[0]}`,
            state: b.tag == null ? "has no tag (which means `latest`)" : "uses the `latest` tag",
            stage: stages.length > 1 ? `stages ${stages.map((st) => `\`${st.label}\``).join(", ")}` : `stage \`${stage.label}\``,
            costNote: cost ? ` — it did in this build (${secs(cost)} rebuilt)` : "",
          },
          {
            line: stage.line,
            steps,
            costSeconds: cost || null,
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
