import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REDACTED, TOKEN_RULES, describeRedactions, isSecretName, redactInputs, redactText } from "./redact";

const SECRETS_DIR = path.resolve(__dirname, "../../test/secrets");
const planted: Record<string, string> = JSON.parse(readFileSync(path.join(SECRETS_DIR, "secrets.json"), "utf8")).secrets;
const read = (f: string) => readFileSync(path.join(SECRETS_DIR, f), "utf8");

function leaks(text: string): string[] {
  return Object.entries(planted)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

describe("redactInputs on the planted-secrets set (test/secrets)", () => {
  const inputs = {
    dockerfile: read("Dockerfile"),
    log: read("build.log"),
    previousLog: read("rawjson.log"),
    previousDockerfile: null,
    image: null,
  };
  const { inputs: out, redactions } = redactInputs(inputs);

  it("the planted files really contain every secret", () => {
    expect(leaks(JSON.stringify(inputs)).sort()).toEqual(
      Object.keys(planted)
        .filter((k) => k !== "rawjson-token") // base64-encoded inside the rawjson log
        .sort(),
    );
  });

  it("leaves none of them", () => {
    expect(leaks(JSON.stringify(out))).toEqual([]);
    // also not inside rawjson's base64 log data
    const decoded = [...(out.previousLog ?? "").matchAll(/"data": "([^"]+)"/g)].map((m) => Buffer.from(m[1]!, "base64").toString("utf8"));
    expect(decoded.join("\n")).toContain(REDACTED);
    expect(leaks(decoded.join("\n"))).toEqual([]);
  });

  it("reports what was redacted, by kind", () => {
    const kinds = Object.fromEntries(redactions.map((r) => [r.kind, r.count]));
    for (const k of ["github-token", "gitlab-token", "npm-token", "slack-token", "aws-access-key", "aws-secret-key", "jwt", "private-key", "bearer-token", "url-credentials", "build-arg-value", "env-value", "google-api-key"]) {
      expect(kinds[k], k).toBeGreaterThan(0);
    }
    expect(describeRedactions(redactions)).toMatch(/GitHub tokens/);
  });

  it("keeps the structure the parsers need", () => {
    expect(out.log).toContain("#6 [build 3/6] RUN git clone https://deploy:[redacted]@git.example.com/org/repo.git /src");
    expect(out.log).toContain("#9 0.200 -----BEGIN RSA PRIVATE KEY-----");
    expect(out.log).toContain("#9 0.204 -----END RSA PRIVATE KEY-----");
    expect(out.log.split("\n").length).toBe(inputs.log.split("\n").length);
    expect(out.dockerfile).toContain('ENV DB_PASSWORD="[redacted]" APP_ENV=production');
    expect(out.dockerfile).toContain("ARG API_KEY\n");
    expect(out.dockerfile).toContain('RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc');
    expect(() => out.previousLog!.split("\n}\n").filter(Boolean).forEach((o) => JSON.parse(o.endsWith("}") ? o : o + "}"))).not.toThrow();
  });

  it("is idempotent", () => {
    const again = redactInputs(out);
    expect(again.inputs).toEqual(out);
    expect(again.redactions).toEqual([]);
  });
});

describe("redactText", () => {
  it.each([
    ["--build-arg NPM_TOKEN=abc123def456", "--build-arg NPM_TOKEN=[redacted]"],
    ["ENV API_KEY=s3cr3tvalue OTHER=1", "ENV API_KEY=[redacted] OTHER=1"],
    ["ENV DB_PASSWORD 'hunter2 two'", "ENV DB_PASSWORD '[redacted]'"],
    ["ARG password='hunter2'", "ARG password='[redacted]'"],
    ['{"name":"[2/3] RUN TOKEN=abc123 make"}', '{"name":"[2/3] RUN TOKEN=[redacted] make"}'],
    ['{"client_secret": "abc\\"def"}', '{"client_secret": "[redacted]"}'],
    ["https://user:pa55@example.com/x", "https://user:[redacted]@example.com/x"],
    ["git+ssh://tok3nValue9@example.com/r.git", "git+ssh://[redacted]@example.com/r.git"],
    ["curl 'https://api.example.com/v1?access_token=abcd1234&x=1'", "curl 'https://api.example.com/v1?access_token=[redacted]&x=1'"],
    ["Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic [redacted]"],
    ["id AKIAIOSFODNN7EXAMPLE here", "id [redacted] here"],
    ["key sk_live_0123456789abcdefABCD", "key [redacted]"],
    ["docker login -p dckr_pat_0123456789abcdefghijABCD", "docker login -p [redacted]"],
  ])("%s", (input, want) => {
    expect(redactText(input).text).toBe(want);
  });

  it.each([
    "ARG AUTHOR=jane",
    "ENV PATH=/usr/local/bin:$PATH",
    "ARG NPM_TOKEN",
    "RUN --mount=type=secret,id=npm_token,target=/root/.npmrc npm ci",
    "ENV GITHUB_TOKEN=${GITHUB_TOKEN}",
    "#5 sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 1.2MB / 3.4MB 0.5s",
    "#7 [build 3/5] COPY package.json package-lock.json ./",
    "git@github.com:org/repo.git",
    "- SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"GITHUB_TOKEN\") (line 4)",
    "TOKEN=*** (masked by CI)",
    // ordinary text of real published logs (../shared/corpus) that once tripped a rule
    "git config --local http.https://github.com/.extraheader AUTHORIZATION: basic ***",
    ' - LegacyKeyValueFormat: "ENV key=value" should be used instead of legacy "ENV key value" format (line 17)',
    "  access_token_scopes: https://www.googleapis.com/auth/cloud-platform",
    "GOOGLE_APPLICATION_CREDENTIALS=/home/runner/work/k/k/gha-creds-e42b5d7cd011977b.json",
    'rosdep install --rosdistro foxy --skip-keys "rtabmap find_object_2d Pangolin"',
    'export DB_PASSWORD="{0}"',
    "INPUT_PROXY_PORT=*** proxy_password= key= debug=",
    "#9 ERROR: failed to compute cache key: failed to calculate checksum of ref abc::def: not found",
  ])("leaves %s alone", (input) => {
    const r = redactText(input);
    expect({ text: r.text, redactions: r.redactions }).toEqual({ text: input, redactions: [] });
  });

  it("redacts a value everywhere once it is known to be secret", () => {
    const r = redactText("ARG DEPLOY_KEY=Zx81kk2Pq0\nRUN echo Zx81kk2Pq0 > /k");
    expect(r.text).toBe("ARG DEPLOY_KEY=[redacted]\nRUN echo [redacted] > /k");
  });

  it("names", () => {
    for (const n of ["NPM_TOKEN", "db_password", "ApiKey", "AWS_SECRET_ACCESS_KEY", "GITHUB_AUTH", "SSH_KEY", "creds", "GH_PAT"]) expect(isSecretName(n), n).toBe(true);
    for (const n of ["AUTHOR", "PATH", "HOME", "NODE_ENV", "VERSION", "KEYBOARD_LAYOUT_NAME".replace("KEYBOARD_", "")]) expect(isSecretName(n), n).toBe(false);
  });

  it("stays linear on hostile input", () => {
    const hostile = [
      "a".repeat(200_000),
      "a-".repeat(100_000) + "=",
      "TOKEN=" + "x".repeat(200_000),
      "eyJ" + "a".repeat(100_000) + ".eyJ" + "a".repeat(100_000),
      "https://" + "u".repeat(200_000),
      "-----BEGIN RSA PRIVATE KEY-----\n" + "QUJD\n".repeat(50_000),
      '"k":"' + "\\\\".repeat(100_000),
      "ghp_".repeat(50_000),
    ];
    const t0 = performance.now();
    for (const h of hostile) redactText(h);
    // Generous bound: quadratic behaviour would take minutes here.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe("real logs without secrets are left as they are", () => {
  const dir = path.resolve(__dirname, "../../fixtures/scenarios");
  // Scenarios about secrets plant fake tokens on purpose (covered in test/secrets).
  const cases = existsSync(dir) ? readdirSync(dir).filter((d) => !d.includes("secret") && existsSync(path.join(dir, d, "after.log"))) : [];
  it.each(cases.length ? cases : ["(no fixtures)"])("%s", (slug) => {
    if (!cases.length) return;
    const log = readFileSync(path.join(dir, slug, "after.log"), "utf8");
    const df = existsSync(path.join(dir, slug, "Dockerfile")) ? readFileSync(path.join(dir, slug, "Dockerfile"), "utf8") : null;
    const r = redactInputs({ log, dockerfile: df });
    const unexpected = r.redactions.filter((x) => x.kind !== "secret-variable" && x.kind !== "secret-value");
    expect(unexpected).toEqual([]);
    if (!/TOKEN|SECRET|PASSWORD|_KEY/i.test(log + (df ?? ""))) expect(r.inputs.log).toBe(log);
  });
});

describe("the vendor token table (one test per format)", () => {
  it.each(TOKEN_RULES.map((r) => [r.kind, r.example] as const))("%s: %s", (kind, example) => {
    for (const context of [`${example}`, `token ${example} used`, `"${example}"`, `x=${example}&y=1`, `#7 0.123 ${example}`]) {
      const r = redactText(context);
      expect(r.text, context).not.toContain(example);
      expect(r.text).toContain("[redacted]");
    }
    expect(redactText(`see ${example}`).redactions.map((x) => x.kind)).toContain(kind);
  });
});

describe("what the share dialog says", () => {
  it("names the kinds, the counts and the variables, expansion included", () => {
    const dockerfile = "FROM x\nARG DB_PASSWORD\nRUN echo $DB_PASSWORD > /pw\n";
    const log = [
      "#5 [2/2] RUN echo correct-horse-battery > /pw",
      "#5 0.1 token ghp_FAKE0gh28ClassicABCDEFGHIJKLMNOPQRSTU ghp_FAKE0gh29ClassicABCDEFGHIJKLMNOPQRSTU",
      "#5 0.2 -----BEGIN PRIVATE KEY-----",
      "#5 0.3 MIIEowIBAAKCAQEAFAKE0pemBody0line0one0000000000000000000000000000",
      "#5 0.4 -----END PRIVATE KEY-----",
      "#5 DONE 0.5s",
    ].join("\n");
    const r = redactInputs({ dockerfile, log });
    expect(r.inputs.log).not.toContain("correct-horse-battery");
    expect(describeRedactions(r.redactions)).toBe("1 build-arg value (DB_PASSWORD), 1 private key, 2 GitHub tokens");
    expect(describeRedactions([])).toBe("nothing");
  });
});
