/**
 * The small print under the build summary: what the analysis was made from. A build record is not
 * a log ("record log" said nothing true); its bundle holds builds, not a log. Pure.
 */
import type { Report } from "../model/report";

type Input = Pick<Report, "input" | "build" | "record">;

/** "plain log, GitHub Actions wrapper · build 2 of 3 · …" or "build record cachescope/app (ref abc…) · build 6 of 6 in the bundle · …". */
export function describeInput(report: Input): string {
  const { input, build, record } = report;
  const isRecord = input.logFormat === "record";
  const parts: string[] = [];
  if (isRecord) parts.push(`build record${record?.name ? ` ${record.name}` : ""}${record?.ref ? ` (ref ${record.ref.slice(0, 12)})` : ""}`);
  else parts.push(`${input.logFormat} log${input.wrapper !== "none" ? `, ${input.wrapper} wrapper` : ""}`);
  if (input.buildsInLog > 1) parts.push(`build ${input.build} of ${input.buildsInLog}${isRecord ? " in the records" : ""}`);
  if (build.builder) parts.push(`builder ${build.builder}`);
  if (input.hasPreviousLog || input.hasPreviousDockerfile) parts.push(isRecord && record?.previousRef ? `compared with the previous build's record (ref ${record.previousRef.slice(0, 12)})` : "compared with the previous build");
  if (!input.hasDockerfile) parts.push(isRecord ? "the record holds no Dockerfile: add it for line numbers" : "no Dockerfile: add it for line numbers and exact causes");
  return parts.join(" · ");
}

/** "This log holds 3 builds." / "These records hold 6 builds." for the build picker. */
export function buildsHeldBy(report: Pick<Report, "input">): string {
  return report.input.logFormat === "record" ? `These build records hold ${report.input.buildsInLog} builds.` : `This log holds ${report.input.buildsInLog} builds.`;
}
