/**
 * Escaping for GitHub-flavoured Markdown, HTML, Mermaid labels and XML. Everything that comes
 * from a person's inputs (step text, file names, arg values, error messages) passes through one
 * of these before it is put into Markdown or SVG, so a build log cannot inject HTML, links,
 * mentions, table cells or close a code block.
 */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** HTML text / attribute escaping. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/** XML (SVG) text / attribute escaping; also drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Makes arbitrary text inert in GitHub Markdown, inline or inside inline HTML such as `<code>`:
 * HTML-significant and Markdown-significant characters become numeric character references
 * (`:` too, so URLs are not auto-linked; `-` so a line cannot start a list), and
 * newlines become spaces (so table rows and list items stay on one line). `@` is followed by a
 * word joiner so a log cannot @-mention people in a pull request.
 */
export function escapeMarkdown(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    switch (c) {
      case "&":
        out += "&amp;";
        break;
      case "<":
        out += "&lt;";
        break;
      case ">":
        out += "&gt;";
        break;
      case "\r":
      case "\n":
        out += " ";
        break;
      case "@":
        out += "@\u2060";
        break;
      case "\\":
      case "`":
      case "*":
      case "_":
      case "[":
      case "]":
      case "{":
      case "}":
      case "|":
      case "~":
      case "#":
      case "!":
      case "-":
      case ":":
        out += `&#${c.charCodeAt(0)};`;
        break;
      default: {
        const code = c.charCodeAt(0);
        // Control characters are dropped.
        if (code < 0x20 && c !== "\t") break;
        out += c;
      }
    }
  }
  return out;
}

/** User text shown as inline code: `<code>` with everything escaped (no backtick counting). */
export function inlineCode(text: string): string {
  return `<code>${escapeMarkdown(text)}</code>`;
}

/**
 * Catalog prose (explanations, fixes, diagnosis) to Markdown. The engine's sentences quote user
 * values in backticks; each backtick span becomes `<code>` with its content escaped and the
 * surrounding prose is escaped too, so a value containing a backtick cannot break out.
 */
export function proseToMarkdown(text: string): string {
  const parts = text.split("`");
  if (parts.length % 2 === 0) {
    // Unbalanced backticks (a value contained one): escape the whole text, no code spans.
    return escapeMarkdown(text);
  }
  return parts.map((p, i) => (i % 2 === 1 ? inlineCode(p) : escapeMarkdown(p))).join("");
}

/**
 * Catalog prose that may span lines (a fix with a Dockerfile snippet): the first line as prose,
 * the rest, if any, as a fenced block.
 */
export function proseBlock(text: string, lang = ""): string {
  const nl = text.indexOf("\n");
  if (nl === -1) return proseToMarkdown(text);
  const rest = text.slice(nl + 1).replace(/^\n+|\s+$/g, "");
  const head = proseToMarkdown(text.slice(0, nl));
  return rest ? `${head}\n\n${codeBlock(rest.replace(/^ {4}/gm, ""), lang)}` : head;
}

/** A fenced code block that the content cannot close (fence longer than any backtick run). */
export function codeBlock(text: string, lang = ""): string {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 96) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\r\n?/g, "\n")}\n${fence}`;
}

/**
 * Mermaid label text for use inside `"…"`: every character Mermaid or HTML treats specially is
 * written as a Mermaid entity (`#35;` style, decimal), so labels cannot end the string, open a
 * markdown string, inject HTML or close the surrounding Markdown code fence.
 */
export function escapeMermaid(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      out += " ";
      continue;
    }
    switch (c) {
      case '"':
      case "#":
      case "&":
      case "<":
      case ">":
      case "`":
      case "[":
      case "]":
      case "{":
      case "}":
      case "(":
      case ")":
      case "|":
      case ";":
      case "\\":
      case "'":
      case "*":
      case "_":
      case "~":
        out += `#${code};`;
        break;
      default:
        out += c;
    }
  }
  return out;
}
