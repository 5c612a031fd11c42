/**
 * Texts for what build records decide (the `decidedBy` of a miss, record notes). Cause
 * explanations and fixes themselves come from the main catalog (./catalog.ts); these sentences say
 * which part of which record decided, so a reader can check it.
 */
const short = (d: string | null) => (d ? (d.startsWith("sha256:") ? d.slice(0, 19) : d.slice(0, 24)) : "?");
const code = (s: string) => `\`${s.length > 120 ? s.slice(0, 119) + "…" : s}\``;

export const recordTexts = {
  noCache: (filter: string[]) =>
    filter.length
      ? `the record's frontend attributes: \`no-cache=${filter.join(",")}\` (--no-cache-filter) names this stage`
      : "the record's frontend attributes: `no-cache` (the build ran with --no-cache)",
  newStep: "the previous record has no step at this place: the step is new",
  opChanged: (what: string) => `the records' build definitions: this step's ${what} differ${what.endsWith("s") ? "" : "s"} from the previous build's`,
  envChanged: (names: string[]) => `the records' build definitions: the RUN environment differs in ${names.map((n) => code(n)).join(", ")}`,
  buildArg: (names: string[]) => `the records' build args: ${names.map((n) => code(n)).join(", ")} changed value, and the step's RUN environment carries ${names.length === 1 ? "it" : "them"}`,
  baseDigest: (image: string, before: string | null, after: string | null) =>
    `the records' materials: ${code(image)} resolved to ${short(before)} before and ${short(after)} now, with the same FROM`,
  baseRef: (before: string, after: string) => `the records' build definitions: the base source changed from ${code(before)} to ${code(after)}`,
  namedContext: (name: string, before: string | null, after: string | null) =>
    `the records' frontend attributes: named context ${code(name)} changed from ${code(before ?? "(none)")} to ${code(after ?? "(none)")}`,
  layerChanged: (paths: string, before: string | null, after: string | null) =>
    `the same definition in both records, but this step's output layer differs (${short(before)} → ${short(after)}): the files it copies (${paths}) changed`,
  layerSame: (layer: string | null) =>
    `the same definition and inputs in both records, and even the same output layer (${short(layer)}): no file changed, so the cache record was gone (evicted or pruned)`,
  contextSent: (bytes: number, paths: string) =>
    `the same definition in both records; this build sent ${bytes} B of context files (${paths}), more than the metadata of an unchanged context`,
  contextUnknown: (paths: string) =>
    `the same definition in both records; what remains is the content of ${paths} or an evicted cache record — a changed-files list (--changed-files) decides`,
  nothingChanged: "the same definition and the same inputs in both records: the step ran because its cache record was gone (evicted or pruned)",
  noProvenance: "the record has no provenance, so op contents cannot be compared",
  parentRan: (step: string) => `the record's build graph: this step's input ${step} ran in this build`,
  mergedWith: (line: number) => `BuildKit merged this step with the identical step at line ${line} (one op, two source locations in the record): it shares that step's status and time.`,
};
