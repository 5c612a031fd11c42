/** Where a diagnostic points. `line` is 1-based in the text the person gave (after decoding), or null. */
export type InputSource = "log" | "dockerfile" | "previous-log" | "previous-dockerfile" | "image" | "changed-files" | "dockerignore";

export interface Diagnostic {
  severity: "error" | "warning" | "info";
  source: InputSource;
  line: number | null;
  /** Stable machine code, e.g. "log/unrecognised", "dockerfile/syntax". */
  code: string;
  /** One plain sentence; the UI and CLI print `line N: message`. */
  message: string;
}

export function diag(
  severity: Diagnostic["severity"],
  source: InputSource,
  line: number | null,
  code: string,
  message: string,
): Diagnostic {
  return { severity, source, line, code, message };
}

/** `line 212: expected …` or just the message when there is no line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line != null ? `${d.source} line ${d.line}: ` : `${d.source}: `;
  return where + d.message;
}
