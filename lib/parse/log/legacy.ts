/**
 * The legacy (classic) builder (spec §5): `Step i/n : TEXT`, ` ---> Using cache`, ` ---> Running
 * in …`, ` ---> <id>`, as rendered by the docker CLI, and the raw Engine API JSON stream
 * (`{"stream":"Step 1/2 : FROM …"}`, `{"errorDetail":…}`) whose `stream` fragments are joined
 * and then read as the same text. No durations: the legacy builder prints no times.
 */
import type { Diagnostic } from "../../model/diagnostics";
import type { LogBuild } from "../../model/log";
import { scanJsonValues } from "./jsonvalues";
import { BuildAcc, VertexAcc } from "./model";
import { parseSize } from "./size";
import { Trailer } from "./trailer";
import { stripAnsi } from "./unwrap";

const STEP_RE = /^Step (\d+)(?:\/(\d+))? : ?(.*)$/;
const IMAGE_ID_RE = /^[0-9a-f]{12}$/;
const ERROR_STARTS = ["COPY failed:", "ADD failed:", "unable to prepare context:", "error building image:", "failed to compute cache key:", "failed to process "];

type Json = Record<string, unknown>;

class LegacyReader {
  builds: BuildAcc[] = [];
  private cur: BuildAcc | null = null;
  private step: VertexAcc | null = null;
  /** The current build was opened by `Sending build context` and has no step yet. */
  private freshFromContext = false;
  readonly trailer: Trailer;

  constructor(lines: string[]) {
    this.trailer = new Trailer(lines);
  }

  private startBuild(lineNo: number): BuildAcc {
    this.close();
    const b = new BuildAcc(this.builds.length + 1, lineNo, true);
    this.trailer.adopt(b);
    this.cur = b;
    this.step = null;
    this.builds.push(b);
    return b;
  }

  /** One text line (`index` is 0-based, only used by the trailer for lookahead). */
  line(text: string, lineNo: number, index: number): void {
    if (text.length === 0) return;
    const c = text.charCodeAt(0);
    const b = this.cur;
    if (c === 83 /* S */) {
      if (text.startsWith("Step ")) {
        const m = STEP_RE.exec(text);
        if (m) {
          this.stepLine(Number(m[1]), m[2] !== undefined ? Number(m[2]) : 0, m[3], lineNo);
          return;
        }
      } else if (text.startsWith("Sending build context to Docker daemon")) {
        if (!b || b.vertices.length > 0 || b.ended) this.startBuild(lineNo);
        this.freshFromContext = true;
        const size = parseSize(text.slice(text.lastIndexOf(" ") + 1));
        if (size !== null) this.cur!.legacyContextBytes = size;
        this.touch(lineNo);
        return;
      } else if (text.startsWith("Successfully built ") && b) {
        if (this.step && !this.step.terminal) this.finishStep(this.step, "done");
        b.succeeded = true;
        b.ended = true;
        this.touch(lineNo);
        return;
      } else if (text.startsWith("Successfully tagged ") && b) {
        this.touch(lineNo);
        return;
      }
    }
    if (b && this.step) {
      if (c === 32 && text.startsWith(" ---> ")) {
        this.arrow(text.slice(6), lineNo);
        return;
      }
      if (c === 82 /* R */ && text.startsWith("Removing intermediate container")) {
        this.touch(lineNo);
        return;
      }
      if (c === 84 /* T */ && text.startsWith("The command '") && text.indexOf("returned a non-zero code") > 0) {
        this.error(text, lineNo);
        return;
      }
      for (const p of ERROR_STARTS) {
        if (text.startsWith(p)) {
          this.error(text, lineNo);
          return;
        }
      }
      if (!b.ended) {
        this.step.pushText(text);
        this.step.lastLine = lineNo;
        this.touch(lineNo);
        return;
      }
    }
    if (c === 91 /* [ */ && text.startsWith("[Warning] ")) {
      if (b) b.addWarning(text.slice(10), lineNo);
      return;
    }
    if (text.startsWith("DEPRECATED: The legacy builder")) return;
    this.trailer.handle(text, index, b);
  }

  private touch(lineNo: number): void {
    if (this.cur && lineNo > this.cur.lastLine) this.cur.lastLine = lineNo;
  }

  private stepLine(index: number, of: number, text: string, lineNo: number): void {
    let b = this.cur;
    if (!b || b.ended || (index === 1 && b.vertices.length > 0 && !this.freshFromContext)) b = this.startBuild(lineNo);
    this.freshFromContext = false;
    if (this.step && !this.step.terminal) this.finishStep(this.step, "done");
    const id = of > 0 ? `Step ${index}/${of}` : `Step ${index}`;
    const v = new VertexAcc(id, null, text, lineNo);
    v.kind = "step";
    v.label = null;
    v.legacyStep = { index, of };
    b.add(v, -1);
    this.step = v;
    this.touch(lineNo);
  }

  private arrow(rest: string, lineNo: number): void {
    const v = this.step!;
    v.lastLine = lineNo;
    this.touch(lineNo);
    if (rest === "Using cache") {
      this.finishStep(v, "cached");
    } else if (rest.startsWith("Running in ") || rest.startsWith("Removed intermediate container")) {
      // a container ran (a miss); nothing to record
    } else if (rest.startsWith("[Warning] ")) {
      v.warnings.push(rest.slice(10));
    } else if (IMAGE_ID_RE.test(rest)) {
      if (v.status !== "cached") this.finishStep(v, "done");
    } else {
      v.pushText(rest);
    }
  }

  private finishStep(v: VertexAcc, status: "done" | "cached"): void {
    v.status = status;
    v.terminal = true;
  }

  error(message: string, lineNo: number): void {
    const b = this.cur ?? this.startBuild(lineNo);
    if (this.step && this.step.status !== "cached" && this.step.error === null) {
      this.step.status = "error";
      this.step.terminal = true;
      this.step.error = message;
      this.step.lastLine = lineNo;
    }
    if (b.errorMessage === null) {
      b.errorMessage = message;
      b.errorLine = lineNo;
    }
    b.ended = true;
    this.touch(lineNo);
  }

  /** Pull progress from the JSON stream, attributed to the current (FROM) step. */
  layer(id: string, current: number | null, total: number | null, done: boolean): void {
    if (!this.step) return;
    const l = this.step.layer(id);
    if (current !== null) l.current = current;
    if (total !== null) l.total = total;
    if (done) {
      l.done = true;
      if (l.total !== null) l.current = l.total;
    }
  }

  close(): void {
    const b = this.cur;
    if (!b) return;
    let maxIndex = 0;
    for (const v of b.vertices) if (v.legacyStep && v.legacyStep.index > maxIndex) maxIndex = v.legacyStep.index;
    for (const v of b.vertices) if (v.legacyStep && v.legacyStep.of === 0) v.legacyStep = { index: v.legacyStep.index, of: maxIndex };
    const last = this.step;
    if (last && !last.terminal) {
      if (b.succeeded) this.finishStep(last, "done");
      else if (b.errorMessage !== null) {
        last.status = "error";
        last.terminal = true;
        last.error = b.errorMessage;
      }
    }
    this.cur = null;
    this.step = null;
  }
}

export function parseLegacy(lines: string[], _diagnostics: Diagnostic[]): LogBuild[] {
  const r = new LegacyReader(lines);
  let buf = "";
  let bufLine = 0;
  const flush = (): void => {
    if (buf !== "") r.line(cleanStreamText(buf), bufLine, bufLine - 1);
    buf = "";
  };
  scanJsonValues(lines, {
    value(value, line) {
      if (!value || typeof value !== "object" || Array.isArray(value)) {
        r.line(lines[line - 1], line, line - 1);
        return;
      }
      const o = value as Json;
      if (typeof o.stream === "string") {
        let text = o.stream;
        if (buf === "") bufLine = line;
        let nl = text.indexOf("\n");
        while (nl >= 0) {
          buf += text.slice(0, nl);
          r.line(cleanStreamText(buf), bufLine, bufLine - 1);
          buf = "";
          bufLine = line;
          text = text.slice(nl + 1);
          nl = text.indexOf("\n");
        }
        buf += text;
        return;
      }
      const ed = o.errorDetail as Json | undefined;
      if ((ed && typeof ed === "object") || typeof o.error === "string") {
        flush();
        const msg = ed && typeof ed.message === "string" ? ed.message : String(o.error);
        r.error(msg, line);
        return;
      }
      if (typeof o.status === "string") {
        const id = typeof o.id === "string" ? o.id : null;
        const pd = o.progressDetail as Json | undefined;
        const current = pd && typeof pd.current === "number" ? pd.current : null;
        const total = pd && typeof pd.total === "number" ? pd.total : null;
        const status = o.status;
        if (id && /^[0-9a-f]{12}$/.test(id)) {
          const done = status === "Download complete" || status === "Pull complete";
          if (current !== null || total !== null || done) r.layer(id, current, total, done);
          if (current !== null && (status === "Downloading" || status === "Extracting")) return;
        }
        flush();
        r.line(id ? `${id}: ${status}` : status, line, line - 1);
        return;
      }
      if (o.aux !== undefined) return;
      r.line(lines[line - 1], line, line - 1);
    },
    other(s, index) {
      flush();
      r.line(s, index + 1, index);
    },
    bad() {
      /* a malformed JSON line in a legacy log is just text we cannot use */
    },
  });
  flush();
  r.close();
  return r.builds.filter((b) => b.hasContent()).map((b, k) => {
    b.index = k + 1;
    return b.toBuild();
  });
}

function cleanStreamText(s: string): string {
  let t = stripAnsi(s);
  while (t.length > 0 && t.charCodeAt(t.length - 1) === 13) t = t.slice(0, -1);
  const cr = t.lastIndexOf("\r");
  if (cr >= 0 && cr < t.length - 1) t = t.slice(cr + 1);
  return t;
}
