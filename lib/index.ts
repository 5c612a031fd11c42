// The public library entry of the `cachescope` package: `import { analyze } from "cachescope"`.
// Everything here is pure (no fs, no process): it runs in Node, a browser or a worker.
export { analyze } from "./analyze/index";
export type { AnalyzeInput } from "./analyze/types";
export type * from "./model/report";
export { formatDiagnostic, type Diagnostic, type InputSource } from "./model/diagnostics";
export { renderText, renderMarkdown, renderSvgCard, COMMENT_MARKER, type TextOptions, type MarkdownOptions } from "./render/index";
export { analyzeForSharing, type SharableInputs } from "./share/share-report";
