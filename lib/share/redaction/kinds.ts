/** What a redaction removed, by kind, with the words the share dialog uses. Browser-safe. */

export const REDACTED = "[redacted]";

export type RedactionKind =
  | "build-arg-value"
  | "env-value"
  | "secret-variable"
  | "secret-value"
  | "aws-secret-key"
  | "url-credentials"
  | "signed-url"
  | "webhook-url"
  | "private-key"
  | "auth-header"
  | "bearer-token"
  | "basic-auth"
  | "cli-password"
  | "docker-auth"
  | "github-token"
  | "gitlab-token"
  | "aws-access-key"
  | "npm-token"
  | "pypi-token"
  | "slack-token"
  | "stripe-key"
  | "google-api-key"
  | "google-oauth-token"
  | "openai-key"
  | "anthropic-key"
  | "huggingface-token"
  | "sendgrid-key"
  | "docker-token"
  | "digitalocean-token"
  | "vault-token"
  | "shopify-token"
  | "jwt";

export interface Redaction {
  kind: RedactionKind;
  count: number;
  /** Variable names whose values were removed (ARG/ENV/--build-arg names), when known. */
  names?: string[];
}

export const REDACTION_LABELS: Record<RedactionKind, [one: string, many: string]> = {
  "build-arg-value": ["build-arg value", "build-arg values"],
  "env-value": ["ENV value", "ENV values"],
  "secret-variable": ["secret-named variable value", "secret-named variable values"],
  "secret-value": ["copy of a secret value", "copies of secret values"],
  "aws-secret-key": ["AWS secret key", "AWS secret keys"],
  "url-credentials": ["credential in a URL", "credentials in URLs"],
  "signed-url": ["signed-URL signature", "signed-URL signatures"],
  "webhook-url": ["webhook URL", "webhook URLs"],
  "private-key": ["private key", "private keys"],
  "auth-header": ["authentication header", "authentication headers"],
  "bearer-token": ["bearer token", "bearer tokens"],
  "basic-auth": ["basic-auth credential", "basic-auth credentials"],
  "cli-password": ["secret on a command line", "secrets on command lines"],
  "docker-auth": ["Docker registry auth", "Docker registry auths"],
  "github-token": ["GitHub token", "GitHub tokens"],
  "gitlab-token": ["GitLab token", "GitLab tokens"],
  "aws-access-key": ["AWS access key id", "AWS access key ids"],
  "npm-token": ["npm token", "npm tokens"],
  "pypi-token": ["PyPI token", "PyPI tokens"],
  "slack-token": ["Slack token", "Slack tokens"],
  "stripe-key": ["Stripe key", "Stripe keys"],
  "google-api-key": ["Google API key", "Google API keys"],
  "google-oauth-token": ["Google OAuth token", "Google OAuth tokens"],
  "openai-key": ["OpenAI key", "OpenAI keys"],
  "anthropic-key": ["Anthropic key", "Anthropic keys"],
  "huggingface-token": ["Hugging Face token", "Hugging Face tokens"],
  "sendgrid-key": ["SendGrid key", "SendGrid keys"],
  "docker-token": ["Docker access token", "Docker access tokens"],
  "digitalocean-token": ["DigitalOcean token", "DigitalOcean tokens"],
  "vault-token": ["Vault token", "Vault tokens"],
  "shopify-token": ["Shopify token", "Shopify tokens"],
  jwt: ["JSON web token", "JSON web tokens"],
};

/** Counts by kind (and the variable names seen per kind) while redacting. */
export class RedactionCounter {
  private counts = new Map<RedactionKind, number>();
  private names = new Map<RedactionKind, Set<string>>();

  add(kind: RedactionKind, n = 1, name?: string | null) {
    if (n <= 0) return;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
    if (name) this.addName(kind, name);
  }

  addAll(list: Redaction[]) {
    for (const r of list) {
      this.add(r.kind, r.count);
      for (const n of r.names ?? []) this.addName(r.kind, n);
    }
  }

  private addName(kind: RedactionKind, name: string) {
    let set = this.names.get(kind);
    if (!set) this.names.set(kind, (set = new Set()));
    if (set.size < 20) set.add(name);
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  list(): Redaction[] {
    const order = Object.keys(REDACTION_LABELS) as RedactionKind[];
    return [...this.counts.entries()]
      .filter(([, n]) => n > 0)
      .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
      .map(([kind, count]) => {
        const names = this.names.get(kind);
        return names && names.size ? { kind, count, names: [...names].sort() } : { kind, count };
      });
  }
}

/** "2 GitHub tokens, 1 private key, 1 build-arg value (DB_PASSWORD)" — or "nothing" when empty. */
export function describeRedactions(redactions: Redaction[]): string {
  const parts = redactions
    .filter((r) => r.count > 0)
    .map((r) => {
      const label = REDACTION_LABELS[r.kind]?.[r.count === 1 ? 0 : 1] ?? r.kind;
      const names = r.names?.length ? ` (${r.names.slice(0, 5).join(", ")}${r.names.length > 5 ? ", …" : ""})` : "";
      return `${r.count} ${label}${names}`;
    });
  return parts.length ? parts.join(", ") : "nothing";
}

/** Adds up redaction lists by kind (names merged). */
export function mergeRedactions(...lists: Redaction[][]): Redaction[] {
  const c = new RedactionCounter();
  for (const list of lists) c.addAll(list);
  return c.list();
}
