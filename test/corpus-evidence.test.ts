/**
 * Evidence on the shared corpus of real published logs (../shared/corpus; skips when absent).
 * The corpus has no previous builds and no Dockerfiles, so from one log the only input that can
 * name a cause is the log itself (a command line it echoes, a failed cache import): an `exact`
 * cause needs such a line, and an undecided cause must say what would decide it. Failed builds
 * lead with their failure.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyze } from "../lib/analyze/index";
import { renderText } from "../lib/render/text";

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = process.env.CACHESCOPE_CORPUS ?? path.resolve(here, "..", "..", "shared", "corpus");
const exists = existsSync(corpus);
const cases = exists ? readdirSync(corpus).filter((d) => /^\d{3}-/.test(d) && existsSync(path.join(corpus, d, "build.log"))) : [];

describe.skipIf(!exists)("corpus: honest evidence from one log", () => {
  for (const c of cases) {
    it(c, () => {
      const r = analyze({ log: new Uint8Array(readFileSync(path.join(corpus, c, "build.log"))) });
      for (const s of r.steps) {
        if (s.status === "rebuilt" && s.instruction !== "FROM") expect(s.miss, s.id).not.toBeNull();
        const m = s.miss;
        if (!m) continue;
        if (m.evidence === "exact") expect(m.decidedBy ?? "", `${s.id} exact without an input`).toMatch(/command line/);
        if (m.evidence === "candidates") {
          expect(m.candidates.length, s.id).toBeGreaterThan(1);
          expect(m.decidedBy, s.id).toBeTruthy();
        }
        // A step that failed or was canceled did not run "because of a cold cache".
        if (s.status === "error" || s.status === "canceled") expect(m.cause === "cold-cache" && m.evidence !== "candidates", s.id).toBe(false);
      }
      if (r.build.status === "failed") {
        expect(r.diagnosis.failure).not.toBeNull();
        expect(r.diagnosis.title).toMatch(/fail/i);
        const text = renderText(r);
        const why = text.indexOf("Why steps were rebuilt");
        if (why >= 0) expect(text.indexOf(r.diagnosis.title)).toBeLessThan(why);
      }
      expect(r.summary.rebuiltSeconds).toBeGreaterThanOrEqual(0);
      if (r.build.timing === "exact" && r.build.durationSeconds != null) expect(r.summary.rebuiltSeconds).toBeLessThanOrEqual(r.build.durationSeconds + 0.1);
    });
  }
});
