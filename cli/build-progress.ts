/**
 * The terminal view of `cachescope build`: one compact line per finished vertex of the rawjson
 * progress stream (`[build 3/5] RUN make  DONE 1.2s`, `CACHED`, `ERROR …` with its last output lines).
 */

interface RawVertex {
  digest: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Splits the child's stderr into rawjson messages and plain text lines. buildx 0.29 prints one JSON
 * object a line; buildx 0.13 pretty-prints each object over many lines — both are handled by
 * tracking braces outside strings. An object starts only where a line starts with `{`, so an error
 * line that contains a brace stays text.
 */
export class RawjsonSplitter {
  private obj = "";
  private depth = 0;
  private inString = false;
  private escape = false;
  private line = "";
  constructor(private onObject: (json: string) => void, private onText: (line: string) => void) {}

  feed(chunk: string): void {
    for (const ch of chunk) {
      if (this.depth > 0) {
        this.obj += ch;
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (ch === "\\") this.escape = true;
          else if (ch === '"') this.inString = false;
        } else if (ch === '"') this.inString = true;
        else if (ch === "{") this.depth++;
        else if (ch === "}" && --this.depth === 0) {
          this.onObject(this.obj);
          this.obj = "";
        }
        continue;
      }
      if (ch === "{" && this.line.trim() === "") {
        this.line = "";
        this.obj = "{";
        this.depth = 1;
        continue;
      }
      if (ch === "\n") {
        if (this.line.trim()) this.onText(this.line.replace(/\r$/, ""));
        this.line = "";
      } else this.line += ch;
    }
  }

  end(): void {
    if (this.depth > 0 && this.obj.trim()) this.onText(this.obj);
    if (this.line.trim()) this.onText(this.line);
    this.obj = this.line = "";
    this.depth = 0;
  }
}

export class ProgressView {
  private done = new Set<string>();
  private names = new Map<string, string>();
  private started = new Map<string, string>();
  private logs = new Map<string, string[]>();
  constructor(private write: (line: string) => void, private color = false) {}

  /** Feeds one rawjson message; returns false when it was not one. */
  line(text: string): boolean {
    if (!text.trimStart().startsWith("{")) return false;
    let msg: { vertexes?: RawVertex[]; logs?: { vertex: string; data: string }[] };
    try {
      msg = JSON.parse(text);
    } catch {
      return false;
    }
    for (const l of msg.logs ?? []) {
      const lines = this.logs.get(l.vertex) ?? [];
      const data = Buffer.from(l.data ?? "", "base64").toString("utf8");
      lines.push(...data.split(/\r?\n/).filter(Boolean));
      this.logs.set(l.vertex, lines.slice(-10));
    }
    for (const v of msg.vertexes ?? []) {
      if (v.name) this.names.set(v.digest, v.name);
      if (v.started) this.started.set(v.digest, v.started);
      if (this.done.has(v.digest)) continue;
      if (!v.completed && !v.cached && !v.error) continue;
      if (!v.completed && !v.error) continue;
      this.done.add(v.digest);
      this.print(v);
    }
    return true;
  }

  private print(v: RawVertex): void {
    const name = (this.names.get(v.digest) ?? v.digest).replace(CONTROL, "");
    const paint = (code: string, s: string) => (this.color ? `\x1b[${code}m${s}\x1b[0m` : s);
    const start = v.started ?? this.started.get(v.digest);
    const secs = start && v.completed ? Math.max(0, (Date.parse(v.completed) - Date.parse(start)) / 1000) : null;
    const short = name.length > 90 ? name.slice(0, 89) + "…" : name;
    if (v.error) {
      const canceled = /context canceled/.test(v.error);
      this.write(`${short}  ${paint("31", canceled ? "CANCELED" : "ERROR")}${secs != null ? ` ${secs.toFixed(1)}s` : ""}`);
      if (!canceled) {
        for (const l of this.logs.get(v.digest) ?? []) this.write(`  │ ${l.replace(CONTROL, "")}`);
        this.write(`  └ ${v.error.replace(CONTROL, "")}`);
      }
    } else if (v.cached) this.write(`${short}  ${paint("36", "CACHED")}`);
    else this.write(`${short}  ${paint("32", "DONE")}${secs != null ? ` ${secs.toFixed(1)}s` : ""}`);
  }
}
