/**
 * Reads a build log as a stream (a file or standard input) straight into the engine's LogParser:
 * bytes are decoded and parsed chunk by chunk, so neither the bytes nor the text of a 200 MB log
 * is ever held whole. rawjson's base64 goes through Node's native decoder.
 */
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { analyzeParsed } from "../lib/analyze/index";
import type { AnalyzeInput } from "../lib/analyze/types";
import type { ParsedLog } from "../lib/model/log";
import type { Report } from "../lib/model/report";
import { parseDockerfile } from "../lib/parse/dockerfile";
import { LogParser, type LogParserOptions } from "../lib/parse/log/index";
import { InputError } from "./input-error";
import { tooBig } from "./limits";
import { looksLikeRecord } from "../lib/parse/record/index";

/** Read size: large enough that per-chunk costs vanish, small enough to stay out of the peak. */
const CHUNK_BYTES = 1 << 16;

/** Node's base64 (native, forgiving like the engine's own loop: skips padding and stray characters). */
export function nodeBase64(data: string): Uint8Array {
  const b = Buffer.from(data, "base64");
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** Node's streaming UTF-8 decoder over its native base64: one per vertex output stream. */
export function nodeBase64Text(): (data: string) => string {
  const decoder = new StringDecoder("utf8");
  return (data) => decoder.write(Buffer.from(data, "base64"));
}

const scratch = Buffer.allocUnsafe(1 << 16);

/** Newlines in base64 data, decoded into a reused buffer (no string is made). */
export function nodeBase64Newlines(data: string): number {
  const buf = data.length <= (scratch.length / 3) * 4 ? scratch : Buffer.allocUnsafe(Math.ceil((data.length * 3) / 4));
  const bytes = buf.subarray(0, buf.write(data, "base64"));
  let count = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) count++;
  return count;
}

export const nodeLogOptions: LogParserOptions = { decodeBase64: nodeBase64, base64TextDecoder: nodeBase64Text, countBase64Newlines: nodeBase64Newlines };

export function describeReadError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
}

/** Pushes every chunk of a file (or `-`: standard input) to `push`. */
export async function streamInput(path: string, what: string, push: (chunk: Uint8Array) => void, maxBytes = Infinity): Promise<number> {
  let total = 0;
  const pushCapped = (chunk: Uint8Array) => {
    if (total > maxBytes) throw new InputError(tooBig(what, path === "-" ? "(standard input)" : path, maxBytes).message);
    push(chunk);
  };
  try {
    if (path === "-") {
      for await (const c of process.stdin) {
        const b = c as Buffer;
        total += b.length;
        if (total > maxBytes) process.stdin.destroy();
        pushCapped(new Uint8Array(b.buffer, b.byteOffset, b.length));
      }
      return total;
    }
    const fh = await open(path, "r");
    try {
      // A regular file over the cap is refused from its size, before reading (cli/limits.ts).
      const st = await fh.stat();
      if (st.isFile() && st.size > maxBytes) throw new InputError(tooBig(what, path, maxBytes, st.size).message);
      // One buffer, reused: the parser copies what it keeps.
      const buf = new Uint8Array(CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        pushCapped(bytesRead === CHUNK_BYTES ? buf : buf.subarray(0, bytesRead));
      }
    } finally {
      await fh.close();
    }
    return total;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${what} ${path}: ${describeReadError(e)}`);
  }
}

/** The log, parsed while it is read; or, for a build record (detected from its first bytes), its bytes. */
export type ReadLog = { kind: "parsed"; log: ParsedLog } | { kind: "record"; bytes: Uint8Array };

export async function readLog(path: string, what = "log", maxBytes = Infinity): Promise<ReadLog> {
  const parser = new LogParser(nodeLogOptions);
  let record: Uint8Array[] | null = null;
  let first = true;
  await streamInput(
    path,
    what,
    (chunk) => {
      if (first) {
        first = false;
        if (looksLikeRecord(chunk)) record = [];
      }
      // The reader reuses its buffer: a record's chunks are copied.
      if (record) record.push(chunk.slice());
      else parser.push(chunk);
    },
    maxBytes,
  );
  if (record) return { kind: "record", bytes: Buffer.concat(record) };
  return { kind: "parsed", log: parser.end() };
}


/** analyze() for a log that was already parsed (streamed). */
export function analyzeWithParsedLog(input: AnalyzeInput, log: ParsedLog): Report {
  const dockerfile = input.dockerfile && input.dockerfile.trim() ? parseDockerfile(input.dockerfile) : null;
  return analyzeParsed(input, log, dockerfile);
}
