import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHeader } from "./ast";

/** What the instruction looks like to the analysis: keyword, flags, arguments. */
function shape(text: string, simple: boolean, escape = "\\") {
  const { ins } = parseHeader(text, escape, simple);
  if (!ins) return null;
  return {
    keyword: ins.getKeyword().toUpperCase(),
    flags: (ins.getFlags?.() ?? []).map((f) => [f.getName(), f.getValue()]),
    args: ins.getArguments().map((a) => a.getValue()),
  };
}

const word = fc.constantFrom("--mount=type=cache,target=/x", "--from=build", "--link", "--chown=1:1", "--", "a--b", "--=x", "x=", "<<EOF", "<<-EOF", "'q'", '"a b"', "[", '["a",', '"b"]', "$X", "${Y:-1}", "#", "ü", "&&", "src/", "/dst", "\\", "\\\\", "a\\b", "\\$X", "x\\", "--a\\=b", "\\ ", "\\#", "`");
const keyword = fc.constantFrom("RUN", "run", "COPY", "ADD", "FROM", "WORKDIR", "USER", "EXPOSE", "CMD", "ENTRYPOINT", "VOLUME", "SHELL", "STOPSIGNAL", "MAINTAINER", "Copy");
const space = fc.constantFrom(" ", "  ", "\t", " \t ");

describe("dockerfile-ast adapter", () => {
  it("the one-line fast path tokenises exactly as dockerfile-ast does", () => {
    fc.assert(
      fc.property(fc.option(space), keyword, fc.array(fc.tuple(space, word), { maxLength: 7 }), fc.option(space), (lead, kw, rest, trail) => {
        const text = (lead ?? "") + kw + rest.map(([s, w]) => s + w).join("") + (trail ?? "");
        expect(shape(text, true)).toEqual(shape(text, false));
        expect(shape(text, true, "`")).toEqual(shape(text, false, "`"));
      }),
      { numRuns: 3000 },
    );
  });

  it("the continued-header fast path (several lines) tokenises exactly as dockerfile-ast does", () => {
    const piece = fc.oneof(
      fc.tuple(space, word).map(([s, w]) => s + w),
      fc.constantFrom(" \\\n", "\\\n", " \\ \n  ", "\\\n# comment \\\n", "\\\n\n", " \\\n  # c\n", "\\\n\t", "x\\\ny", " \\  \n\\\n", "`\n", " `\n"),
    );
    fc.assert(
      fc.property(fc.option(space), keyword, fc.array(piece, { minLength: 1, maxLength: 9 }), (lead, kw, rest) => {
        const text = (lead ?? "") + kw + rest.join("");
        if (text.indexOf("\n") === -1) return;
        expect(shape(text, true)).toEqual(shape(text, false));
        expect(shape(text, true, "`")).toEqual(shape(text, false, "`"));
      }),
      { numRuns: 4000 },
    );
  });

  it("caches the library's argument scan without sharing the list it hands out", () => {
    const { ins } = parseHeader("RUN --mount=type=cache,target=/x echo a b", "\\", false);
    const first = ins!.getArguments().map((a) => a.getValue());
    expect(ins!.getArguments().map((a) => a.getValue())).toEqual(first);
    expect(first).toEqual(["echo", "a", "b"]);
  });
});
