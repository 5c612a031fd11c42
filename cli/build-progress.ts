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

export class ProgressView {
  private done = new Set<string>();
  private names = new Map<string, string>();
  private started = new Map<string, string>();
  private logs = new Map<string, string[]>();
  constructor(private write: (line: string) => void, private color = false) {}

  /** Feeds one line of the child's stderr; returns false when it was not a rawjson line. */
  line(text: string): boolean {
    if (!text.startsWith("{")) return false;
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
