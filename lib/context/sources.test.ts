import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../parse/dockerfile";
import { contextUseOf, useCovers } from "./sources";
import { parseChangedList, unquoteC } from "./changed-list";

function use(line: string, pre = "") {
  const df = parseDockerfile(`FROM local/busybox:latest\n${pre}${line}\n`);
  const ins = df.stages[0]!.instructions.find((i) => i.text.startsWith(line.split(" ")[0]!) && i.line === df.stages[0]!.instructions[df.stages[0]!.instructions.length - 1]!.line)!;
  return contextUseOf(ins, ins.text);
}
const covers = (line: string, file: string, pre = "") => {
  const u = use(line, pre);
  return u ? useCovers(u, file) : null;
};

describe("context sources of a step (BuildKit COPY semantics)", () => {
  it("a directory source copies its contents recursively", () => {
    expect(covers("COPY src ./src", "src/api/info.py")).toBe(true);
    expect(covers("COPY ./src/ ./src", "src/api/info.py")).toBe(true);
    expect(covers("COPY src ./src", "srcx/a.py")).toBe(false);
    expect(covers("COPY src ./src", "README.md")).toBe(false);
  });
  it("COPY . . covers everything sent", () => {
    expect(covers("COPY . .", ".git/index")).toBe(true);
  });
  it("wildcards follow path.Match; a matched directory covers its contents", () => {
    expect(covers("COPY *.json ./", "package.json")).toBe(true);
    expect(covers("COPY *.json ./", "web/package.json")).toBe(false);
    expect(covers("COPY requirements*.txt ./", "requirements-dev.txt")).toBe(true);
    expect(covers("COPY conf* /etc/app/", "config/a.yml")).toBe(true);
    expect(covers("COPY src/**/*.py /app/", "src/a/b/c.py")).toBe(false);
  });
  it("--exclude drops paths relative to the source", () => {
    expect(covers("COPY --exclude=*.md . .", "README.md")).toBe(false);
    expect(covers("COPY --exclude=*.md . .", "docs/a.md")).toBe(true);
    expect(covers("COPY --exclude=**/*.md . .", "docs/a.md")).toBe(false);
    expect(covers("COPY --exclude=tests src /app/src", "src/tests/t.py")).toBe(false);
    expect(covers("COPY --exclude=tests src /app/src", "src/main.py")).toBe(true);
  });
  it("--parents sources are include patterns (** recursive), pivot /./", () => {
    expect(covers("COPY --parents **/package.json /app/", "web/package.json")).toBe(true);
    expect(covers("COPY --parents **/package.json /app/", "web/index.js")).toBe(false);
    expect(covers("COPY --parents ./src/./api/*.py /app/", "src/api/x.py")).toBe(true);
  });
  it("variables are taken from the expanded vertex text", () => {
    expect(covers("COPY ${DIR} /app/", "lib/a.py", "ARG DIR=lib\n")).toBe(true);
  });
  it("COPY --from, heredocs and remote ADD read no context file", () => {
    expect(use("COPY --from=build /out /out")).toBeNull();
    expect(use("ADD https://example.com/a.tgz /a.tgz")).toBeNull();
    expect(use("ADD git@github.com:moby/buildkit.git /src")).toBeNull();
  });
  it("RUN --mount=type=bind mounts source= (default the whole context); from= is another stage", () => {
    expect(covers("RUN --mount=type=bind,source=go.sum,target=go.sum go mod download", "go.sum")).toBe(true);
    expect(covers("RUN --mount=type=bind,source=go.sum,target=go.sum go mod download", "main.go")).toBe(false);
    expect(covers("RUN --mount=type=bind,target=/src make", "main.go")).toBe(true);
    expect(use("RUN --mount=type=bind,from=build,target=/b ls")).toBeNull();
    expect(use("RUN --mount=type=cache,target=/root/.cache make")).toBeNull();
  });
  it("without a Dockerfile, the step's log text is read", () => {
    const u = contextUseOf(null, "COPY --chown=app src ./src")!;
    expect(useCovers(u, "src/a.py")).toBe(true);
    expect(contextUseOf(null, "COPY --from=build /a /a")).toBeNull();
  });
});

describe("changed-files list", () => {
  it("reads git diff --name-only output, ./, Windows separators, CRLF, duplicates", () => {
    const l = parseChangedList("src/api/info.py\r\n./README.md\nsrc\\win\\file.py\n\nsrc/api/info.py\n");
    expect(l.paths).toEqual(["src/api/info.py", "README.md", "src/win/file.py"]);
    expect(l.problems).toEqual([]);
  });
  it("unquotes git's C-quoted names (octal UTF-8, escapes)", () => {
    expect(unquoteC('"caf\\303\\251.txt"')).toBe("café.txt");
    expect(unquoteC('"tab\\there"')).toBe("tab\there");
    expect(unquoteC('"with \\"quote\\""')).toBe('with "quote"');
    expect(parseChangedList('"dir/na\\303\\257ve file.txt"\n').paths).toEqual(["dir/naïve file.txt"]);
  });
  it("reads --name-status lines: a rename changes both paths", () => {
    expect(parseChangedList("M\tsrc/a.py\nR100\told/name.py\tnew/name.py\nD\tgone.txt\n").paths).toEqual(["src/a.py", "old/name.py", "new/name.py", "gone.txt"]);
  });
  it("skips paths outside the context with a located reason", () => {
    const l = parseChangedList("../other/x\n/abs/path\nok.txt\n\"unterminated\n");
    expect(l.paths).toEqual(["ok.txt"]);
    expect(l.problems.map((p) => p.line)).toEqual([1, 2, 4]);
  });
});
