export { renderText, sanitizeTerminal, type TextOptions } from "./text";
export { renderMarkdown, GITHUB_COMMENT_LIMIT, DEFAULT_MARKDOWN_MAX_BYTES, COMMENT_MARKER, type MarkdownOptions } from "./markdown";
export { renderMermaid, stageState, type MermaidOptions } from "./mermaid";
export { renderSvgCard, cardParamsFromReport, cardQuery, type CardParams, type CardStatus } from "./svg-card";
export { escapeHtml, escapeMarkdown, escapeMermaid, escapeXml } from "./escape";
