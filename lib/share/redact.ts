/**
 * Secret redaction, applied to every input before anything is shared (permalink, stored link,
 * Markdown / JSON / SVG built for sharing) and to the report made from them. Pure and browser-safe.
 * The pieces live in ./redaction/ (one concern per file); this module is the public face.
 *
 * - redactInputs(inputs): all inputs of one analysis, sharing their secrets (a value found in the
 *   Dockerfile is removed from the log, and the other way round).
 * - redactText(text, knownSecrets): one text (e.g. a build record's JSON), removing known values too.
 * - collectKnownSecrets({dockerfiles, logs}): values of secret-named ARG/ENV, incl. where BuildKit
 *   expanded them into vertex names.
 * - scrubReport(report, knownSecrets): belt and braces over every string of a finished report.
 */
import { RedactionCounter, type Redaction } from "./redaction/kinds";
import { collectKnownSecrets, redactOne, redactPlain } from "./redaction/engine";
import { LiteralSet, type KnownSecret } from "./redaction/literals";
import { redactRecordDigests } from "./redaction/records";

export { REDACTED, REDACTION_LABELS, describeRedactions, mergeRedactions } from "./redaction/kinds";
export type { Redaction, RedactionKind } from "./redaction/kinds";
export { isSecretName } from "./redaction/names";
export { redactText, collectKnownSecrets } from "./redaction/engine";
export type { RedactTextResult, SecretSources } from "./redaction/engine";
export type { KnownSecret } from "./redaction/literals";
export { TOKEN_RULES } from "./redaction/token-rules";

export interface RedactableInputs {
  dockerfile?: string | null;
  log?: string | null;
  previousLog?: string | null;
  previousDockerfile?: string | null;
  image?: string | null;
}

const INPUT_KEYS = ["dockerfile", "previousDockerfile", "log", "previousLog", "image"] as const;

export interface RedactInputsResult<T> {
  inputs: T;
  redactions: Redaction[];
  /** Every secret value known after redaction: pass to scrubReport / redactText. */
  known: KnownSecret[];
}

/**
 * Redacts every text input. Known secret values (collectKnownSecrets) are removed everywhere, and
 * a value found in one input is also removed from the others.
 */
export function redactInputs<T extends RedactableInputs>(given: T, extraKnown: KnownSecret[] = []): RedactInputsResult<T> {
  // A build record's digest (a dropped .dockerbuild) is redacted by the record layer first.
  const { inputs, redactions: fromRecords } = redactRecordDigests(given);
  const literals = new LiteralSet([
    ...extraKnown,
    ...collectKnownSecrets({
      dockerfiles: [inputs.dockerfile, inputs.previousDockerfile],
      logs: [inputs.log, inputs.previousLog],
    }),
  ]);
  const run = () => {
    const counts = new RedactionCounter();
    const out = { ...inputs };
    let grewAfter = -1; // index of the last input after which new values appeared
    INPUT_KEYS.forEach((key, i) => {
      const v = inputs[key];
      if (typeof v !== "string" || !v) return;
      const found = new Set<string>();
      (out as RedactableInputs)[key] = redactOne(v, counts, found, literals);
      let grew = false;
      for (const f of found) grew = literals.add(f) || grew;
      if (grew) grewAfter = i;
    });
    return { out, counts, grewAfter };
  };
  let r = run();
  // Values found late (a token in the log) may sit in inputs done earlier: once more with all of them.
  if (r.grewAfter > 0 && INPUT_KEYS.slice(0, r.grewAfter).some((k) => typeof inputs[k] === "string" && inputs[k])) r = run();
  r.counts.addAll(fromRecords);
  return { inputs: r.out, redactions: r.counts.list(), known: literals.values() };
}

/**
 * Removes secrets from every string of a report (or any plain data) — known values and every rule.
 * The inputs were redacted before the analysis, so this normally finds nothing; it is the second
 * lock. Keys are left alone (they are the contract's field names).
 */
export function scrubReport<T>(report: T, known: KnownSecret[] = []): { report: T; redactions: Redaction[] } {
  const literals = new LiteralSet(known);
  const strings: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === "object") for (const x of Object.values(v)) collect(x);
  };
  collect(report);
  const joined = strings.join("\n");
  const probe = new RedactionCounter();
  if (redactPlain(joined, probe, new Set(), literals) === joined) return { report, redactions: [] };
  const counts = new RedactionCounter();
  const found = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactPlain(v, counts, found, literals);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x);
      return o;
    }
    return v;
  };
  return { report: walk(report) as T, redactions: counts.list() };
}
