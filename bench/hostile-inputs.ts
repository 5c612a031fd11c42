/**
 * Hostile inputs of issue 9 (shared by test/hostile.test.ts, test/loopback.test.ts and
 * bench/hostile.ts): PEM floods, crafted permalinks, an unterminated heredoc, a million vertices,
 * share bodies. Deterministic.
 */
import { deflateRawSync } from "node:zlib";
import { bytesToBase64Url } from "../lib/share/base64";

/** `-----BEGIN RSA PRIVATE KEY-----` lines with no END, `bytes` long (quadratic for the old redactor). */
export function hostilePemFlood(bytes: number): string {
  const line = "-----BEGIN RSA PRIVATE KEY-----\n";
  return line.repeat(Math.ceil(bytes / line.length));
}

/**
 * About `bytes` of the text that costs the redactor most per byte: dense secret-named pairs
 * (`sig=a&sig=a&…`, each one a match with its bookkeeping), after a PEM flood's first lines.
 */
export function hostileRedactionLoad(bytes: number): string {
  const head = hostilePemFlood(Math.min(64 * 1024, bytes / 4));
  const unit = "sig=a&";
  return head + "https://h/p?" + unit.repeat(Math.ceil((bytes - head.length) / unit.length));
}

/** A POST /api/share body carrying `log`. */
export function hostileShareBody(log: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, inputs: { log }, ...extra });
}

/** A `#v1.` fragment whose payload is `inputs` (no redaction, no size checks: what an attacker crafts). */
export function craftedPermalink(inputs: Record<string, unknown>): string {
  // zlib at level 9 gets close to DEFLATE's ~1000:1 limit on repetitive text.
  const raw = deflateRawSync(Buffer.from(JSON.stringify({ inputs, selectedStep: null, view: "graph" })), { level: 9, memLevel: 9 });
  return "#v1." + bytesToBase64Url(new Uint8Array(raw));
}

/** A ~16 KB link that inflates to `inflatedBytes` of PEM flood (or more than the decoder's cap). */
export function craftedPemPermalink(inflatedBytes: number): string {
  return craftedPermalink({ log: hostilePemFlood(inflatedBytes), dockerfile: "FROM x\n" });
}

/** A Dockerfile with a heredoc that never ends, `bytes` long (the parser must stay linear). */
export function hostileUnterminatedHeredoc(bytes: number): string {
  const head = "FROM local/busybox:latest\nRUN <<EOF\n";
  const line = "echo this heredoc never ends and goes on and on \\\n";
  return head + line.repeat(Math.ceil((bytes - head.length) / line.length));
}

/** A plain BuildKit log with `n` vertices (each a step with a DONE line). */
export function hostileManyVertices(n: number): string {
  const parts: string[] = ['#0 building with "default" instance using docker driver\n'];
  for (let i = 1; i <= n; i++) parts.push(`#${i} [internal] load metadata ${i}\n#${i} DONE 0.0s\n`);
  return parts.join("");
}
