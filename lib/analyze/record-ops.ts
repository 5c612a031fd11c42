/**
 * LLB ops of two records compared by content. Vertex digests shift between builds even for the
 * same instruction (the context source's digest is in every key), so the comparison is on what the
 * op does: exec args/env/cwd/user/network/mounts, file actions, source identifiers — with inputs
 * compared separately, by what feeds them.
 */
import type { DigestOp, DigestRecord, OpSummary } from "../parse/record/types";

export interface OpIndex {
  byId: Map<string, DigestOp>;
  byVertex: Map<string, DigestOp>;
}

const cache = new WeakMap<DigestRecord, OpIndex>();

export function opIndex(r: DigestRecord): OpIndex {
  let ix = cache.get(r);
  if (!ix) {
    const byId = new Map(r.ops.map((o) => [o.id, o]));
    const byVertex = new Map<string, DigestOp>();
    for (const [v, id] of Object.entries(r.vertexOps)) {
      const o = byId.get(id);
      if (o) byVertex.set(v, o);
    }
    ix = { byId, byVertex };
    cache.set(r, ix);
  }
  return ix;
}

export type OpDiff =
  | { kind: "same" }
  | { kind: "op-kind" }
  | { kind: "env"; names: string[] }
  | { kind: "args" | "cwd" | "user" | "network" | "mounts" | "file" | "source" };

/** How `after` differs from `before`, inputs aside. */
export function diffOps(before: OpSummary, after: OpSummary): OpDiff {
  if (before.kind !== after.kind) return { kind: "op-kind" };
  if (after.kind === "exec" && before.kind === "exec") {
    if (JSON.stringify(after.args) !== JSON.stringify(before.args)) return { kind: "args" };
    if (after.cwd !== before.cwd) return { kind: "cwd" };
    if (after.user !== before.user) return { kind: "user" };
    if (after.network !== before.network) return { kind: "network" };
    if (JSON.stringify(after.mounts) !== JSON.stringify(before.mounts)) return { kind: "mounts" };
    const names = envDiff(before.env, after.env);
    return names.length ? { kind: "env", names } : { kind: "same" };
  }
  if (after.kind === "file" && before.kind === "file") return JSON.stringify(after.actions) === JSON.stringify(before.actions) ? { kind: "same" } : { kind: "file" };
  if (after.kind === "source" && before.kind === "source")
    return after.identifier === before.identifier && JSON.stringify(sortKeys(after.attrs)) === JSON.stringify(sortKeys(before.attrs)) ? { kind: "same" } : { kind: "source" };
  return { kind: "same" };
}

function envDiff(before: string[], after: string[]): string[] {
  const map = (xs: string[]) => {
    const m = new Map<string, string>();
    for (const e of xs) {
      const eq = e.indexOf("=");
      m.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? "" : e.slice(eq + 1));
    }
    return m;
  };
  const a = map(before);
  const b = map(after);
  const names: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) if (a.get(k) !== b.get(k)) names.push(k);
  return names;
}

function sortKeys(o: Record<string, string>): [string, string][] {
  return Object.entries(o).sort((x, y) => x[0].localeCompare(y[0]));
}

/** `docker-image://docker.io/library/node:20` and `pkg:docker/node@20?platform=…` → `node:20`. */
export function imageKey(ref: string): string {
  let s = ref;
  if (s.startsWith("docker-image://")) s = s.slice(15);
  else if (s.startsWith("pkg:docker/")) {
    s = s.slice(11).replace(/\?.*$/, "");
    const at = s.lastIndexOf("@");
    if (at > 0) s = s.slice(at + 1).startsWith("sha256:") ? s.slice(0, at) : `${s.slice(0, at)}:${decodeURIComponent(s.slice(at + 1))}`;
  }
  s = s.replace(/^docker\.io\//, "").replace(/^library\//, "");
  return s;
}

/** The resolved digest of an image source, from the record's materials. */
export function materialDigest(r: DigestRecord, identifier: string): string | null {
  const key = imageKey(identifier);
  for (const m of r.materials) if (m.uri.startsWith("pkg:docker/") && imageKey(m.uri) === key) return m.digest;
  return null;
}

/** `local://context` → "context"; null for other sources. */
export function localName(op: OpSummary): string | null {
  if (op.kind !== "source" || !op.identifier.startsWith("local://")) return null;
  return op.identifier.slice(8);
}

/** `local.followpaths` of a local source: the paths the build sent (what the step can depend on). */
export function followPaths(op: OpSummary): string[] {
  if (op.kind !== "source") return [];
  const raw = op.attrs["local.followpaths"];
  if (!raw) return [];
  try {
    const xs = JSON.parse(raw) as unknown;
    return Array.isArray(xs) ? xs.filter((x): x is string => typeof x === "string").slice(0, 50) : [];
  } catch {
    return [];
  }
}

/** Dockerfile text of a line range of the record's own source. */
export function sourceLines(r: DigestRecord, lines: [number, number][]): string | null {
  if (!r.dockerfile || lines.length === 0) return null;
  const all = r.dockerfile.text.split("\n");
  const [a, b] = lines[0];
  const text = all.slice(a - 1, b).join("\n");
  return text.length > 400 ? text.slice(0, 399) + "…" : text;
}

/** The first line that differs inside an op's source range between two records (heredoc bodies included). */
export function changedLineIn(prev: DigestRecord, cur: DigestRecord, prevLines: [number, number][], curLines: [number, number][]): { line: number | null; before: string | null; after: string | null } {
  const a = prev.dockerfile?.text.split("\n") ?? [];
  const b = cur.dockerfile?.text.split("\n") ?? [];
  const [pa, pb] = withHeredoc(a, prevLines[0] ?? [0, -1]);
  const [ca, cb] = withHeredoc(b, curLines[0] ?? [0, -1]);
  const n = Math.max(pb - pa, cb - ca) + 1;
  for (let k = 0; k < n; k++) {
    const x = pa + k <= pb ? a[pa + k - 1] ?? null : null;
    const y = ca + k <= cb ? b[ca + k - 1] ?? null : null;
    if (x !== y) return { line: y !== null ? ca + k : ca, before: clipLine(x), after: clipLine(y) };
  }
  return { line: ca || null, before: clipLine(a[pa - 1] ?? null), after: clipLine(b[ca - 1] ?? null) };
}

/** The last `ENV NAME…` / `ARG NAME…` line at or before `line`, in the record's Dockerfile. */
export function declarationOf(r: DigestRecord, name: string, line: number | null): { line: number; text: string } | null {
  const lines = r.dockerfile?.text.split("\n") ?? [];
  const re = new RegExp(`^\\s*(ENV|ARG)\\s+(.*\\s)?${name.replace(/[^A-Za-z0-9_]/g, "")}([=\\s]|$)`, "i");
  for (let k = Math.min(lines.length, line ?? lines.length) - 1; k >= 0; k--) if (re.test(lines[k])) return { line: k + 1, text: clipLine(lines[k])! };
  return null;
}

function clipLine(s: string | null): string | null {
  if (s === null) return null;
  const t = s.trim();
  return t.length > 200 ? t.slice(0, 199) + "…" : t;
}

/** A source range that starts a heredoc (`RUN <<EOT`) extends to its delimiter line: the body is part of the step. */
function withHeredoc(lines: string[], [a, b]: [number, number]): [number, number] {
  if (a < 1) return [a, b];
  const m = /<<(-?)["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(lines[a - 1] ?? "");
  if (!m) return [a, b];
  for (let k = Math.max(a, b); k < lines.length && k < a + 5000; k++) {
    const l = m[1] ? lines[k].replace(/^\t+/, "") : lines[k];
    if (l === m[2]) return [a, Math.max(b, k + 1)];
  }
  return [a, b];
}
