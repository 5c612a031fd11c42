/**
 * Vendor token formats: one row per format, each with a FAKE example the tests plant (test/secrets).
 *
 * Why our own table and not secretlint's rule packages: @secretlint/core's `lintSource` is async and
 * reports ranges (it does not redact), its current major needs Node ≥ 22, and it drags `debug` and
 * a rule runtime into a path that must be synchronous and run in the browser, a Web Worker, the
 * server and the CLI. The formats below follow the public formats those rules (and the vendors'
 * docs) describe.
 *
 * Every pattern is linear: a literal prefix, single character classes with bounded quantifiers, a
 * negative look-behind so a match cannot start inside a longer word. No nested quantifiers.
 */
import type { RedactionKind } from "./kinds";

export interface TokenRule {
  kind: RedactionKind;
  /** Global. The whole match is the secret. */
  pattern: RegExp;
  /** FAKE example that must be redacted whole (tests). */
  example: string;
}

const B = "(?<![A-Za-z0-9_-])"; // not inside a longer token
const E = "(?![A-Za-z0-9_-])"; // ends the token

const rule = (kind: RedactionKind, body: string, example: string, end = E): TokenRule => ({
  kind,
  pattern: new RegExp(`${B}(?:${body})${end}`, "g"),
  example,
});

export const TOKEN_RULES: TokenRule[] = [
  rule("github-token", "gh[pousr]_[A-Za-z0-9]{30,255}", "ghp_FAKE0githubClassic0ABCDEFGHIJKLMNOPQR"),
  rule("github-token", "github_pat_[A-Za-z0-9_]{22,255}", "github_pat_11FAKE0TEST_FAKEfineGrainedPat3xxABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"),
  rule("gitlab-token", "gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ffct|ft|agent)-[A-Za-z0-9_-]{20,255}", "glpat-FAKE0testxYz12345AbCdE"),
  rule("npm-token", "npm_[A-Za-z0-9]{36,255}", "npm_FAKE0npmToken4ABCDEFGHIJKLMNOPQRSTUV"),
  rule("pypi-token", "pypi-AgE[A-Za-z0-9_-]{40,4096}", "pypi-AgEIcHlwaS5vcmcCJFAKE0TESTpypiTokenBodyABCDEFGHIJKLMNOPQRSTUVWXYZ0123"),
  rule("slack-token", "xox[abposre]-[A-Za-z0-9-]{10,255}", "xoxb-000000000000-0000000000000-FAKE0TEST0slack0token5"),
  rule("slack-token", "xapp-\\d-[A-Za-z0-9-]{10,255}", "xapp-1-A0FAKE0TEST-0000000000000-FAKE0TEST0slack0app"),
  rule("stripe-key", "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}", "sk_live_FAKE0TEST0stripe0key0000000"),
  rule("stripe-key", "whsec_[A-Za-z0-9]{24,255}", "whsec_FAKE0TEST0stripe0webhook0secret00"),
  rule("aws-access-key", "(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}", "AKIAFAKE0TEST1234567", "(?![A-Za-z0-9])"),
  rule("google-api-key", "AIza[0-9A-Za-z_-]{35}", "AIzaFAKE0TESTgoogleKey0123456789abcdefg"),
  rule("google-oauth-token", "ya29\\.[0-9A-Za-z_-]{20,2048}", "ya29.FAKE0TEST0google0oauth0access0token"),
  rule("google-oauth-token", "GOCSPX-[0-9A-Za-z_-]{20,255}", "GOCSPX-FAKE0TEST0google0client0secret"),
  rule("openai-key", "sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,512}", "sk-proj-FAKE0TEST0openai0project0key0ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
  rule("openai-key", "sk-[A-Za-z0-9]{20,64}T3BlbkFJ[A-Za-z0-9]{20,64}", "sk-FAKE0TEST0openai0legacyT3BlbkFJFAKE0TEST0openai0legacy"),
  rule("anthropic-key", "sk-ant-[A-Za-z0-9_-]{20,512}", "sk-ant-api03-FAKE0TEST0anthropic0key0ABCDEFGHIJ"),
  rule("huggingface-token", "hf_[A-Za-z0-9]{30,64}", "hf_FAKE0TEST0huggingface0token0ABCDEF"),
  rule("huggingface-token", "api_org_[A-Za-z0-9]{30,64}", "api_org_FAKE0TEST0huggingface0org0token0"),
  rule("sendgrid-key", "SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}", "SG.FAKE0TEST0sendgrid.FAKE0TEST0sendgrid0key0body00"),
  rule("docker-token", "dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,255}", "dckr_pat_FAKE0TEST0docker0hub0pat00"),
  rule("digitalocean-token", "do[pro]_v1_[a-f0-9]{64}", "dop_v1_" + "0123456789abcdef".repeat(4)),
  rule("vault-token", "hv[sbr]\\.[A-Za-z0-9_-]{24,255}", "hvs.FAKE0TEST0vault0token0ABCDEFGH"),
  rule("shopify-token", "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", "shpat_" + "0123456789abcdef".repeat(2)),
  rule("jwt", "eyJ[A-Za-z0-9_-]{8,8192}\\.eyJ[A-Za-z0-9_-]{4,16384}\\.[A-Za-z0-9_-]{8,8192}", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJGQUtFMFRFU1QifQ.FAKE0TESTsignature0abcdefghij"),
];

