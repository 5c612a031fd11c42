/**
 * URLs: credentials in the userinfo (`https://user:p%40ss/w@host` — passwords may hold `/`, `@`,
 * `%`), webhook URLs whose path is the secret (Slack, Discord, Teams, Zapier, generic `/webhook/…`),
 * and the signature parameters of signed URLs (`sig=`, `X-Amz-Signature=`, …). One regex finds
 * each URL; the rest is string work on that URL alone, so the pass is linear.
 */
import { REDACTED, type RedactionCounter } from "./kinds";
import { isSecretName } from "./names";

const URL_START = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s"'<>`\\]{1,4096}/g;

const WEBHOOKS: RegExp[] = [
  /^(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)(.+)$/i,
  /^(https?:\/\/(?:[a-z]+\.)?discord(?:app)?\.com\/api\/webhooks\/)(.+)$/i,
  /^(https?:\/\/[a-z0-9.-]*webhook\.office\.com\/)(.+)$/i,
  /^(https?:\/\/outlook\.office(?:365)?\.com\/webhook\/)(.+)$/i,
  /^(https?:\/\/hooks\.zapier\.com\/hooks\/)(.+)$/i,
  /^(https?:\/\/maker\.ifttt\.com\/trigger\/)(.+)$/i,
  /^(https?:\/\/chat\.googleapis\.com\/v1\/spaces\/)(.+)$/i,
  // Generic: a path segment named webhook(s)/hooks followed by a long token-like segment.
  /^(https?:\/\/[^/?#]{1,255}\/(?:[^?#]{0,200}\/)?(?:webhooks?|hooks)\/)([^?#\s]{16,})/i,
];

const SIGNED_PARAMS = /([?&](?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|googleaccessid|token|access_token|api_key|apikey|key|code|client_secret)=)([^&#\s"'<>]{1,4096})/gi;

/** Returns the URL with its secrets replaced, and the password (for literal removal elsewhere). */
function redactUrl(url: string, counts: RedactionCounter, values: Set<string>): string {
  const schemeEnd = url.indexOf("://") + 3;
  let out = url;
  // userinfo: up to the last "@" before any "?" or "#"
  const q = out.search(/[?#]/);
  const authorityAndPath = q === -1 ? out.slice(schemeEnd) : out.slice(schemeEnd, q);
  const at = authorityAndPath.lastIndexOf("@");
  if (at > 0) {
    const userinfo = authorityAndPath.slice(0, at);
    const firstSlash = userinfo.indexOf("/");
    const colon = userinfo.indexOf(":");
    // host:port/path@x or host/path/@scope are not credentials
    const isPort = /^[^/:@]*:\d{1,5}(?:\/|$)/.test(userinfo);
    const looksLikeCreds = !isPort && userinfo !== REDACTED && (colon !== -1 ? firstSlash === -1 || colon < firstSlash : firstSlash === -1);
    if (looksLikeCreds) {
      const secret = colon === -1 ? userinfo : userinfo.slice(colon + 1);
      if (secret && !secret.startsWith("$") && secret !== REDACTED) {
        values.add(secret);
        try {
          const decoded = decodeURIComponent(secret);
          if (decoded !== secret) values.add(decoded);
        } catch {
          /* not percent-encoded */
        }
        const user = colon === -1 ? "" : userinfo.slice(0, colon + 1);
        // A user name alone (`https://user@host`) is not a secret, a token used as user name is.
        if (colon !== -1 || secret.length >= 16 || (secret.length >= 8 && /[0-9]/.test(secret) && /[A-Za-z]/.test(secret))) {
          out = out.slice(0, schemeEnd) + user + REDACTED + out.slice(schemeEnd + at);
          counts.add("url-credentials");
        }
      }
    }
  }
  for (const [i, re] of WEBHOOKS.entries()) {
    const m = re.exec(out);
    const generic = i === WEBHOOKS.length - 1; // a long token-like segment decides it there
    if (m && m[2] && !m[2].startsWith(REDACTED) && (!generic || /[A-Za-z0-9_-]{16}/.test(m[2]))) {
      out = m[1] + REDACTED + out.slice(m[1]!.length + m[2].length);
      counts.add("webhook-url");
      break;
    }
  }
  if (out.includes("=")) {
    out = out.replace(SIGNED_PARAMS, (all, pre: string, value: string) => {
      if (value === REDACTED || value.startsWith("$")) return all;
      const name = pre.slice(1, -1).toLowerCase();
      if (name === "code" && value.length < 16) return all;
      if ((name === "key" || name === "token") && value.length < 8) return all;
      if (value.length >= 8) values.add(value);
      counts.add(isSecretName(name) && !/sig|signature|credential/.test(name) ? "secret-variable" : "signed-url", 1);
      return pre + REDACTED;
    });
  }
  return out;
}

export function redactUrls(text: string, counts: RedactionCounter, values: Set<string>): string {
  if (!text.includes("://")) return text;
  return text.replace(URL_START, (url) => redactUrl(url, counts, values));
}
