/**
 * Secret redaction, applied to every input before anything is shared (permalink, stored link,
 * Markdown built for sharing). Pure and browser-safe.
 *
 * What is redacted (each replaced by `[redacted]`, counted by kind):
 * - values of variables whose NAME looks secret (TOKEN, PASSWORD, SECRET, KEY, CREDENTIALS, AUTH,
 *   …) wherever `NAME=value` appears: Dockerfile ARG/ENV, `--build-arg NAME=…`, vertex names with
 *   expanded values, shell `export NAME=…`, URL query strings, `"name": "value"` JSON pairs and the
 *   legacy `ENV NAME value` form;
 * - credentials in URLs (`https://user:pass@host`);
 * - common token formats: GitHub (ghp_/gho_/ghu_/ghs_/ghr_/github_pat_), GitLab (glpat-), AWS access
 *   key ids (AKIA…/ASIA…), AWS secret keys (by name), npm (npm_…), Slack (xox…-), JWTs, Google API
 *   keys, Stripe keys, Docker Hub PATs, PEM private keys, `Bearer …` and `Authorization: Basic …`;
 * - any later literal occurrence of a secret value found above (e.g. an ARG value that BuildKit
 *   expanded into a step name), when it is token-like (≥ 8 characters, letters and digits);
 * - inside rawjson logs, the base64 `data` of log entries is decoded, redacted and re-encoded.
 *
 * Every regular expression here is linear: single character classes with bounded or simple
 * quantifiers, literal prefixes, negative look-behinds to anchor starts; no nested quantifiers.
 */

import { base64ToBytes, bytesToBase64 } from "./base64";

export const REDACTED = "[redacted]";

export type RedactionKind =
  | "secret-variable"
  | "aws-secret-key"
  | "url-credentials"
  | "private-key"
  | "github-token"
  | "gitlab-token"
  | "aws-access-key"
  | "npm-token"
  | "slack-token"
  | "jwt"
  | "google-api-key"
  | "stripe-key"
  | "docker-token"
  | "bearer-token"
  | "basic-auth"
  | "secret-value";

export interface Redaction {
  kind: RedactionKind;
  count: number;
}

export const REDACTION_LABELS: Record<RedactionKind, [one: string, many: string]> = {
  "secret-variable": ["secret variable value", "secret variable values"],
  "aws-secret-key": ["AWS secret key", "AWS secret keys"],
  "url-credentials": ["credential in a URL", "credentials in URLs"],
  "private-key": ["private key", "private keys"],
  "github-token": ["GitHub token", "GitHub tokens"],
  "gitlab-token": ["GitLab token", "GitLab tokens"],
  "aws-access-key": ["AWS access key id", "AWS access key ids"],
  "npm-token": ["npm token", "npm tokens"],
  "slack-token": ["Slack token", "Slack tokens"],
  jwt: ["JSON web token", "JSON web tokens"],
  "google-api-key": ["Google API key", "Google API keys"],
  "stripe-key": ["Stripe key", "Stripe keys"],
  "docker-token": ["Docker access token", "Docker access tokens"],
  "bearer-token": ["bearer token", "bearer tokens"],
  "basic-auth": ["basic-auth header", "basic-auth headers"],
  "secret-value": ["repeated secret value", "repeated secret values"],
};

/** "2 GitHub tokens, 1 credential in a URL" — or "nothing" when empty. */
export function describeRedactions(redactions: Redaction[]): string {
  const parts = redactions.filter((r) => r.count > 0).map((r) => `${r.count} ${REDACTION_LABELS[r.kind][r.count === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(", ") : "nothing";
}

const SECRET_SEGMENTS = new Set([
  "token", "tokens", "password", "passwords", "passwd", "pwd", "pass", "passphrase", "secret", "secrets",
  "key", "keys", "apikey", "credential", "credentials", "creds", "auth", "authorization", "cookie",
  "session", "signature", "salt", "private", "pat", "otp",
]);

/**
 * Whether a variable name looks like it holds a secret: `NPM_TOKEN`, `db_password`, `ApiKey`,
 * `AWS_SECRET_ACCESS_KEY`, `GITHUB_AUTH`, but not `AUTHOR` or `PATH`.
 */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (/token|secret|passw|credential|apikey|api_key|api-key|private_key|privatekey|access_key|accesskey/.test(lower)) return true;
  if (/(?:key|pwd|auth)$/.test(lower)) return true;
  const segments = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/);
  return segments.some((s) => SECRET_SEGMENTS.has(s.toLowerCase()));
}

type Counter = Map<RedactionKind, number>;

function bump(counts: Counter, kind: RedactionKind, n = 1) {
  counts.set(kind, (counts.get(kind) ?? 0) + n);
}

/** Token-like enough that its literal occurrences elsewhere are worth redacting too. */
function isTokenLike(value: string): boolean {
  return value.length >= 8 && /^[A-Za-z0-9+/=_.~:-]+$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !value.startsWith("/");
}

const TOKEN_PATTERNS: [RedactionKind, RegExp][] = [
  ["github-token", /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g],
  ["gitlab-token", /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,255}/g],
  ["npm-token", /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36,255}/g],
  ["slack-token", /(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,255}/g],
  ["aws-access-key", /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g],
  ["jwt", /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,8192}\.eyJ[A-Za-z0-9_-]{4,16384}\.[A-Za-z0-9_-]{8,8192}/g],
  ["google-api-key", /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g],
  ["stripe-key", /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}/g],
  ["docker-token", /(?<![A-Za-z0-9_])dckr_pat_[A-Za-z0-9_-]{20,255}/g],
];

// scheme://userinfo@ — userinfo is replaced, the host is kept.
const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)([^\s/@"'\\<>]{1,512})@/g;
const BEARER = /(?<![A-Za-z0-9_])([Bb]earer[ \t]+)([A-Za-z0-9._~+/-]{8,8192}=*)/g;
const BASIC = /(authorization["']?[ \t]*[:=][ \t]*["']?basic[ \t]+)([A-Za-z0-9+/]{8,8192}={0,2})/gi;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,12}-----/g;
// NAME=value (also NAME = value). Values: "…", '…', \"…\" (inside JSON strings) or a bare word.
const NAME_VALUE =
  /(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_.-]{0,127})([ \t]?=[ \t]?)("[^"\n]{0,8192}"|'[^'\n]{0,8192}'|\\"[^"\\\n]{0,8192}\\"|[^\s"'\\,;&|<>)\]}]{1,8192})/g;
// "name": "value" in JSON.
const JSON_PAIR = /"([A-Za-z_][A-Za-z0-9_.-]{0,127})"([ \t]*:[ \t]*)"((?:[^"\\\n]|\\.){0,8192})"/g;
// Legacy `ENV NAME value` (value to the end of the line).
const ENV_SPACE_FORM = /(?<![A-Za-z0-9_])(ENV[ \t]+)([A-Za-z_][A-Za-z0-9_]{0,127})([ \t]+)([^\s="\\][^\n"\\]{0,8192})/g;
// rawjson log entries: {"vertex": …, "data": "<base64>"}
const RAWJSON_DATA = /("data"[ \t]*:[ \t]*")([A-Za-z0-9+/]{4,}={0,2})(")/g;

function unquote(value: string): { inner: string; wrap: (s: string) => string } {
  if (value.startsWith('\\"') && value.endsWith('\\"') && value.length >= 4) {
    return { inner: value.slice(2, -2), wrap: (s) => `\\"${s}\\"` };
  }
  const q = value[0];
  if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
    return { inner: value.slice(1, -1), wrap: (s) => `${q}${s}${q}` };
  }
  return { inner: value, wrap: (s) => s };
}

/** Values that are not secrets themselves: references, already-redacted or masked values. */
function isInertValue(inner: string): boolean {
  const v = inner.trim();
  return v === "" || v.startsWith("[redacted") || v.startsWith("$") || /^\*+$/.test(v) || v === "<redacted>";
}

function redactPem(text: string, counts: Counter): string {
  if (!text.includes("PRIVATE KEY")) return text;
  let out = "";
  let last = 0;
  PEM_BEGIN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PEM_BEGIN.exec(text))) {
    const bodyStart = m.index + m[0].length;
    const endMarker = text.indexOf("-----END ", bodyStart);
    let bodyEnd: number;
    if (endMarker !== -1 && endMarker - bodyStart < 65_536) {
      // Keep the END line's own prefix (e.g. `#7 0.211 `).
      const nl = text.lastIndexOf("\n", endMarker);
      bodyEnd = nl >= bodyStart ? nl + 1 : endMarker;
    } else {
      // Truncated key: redact the following base64-looking lines.
      bodyEnd = bodyStart;
      let pos = text.indexOf("\n", bodyStart);
      while (pos !== -1) {
        const next = text.indexOf("\n", pos + 1);
        const line = text.slice(pos + 1, next === -1 ? text.length : next).replace(/\r$/, "");
        if (!/[A-Za-z0-9+/=]{8,}$/.test(line)) break;
        bodyEnd = next === -1 ? text.length : next + 1;
        if (next === -1) break;
        pos = next;
      }
    }
    const body = text.slice(bodyStart, bodyEnd);
    // Each line keeps its prefix; its trailing base64 run goes. A key inside one line (JSON \n escapes) goes whole.
    const redactedBody = body.includes("\n")
      ? body.replace(/(?<!\[redacted\])[A-Za-z0-9+/=]{2,}(\r?)$/gm, `${REDACTED}$1`)
      : body.length && body !== REDACTED
        ? REDACTED
        : body;
    out += text.slice(last, bodyStart) + redactedBody;
    last = bodyEnd;
    PEM_BEGIN.lastIndex = Math.max(bodyEnd, bodyStart);
    if (redactedBody !== body) bump(counts, "private-key");
  }
  return out + text.slice(last);
}

function decodeBase64Utf8(b64: string): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(base64ToBytes(b64));
  } catch {
    return null; // not base64 of UTF-8 text: leave it as it is
  }
}

/** One pass over one text; secret values found are added to `values`. */
function redactPass(text: string, counts: Counter, values: Set<string>, depth = 0): string {
  let t = redactPem(text, counts);

  if (depth === 0 && t.includes('"data"')) {
    t = t.replace(RAWJSON_DATA, (all, pre: string, b64: string, post: string) => {
      const decoded = decodeBase64Utf8(b64);
      if (decoded == null) return all;
      const redacted = redactPass(decoded, counts, values, depth + 1);
      return redacted === decoded ? all : pre + bytesToBase64(new TextEncoder().encode(redacted)) + post;
    });
  }

  t = t.replace(URL_CREDENTIALS, (all, scheme: string, userinfo: string) => {
    if (userinfo === REDACTED) return all;
    const pass = userinfo.includes(":") ? userinfo.slice(userinfo.indexOf(":") + 1) : userinfo;
    if (isTokenLike(pass)) values.add(pass);
    bump(counts, "url-credentials");
    return `${scheme}${REDACTED}@`;
  });

  for (const [kind, re] of TOKEN_PATTERNS) {
    t = t.replace(re, () => {
      bump(counts, kind);
      return REDACTED;
    });
  }

  t = t.replace(BEARER, (all, pre: string, tok: string) => {
    if (tok.startsWith(REDACTED)) return all;
    bump(counts, "bearer-token");
    return pre + REDACTED;
  });
  t = t.replace(BASIC, (_all, pre: string) => {
    bump(counts, "basic-auth");
    return pre + REDACTED;
  });

  const byName = (name: string, raw: string, rebuild: (v: string) => string, all: string) => {
    if (!isSecretName(name)) return all;
    const { inner, wrap } = unquote(raw);
    if (isInertValue(inner)) return all;
    if (isTokenLike(inner)) values.add(inner);
    bump(counts, /aws/i.test(name) && /secret/i.test(name) ? "aws-secret-key" : "secret-variable");
    return rebuild(wrap(REDACTED));
  };

  t = t.replace(JSON_PAIR, (all, name: string, sep: string, value: string) =>
    byName(name, value, (v) => `"${name}"${sep}"${v}"`, all),
  );
  t = t.replace(NAME_VALUE, (all, name: string, sep: string, value: string) =>
    byName(name, value, (v) => `${name}${sep}${v}`, all),
  );
  t = t.replace(ENV_SPACE_FORM, (all, kw: string, name: string, sep: string, value: string) =>
    byName(name, value.trimEnd(), (v) => `${kw}${name}${sep}${v}${value.slice(value.trimEnd().length)}`, all),
  );
  return t;
}

function replaceLiterals(text: string, values: string[], counts: Counter): string {
  let t = text;
  for (const v of values) {
    if (!t.includes(v)) continue;
    const parts = t.split(v);
    bump(counts, "secret-value", parts.length - 1);
    t = parts.join(REDACTED);
  }
  return t;
}

function toList(counts: Counter): Redaction[] {
  return [...counts.entries()].filter(([, n]) => n > 0).map(([kind, count]) => ({ kind, count }));
}

function sortedValues(values: Set<string>): string[] {
  // Longest first so a value containing another is replaced whole; capped for bounded work.
  return [...values].sort((a, b) => b.length - a.length).slice(0, 500);
}

/** Redacts one text. Never throws. */
export function redactText(text: string): { text: string; redactions: Redaction[] } {
  const counts: Counter = new Map();
  const values = new Set<string>();
  let t = redactPass(text, counts, values);
  t = replaceLiterals(t, sortedValues(values), counts);
  return { text: t, redactions: toList(counts) };
}

export interface RedactableInputs {
  dockerfile?: string | null;
  log?: string | null;
  previousLog?: string | null;
  previousDockerfile?: string | null;
  image?: string | null;
}

const INPUT_KEYS = ["dockerfile", "log", "previousLog", "previousDockerfile", "image"] as const;

/**
 * Redacts every text input. Secret values found in one input (an ARG default in the Dockerfile, a
 * `--build-arg` in the log) are also removed wherever they appear in the others.
 */
export function redactInputs<T extends RedactableInputs>(inputs: T): { inputs: T; redactions: Redaction[] } {
  const counts: Counter = new Map();
  const values = new Set<string>();
  const out = { ...inputs };
  for (const key of INPUT_KEYS) {
    const v = inputs[key];
    if (typeof v === "string" && v) (out as RedactableInputs)[key] = redactPass(v, counts, values);
  }
  const list = sortedValues(values);
  if (list.length) {
    for (const key of INPUT_KEYS) {
      const v = out[key];
      if (typeof v === "string" && v) (out as RedactableInputs)[key] = replaceLiterals(v, list, counts);
    }
  }
  return { inputs: out, redactions: toList(counts) };
}

/** Adds up redaction lists by kind. */
export function mergeRedactions(...lists: Redaction[][]): Redaction[] {
  const counts: Counter = new Map();
  for (const list of lists) for (const r of list) bump(counts, r.kind, r.count);
  return toList(counts);
}
