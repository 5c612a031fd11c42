/**
 * Files dropped or picked together, routed to the inputs by what they contain (not by where they
 * were dropped or what they are called): Dockerfile, build log (plain, rawjson, legacy, CI-wrapped),
 * build record (`.dockerbuild` gzip'd tar, GitHub Actions `.zip`), image metadata, a changed-files
 * list. Two logs: the older one is the previous build when their own timestamps say which is older;
 * otherwise the person is asked. Pure: bytes in, a plan out.
 */
import { decodeText } from "./decode";

export type SniffedKind = "dockerfile" | "log" | "record" | "image" | "changed-files" | "unknown";
export type RoutedInput = "dockerfile" | "log" | "previousLog" | "previousDockerfile" | "image" | "changedFiles";

export interface SniffedFile {
  name: string;
  kind: SniffedKind;
  /** Earliest timestamp the content states (rawjson `started`, CI line prefixes), epoch ms; null when none. */
  startedAt: number | null;
  /** Decoded text when the caller set it (sniffing itself decodes only the head); null otherwise. */
  text: string | null;
}

export interface RouteFile {
  name: string;
  bytes: Uint8Array;
}

export interface RoutePlan {
  /** File index → input. */
  assign: { file: number; input: RoutedInput }[];
  /** Records to decode (their text becomes a log once decoded). */
  records: number[];
  /** Two logs whose order the content does not tell: ask which one is the current build. */
  askOrder: [number, number] | null;
  /** Files that were not recognised or had no free input, with the reason (shown to the person). */
  skipped: { file: number; reason: string }[];
}

const HEAD_BYTES = 256 * 1024;

/** gzip (1f 8b: `.dockerbuild`) or zip (PK\3\4: a GitHub Actions download). */
export function isRecordBytes(b: Uint8Array): boolean {
  return (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) || (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04);
}

const INSTRUCTION = /^(FROM|ARG|RUN|COPY|ADD|ENV|WORKDIR|CMD|ENTRYPOINT|EXPOSE|LABEL|USER|VOLUME|SHELL|HEALTHCHECK|ONBUILD|STOPSIGNAL|MAINTAINER)\s/i;
const PLAIN_LINE = /^(?:\S+\s+)?#\d+ (?:\[|DONE|CACHED|ERROR|sha256|extracting|transferring|resolve|building with|\d+\.\d+ )/;
const LEGACY_LINE = /^(Step \d+\/\d+ : |Sending build context to Docker daemon| ---> )/;
const RAWJSON_LINE = /^\s*\{"(vertexes|statuses|logs|warnings)":/;
const IMAGE_JSON = /"(CreatedBy|RootFS|rootfs|history|layers|mediaType|created_by|Layers)"/;
const PATH_LINE = /^[\w@+.\-/]+$/;
const ISO = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/;

/** What one file holds, from its first 256 kB (a 50 MB log is not decoded twice). */
export function sniffFile(name: string, bytes: Uint8Array): SniffedFile {
  if (isRecordBytes(bytes)) return { name, kind: "record", startedAt: null, text: null };
  const head = decodeText(bytes.length > HEAD_BYTES ? bytes.subarray(0, HEAD_BYTES) : bytes).text;
  const lines = head.split(/\r?\n/, 400).map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));
  const meaningful = lines.filter((l) => l.trim() !== "" && !/^\s*#(?!\d)/.test(l));
  let kind: SniffedKind = "unknown";
  let plain = 0;
  let legacy = 0;
  let rawjson = 0;
  let instructions = 0;
  for (const l of lines) {
    if (RAWJSON_LINE.test(l)) rawjson++;
    else if (PLAIN_LINE.test(l)) plain++;
    else if (LEGACY_LINE.test(l)) legacy++;
    if (INSTRUCTION.test(l.trimStart())) instructions++;
  }
  const firstMeaningful = meaningful[0]?.trimStart() ?? "";
  if (rawjson + plain + legacy >= 2) kind = "log";
  else if (/^(FROM|ARG)\s/i.test(firstMeaningful) && instructions >= 1) kind = "dockerfile";
  else if (/^\s*[[{]/.test(head) && IMAGE_JSON.test(head)) kind = "image";
  else if (meaningful.length > 0 && meaningful.every((l) => PATH_LINE.test(l.trim())) && meaningful.some((l) => /[./]/.test(l))) kind = "changed-files";
  const iso = kind === "log" ? ISO.exec(head) : null;
  const startedAt = iso ? Date.parse(iso[1]) : null;
  return { name, kind, startedAt: Number.isFinite(startedAt) ? startedAt : null, text: null };
}

/** A Dockerfile's name is the only thing that can say it is the previous one (Dockerfile.old, before.Dockerfile). */
const PREVIOUS_NAME = /(^|[^a-z])(before|prev|previous|old)([^a-z]|$)/i;

/**
 * Route several files at once. One log is the current build's; two logs fill both log inputs, the
 * older as the previous build, when their content dates them; Dockerfiles go by content too.
 */
export function routeFiles(sniffed: SniffedFile[]): RoutePlan {
  const plan: RoutePlan = { assign: [], records: [], askOrder: null, skipped: [] };
  const logs: number[] = [];
  const dockerfiles: number[] = [];
  sniffed.forEach((f, i) => {
    if (f.kind === "log") logs.push(i);
    else if (f.kind === "dockerfile") dockerfiles.push(i);
    else if (f.kind === "record") plan.records.push(i);
    else if (f.kind === "image") {
      if (plan.assign.some((a) => a.input === "image")) plan.skipped.push({ file: i, reason: "a second image metadata file" });
      else plan.assign.push({ file: i, input: "image" });
    } else if (f.kind === "changed-files") {
      if (plan.assign.some((a) => a.input === "changedFiles")) plan.skipped.push({ file: i, reason: "a second changed-files list" });
      else plan.assign.push({ file: i, input: "changedFiles" });
    } else plan.skipped.push({ file: i, reason: "not a Dockerfile, build log, build record or image metadata" });
  });

  if (logs.length === 1) plan.assign.push({ file: logs[0], input: "log" });
  else if (logs.length >= 2) {
    const [a, b] = logs;
    const order = olderFirst(sniffed, a, b);
    if (order) {
      plan.assign.push({ file: order[0], input: "previousLog" }, { file: order[1], input: "log" });
    } else {
      plan.askOrder = [a, b];
    }
    for (const extra of logs.slice(2)) plan.skipped.push({ file: extra, reason: "more than two build logs" });
  }

  if (dockerfiles.length === 1) plan.assign.push({ file: dockerfiles[0], input: "dockerfile" });
  else if (dockerfiles.length >= 2) {
    // The previous Dockerfile is the one whose name says so; without a hint the first is the current one.
    const prev = dockerfiles.find((i) => PREVIOUS_NAME.test(sniffed[i].name));
    const cur = dockerfiles.find((i) => i !== prev) ?? dockerfiles[0];
    plan.assign.push({ file: cur, input: "dockerfile" });
    if (prev != null) plan.assign.push({ file: prev, input: "previousDockerfile" });
    for (const extra of dockerfiles) if (extra !== cur && extra !== prev) plan.skipped.push({ file: extra, reason: "more than two Dockerfiles (or which one is the previous is not said by its name)" });
  }
  return plan;
}

/**
 * [older, newer] when both logs' own timestamps tell; else null (ask). File names and modification
 * times are not evidence: a download or a copy changes them.
 */
function olderFirst(sniffed: SniffedFile[], a: number, b: number): [number, number] | null {
  const ta = sniffed[a].startedAt;
  const tb = sniffed[b].startedAt;
  if (ta != null && tb != null && ta !== tb) return ta < tb ? [a, b] : [b, a];
  return null;
}
