/**
 * Build-log parser: bytes or text in, `ParsedLog` out. Never throws.
 *
 *   decode (BOM / UTF-16 sniffing) → unwrap (CI prefixes, ANSI, CR) → detect → plain | rawjson | legacy
 */
import type { Diagnostic } from "../../model/diagnostics";
import { diag } from "../../model/diagnostics";
import type { LogBuild, LogFormat, ParsedLog } from "../../model/log";
import { decodeLog } from "./decode";
import { detectFormat } from "./detect";
import { parseLegacy } from "./legacy";
import { parsePlain } from "./plain";
import { parseRawJson } from "./rawjson";
import { unwrapLines } from "./unwrap";

export { decodeLog } from "./decode";
export type { DecodedLog, LogEncoding } from "./decode";
export { parseStepLabel, classifyVertex } from "./label";
export { parseBuildCommand } from "./command";
export { parseSize } from "./size";

export function parseLog(input: string | Uint8Array): ParsedLog {
  let encoding: ParsedLog["encoding"] = "utf-8";
  let lineCount = 0;
  let wrapper: ParsedLog["wrapper"] = "none";
  let format: LogFormat = "unknown";
  const diagnostics: Diagnostic[] = [];
  try {
    const decoded = decodeLog(input);
    encoding = decoded.encoding;
    const text = decoded.text;
    if (text.trim().length === 0) {
      diagnostics.push(diag("error", "log", null, "log/empty", "the build log is empty."));
      return { format, wrapper, encoding, builds: [], lineCount: text.length === 0 ? 0 : text.split("\n").length, diagnostics };
    }
    const unwrapped = unwrapLines(text);
    const lines = unwrapped.lines;
    lineCount = lines.length;
    wrapper = unwrapped.wrapper;
    const detected = detectFormat(lines);
    let builds: LogBuild[] = [];
    switch (detected) {
      case "plain":
        format = "plain";
        builds = parsePlain(lines, unwrapped.times, diagnostics);
        break;
      case "rawjson":
        format = "rawjson";
        builds = parseRawJson(lines, diagnostics);
        break;
      case "legacy":
        format = "legacy";
        builds = parseLegacy(lines, diagnostics);
        break;
      case "tty":
        diagnostics.push(
          diag("error", "log", firstLineStarting(lines, "[+] Building"), "log/tty", "this is the interactive (tty) progress display, which has no step details; rebuild with --progress=plain (or set BUILDKIT_PROGRESS=plain) and paste that log."),
        );
        break;
      default:
        diagnostics.push(
          diag("error", "log", 1, "log/unrecognised", "this does not look like a Docker build log (expected BuildKit `#1 [internal] …` lines, `--progress=rawjson` JSON, or legacy `Step 1/5 : …` lines)."),
        );
    }
    if (format !== "unknown" && builds.length === 0) {
      diagnostics.push(diag("error", "log", null, "log/no-build", "no build steps were found in this log."));
    }
    for (const b of builds) {
      if (b.outcome === "incomplete") {
        const running = b.vertices.filter((v) => v.status === "running");
        const last = running[running.length - 1];
        const what = last ? `${last.id} ${last.name.length > 100 ? last.name.slice(0, 100) + "…" : last.name}`.trim() : "the build";
        diagnostics.push(
          diag("warning", "log", b.lastLine, "log/truncated", `${builds.length > 1 ? `build ${b.index}: ` : ""}the log ends while ${what} is still running; it looks cut off.`),
        );
      }
    }
    return { format, wrapper, encoding, builds, lineCount, diagnostics };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    diagnostics.push(diag("error", "log", null, "log/internal-error", `the log could not be read (internal error: ${msg}).`));
    return { format, wrapper, encoding, builds: [], lineCount, diagnostics };
  }
}

function firstLineStarting(lines: string[], prefix: string): number | null {
  for (let i = 0; i < lines.length; i++) if (lines[i].startsWith(prefix)) return i + 1;
  return null;
}
