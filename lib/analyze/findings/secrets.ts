/**
 * Secret shapes, shared by `secret-in-build-arg` and by `makeFinding`, which masks them in every
 * message and fix: a finding may quote Dockerfile lines, and it must never repeat a secret.
 */

/** Token formats, described by kind only. */
export const TOKEN_FORMATS: { kind: string; re: RegExp }[] = [
  { kind: "a GitHub token", re: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { kind: "an npm access token", re: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: "a GitLab token", re: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { kind: "an AWS access key id", re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: "a Slack token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "a Stripe key", re: /\b[rs]k_(live|test)_[0-9A-Za-z]{20,}\b/ },
  { kind: "an API secret key", re: /\bsk-[A-Za-z0-9_-]{20,}/ },
  { kind: "a Google API key", re: /\bAIza[0-9A-Za-z_-]{35}/ },
  { kind: "a private key", re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: "a JSON web token", re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { kind: "a URL with a password", re: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@$]{3,}@/i },
];

export function tokenKind(value: string): string | null {
  for (const f of TOKEN_FORMATS) if (f.re.test(value)) return f.kind;
  return null;
}

const SECRET_WORDS = new Set(["TOKEN", "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "CREDENTIALS", "CREDENTIAL", "CREDS", "AUTH", "APIKEY", "PAT"]);
const KEY_QUALIFIERS = new Set(["API", "PRIVATE", "ACCESS", "SECRET", "SIGNING", "SSH", "ENCRYPTION", "MASTER", "CLIENT", "DEPLOY"]);
/** Names that point *at* a secret rather than hold one. */
const HARMLESS_LAST = new Set(["FILE", "PATH", "DIR", "URL", "ENDPOINT", "HOST", "USER", "USERNAME", "NAME", "TYPE", "METHOD", "MODE", "HEADER", "ENABLED", "REQUIRED", "ID", "PORT"]);

/** True when an ARG/ENV name says it holds a secret (`NPM_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`). */
export function isSecretName(name: string): boolean {
  const parts = name.toUpperCase().split(/[_\-.]+/).filter(Boolean);
  if (parts.length === 0) return false;
  if (HARMLESS_LAST.has(parts[parts.length - 1]!)) return false;
  if (parts.some((p) => SECRET_WORDS.has(p))) return true;
  return parts.some((p, i) => (p === "KEY" || p === "KEYS") && i > 0 && KEY_QUALIFIERS.has(parts[i - 1]!));
}

// URL passwords are masked on their own (keeping the URL readable).
const GLOBAL_FORMATS = TOKEN_FORMATS.filter((f) => f.kind !== "a URL with a password").map((f) => new RegExp(f.re.source, f.re.flags.includes("g") ? f.re.flags : f.re.flags + "g"));

/**
 * Replaces token-shaped text, URL passwords, `Authorization:` header values and the values of
 * secret-named assignments (`DB_PASSWORD=…`, `--build-arg GITHUB_TOKEN=…`) by `***`.
 */
export function maskSecrets(text: string): string {
  let out = text;
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^/\s@$]{3,}@/gi, "$1***@");
  out = out.replace(/(Authorization:\s*(?:Bearer|Basic|token)\s+)[^\s"']+/gi, "$1***");
  out = out.replace(/\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"'`]+)/g, (whole, name: string, value: string) =>
    isSecretName(name) && !/^["']?\$/.test(value) ? `${name}=***` : whole,
  );
  out = out.replace(/\b((?:ENV|ARG)\s+)([A-Za-z_][A-Za-z0-9_]*)(\s+)(?!\$)(\S.*)$/gm, (whole, kw: string, name: string, sp: string) =>
    isSecretName(name) ? `${kw}${name}${sp}***` : whole,
  );
  for (const re of GLOBAL_FORMATS) out = out.replace(re, "***");
  return out;
}
