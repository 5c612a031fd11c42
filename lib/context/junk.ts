/**
 * Changed files that no image needs, by the `.dockerignore` line that leaves them out: git metadata,
 * installed packages, build outputs, local caches, editor files, logs. Pure.
 */
/** Files no image needs, by the `.dockerignore` line that leaves them out. */
export const JUNK: { line: string; what: string; test: (segs: string[]) => boolean; output?: boolean }[] = [
  { line: ".git", what: "git metadata", test: (s) => s[0] === ".git" },
  { line: "**/node_modules", what: "installed packages", test: (s) => s.slice(0, -1).includes("node_modules") },
  ...["dist", "build", "out", "target", ".next", "coverage"].map((d) => ({ line: `**/${d}`, what: "build output", test: (s: string[]) => s.slice(0, -1).includes(d), output: true })),
  ...["__pycache__", ".pytest_cache", ".mypy_cache", ".venv", "venv", ".tox", ".gradle"].map((d) => ({ line: `**/${d}`, what: "local caches", test: (s: string[]) => s.slice(0, -1).includes(d) })),
  { line: "**/*.pyc", what: "local caches", test: (s) => s[s.length - 1]!.endsWith(".pyc") },
  ...[".idea", ".vscode"].map((d) => ({ line: d, what: "editor settings", test: (s: string[]) => s[0] === d })),
  { line: "**/*.swp", what: "editor files", test: (s) => /\.sw[op]$/.test(s[s.length - 1]!) },
  { line: "**/*~", what: "editor files", test: (s) => s[s.length - 1]!.endsWith("~") },
  { line: "**/.DS_Store", what: "editor files", test: (s) => s[s.length - 1] === ".DS_Store" },
  { line: "**/*.log", what: "logs", test: (s) => s[s.length - 1]!.endsWith(".log") },
];

export function junkLine(path: string): (typeof JUNK)[number] | null {
  const segs = path.split("/");
  return JUNK.find((j) => j.test(segs)) ?? null;
}

/** Files people edit first, then the junk, each group in path order. */
export function meaningfulFirst(files: string[]): string[] {
  const a: string[] = [];
  const b: string[] = [];
  for (const f of files) (junkLine(f) ? b : a).push(f);
  return [...a.sort(), ...b.sort()];
}
