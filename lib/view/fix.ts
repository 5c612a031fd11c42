/**
 * Engine fixes (`Finding.fix`, `Miss.fix`) are a sentence, then optionally a newline and rewritten
 * Dockerfile lines indented by 4 spaces. Split them so the prose flows and the code keeps its lines.
 */
export interface FixParts {
  prose: string;
  /** The code lines with the 4-space indent removed, joined by "\n"; null when there are none. */
  code: string | null;
}

const INDENT = /^ {4}/;

export function splitFix(fix: string): FixParts {
  const lines = fix.replace(/\r\n?/g, "\n").split("\n");
  const first = lines.findIndex((l, i) => i > 0 && INDENT.test(l));
  if (first < 0) return { prose: fix.trim(), code: null };
  const prose = lines.slice(0, first).join(" ").replace(/\s+/g, " ").trim();
  const rest = lines.slice(first);
  while (rest.length && rest[rest.length - 1]!.trim() === "") rest.pop();
  const code = rest.map((l) => l.replace(INDENT, "")).join("\n");
  return { prose, code: code.trim() ? code : null };
}
