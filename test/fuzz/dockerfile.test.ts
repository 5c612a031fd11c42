/**
 * Property tests for parseDockerfile: arbitrary text, instruction soup, and real Dockerfiles with
 * lines damaged. It must never throw and must return in-range lines and stage references.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { parseDockerfile } from "../../lib/parse/dockerfile";
import { generateSmallBuild } from "../../bench/generate";
import { checkDockerfile, realLogs, runs } from "./helpers";
import { applyOps, lineOp } from "./mutate";

const KEYWORDS = ["FROM", "RUN", "COPY", "ADD", "WORKDIR", "ENV", "ARG", "LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "USER", "VOLUME", "SHELL", "HEALTHCHECK", "ONBUILD", "STOPSIGNAL", "MAINTAINER", "from", "Run", "#", "# syntax=docker/dockerfile:1", "# escape=`", "# escape=\\"];
const ARGS = [
  "alpine", "alpine AS a", "a AS b", "scratch", "${BASE}", "$BASE:${TAG:-x}", "--platform=$BUILDPLATFORM a AS c", "b AS B",
  "--from=a /x /y", "--from=0 /x /y", "--from=99 /x /y", "--from= /x", "--link --chown=1:1 . .", "--mount=type=cache,target=/x make",
  "--mount=from=a,target=/y ls", "--mount=type=secret,id=t,env=T x", "--mount=", "<<EOF\necho hi\nEOF", "<<-EOT cat\nx\nEOT", "<<EOF",
  "x=1 y=\"2 3\"", "x", "=", "\\", "[\"/bin/sh\", \"-c\"", "[", "]", "{", "${", "$", "$$", "${X:?err}", "\"", "'", "`",
];
const instruction = fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(fc.oneof(fc.constantFrom(...ARGS), fc.string({ maxLength: 12 })), { maxLength: 4 }), fc.boolean()).map(
  ([k, a, cont]) => `${k} ${a.join(" ")}${cont ? " \\" : ""}`,
);

const realDockerfiles = () => [...new Set([...realLogs().map((l) => l.dockerfile).filter((d): d is string => !!d), ...[1, 2, 3, 4].map((s) => generateSmallBuild(s).dockerfile)])];

describe("parseDockerfile properties", () => {
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 })), (s) => {
        checkDockerfile(parseDockerfile(s), s);
      }),
      runs(300),
    );
  });

  it("never throws on instruction soup", () => {
    fc.assert(
      fc.property(fc.array(instruction, { maxLength: 40 }), fc.constantFrom("\n", "\r\n", "\r"), (ls, nl) => {
        const s = ls.join(nl);
        checkDockerfile(parseDockerfile(s), s);
      }),
      runs(300),
    );
  });

  it("real Dockerfiles with lines dropped, duplicated, swapped, cut and CRLF/ANSI injected", () => {
    const dfs = realDockerfiles();
    fc.assert(
      fc.property(fc.constantFrom(...dfs), fc.array(lineOp, { minLength: 1, maxLength: 10 }), (df, ops) => {
        const s = applyOps(df, ops);
        checkDockerfile(parseDockerfile(s), s);
      }),
      runs(200),
    );
  });

  it("every character prefix of real Dockerfiles", () => {
    for (const df of realDockerfiles().slice(0, 12)) {
      for (let i = 0; i <= df.length; i++) {
        const s = df.slice(0, i);
        const m = parseDockerfile(s);
        if (i % 40 === 0) checkDockerfile(m, s);
      }
    }
  });
});
