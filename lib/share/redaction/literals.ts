/** Removing known secret values wherever they appear literally (and in their escaped forms). */
import { REDACTED, type RedactionCounter } from "./kinds";
import { isDistinctiveValue } from "./names";

/** A secret value found somewhere (a Dockerfile ARG default, a `--build-arg`, a token) and, if known, the variable it belongs to. */
export interface KnownSecret {
  value: string;
  name?: string | null;
  /** Where the name comes from: a Dockerfile ARG (or --build-arg) or ENV. */
  origin?: "arg" | "env" | null;
}

const MAX_VALUES = 2000;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function utf8AsLatin1(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = "";
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/** The forms a value can take in our inputs: as is, JSON-escaped, percent-encoded, UTF-8 bytes read as Latin-1. */
function variants(value: string): string[] {
  const out = new Set([value]);
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) out.add(json);
  const goJson = json.replace(/&/g, "\\u0026").replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  if (goJson !== json) out.add(goJson);
  try {
    const enc = encodeURIComponent(value);
    if (enc !== value) out.add(enc);
  } catch {
    /* lone surrogate */
  }
  if (/[^\x00-\x7f]/.test(value)) out.add(utf8AsLatin1(value));
  return [...out];
}

/** A matcher over many literal values: one alternation, longest first (a value containing another goes whole). */
export class LiteralSet {
  private readonly names = new Map<string, string | null>();
  private readonly origins = new Map<string, "arg" | "env">();
  private re: RegExp | null = null;

  constructor(secrets: Iterable<KnownSecret> = []) {
    for (const s of secrets) this.add(s.value, s.name ?? null, s.origin ?? null);
  }

  add(value: string, name: string | null = null, origin: "arg" | "env" | null = null): boolean {
    if (!isDistinctiveValue(value) || this.names.size >= MAX_VALUES) return false;
    let added = false;
    for (const v of variants(value)) {
      if (!this.names.has(v)) {
        this.names.set(v, name);
        added = true;
      } else if (name && !this.names.get(v)) this.names.set(v, name);
      if (origin && !this.origins.has(v)) this.origins.set(v, origin);
    }
    if (added) this.re = null;
    return added;
  }

  has(value: string): boolean {
    return this.names.has(value);
  }

  get size(): number {
    return this.names.size;
  }

  values(): KnownSecret[] {
    return [...this.names.entries()].map(([value, name]) => ({ value, name, origin: this.origins.get(value) ?? null }));
  }

  replace(text: string, counts: RedactionCounter): string {
    if (this.names.size === 0 || !text) return text;
    this.re ??= new RegExp([...this.names.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g");
    return text.replace(this.re, (v) => {
      // The value of an ARG / ENV where BuildKit expanded it (a vertex name) counts as that value.
      const origin = this.origins.get(v);
      counts.add(origin === "arg" ? "build-arg-value" : origin === "env" ? "env-value" : "secret-value", 1, this.names.get(v) ?? null);
      return REDACTED;
    });
  }
}
