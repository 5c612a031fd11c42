/**
 * The redaction pipeline for one text, and for a set of inputs that share their secrets.
 *
 * Order matters: private keys first (their base64 bodies would trip other rules), then keys split
 * over lines, URLs, vendor token formats, secrets by name and command-line forms, and last every
 * known secret value wherever it appears literally (the expansion-aware part: a build-arg value
 * BuildKit expanded into a vertex name). Every step is linear in the text; redaction never adds or
 * removes a newline, so line-based parsers see the same lines.
 */
import { REDACTED, RedactionCounter, type Redaction } from "./kinds";
import { redactAssignments } from "./assignments";
import { dockerfileSecrets, expandedSecrets, vertexInstructions } from "./known";
import { LiteralSet, type KnownSecret } from "./literals";
import { redactPrivateKeys } from "./pem";
import { looksLikeRawjson, redactRawjson } from "./rawjson";
import { redactSplitAwsKeys } from "./split-lines";
import { TOKEN_RULES } from "./token-rules";
import { redactUrls } from "./urls";

/** Redacts plain text (no rawjson decoding). `found` collects every secret value removed. */
export function redactPlain(text: string, counts: RedactionCounter, found: Set<string>, literals: LiteralSet): string {
  if (!text) return text;
  let t = redactPrivateKeys(text, counts);
  t = redactSplitAwsKeys(t, counts, found);
  t = redactUrls(t, counts, found);
  for (const rule of TOKEN_RULES) {
    rule.pattern.lastIndex = 0;
    // Not added to `found`: a token format is recognised by the same rule wherever else it appears.
    t = t.replace(rule.pattern, () => {
      counts.add(rule.kind);
      return REDACTED;
    });
  }
  t = redactAssignments(t, counts, found);
  return literals.replace(t, counts);
}

const ESCAPED_STRING = /"((?:[^"\\\n]|\\.)*\\u00[0-9a-fA-F]{2}(?:[^"\\\n]|\\.)*)"/g;

/**
 * JSON text (rawjson around its base64 fields): Go escapes `&`, `<`, `>` as `\u0026`…, which would
 * hide `?a=1&sig=…` from the rules; such strings are decoded, redacted and encoded again first.
 */
function redactJsonText(s: string, plain: (s: string) => string): string {
  const t = s.includes("\\u00")
    ? s.replace(ESCAPED_STRING, (all, body: string) => {
        let decoded: string;
        try {
          decoded = JSON.parse(`"${body}"`) as string;
        } catch {
          return all;
        }
        const red = plain(decoded);
        return red === decoded ? all : JSON.stringify(red).replace(/&/g, "\\u0026").replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
      })
    : s;
  return plain(t);
}

/** Redacts one input: rawjson logs have their base64 texts decoded, redacted and re-encoded. */
export function redactOne(text: string, counts: RedactionCounter, found: Set<string>, literals: LiteralSet): string {
  if (!text) return text;
  const rawjson = looksLikeRawjson(text);
  const once = (c: RedactionCounter) => {
    const plain = (s: string) => redactPlain(s, c, found, literals);
    return rawjson ? redactRawjson(text, plain, (s) => redactJsonText(s, plain)) : plain(text);
  };
  const attempt = new RedactionCounter();
  let out = once(attempt);
  // A value found in this text (ARG DEPLOY_KEY=x … RUN echo x) goes wherever else it appears in it.
  let grew = false;
  for (const f of found) grew = literals.add(f) || grew;
  if (grew) {
    if (rawjson) {
      const again = new RedactionCounter();
      out = once(again);
      counts.addAll(again.list());
      return out;
    }
    out = literals.replace(out, attempt);
  }
  counts.addAll(attempt.list());
  return out;
}

export interface RedactTextResult {
  text: string;
  redactions: Redaction[];
  /** Secret values removed (to remove them from other texts too: pass them as knownSecrets). */
  found: KnownSecret[];
}

/**
 * Redacts one text. `knownSecrets`: values to remove wherever they appear (from collectKnownSecrets
 * or an earlier redaction's `found`). Pure, synchronous, never throws on any text.
 */
export function redactText(text: string, knownSecrets: Iterable<KnownSecret | string> = []): RedactTextResult {
  const counts = new RedactionCounter();
  const literals = new LiteralSet();
  for (const k of knownSecrets) typeof k === "string" ? literals.add(k) : literals.add(k.value, k.name ?? null, k.origin ?? null);
  const found = new Set<string>();
  const out = redactOne(text ?? "", counts, found, literals);
  return { text: out, redactions: counts.list(), found: [...found].map((value) => ({ value })) };
}

export interface SecretSources {
  dockerfiles?: (string | null | undefined)[];
  /** Logs (plain or rawjson) and other texts with vertex names (a record's step names). */
  logs?: (string | null | undefined)[];
}

/**
 * The expansion-aware collector: values of secret-named ARG/ENV found in the Dockerfiles (defaults)
 * and in the logs' vertex names where BuildKit expanded them. Pass the result to redactText for
 * every text that is shared (a build record's step names and build args included).
 */
export function collectKnownSecrets(sources: SecretSources): KnownSecret[] {
  const names = new Set<string>();
  const origins = new Map<string, "arg" | "env">();
  const out: KnownSecret[] = [];
  const instructions: string[] = [];
  for (const df of sources.dockerfiles ?? []) {
    if (!df) continue;
    const s = dockerfileSecrets(df);
    for (const n of s.names) names.add(n);
    for (const [n, o] of s.origins) if (!origins.has(n)) origins.set(n, o);
    for (const v of s.values) out.push(v);
    for (const i of s.instructions) instructions.push(i);
  }
  if (instructions.length) {
    const vertices: string[] = [];
    for (const log of sources.logs ?? []) if (log) for (const v of vertexInstructions(log)) vertices.push(v);
    for (const k of expandedSecrets(instructions, names, vertices, origins)) out.push(k);
  }
  return out;
}
