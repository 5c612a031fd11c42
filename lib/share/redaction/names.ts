/** Which variable / header / flag names hold secrets, and which values are not worth hiding. */

const SECRET_SEGMENTS = new Set([
  "token", "tokens", "password", "passwords", "passwd", "pwd", "pass", "passphrase", "secret", "secrets",
  "apikey", "credential", "credentials", "creds", "auth", "authorization", "cookie",
  "session", "signature", "sig", "salt", "private", "pat", "otp", "dsn",
]);

const SECRET_SUBSTRINGS = /token|secret|passw|credential|apikey|api_key|api-key|private_key|privatekey|private-key|access_key|accesskey|access-key|auth_?config/;

/**
 * Whether a variable name looks like it holds a secret: `NPM_TOKEN`, `db_password`, `ApiKey`,
 * `AWS_SECRET_ACCESS_KEY`, `GITHUB_AUTH`, `X-API-Key`, `sig`, but not `AUTHOR`, `PATH` or `KEYBOARD`.
 */
/** A last name segment that says the value is about a secret, not the secret: `NPM_TOKEN_FILE`, `AUTH_URL`, `access_token_scopes`. */
const DESCRIBES_NOT_HOLDS = new Set([
  "file", "files", "path", "paths", "dir", "directory", "url", "uri", "endpoint", "host", "scope", "scopes", "type", "name",
  "names", "id", "ids", "length", "size", "count", "format", "mode", "enabled", "disabled", "version", "prefix", "suffix",
  "expiry", "expires", "ttl", "timeout", "algorithm", "region", "provider", "source", "stdin", "override", "required", "set",
]);

const memo = new Map<string, boolean>();

export function isSecretName(name: string): boolean {
  const hit = memo.get(name);
  if (hit !== undefined) return hit;
  const r = computeIsSecretName(name);
  if (memo.size > 20_000) memo.clear(); // bounded: hostile text can hold any number of names
  memo.set(name, r);
  return r;
}

function computeIsSecretName(name: string): boolean {
  if (name.length > 128) return false;
  const parts = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  if (parts.length > 1 && DESCRIBES_NOT_HOLDS.has(parts[parts.length - 1]!.toLowerCase())) return false;
  const lower = name.toLowerCase();
  if (SECRET_SUBSTRINGS.test(lower)) return true;
  if (/(?:key|pwd|auth)$/.test(lower)) return true;
  const segments = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/);
  return segments.some((s) => SECRET_SEGMENTS.has(s.toLowerCase()));
}

/** Names that match isSecretName but name files, switches or ids, not secret values. */
export function isSecretFlagName(flag: string): boolean {
  const f = flag.toLowerCase();
  if (/(?:-stdin|-file|-env|-path|-id|-type|-name|-dir|-length|-size|-count)$/.test(f)) return false;
  if (f === "secret" || f === "ssh" || f === "mount" || f === "no-auth" || f === "auth-type" || f === "keyring") return false;
  return isSecretName(f);
}

const TRIVIAL = new Set(["true", "false", "yes", "no", "none", "null", "nil", "empty", "undefined", "on", "off", "enabled", "disabled", "required", "optional", "changeme", "default", "unset", "redacted", "xxx", "xxxx", "****",
  // placeholders in docs, lint messages and templates
  "value", "values", "example", "placeholder", "foo", "bar", "baz", "dummy", "string", "secret", "password", "token", "key", "...", "…"]);

/** Values that are not secrets themselves: references, placeholders, masks, already redacted. */
export function isInertValue(inner: string): boolean {
  const v = inner.trim();
  if (v === "" || v.startsWith("[redacted") || v.startsWith("$") || v.startsWith("%") || v === "<redacted>") return true;
  if (/^\*+$/.test(v) || /^x+$/i.test(v) || /^=+$/.test(v)) return true;
  if (v.startsWith("{{") || v.startsWith("<") || v.startsWith("-")) return true;
  if (/^\{[\w.-]{0,40}\}$/.test(v)) return true; // format placeholders: {0}, {password}
  if (isPathLike(v)) return true;
  return TRIVIAL.has(v.toLowerCase());
}

/** `/home/runner/creds.json`, `~/.npmrc`, `./secrets/key.pem`: where a secret lives, not the secret. */
export function isPathLike(v: string): boolean {
  if (v.length === 40) return false; // an AWS secret key may start with "/"
  if (!/^(?:~|\.{1,2})?\/(?:[\w.@+-]+\/)*[\w.@+-]*$/.test(v)) return false;
  const segments = v.split("/").filter(Boolean);
  return segments.length >= 2 || /\.[a-z]{1,6}$/i.test(v);
}

/**
 * Whether a secret's value is distinctive enough to be removed wherever it appears literally (in a
 * vertex name that BuildKit expanded, in step output, in an explanation). Short or common values
 * would blank unrelated text.
 */
export function isDistinctiveValue(value: string): boolean {
  if (value.length < 4 || value.length > 4096) return false;
  if (isInertValue(value)) return false;
  if (/^\d{1,5}$/.test(value)) return false;
  if (/^(.)\1*$/.test(value)) return false;
  if (value.includes("\n")) return false;
  return true;
}
