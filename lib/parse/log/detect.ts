/**
 * Which format is this (spec §0)? Counts cheap markers over the cleaned lines and stops as soon
 * as one format has clear evidence.
 */

export type DetectedFormat = "plain" | "rawjson" | "legacy" | "tty" | "unknown";

const ENOUGH = 40;

export function detectFormat(lines: string[]): DetectedFormat {
  const d = new FormatDetector();
  for (let i = 0; i < lines.length; i++) if (d.line(lines[i])) break;
  return d.result();
}

/** The same counting, one line at a time: `line()` returns true once the evidence is clear. */
export class FormatDetector {
  private plain = 0;
  private legacy = 0;
  private legacyJson = 0;
  private rawjson = 0;
  private tty = 0;

  /** Some evidence at all (a best guess is possible). */
  get any(): boolean {
    return this.plain + this.legacy + this.legacyJson + this.rawjson + this.tty > 0;
  }

  line(s: string): boolean {
    if (s.length < 3) return false;
    const c = s.charCodeAt(0);
    if (c === 35 /* # */) {
      const d = s.charCodeAt(1);
      if ((d >= 48 && d <= 57) || d === 42) {
        const sp = s.indexOf(" ");
        if (sp > 1 && isId(s, 1, sp)) this.plain += s.startsWith("#0 building with") ? 10 : 1;
      }
    } else if (c === 83 /* S */) {
      if (s.startsWith("Step ") && s.indexOf(" : ") > 5) this.legacy += 3;
      else if (s.startsWith("Sending build context to Docker daemon")) this.legacy += 3;
      else if (s.startsWith("Successfully built ")) this.legacy += 1;
    } else if (c === 32 /* space */) {
      if (s.startsWith(" ---> ")) this.legacy += 1;
      else if (s.startsWith(" => ")) this.tty += 1;
      else if (s.charCodeAt(1) === 32) {
        const t = s.trimStart();
        if (t.startsWith('"vertexes": [') || t.startsWith('"statuses": [') || t.startsWith('"logs": [')) this.rawjson += 3;
      }
    } else if (c === 123 /* { */) {
      if (s.startsWith('{"vertexes":') || s.startsWith('{"statuses":') || s.startsWith('{"logs":') || s.startsWith('{"warnings":')) this.rawjson += 3;
      else if (s.startsWith('{"stream":') || s.startsWith('{"status":') || s.startsWith('{"aux":') || s.startsWith('{"errorDetail":')) this.legacyJson += 2;
    } else if (c === 91 /* [ */) {
      if (s.startsWith("[+] Building ")) this.tty += 5;
    }
    return this.plain >= ENOUGH * 2 || this.legacy >= ENOUGH || this.legacyJson >= ENOUGH || this.rawjson >= ENOUGH;
  }

  result(): DetectedFormat {
    // The Engine API JSON stream is the legacy builder too; one reader handles both.
    const legacyAll = this.legacy + this.legacyJson;
    const best = Math.max(this.plain, legacyAll, this.rawjson, this.tty);
    if (best === 0) return "unknown";
    if (this.rawjson === best) return "rawjson";
    if (this.plain === best) return "plain";
    if (legacyAll === best) return "legacy";
    return "tty";
  }
}

function isId(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 42)) return false;
  }
  return true;
}
