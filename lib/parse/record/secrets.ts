/**
 * Secrets in records. Build args reach the record three ways: the frontend attributes
 * (`build-arg:NAME=value`), the provenance request args, and the environment of every RUN in the
 * arg's scope (BuildKit puts each ARG into the exec env). A secret-named arg keeps a fingerprint
 * only — enough for compare mode to say "its value changed", never the value — and every other
 * occurrence of its value in the record (env, names, output, errors) is replaced. Values of other
 * args stay: the share layer's text redaction treats them like any build arg on a command line
 * (`redactRecordDigestText` in ./redact.ts drops them too when the share layer asks).
 */
import { fnv1a64 } from "./provenance";
import type { DigestBuildArg, DigestRecord, OpSummary } from "./types";

/** Names that hold credentials by convention. */
export const SECRET_NAME = /(secret|token|passw(or)?d|passwd|pwd|api[_-]?key|private[_-]?key|credential|auth|access[_-]?key|session|cookie|signature|cert)/i;

export const REDACTED = "[redacted]";

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function secretMarker(name: string, value: string): string {
  return `${REDACTED}(fp:${fnv1a64(`${name}=${value}`)})`;
}

export function buildArgsOf(attrs: Record<string, string>): DigestBuildArg[] {
  const out: DigestBuildArg[] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (!k.startsWith("build-arg:")) continue;
    const name = k.slice(10).slice(0, 256);
    const secret = isSecretName(name);
    out.push({ name, value: secret ? null : v.slice(0, 4096), secret, fingerprint: secret ? fnv1a64(`${name}=${v}`) : null, raw: v } as DigestBuildArg & { raw: string });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Replaces secret arg values everywhere in the record and drops the raw values kept for this pass. */
export function applySecretPolicy(r: DigestRecord): DigestRecord {
  const secrets: { name: string; value: string }[] = [];
  for (const a of r.attrs.buildArgs as (DigestBuildArg & { raw?: string })[]) {
    if (a.secret && a.raw && a.raw.length >= 3) secrets.push({ name: a.name, value: a.raw });
    delete a.raw;
  }
  const scrub = (s: string): string => {
    for (const x of secrets) if (s.includes(x.value)) s = s.split(x.value).join(secretMarker(x.name, x.value));
    return withoutUserinfo(s);
  };
  // Any secret-named variable of a RUN environment (an ARG or an ENV): fingerprint only.
  const envScrub = (e: string): string => {
    const eq = e.indexOf("=");
    if (eq > 0) {
      const name = e.slice(0, eq);
      if (isSecretName(name)) return `${name}=${secretMarker(name, e.slice(eq + 1))}`;
    }
    return scrub(e);
  };
  for (const m of r.materials) m.uri = withoutUserinfo(m.uri);
  for (const v of r.vertices) {
    v.name = scrub(v.name);
    if (v.error) v.error = scrub(v.error);
    v.logs = v.logs.map(([t, text]) => [t, scrub(text)]);
    if (v.group) v.group.name = scrub(v.group.name);
  }
  for (const w of r.warnings) {
    w.message = scrub(w.message);
    w.detail = w.detail.map(scrub);
  }
  if (r.error) r.error.message = scrub(r.error.message);
  for (const o of r.ops) o.op = scrubOp(o.op, scrub, envScrub);
  for (const nc of r.attrs.namedContexts) nc.value = scrub(nc.value);
  return r;
}

function scrubOp(op: OpSummary, scrub: (s: string) => string, envScrub: (s: string) => string): OpSummary {
  if (op.kind === "exec") return { ...op, args: op.args.map(scrub), env: op.env.map(envScrub) };
  if (op.kind === "source") return { ...op, identifier: scrub(op.identifier), attrs: Object.fromEntries(Object.entries(op.attrs).map(([k, v]) => [k, scrub(v)])) };
  if (op.kind === "file") return { ...op, actions: op.actions.map((a) => ("src" in a ? { ...a, src: scrub(a.src), dest: scrub(a.dest) } : a)) };
  return op;
}

/** `https://user:token@host/x` → `https://[redacted]@host/x` (credentials in URLs of ADD, git sources, materials). */
export function withoutUserinfo(s: string): string {
  return s.indexOf("@") < 0 ? s : s.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(:[^\s/@]*)?@/gi, `$1${REDACTED}@`);
}
