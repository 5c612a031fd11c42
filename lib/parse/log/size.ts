/** Byte sizes as BuildKit prints them (decimal units, spec §2.6): `911B`, `1.52MB`, `306.45kB`. */

const UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  GB: 1e9,
  GiB: 1024 ** 3,
  TB: 1e12,
  TiB: 1024 ** 4,
  PB: 1e15,
  EB: 1e18,
};

/** Parses one size token (`1.52MB`), or returns null. */
export function parseSize(token: string): number | null {
  let i = 0;
  while (i < token.length) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 46) i++;
    else break;
  }
  if (i === 0) return null;
  const value = Number(token.slice(0, i));
  const mult = UNITS[token.slice(i)];
  if (!Number.isFinite(value) || mult === undefined) return null;
  return Math.round(value * mult);
}

/**
 * A layer download status after its id: `0B / 29.54MB 0.2s`, `29.54MB / 29.54MB 0.4s done`,
 * or a single size `7.67kB 0.1s`. Returns current/total bytes and whether it says `done`.
 */
export function parseProgress(rest: string): { current: number; total: number | null; done: boolean } | null {
  const parts = rest.split(" ");
  if (parts.length === 0) return null;
  const current = parseSize(parts[0]);
  if (current === null) return null;
  let total: number | null = null;
  let k = 1;
  if (parts[1] === "/" && parts.length > 2) {
    total = parseSize(parts[2]);
    k = 3;
  }
  const done = parts[parts.length - 1] === "done" && parts.length > k;
  return { current, total, done };
}
