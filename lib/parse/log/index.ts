/**
 * Build-log parser: bytes or text in, `ParsedLog` out. Never throws.
 *
 *   decode (BOM / UTF-16 sniffing) → unwrap (CI prefixes, ANSI, CR) → detect → plain | rawjson | legacy
 *
 * `LogParser` takes the log in chunks (lib/parse/log/stream.ts); parseLog is that with one chunk.
 */
import type { ParsedLog } from "../../model/log";
import { LogParser, type LogParserOptions } from "./stream";

export { decodeLog, StreamDecoder } from "./decode";
export { LogParser } from "./stream";
export type { LogParserOptions } from "./stream";
export type { DecodedLog, LogEncoding } from "./decode";
export { parseStepLabel, classifyVertex } from "./label";
export { parseBuildCommand } from "./command";
export { parseSize } from "./size";

/** The whole log at once (the streaming LogParser with one chunk). */
export function parseLog(input: string | Uint8Array, options?: LogParserOptions): ParsedLog {
  return new LogParser(options).push(input).end();
}
