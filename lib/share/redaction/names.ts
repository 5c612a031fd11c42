/** Which variable / header / flag names hold secrets, and which values are not worth hiding. */

const SECRET_SEGMENTS = new Set([
  "token", "tokens", "password", "passwords", "passwd", "pwd", "pass", "passphrase", "secret", "secrets",
  "key", "keys", "apikey", "credential", "credentials", "creds", "auth", "authorization", "cookie",
  "session", "signature", "sig", "salt", "private", "pat", "otp", "dsn",
]);

const SECRET_SUBSTRINGS = /token|secret|passw|credential|apikey|api_key|api-key|private_key|privatekey|private-key|access_key|accesskey|access-key|auth_?config/;

/**
 * Whether a variable name looks like it holds a secret: `NPM_TOKEN`, `db_password`, `ApiKey`,
 * `AWS_SECRET_ACCESS_KEY`, `GITHUB_AUTH`, `X-API-Key`, `sig`, but not `AUTHOR`, `PATH` or `KEYBOARD`.
 */
export function isSecretName(name: string): boolean {
  if (name.length > 128) return false;
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

const TRIVIAL = new Set(["true", "false", "yes", "no", "none", "null", "nil", "empty", "undefined", "on", "off", "enabled", "disabled", "required", "optional", "changeme", "default", "unset", "redacted", "xxx", "xxxx", "****"]);

/** Values that are not secrets themselves: references, placeholders, masks, already redacted. */
export function isInertValue(inner: string): boolean {
  const v = inner.trim();
  if (v === "" || v.startsWith("[redacted") || v.startsWith("$") || v.startsWith("%") || v === "<redacted>") return true;
  if (/^\*+$/.test(v) || /^x+$/i.test(v) || /^=+$/.test(v)) return true;
  if (v.startsWith("{{") || v.startsWith("<") || v.startsWith("-")) return true;
  return TRIVIAL.has(v.toLowerCase());
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
