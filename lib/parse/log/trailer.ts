/**
 * Lines around and after the progress stream that are not `#N` lines (spec §2.10): the final
 * `ERROR:` line, error excerpt blocks, the warnings summary, the Dockerfile excerpt, `WARNING:`
 * lines, and the CI echo of the build command. Shared by the plain and rawjson readers.
 */
import type { BuildCommand } from "./command";
import { mightBeBuildCommand, parseBuildCommand } from "./command";
import { own, type BuildAcc } from "./model";

type Mode = "none" | "excerpt" | "warnings" | "dockerfile";

const DASHES_20 = "--------------------";

export class Trailer {
  private mode: Mode = "none";
  private dockerfileDashes = 0;
  /** Command echoed before the build it belongs to. */
  pendingCommand: BuildCommand | null = null;
  /** Warnings printed before the first vertex of the next build (`WARNING: No output specified…`). */
  pendingWarnings: { message: string; line: number }[] = [];

  /** `lines` gives the one-line lookahead when the caller does not pass `next` to handle(). */
  constructor(private readonly lines: string[] | null) {}

  reset(): void {
    this.mode = "none";
  }

  /** Gives a new build what was printed before it. */
  adopt(build: BuildAcc): void {
    if (this.pendingCommand) {
      build.command = this.pendingCommand;
      this.pendingCommand = null;
    }
    for (const w of this.pendingWarnings) build.addWarning(w.message, w.line);
    this.pendingWarnings = [];
  }

  /**
   * Handles line index i (0-based). `build` is the build the line belongs to, if any.
   * Returns false when the line is not trailer material (the caller may count it as unplaced).
   */
  handle(s: string, i: number, build: BuildAcc | null, next: string | undefined = this.lines?.[i + 1]): boolean {
    const lineNo = i + 1;
    switch (this.mode) {
      case "excerpt":
        if (s === "------") this.mode = "none";
        return true;
      case "dockerfile":
        if (s === DASHES_20 && ++this.dockerfileDashes >= 2) this.mode = "none";
        return true;
      case "warnings":
        if (s.startsWith(" - ") || s.startsWith("   ")) {
          if (build && s.startsWith(" - ")) build.addWarning(s.slice(3), lineNo);
          return true;
        }
        this.mode = "none";
        break;
    }
    const c = s.charCodeAt(0);
    if (s === "------") {
      this.mode = "excerpt";
      return true;
    }
    if (c === 69 /* E */ && (s.startsWith("ERROR: ") || s === "ERROR")) {
      this.error(s === "ERROR" ? "" : s.slice(7), lineNo, build);
      return true;
    }
    if (c === 102 /* f */ || c === 101 /* e */) {
      // Docker 20.10 and old buildx print the bare error chain.
      if (build && !build.ended && (s.startsWith("failed to solve") || s.startsWith("error: failed to solve"))) {
        this.error(s, lineNo, build);
        return true;
      }
    }
    if (c === 87 /* W */ && s.startsWith("WARNING: ")) {
      const msg = s.slice(9);
      const m = /^local cache import at (.*?) not found(?: due to err: (.*))?$/.exec(msg);
      if (m && build) {
        build.extraImports.push({ ref: m[1], status: "not-found", message: m[2] ?? null, line: lineNo });
      }
      if (build) build.addWarning(msg, lineNo);
      else this.pendingWarnings.push({ message: msg, line: lineNo });
      return true;
    }
    if ((c === 32 || (c >= 48 && c <= 57)) && /^ ?\d+ warnings? found/.test(s)) {
      this.mode = "warnings";
      return true;
    }
    if (s.length > 2 && s.length < 300 && next === DASHES_20) {
      const m = /^(\S+):(\d+)$/.exec(s);
      if (m) {
        if (build && !build.errorSource) build.errorSource = { file: m[1], line: Number(m[2]) };
        this.mode = "dockerfile";
        this.dockerfileDashes = 0;
        return true;
      }
    }
    if (c === 35 /* # */ && s.startsWith("##[")) return true;
    if (c === 86 /* V */ && s.startsWith("View build details:")) return true;
    if (mightBeBuildCommand(s)) {
      const cmd = parseBuildCommand(s);
      if (cmd) {
        if (build && build.vertices.length === 0 && !build.command) build.command = cmd;
        else this.pendingCommand = cmd;
        return true;
      }
    }
    return false;
  }

  private error(message: string, lineNo: number, build: BuildAcc | null): void {
    if (!build || build.errorMessage !== null) return;
    build.errorMessage = own(message);
    build.errorLine = lineNo;
    build.ended = true;
  }
}
