/**
 * The log parser as a stream: `push()` chunks of bytes or text as they arrive (a file read, stdin,
 * a Web stream), then `end()` for the `ParsedLog`. Never throws.
 *
 *   StreamDecoder (BOM / UTF-16 sniffing, one streaming TextDecoder)
 *     → LineUnwrapper (lines; CI prefixes, ANSI, CR)
 *     → FormatDetector (lines held back until the format is clear)
 *     → PlainParser, line by line | rawjson / legacy readers on the held lines
 *
 * Plain logs (the big ones) are parsed as the lines arrive and keep only per-vertex state with a
 * bounded output tail, so memory stays flat whatever the size of the log.
 */
import type { Diagnostic } from "../../model/diagnostics";
import { diag } from "../../model/diagnostics";
import type { LogBuild, LogFormat, ParsedLog } from "../../model/log";
import { StreamDecoder } from "./decode";
import { FormatDetector, type DetectedFormat } from "./detect";
import { parseLegacy } from "./legacy";
import { PlainParser } from "./plain";
import { parseRawJson, type RawJsonOptions } from "./rawjson";
import { LineUnwrapper } from "./unwrap";

/** Characters held back for format detection before a best guess is taken (when there is one). */
const DETECT_HOLD_CHARS = 8 * 1024 * 1024;

export type LogParserOptions = RawJsonOptions;

interface LineSink {
  line(s: string, i: number, time: number): void;
  /** After each pushed chunk. */
  chunkDone(): void;
  end(): LogBuild[];
}

/** Plain: parsed as the lines come, one line behind for the trailer's lookahead. */
class PlainSink implements LineSink {
  private readonly parser: PlainParser;
  private pending: string | null = null;
  private pendingIndex = 0;
  private pendingTime = NaN;

  constructor(diagnostics: Diagnostic[]) {
    this.parser = new PlainParser(diagnostics);
  }

  line(s: string, i: number, time: number): void {
    if (this.pending !== null) this.parser.line(this.pending, this.pendingIndex, this.pendingTime, s);
    this.pending = s;
    this.pendingIndex = i;
    this.pendingTime = time;
  }

  chunkDone(): void {
    this.parser.detach();
  }

  end(): LogBuild[] {
    if (this.pending !== null) this.parser.line(this.pending, this.pendingIndex, this.pendingTime, undefined);
    this.pending = null;
    return this.parser.end();
  }
}

/** rawjson and legacy read their (multi-line) JSON values from the whole list of lines. */
class HeldSink implements LineSink {
  readonly lines: string[] = [];

  constructor(
    private readonly format: DetectedFormat,
    private readonly diagnostics: Diagnostic[],
    private readonly options: LogParserOptions,
  ) {}

  line(s: string): void {
    this.lines.push(s);
  }

  chunkDone(): void {}

  end(): LogBuild[] {
    if (this.format === "rawjson") return parseRawJson(this.lines, this.diagnostics, this.options);
    if (this.format === "legacy") return parseLegacy(this.lines, this.diagnostics);
    return [];
  }
}

export class LogParser {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly decoder: StreamDecoder;
  private readonly unwrapper: LineUnwrapper;
  private readonly detector = new FormatDetector();
  private detected: DetectedFormat | null = null;
  private sink: LineSink | null = null;
  /** Lines (and their times) held until the format is known. */
  private held: string[] = [];
  private heldTimes: number[] = [];
  private heldChars = 0;
  private lineCount = 0;
  private anyText = false;
  private nonBlank = false;
  private ttyLine: number | null = null;
  private failure: string | null = null;
  private result: ParsedLog | null = null;

  constructor(private readonly options: LogParserOptions = {}) {
    this.unwrapper = new LineUnwrapper((s, t) => this.line(s, t));
    this.decoder = new StreamDecoder((text) => {
      this.anyText = true;
      if (!this.nonBlank && /\S/.test(text)) this.nonBlank = true;
      this.unwrapper.push(text);
    });
  }

  /** Bytes (UTF-8 or UTF-16, sniffed from the first ones) or already decoded text. */
  push(chunk: Uint8Array | string): this {
    if (this.failure !== null || this.result !== null) return this;
    try {
      this.decoder.push(chunk);
      this.sink?.chunkDone();
    } catch (e) {
      this.fail(e);
    }
    return this;
  }

  end(): ParsedLog {
    if (this.result) return this.result;
    let builds: LogBuild[] = [];
    if (this.failure === null) {
      try {
        this.decoder.end();
        this.unwrapper.end();
        if (this.nonBlank) {
          if (this.detected === null) this.decide();
          builds = this.sink ? this.sink.end() : [];
        }
      } catch (e) {
        this.fail(e);
      }
    }
    this.result = this.finish(builds);
    return this.result;
  }

  private fail(e: unknown): void {
    this.failure = e instanceof Error ? e.message : String(e);
    this.held = [];
    this.heldTimes = [];
    this.sink = null;
  }

  private line(s: string, t: number): void {
    const i = this.lineCount++;
    if (this.sink !== null) {
      this.sink.line(s, i, t);
      return;
    }
    if (this.ttyLine === null && s.startsWith("[+] Building")) this.ttyLine = i + 1;
    if (this.detected !== null) return; // tty / unknown, decided early: nothing to keep
    this.held.push(s);
    this.heldTimes.push(t);
    this.heldChars += s.length;
    if ((this.detector.line(s) || (this.heldChars > DETECT_HOLD_CHARS && this.detector.any))) this.decide();
  }

  private decide(): void {
    const format = this.detector.result();
    this.detected = format;
    const held = this.held;
    const times = this.heldTimes;
    this.held = [];
    this.heldTimes = [];
    if (format === "plain") this.sink = new PlainSink(this.diagnostics);
    else if (format === "rawjson" || format === "legacy") this.sink = new HeldSink(format, this.diagnostics, this.options);
    else return; // tty / unknown: nothing to read; the held lines are not needed
    for (let i = 0; i < held.length; i++) this.sink.line(held[i], i, times[i]);
  }

  private finish(builds: LogBuild[]): ParsedLog {
    const encoding = this.decoder.encoding;
    const diagnostics = this.diagnostics;
    if (this.failure !== null) {
      diagnostics.push(diag("error", "log", null, "log/internal-error", `the log could not be read (internal error: ${this.failure}).`));
      return { format: formatOf(this.detected), wrapper: this.unwrapper.wrapper, encoding, builds: [], lineCount: this.lineCount, diagnostics };
    }
    if (!this.nonBlank) {
      diagnostics.push(diag("error", "log", null, "log/empty", "the build log is empty."));
      return { format: "unknown", wrapper: "none", encoding, builds: [], lineCount: this.anyText ? this.lineCount : 0, diagnostics };
    }
    const format = formatOf(this.detected);
    if (this.detected === "tty") {
      diagnostics.push(
        diag("error", "log", this.ttyLine, "log/tty", "this is the interactive (tty) progress display, which has no step details; rebuild with --progress=plain (or set BUILDKIT_PROGRESS=plain) and paste that log."),
      );
    } else if (format === "unknown") {
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
    return { format, wrapper: this.unwrapper.wrapper, encoding, builds, lineCount: this.lineCount, diagnostics };
  }
}

function formatOf(d: DetectedFormat | null): LogFormat {
  return d === "plain" || d === "rawjson" || d === "legacy" ? d : "unknown";
}
