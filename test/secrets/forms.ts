/**
 * The planted-secret forms: every way a secret shows up in a real build log or Dockerfile that
 * the redactor must catch (issue 9). Each form is the text a tool prints, with FAKE values; `secrets`
 * lists every part that must not reach any shared channel. `kinds` is what the share dialog must
 * count it as (one of them).
 *
 * `where`: "line" forms are planted as RUN output lines and as a RUN vertex name; "lines" forms
 * span several output lines (keys); "dockerfile" forms add Dockerfile lines and, when `vertex` is
 * given, the expanded vertex name BuildKit prints for them.
 */
import type { RedactionKind } from "../../lib/share/redact";

export interface SecretForm {
  id: string;
  group: string;
  kinds: RedactionKind[];
  secrets: string[];
  where: "line" | "lines" | "dockerfile";
  text: string;
  /** dockerfile forms: the instruction texts of the vertex BuildKit prints (expanded). */
  vertex?: string;
}

const b64 = (s: string) => btoa(s);
const PEM_BODY = ["MIIEowIBAAKCAQEAFAKE0pemBody0line0one0000000000000000000000000000", "FAKE0pemBody0line0two0000000000000000000000000000000000000000000", "FAKE0pemBody0last=="];
const pem = (begin: string, end: string | null, indent = "") =>
  [begin, ...PEM_BODY.map((l) => indent + l), ...(end ? [end] : [])].join("\n");

export const FORMS: SecretForm[] = [
  // ---- HTTP headers
  { id: "header-token", group: "header", kinds: ["auth-header"], where: "line", secrets: ["FAKE0tok3nHeaderValue01"], text: `curl -fsS -H "Authorization: token FAKE0tok3nHeaderValue01" https://api.github.com/user` },
  { id: "header-bearer", group: "header", kinds: ["bearer-token", "auth-header"], where: "line", secrets: ["FAKE0bearerValue02abcdef"], text: `curl -H 'Authorization: Bearer FAKE0bearerValue02abcdef' https://api.example.com/v1/ping` },
  { id: "header-basic", group: "header", kinds: ["basic-auth"], where: "line", secrets: [b64("fakeuser:FAKE0basicPass03")], text: `wget --header="Authorization: Basic ${b64("fakeuser:FAKE0basicPass03")}" https://repo.example.com/pkg.tgz` },
  { id: "header-x-api-key", group: "header", kinds: ["secret-variable"], where: "line", secrets: ["FAKE0xApiKey04value"], text: `curl -H "X-API-Key: FAKE0xApiKey04value" https://api.example.com` },
  { id: "header-private-token", group: "header", kinds: ["secret-variable"], where: "line", secrets: ["FAKE0privateTok05"], text: `curl --header "PRIVATE-TOKEN: FAKE0privateTok05" https://gitlab.example.com/api/v4/projects` },
  { id: "curl-user", group: "header", kinds: ["basic-auth"], where: "line", secrets: ["FAKE0curlUserPass06"], text: `curl -u deployer:FAKE0curlUserPass06 https://nexus.example.com/repository/raw/a.tgz -o a.tgz` },
  // ---- command-line flags
  { id: "docker-login-p", group: "cli", kinds: ["cli-password"], where: "line", secrets: ["FAKE0dockerLoginP07"], text: `docker login -u ci-bot -p FAKE0dockerLoginP07 ghcr.io` },
  { id: "flag-password", group: "cli", kinds: ["cli-password"], where: "line", secrets: ["FAKE0dockerPassw08"], text: `docker login --username ci --password FAKE0dockerPassw08 registry.example.com` },
  { id: "mysql-glued", group: "cli", kinds: ["cli-password"], where: "line", secrets: ["FAKE0mysqlGlued09"], text: `mysql -uroot -pFAKE0mysqlGlued09 -h db.internal app < schema.sql` },
  { id: "aws-configure", group: "cli", kinds: ["aws-secret-key"], where: "line", secrets: ["FAKE0awsConfigureSecret10abcdefghijklmno"], text: `aws configure set aws_secret_access_key FAKE0awsConfigureSecret10abcdefghijklmno` },
  { id: "npm-config-set", group: "cli", kinds: ["cli-password"], where: "line", secrets: ["FAKE0npmConfigTok11"], text: `npm config set //registry.npmjs.org/:_authToken FAKE0npmConfigTok11` },
  { id: "sshpass", group: "cli", kinds: ["cli-password"], where: "line", secrets: ["FAKE0sshpassValue12"], text: `sshpass -p FAKE0sshpassValue12 ssh -o StrictHostKeyChecking=no deploy@10.0.0.5 true` },
  { id: "flag-password-eq", group: "cli", kinds: ["cli-password"], where: "line", secrets: ["FAKE0passwordEq13"], text: `./configure-db --host=db --password=FAKE0passwordEq13 --verbose` },
  // ---- URLs
  { id: "url-creds-special", group: "url", kinds: ["url-credentials"], where: "line", secrets: ["FAKE0p%40ss", "w@rd14"], text: `git clone https://builder:FAKE0p%40ss/w@rd14@git.example.com/org/repo.git /src` },
  { id: "url-creds-token-user", group: "url", kinds: ["url-credentials", "github-token"], where: "line", secrets: ["ghs_FAKE0urlUserToken15ABCDEFGHIJKLMNOPQR"], text: `git clone https://x-access-token:ghs_FAKE0urlUserToken15ABCDEFGHIJKLMNOPQR@github.com/org/private.git` },
  { id: "url-creds-redis", group: "url", kinds: ["url-credentials"], where: "line", secrets: ["FAKE0redisPass16"], text: `connecting to redis://:FAKE0redisPass16@cache.internal:6379/0` },
  { id: "signed-url-azure", group: "url", kinds: ["signed-url"], where: "line", secrets: ["FAKE0azureSig17"], text: `curl -o data.bin "https://acct.blob.core.windows.net/c/data.bin?sv=2022-11-02&se=2026-12-01&sr=b&sp=r&sig=FAKE0azureSig17%2Bxyz%3D"` },
  { id: "signed-url-s3", group: "url", kinds: ["signed-url"], where: "line", secrets: ["fake0amzsig18abcdef0123456789"], text: `curl "https://bucket.s3.amazonaws.com/k.tgz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261201T000000Z&X-Amz-Signature=fake0amzsig18abcdef0123456789"` },
  { id: "webhook-slack", group: "url", kinds: ["webhook-url"], where: "line", secrets: ["FAKE0slackWebhook19xxxx"], text: `curl -X POST -d '{"text":"built"}' https://hooks.slack.com/services/T00000000/B00000000/FAKE0slackWebhook19xxxx` },
  { id: "webhook-discord", group: "url", kinds: ["webhook-url"], where: "line", secrets: ["FAKE0discordWebhook20-abcdefgh"], text: `notify https://discord.com/api/webhooks/123456789012345678/FAKE0discordWebhook20-abcdefgh` },
  { id: "webhook-teams", group: "url", kinds: ["webhook-url"], where: "line", secrets: ["FAKE0teams21webhookabcdef"], text: `POST https://contoso.webhook.office.com/webhookb2/FAKE0teams21webhookabcdef@tenant/IncomingWebhook/0a1b/2c3d` },
  // ---- vendor token formats
  { id: "openai", group: "vendor", kinds: ["openai-key"], where: "line", secrets: ["sk-proj-FAKE0openai22keyABCDEFGHIJKLMNOPQRSTUVWXYZ0123"], text: `using OPENAI key sk-proj-FAKE0openai22keyABCDEFGHIJKLMNOPQRSTUVWXYZ0123 for embeddings` },
  { id: "huggingface", group: "vendor", kinds: ["huggingface-token"], where: "line", secrets: ["hf_FAKE0huggingface23tokenABCDEFGHIJ"], text: `huggingface-cli login --token hf_FAKE0huggingface23tokenABCDEFGHIJ` },
  { id: "sendgrid", group: "vendor", kinds: ["sendgrid-key"], where: "line", secrets: ["SG.FAKE0sendgrid24xx.FAKE0sendgrid24body0000000000"], text: `mail relay key SG.FAKE0sendgrid24xx.FAKE0sendgrid24body0000000000 loaded` },
  { id: "pypi", group: "vendor", kinds: ["pypi-token"], where: "line", secrets: ["pypi-AgEIcHlwaS5vcmcFAKE0pypi25tokenBodyABCDEFGHIJKLMNOPQRSTUVWXYZ"], text: `twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcFAKE0pypi25tokenBodyABCDEFGHIJKLMNOPQRSTUVWXYZ dist/*` },
  { id: "npm", group: "vendor", kinds: ["npm-token"], where: "line", secrets: ["npm_FAKE0npm26TokenABCDEFGHIJKLMNOPQRSTU"], text: `//registry.npmjs.org/:_authToken=npm_FAKE0npm26TokenABCDEFGHIJKLMNOPQRSTU` },
  { id: "github-fine", group: "vendor", kinds: ["github-token"], where: "line", secrets: ["github_pat_11FAKE0gh27_fineGrainedABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"], text: `gh auth login with github_pat_11FAKE0gh27_fineGrainedABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop` },
  { id: "github-classic", group: "vendor", kinds: ["github-token"], where: "line", secrets: ["ghp_FAKE0gh28ClassicABCDEFGHIJKLMNOPQRSTU"], text: `token ghp_FAKE0gh28ClassicABCDEFGHIJKLMNOPQRSTU accepted` },
  { id: "gitlab", group: "vendor", kinds: ["gitlab-token"], where: "line", secrets: ["glpat-FAKE0gitlab29xYz1234AbCd"], text: `git remote set-url origin https://oauth2@gitlab.example.com/g/p.git # glpat-FAKE0gitlab29xYz1234AbCd` },
  { id: "slack", group: "vendor", kinds: ["slack-token"], where: "line", secrets: ["xoxp-000000000000-0000000000000-FAKE0slack30tokenabc"], text: `slack token xoxp-000000000000-0000000000000-FAKE0slack30tokenabc` },
  { id: "stripe", group: "vendor", kinds: ["stripe-key"], where: "line", secrets: ["sk_live_FAKE0stripe31keyABCDEFGH", "rk_test_FAKE0stripe31restrictedAB"], text: `stripe keys sk_live_FAKE0stripe31keyABCDEFGH rk_test_FAKE0stripe31restrictedAB` },
  { id: "google", group: "vendor", kinds: ["google-api-key"], where: "line", secrets: ["AIzaFAKE0google32Key0123456789abcdefghi"], text: `maps key=AIzaFAKE0google32Key0123456789abcdefghi` },
  { id: "aws-access-key", group: "vendor", kinds: ["aws-access-key"], where: "line", secrets: ["AKIAFAKE0AWS33KEY012"], text: `aws_access_key_id AKIAFAKE0AWS33KEY012 in use` },
  { id: "aws-split", group: "vendor", kinds: ["aws-access-key"], where: "lines", secrets: ["AKIAFAKE0A", "WS34KEY012"], text: `access key: AKIAFAKE0A\nWS34KEY012` },
  { id: "aws-secret-named", group: "vendor", kinds: ["aws-secret-key"], where: "line", secrets: ["FAKE0awsSecret35/K7MDENG/bPxRfiCYEXAMPLE"], text: `export AWS_SECRET_ACCESS_KEY=FAKE0awsSecret35/K7MDENG/bPxRfiCYEXAMPLE` },
  { id: "docker-auth", group: "vendor", kinds: ["docker-auth"], where: "line", secrets: [b64("ci:FAKE0dockerAuth36pass"), "FAKE0dockerAuth36pass"], text: `echo '{"auths":{"ghcr.io":{"auth":"${b64("ci:FAKE0dockerAuth36pass")}"}}}' > ~/.docker/config.json` },
  { id: "docker-pat", group: "vendor", kinds: ["docker-token"], where: "line", secrets: ["dckr_pat_FAKE0docker37patABCDEFGHIJ"], text: `echo dckr_pat_FAKE0docker37patABCDEFGHIJ | docker login -u me --password-stdin` },
  { id: "jwt", group: "vendor", kinds: ["jwt"], where: "line", secrets: ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFMzgifQ.FAKE0jwt38signatureABCDEFG"], text: `id_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFMzgifQ.FAKE0jwt38signatureABCDEFG` },
  // ---- private keys
  { id: "pem-plain", group: "pem", kinds: ["private-key"], where: "lines", secrets: PEM_BODY, text: pem("-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----") },
  { id: "pem-json-quoted", group: "pem", kinds: ["private-key"], where: "line", secrets: PEM_BODY, text: `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.join("\\n")}\\n-----END PRIVATE KEY-----\\n"}` },
  { id: "pem-indented", group: "pem", kinds: ["private-key"], where: "lines", secrets: PEM_BODY, text: "deploy_key: |\n  -----BEGIN OPENSSH PRIVATE KEY-----\n" + PEM_BODY.map((l) => "  " + l).join("\n") + "\n  -----END OPENSSH PRIVATE KEY-----" },
  { id: "pem-ansi", group: "pem", kinds: ["private-key"], where: "lines", secrets: PEM_BODY, text: "\u001b[33m-----BEGIN EC PRIVATE KEY-----\u001b[0m\n" + PEM_BODY.map((l) => `\u001b[2m${l}\u001b[0m`).join("\n") + "\n\u001b[33m-----END EC PRIVATE KEY-----\u001b[0m" },
  { id: "pem-lowercase", group: "pem", kinds: ["private-key"], where: "lines", secrets: PEM_BODY, text: pem("-----begin private key-----", "-----end private key-----") },
  { id: "pem-no-end", group: "pem", kinds: ["private-key"], where: "lines", secrets: PEM_BODY, text: pem("-----BEGIN ENCRYPTED PRIVATE KEY-----", null) },
  { id: "pem-flattened", group: "pem", kinds: ["private-key"], where: "line", secrets: PEM_BODY, text: `key is -----BEGIN RSA PRIVATE KEY----- ${PEM_BODY.join(" ")} -----END RSA PRIVATE KEY-----` },
  // ---- secret-named variables (the expansion-aware part)
  { id: "arg-default", group: "variable", kinds: ["build-arg-value", "secret-value"], where: "dockerfile", secrets: ["FAKE0dbPass44"], text: "ARG DB_PASSWORD=FAKE0dbPass44\nRUN echo $DB_PASSWORD > /tmp/pw", vertex: "RUN echo FAKE0dbPass44 > /tmp/pw" },
  { id: "arg-expanded-only", group: "variable", kinds: ["build-arg-value"], where: "dockerfile", secrets: ["correct-horse-battery-45"], text: "ARG DEPLOY_PASSWORD\nRUN echo $DEPLOY_PASSWORD | ./login --stdin", vertex: "RUN echo correct-horse-battery-45 | ./login --stdin" },
  { id: "arg-braces-expanded", group: "variable", kinds: ["build-arg-value"], where: "dockerfile", secrets: ["plain words fortysix"], text: "ARG API_SECRET\nRUN printf '%s' \"${API_SECRET}\" > /run/s", vertex: "RUN printf '%s' \"plain words fortysix\" > /run/s" },
  { id: "build-arg-cli", group: "variable", kinds: ["build-arg-value"], where: "line", secrets: ["FAKE0buildArg47"], text: `+ docker buildx build --build-arg API_TOKEN=FAKE0buildArg47 --progress=plain .` },
  { id: "env-space-form", group: "variable", kinds: ["env-value", "secret-value"], where: "dockerfile", secrets: ["FAKE0envSpace48"], text: "ENV SERVICE_PASSWORD FAKE0envSpace48" , vertex: "ENV SERVICE_PASSWORD FAKE0envSpace48" },
  { id: "record-build-arg", group: "variable", kinds: ["build-arg-value"], where: "line", secrets: ["FAKE0recordArg49"], text: `"build-arg:SESSION_SECRET": "FAKE0recordArg49", build-arg:SESSION_SECRET=FAKE0recordArg49` },
];
