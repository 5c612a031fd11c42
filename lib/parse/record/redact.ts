/**
 * For the share layer: a record digest text made safe to publish. Secret-named build args carry no
 * value already (./secrets.ts); this also drops the values of every other build arg — from the
 * attributes, from the RUN environments that carry them and from every other string — keeping a
 * fingerprint, so a shared compare still says "APP_VERSION changed" without saying to what.
 * Text that is not a digest is returned unchanged (`changed: false`).
 */
import { normalizeDigest } from "./normalize";
import { fnv1a64 } from "./provenance";
import { applySecretPolicy, secretMarker } from "./secrets";
import type { RecordDigest } from "./types";

export function redactRecordDigestText(text: string): { text: string; changed: boolean; redactedArgs: string[] } {
  if (!/^\s*\{\s*"cachescopeRecord"\s*:/.test(text.slice(0, 200))) return { text, changed: false, redactedArgs: [] };
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return { text, changed: false, redactedArgs: [] };
  }
  const d = j && typeof j === "object" ? normalizeDigest(j as Record<string, unknown>) : null;
  if (!d) return { text, changed: false, redactedArgs: [] };
  const names = redactDigest(d);
  return { text: JSON.stringify(d), changed: names.length > 0, redactedArgs: names };
}

/** In place; returns the names of the args whose values were dropped. */
export function redactDigest(d: RecordDigest): string[] {
  const dropped = new Set<string>();
  for (const r of d.records) {
    applySecretPolicy(r); // secret-named env values and URL credentials, also in a digest made elsewhere
    const values: { name: string; value: string }[] = [];
    for (const a of r.attrs.buildArgs) {
      if (a.value === null) continue;
      if (a.value.length >= 3) values.push({ name: a.name, value: a.value });
      a.fingerprint = fnv1a64(`${a.name}=${a.value}`);
      a.value = null;
      dropped.add(a.name);
    }
    if (values.length === 0) continue;
    values.sort((x, y) => y.value.length - x.value.length);
    const scrub = (s: string) => {
      for (const v of values) if (s.includes(v.value)) s = s.split(v.value).join(secretMarker(v.name, v.value));
      return s;
    };
    for (const v of r.vertices) {
      v.name = scrub(v.name);
      if (v.error) v.error = scrub(v.error);
      v.logs = v.logs.map(([t, x]) => [t, scrub(x)]);
    }
    for (const w of r.warnings) w.message = scrub(w.message);
    if (r.error) r.error.message = scrub(r.error.message);
    for (const o of r.ops) {
      if (o.op.kind !== "exec") continue;
      o.op.env = o.op.env.map((e) => {
        const eq = e.indexOf("=");
        const hit = eq > 0 ? values.find((v) => v.name === e.slice(0, eq)) : undefined;
        return hit ? `${hit.name}=${secretMarker(hit.name, e.slice(eq + 1))}` : scrub(e);
      });
      o.op.args = o.op.args.map(scrub);
    }
  }
  return [...dropped];
}
