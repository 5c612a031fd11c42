import { describe, expect, it } from "vitest";
import { parseDockerfile } from "./index";

describe("instruction boundaries (BuildKit's line rules)", () => {
  it("an escaped escape at the end of a line ends the instruction; each line is its own RUN", () => {
    const n = 2000;
    const m = parseDockerfile("FROM x\n" + "RUN echo \\\\\n".repeat(n));
    const runs = m.stages[0]!.instructions.filter((i) => i.keyword === "RUN");
    expect(runs).toHaveLength(n);
    expect(runs[n - 1]).toMatchObject({ line: n + 1, endLine: n + 1, raw: "RUN echo \\\\" });
  });

  it("an unterminated heredoc runs to the end of the file, located, and what follows it is its body", () => {
    const body = "echo line\n".repeat(50_000);
    const m = parseDockerfile("FROM x\nRUN <<EOF\n" + body + "COPY a b\n");
    const ins = m.stages[0]!.instructions;
    expect(ins.map((i) => i.keyword)).toEqual(["FROM", "RUN"]);
    expect(ins[1]!.heredocs[0]).toMatchObject({ delimiter: "EOF", line: 3 });
    expect(m.diagnostics).toEqual([expect.objectContaining({ code: "dockerfile/unterminated-heredoc", line: 2 })]);
  });

  it("a long continuation is one instruction whose text joins every line", () => {
    const m = parseDockerfile("FROM x\nRUN echo \\\n" + "  a \\\n  # comment inside\n".repeat(10_000) + "  end\nRUN next\n");
    const ins = m.stages[0]!.instructions;
    expect(ins.map((i) => i.keyword)).toEqual(["FROM", "RUN", "RUN"]);
    expect(ins[1]!.text.startsWith("RUN echo   a   a ")).toBe(true);
    expect(ins[1]!.text.endsWith("  end")).toBe(true);
    expect(ins[2]).toMatchObject({ text: "RUN next", line: 20_004 });
  });

  it("a line holding only the escape character joins the next line (no `\\` keyword)", () => {
    const m = parseDockerfile("FROM x\n\\\nRUN a\n");
    expect(m.stages[0]!.instructions.map((i) => [i.keyword, i.text, i.line])).toEqual([
      ["FROM", "FROM docker.io/library/x:latest", 1],
      ["RUN", "RUN a", 2],
    ]);
  });
});

describe("size cap", () => {
  it("past MAX_INSTRUCTIONS the rest is not read, with a located warning", async () => {
    const { MAX_INSTRUCTIONS } = await import("./index");
    const m = parseDockerfile("FROM x\n" + "RUN a\n".repeat(MAX_INSTRUCTIONS + 10));
    expect(m.stages[0]!.instructions).toHaveLength(MAX_INSTRUCTIONS);
    expect(m.diagnostics.find((d) => d.code === "dockerfile/too-many-instructions")).toMatchObject({ severity: "warning", line: MAX_INSTRUCTIONS + 1 });
  });
});
