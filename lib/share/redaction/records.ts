/**
 * Build-record digests (the text a dropped `.dockerbuild` becomes in the log inputs) are redacted
 * by the record layer first: every build-arg value dropped (a fingerprint kept, so a shared compare
 * still says which arg changed), secret-named values and URL credentials removed. The text rules
 * then run over the digest like over any log.
 */
import { redactRecordDigestText } from "../../parse/record/redact";
import { RedactionCounter, type Redaction } from "./kinds";

const LOG_KEYS = ["log", "previousLog"] as const;

export function redactRecordDigests<T extends { log?: string | null; previousLog?: string | null }>(inputs: T): { inputs: T; redactions: Redaction[] } {
  const counts = new RedactionCounter();
  let out = inputs;
  for (const key of LOG_KEYS) {
    const v = inputs[key];
    if (typeof v !== "string" || !v) continue;
    const r = redactRecordDigestText(v);
    if (r.text === v) continue;
    out = { ...out, [key]: r.text };
    for (const name of r.redactedArgs) counts.add("build-arg-value", 1, name);
  }
  return { inputs: out, redactions: counts.list() };
}
