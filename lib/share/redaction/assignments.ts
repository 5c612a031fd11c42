/**
 * Secrets by name: `NAME=value` (Dockerfile ARG/ENV, `--build-arg`, `build-arg:` record entries,
 * `export`, `.npmrc`), `"name": "value"` JSON (docker `auth`, `identitytoken`, `private_key`),
 * `name: value` (YAML, HTTP headers), `Authorization: <scheme> <credentials>`, bearer tokens, and
 * command-line forms (`--password x`, `docker login -p x`, `mysql -px`, `sshpass -p x`,
 * `curl -u user:pass`, `aws configure set …secret… x`, `npm config set …_authToken x`).
 * Quoted values run to their closing quote and bare ones to the next delimiter, so each scan stops
 * at a character that ends the match: linear.
 */
import { base64ToBytes } from "../base64";
import { REDACTED, type RedactionCounter, type RedactionKind } from "./kinds";
import { isInertValue, isSecretFlagName, isSecretName } from "./names";

const VALUE = `"[^"\\n]*"|'[^'\\n]*'|\\\\"[^"\\\\\\n]*\\\\"|[^\\s"'\\\\,;&|<>)\\]}]+`;
// `NAME=value`, or `name = value` (ini files) — not `NAME= next=…` (an empty value, then another pair).
const NAME_VALUE = new RegExp(`(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_.-]{0,127})(=|[ \\t]=[ \\t])(${VALUE})`, "g");
const NAME_COLON = new RegExp(`(?<![A-Za-z0-9_-])([A-Za-z_][A-Za-z0-9_.-]{0,63})([ \\t]*:[ \\t]+)(${VALUE})`, "g");
const JSON_PAIR = /"([A-Za-z_][A-Za-z0-9_.-]{0,127})"([ \t]*:[ \t]*)"((?:[^"\\\n]|\\.)*)"/g;
const JSON_PAIR_ESCAPED = /\\"([A-Za-z_][A-Za-z0-9_.-]{0,127})\\"([ \t]*:[ \t]*)\\"([^"\\\n]*)\\"/g;
// ENV first on its line (a Dockerfile) or right after a vertex label (`[2/5] ENV A b`), not in prose.
const ENV_SPACE_FORM = /(?<=^[ \t]*|\] )(ENV[ \t]+)([A-Za-z_][A-Za-z0-9_]{0,127})([ \t]+)([^\s="\\][^\n"\\]*)/gm;
const AUTHORIZATION = /((?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:(bearer|basic|token|bot|digest|negotiate|aws4-hmac-sha256|sso-key|apikey)[ \t]+)?)([^\s"'\\][^"'\n\\]*)/gi;
const BEARER = /(?<![A-Za-z0-9_])([Bb]earer[ \t]+)([A-Za-z0-9._~+/-]{8,}=*)/g;
const LONG_FLAG = new RegExp(`(?<![A-Za-z0-9_-])(--([a-z][a-z0-9-]{1,40}))(=|[ \\t]+)(?!-)(${VALUE})`, "gi");
const SHORT_P = new RegExp(`(?<![A-Za-z0-9_-])(-p)([ \\t]*=?[ \\t]*)(?!-)(${VALUE})`, "g");
const CURL_USER = /((?<![A-Za-z0-9_-])(?:-u|--user|--proxy-user)[ \t]*=?[ \t]*["']?[^\s:"'\\$]{1,256}:)([^\s"'\\]+)/g;
const AWS_CONFIGURE = new RegExp(`(aws[ \\t]+configure[ \\t]+set[ \\t]+)([A-Za-z0-9_.-]{1,128})([ \\t]+)(${VALUE})`, "g");
const PKG_CONFIG = new RegExp(`((?:npm|yarn|pnpm)[ \\t]+config[ \\t]+set[ \\t]+)([^\\s=]{1,256})([ \\t]+|=)(${VALUE})`, "g");

function unquote(value: string): { inner: string; wrap: (s: string) => string } {
  if (value.startsWith('\\"') && value.endsWith('\\"') && value.length >= 4) return { inner: value.slice(2, -2), wrap: (s) => `\\"${s}\\"` };
  const q = value[0];
  if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) return { inner: value.slice(1, -1), wrap: (s) => `${q}${s}${q}` };
  return { inner: value, wrap: (s) => s };
}

/** ARG / ENV / --build-arg / build-arg: context of a NAME=value at `index` (looks back ≤ 200 characters). */
function contextKind(text: string, index: number, name: string): RedactionKind {
  if (/aws/i.test(name) && /secret/i.test(name)) return "aws-secret-key";
  const from = Math.max(0, index - 200);
  let window = text.slice(from, index);
  const nl = window.lastIndexOf("\n");
  if (nl !== -1) window = window.slice(nl + 1);
  if (/(?:--build-arg[ \t=]+|build-arg:|\|\d+ (?:[^ ]+ )*)$/.test(window) || /(?:^|[\s\]"'])ARG[ \t]/.test(window)) return "build-arg-value";
  if (/(?:^|[\s\]"'])ENV[ \t]/.test(window)) return "env-value";
  return "secret-variable";
}

function decodeBasicPassword(b64: string): string | null {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(base64ToBytes(b64));
    const colon = text.indexOf(":");
    return colon > 0 && /^[\x20-\x7e]+$/.test(text) ? text.slice(colon + 1) : null;
  } catch {
    return null;
  }
}

/**
 * `name: value` is a key only where a key can stand: quoted (`-H "X-API-Key: …"`), an identifier
 * (`api_key:`, `X-Auth-Token:`), or first on its line (YAML, HTTP dumps, after a log prefix) — not
 * prose such as "failed to compute cache key: failed to …".
 */
function isKeyPosition(text: string, index: number, name: string): boolean {
  const before = index > 0 ? text[index - 1]! : "\n";
  if (before === '"' || before === "'") return true;
  if (/[_-]/.test(name) || /[a-z][A-Z]/.test(name)) return true;
  const from = Math.max(0, index - 120);
  let window = text.slice(from, index);
  const nl = window.lastIndexOf("\n");
  if (nl !== -1) window = window.slice(nl + 1);
  else if (from > 0) return false;
  return /^(?:[^\n#]{0,80}?#\d{1,6} \d{1,7}\.\d{1,4} )?[ \t>|-]*$/.test(window) || /(?:-H|--header)[ \t]*=?[ \t]*$/.test(window);
}

/** After `name:` a bare word must look like a credential (prose follows colons too); quoted values always count. */
function colonValueLooksSecret(value: string): boolean {
  if (/^["']|^\\"/.test(value)) return true;
  return value.length >= 12 || (value.length >= 6 && /[^A-Za-z]/.test(value));
}

export function redactAssignments(text: string, counts: RedactionCounter, values: Set<string>): string {
  let t = text;
  const keep = (inner: string) => {
    values.add(inner);
  };

  /** A named value: redacted when the name looks secret and the value is a value (not `$REF`). */
  const byName = (name: string, raw: string, index: number, rebuild: (v: string) => string, all: string, kind?: RedactionKind) => {
    if (!isSecretName(name)) return all;
    const { inner, wrap } = unquote(raw);
    if (isInertValue(inner)) return all;
    // A plain URL was already searched for credentials, signatures and webhook tokens.
    if (/^[a-z][a-z0-9+.-]{0,30}:\/\//i.test(inner) && !/[A-Za-z0-9_-]{24}/.test(inner.replace(/^[^/]*\/\/[^/]*/, ""))) return all;
    keep(inner);
    const k = kind ?? contextKind(t, index, name);
    if (/^auths?$/i.test(name)) {
      const pw = decodeBasicPassword(inner);
      if (pw) keep(pw);
    }
    counts.add(/^auth$/i.test(name) && /^[A-Za-z0-9+/]{8,}={0,2}$/.test(inner) ? "docker-auth" : k, 1, k === "build-arg-value" || k === "env-value" || k === "secret-variable" || k === "aws-secret-key" ? name : null);
    return rebuild(wrap(REDACTED));
  };

  if (/authorization/i.test(t)) {
    t = t.replace(AUTHORIZATION, (all, pre: string, scheme: string | undefined, cred: string) => {
      const c = cred.trimEnd();
      if (c.startsWith(REDACTED) || isInertValue(c)) return all;
      keep(c);
      if (scheme && /^basic$/i.test(scheme)) {
        const pw = decodeBasicPassword(c);
        if (pw) keep(pw);
      }
      counts.add(scheme && /^basic$/i.test(scheme) ? "basic-auth" : scheme && /^bearer$/i.test(scheme) ? "bearer-token" : "auth-header");
      return pre + REDACTED + cred.slice(c.length);
    });
  }
  if (/bearer/i.test(t)) {
    t = t.replace(BEARER, (all, pre: string, tok: string) => {
      if (tok.startsWith(REDACTED) || !(/[0-9]/.test(tok) || tok.length >= 20)) return all;
      keep(tok);
      counts.add("bearer-token");
      return pre + REDACTED;
    });
  }
  if (t.includes('"')) {
    t = t.replace(JSON_PAIR, (all, name: string, sep: string, value: string, index: number) => byName(name, value, index, (v) => `"${name}"${sep}"${v}"`, all));
    if (t.includes('\\"')) t = t.replace(JSON_PAIR_ESCAPED, (all, name: string, sep: string, value: string, index: number) => byName(name, value, index, (v) => `\\"${name}\\"${sep}\\"${v}\\"`, all));
  }
  if (t.includes("--")) {
    t = t.replace(LONG_FLAG, (all, flag: string, name: string, sep: string, value: string) => {
      if (!isSecretFlagName(name) || /^build-arg$/i.test(name)) return all;
      const { inner, wrap } = unquote(value);
      if (isInertValue(inner)) return all;
      keep(inner);
      counts.add("cli-password");
      return flag + sep + wrap(REDACTED);
    });
  }
  if (t.includes("=")) {
    t = t.replace(NAME_VALUE, (all, name: string, sep: string, value: string, index: number) => byName(name, value, index, (v) => `${name}${sep}${v}`, all));
  }
  if (t.includes(":")) {
    t = t.replace(NAME_COLON, (all, name: string, sep: string, value: string, index: number) =>
      !isSecretName(name) || /^(?:proxy-)?authorization$/i.test(name) || /^(?:[A-Z][a-z0-9]+){3,}$/.test(name) || !isKeyPosition(t, index, name) || !colonValueLooksSecret(value) ? all : byName(name, value, index, (v) => `${name}${sep}${v}`, all, "secret-variable"),
    );
  }
  if (t.includes("ENV")) {
    t = t.replace(ENV_SPACE_FORM, (all, kw: string, name: string, sep: string, value: string, index: number) =>
      byName(name, value.trimEnd(), index, (v) => `${kw}${name}${sep}${v}${value.slice(value.trimEnd().length)}`, all, "env-value"),
    );
  }
  if (t.includes("-p")) {
    t = t.replace(SHORT_P, (all, flag: string, sep: string, value: string, index: number) => {
      const from = Math.max(0, index - 300);
      let window = t.slice(from, index);
      const nl = window.lastIndexOf("\n");
      if (nl !== -1) window = window.slice(nl + 1);
      const login = Math.max(window.lastIndexOf("login"), window.lastIndexOf("sshpass"));
      const mysql = Math.max(window.lastIndexOf("mysql"), window.lastIndexOf("mariadb"));
      const cmd = Math.max(login, mysql);
      if (cmd === -1 || /[;&|]/.test(window.slice(cmd))) return all;
      // mysql takes the password glued (-ppw); `-p name` is a database name there.
      if (login === -1 && sep !== "") return all;
      const { inner, wrap } = unquote(value);
      if (isInertValue(inner) || /^\d{1,5}(?::\d{1,5})?$/.test(inner)) return all;
      keep(inner);
      counts.add("cli-password");
      return flag + sep + wrap(REDACTED);
    });
  }
  if (/-u|--user|--proxy-user/.test(t)) {
    t = t.replace(CURL_USER, (all, pre: string, pass: string) => {
      if (isInertValue(pass)) return all;
      keep(pass);
      counts.add("basic-auth");
      return pre + REDACTED;
    });
  }
  if (t.includes("configure")) {
    t = t.replace(AWS_CONFIGURE, (all, pre: string, name: string, sep: string, value: string) => {
      if (!isSecretName(name)) return all;
      const { inner, wrap } = unquote(value);
      if (isInertValue(inner)) return all;
      keep(inner);
      counts.add(/secret/i.test(name) ? "aws-secret-key" : "cli-password", 1, name);
      return pre + name + sep + wrap(REDACTED);
    });
  }
  if (t.includes("config")) {
    t = t.replace(PKG_CONFIG, (all, pre: string, key: string, sep: string, value: string) => {
      const last = key.split(":").pop() ?? key;
      if (!isSecretName(last)) return all;
      const { inner, wrap } = unquote(value);
      if (isInertValue(inner)) return all;
      keep(inner);
      counts.add("cli-password", 1, last);
      return pre + key + sep + wrap(REDACTED);
    });
  }
  return t;
}
