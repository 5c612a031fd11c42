/**
 * The redactor stays linear on adversarial text aimed at each rule: the same shape at n and 4n
 * characters may take at most ~9× the time (linear is 4×, quadratic 16×). Minimum of a few runs,
 * sizes alternated so load from other processes hits both. Not a benchmark (npm run bench has the
 * figures).
 */
import { describe, expect, it } from "vitest";
import { redactInputs, redactText } from "../redact";

const FACTOR = 9;
const FLOOR_MS = 20;

function best(fn: () => unknown, runs: number): number {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    b = Math.min(b, performance.now() - t);
  }
  return b;
}

function expectLinear(name: string, make: (n: number) => string, n = 32 * 1024) {
  const small = make(n);
  const large = make(4 * n);
  redactText(small);
  let a = Infinity;
  let b = Infinity;
  // Up to three rounds: a busy machine can inflate one round; a quadratic rule stays at ~16× in all.
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 3; i++) {
      a = Math.min(a, best(() => redactText(small), 1));
      b = Math.min(b, best(() => redactText(large), 1));
    }
    if (b / Math.max(a, FLOOR_MS) < FACTOR) break;
  }
  expect(b / Math.max(a, FLOOR_MS), `${name}: ${a.toFixed(1)} ms → ${b.toFixed(1)} ms for 4× the input`).toBeLessThan(FACTOR);
  expect(b, `${name}: no hang`).toBeLessThan(20_000);
}

const fill = (unit: string) => (n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

const SHAPES: [string, (n: number) => string][] = [
  ["token prefixes without bodies", fill("ghp_ github_pat_ glpat- npm_ pypi-AgE xoxb- sk_live_ AKIA AIza ya29. sk-proj- hf_ SG.a. dckr_pat_ eyJa.eyJ ")],
  ["almost-tokens (one character short)", fill("ghp_" + "a".repeat(29) + " ")],
  ["NAME= with nothing after", fill("a=")],
  ["secret NAME=\" never closed", fill('TOKEN="')],
  ["secret NAME=' never closed on one long line", (n) => "PASSWORD='" + "x".repeat(n)],
  ["one huge secret value", (n) => "TOKEN=" + "x".repeat(n)],
  ["JSON pairs never closed", fill('"password": "\\')],
  ["escaped JSON pairs", fill('\\"auth\\":\\"')],
  ["name: value prose", fill("key: failed to compute cache key: ")],
  ["authorization headers", fill("Authorization: ")],
  ["bearer words", fill("Bearer Bearer ")],
  ["long flags", fill("--password --token --api-key ")],
  ["-p after login", (n) => "docker login " + fill("-p ")(n)],
  ["mysql -p", (n) => "mysql " + fill("-pa ")(n)],
  ["curl -u", fill("-u a:")],
  ["aws configure set", fill("aws configure set aws_secret_access_key ")],
  ["npm config set", fill("npm config set //r/:_authToken ")],
  ["URL schemes without hosts", fill("https://")],
  ["URL with many @", (n) => "https://" + fill("a:b@")(n)],
  ["URL with many query params", (n) => "https://h/p?" + fill("sig=a&")(n)],
  ["webhook-like paths", (n) => "https://h.example/" + fill("hooks/")(n)],
  ["PEM BEGIN lines", fill("-----BEGIN RSA PRIVATE KEY-----\n")],
  ["PEM BEGIN markers on one line", fill("-----BEGIN PRIVATE KEY-----")],
  ["PEM key then endless base64 lines", (n) => "-----BEGIN PRIVATE KEY-----\n" + fill("QUJDRA==\n")(n)],
  ["PEM with dashes", fill("-".repeat(64) + "private key\n")],
  ["AWS key heads at line ends", fill("AKIAFAKE0A\n")],
  ["ENV space form", fill("ENV A ")],
  ["rawjson field names", fill('"vertex": "sha256:a", "data": "QUJD", "detail": [ "QUJD", ')],
  ["rawjson data never closed", (n) => '{"logs":[{"vertex":"v","data":"' + "A".repeat(n)],
  ["Go-escaped strings", fill('"a\\u0026sig=')],
  ["rawjson names", fill('"name": "[1/2] RUN echo $A",\n')],
];

describe("redaction is linear on adversarial text", () => {
  it.each(SHAPES)("%s", (name, make) => expectLinear(name, make), 120_000);

  it("Dockerfile templates against many vertex names", { timeout: 120_000 }, () => {
    const df = "FROM x\nARG DB_PASSWORD\n" + Array.from({ length: 150 }, (_, i) => `RUN echo ${i} $DB_PASSWORD $OTHER ${i}`).join("\n");
    const log = (n: number) => Array.from({ length: n }, (_, i) => `#${i} [1/2] RUN echo ${i % 150} aaaa bbbb ${i % 150}\n#${i} DONE 0.1s`).join("\n");
    const small = log(5000);
    const large = log(20000);
    redactInputs({ dockerfile: df, log: small });
    const a = best(() => redactInputs({ dockerfile: df, log: small }), 2);
    const b = best(() => redactInputs({ dockerfile: df, log: large }), 2);
    expect(b / Math.max(a, FLOOR_MS)).toBeLessThan(FACTOR);
  });
});
