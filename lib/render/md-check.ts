/** Structural checks on rendered Markdown, for tests (fences and <details> blocks intact). */

export function scanFences(md: string): { text: string; open: string | null } {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split("\n")) {
    const m = /^(`{3,})/.exec(line);
    if (fence) {
      if (m && line.trim() === fence) fence = null;
      continue;
    }
    if (m) fence = m[1]!;
    else out.push(line);
  }
  return { text: out.join("\n"), open: fence };
}

/** The Markdown outside fenced code blocks (whose content GitHub shows verbatim). */
export function outsideFences(md: string): string {
  return scanFences(md).text;
}

export function fencesBalanced(md: string): boolean {
  return scanFences(md).open === null;
}

export function detailsBalanced(md: string): boolean {
  const text = outsideFences(md);
  let depth = 0;
  for (const m of text.matchAll(/<(\/?)details>/g)) {
    depth += m[1] ? -1 : 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** Contents of the ```mermaid blocks. */
export function mermaidBlocks(md: string): string[] {
  const blocks: string[] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^(`{3,})mermaid$/.exec(lines[i]!);
    if (!m) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[1]; i++) body.push(lines[i]!);
    blocks.push(body.join("\n"));
  }
  return blocks;
}
