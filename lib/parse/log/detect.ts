/**
 * Which format is this (spec §0)? Counts cheap markers over the cleaned lines and stops as soon
 * as one format has clear evidence.
 */

export type DetectedFormat = "plain" | "rawjson" | "legacy" | "tty" | "unknown";

const ENOUGH = 40;

export function detectFormat(lines: string[]): DetectedFormat {
  let plain = 0;
  let legacy = 0;
  let legacyJson = 0;
  let rawjson = 0;
  let tty = 0;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i];
    if (s.length < 3) continue;
    const c = s.charCodeAt(0);
    if (c === 35 /* # */) {
      const d = s.charCodeAt(1);
      if ((d >= 48 && d <= 57) || d === 42) {
        const sp = s.indexOf(" ");
        if (sp > 1 && isId(s, 1, sp)) plain += s.startsWith("#0 building with") ? 10 : 1;
      }
    } else if (c === 83 /* S */) {
      if (s.startsWith("Step ") && s.indexOf(" : ") > 5) legacy += 3;
      else if (s.startsWith("Sending build context to Docker daemon")) legacy += 3;
      else if (s.startsWith("Successfully built ")) legacy += 1;
    } else if (c === 32 /* space */) {
      if (s.startsWith(" ---> ")) legacy += 1;
      else if (s.startsWith(" => ")) tty += 1;
      else if (s.charCodeAt(1) === 32) {
        const t = s.trimStart();
        if (t.startsWith('"vertexes": [') || t.startsWith('"statuses": [') || t.startsWith('"logs": [')) rawjson += 3;
      }
    } else if (c === 123 /* { */) {
      if (s.startsWith('{"vertexes":') || s.startsWith('{"statuses":') || s.startsWith('{"logs":') || s.startsWith('{"warnings":')) rawjson += 3;
      else if (s.startsWith('{"stream":') || s.startsWith('{"status":') || s.startsWith('{"aux":') || s.startsWith('{"errorDetail":')) legacyJson += 2;
    } else if (c === 91 /* [ */) {
      if (s.startsWith("[+] Building ")) tty += 5;
    }
    if (plain >= ENOUGH * 2 || legacy >= ENOUGH || legacyJson >= ENOUGH || rawjson >= ENOUGH) break;
  }
  // The Engine API JSON stream is the legacy builder too; one reader handles both.
  const legacyAll = legacy + legacyJson;
  const best = Math.max(plain, legacyAll, rawjson, tty);
  if (best === 0) return "unknown";
  if (rawjson === best) return "rawjson";
  if (plain === best) return "plain";
  if (legacyAll === best) return "legacy";
  return "tty";
}

function isId(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 42)) return false;
  }
  return true;
}
