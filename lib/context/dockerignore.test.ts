import { describe, expect, it } from "vitest";
import balena from "@balena/dockerignore";
import { createIgnoreMatcher, readIgnoreLines } from "./dockerignore";
import { goPathMatch } from "./patterns";

/** BuildKit's documented .dockerignore rules (docs.docker.com/build/concepts/context/#dockerignore-files,
 *  moby/patternmatcher MatchesOrParentMatches + ignorefile.ReadAll). */
const cases: { ignore: string; path: string; ignored: boolean; why: string }[] = [
  { ignore: "*.md", path: "README.md", ignored: true, why: "root-relative" },
  { ignore: "*.md", path: "docs/a.md", ignored: false, why: "`*.md` excludes only the root's" },
  { ignore: "**/*.md", path: "docs/deep/a.md", ignored: true, why: "`**` crosses directories" },
  { ignore: "**/*.md", path: "a.md", ignored: true, why: "`**/` matches zero directories" },
  { ignore: "*/temp*", path: "src/temporary.txt", ignored: true, why: "one level" },
  { ignore: "*/temp*", path: "a/b/temp.txt", ignored: false, why: "`*` never crosses /" },
  { ignore: "temp?", path: "temp1", ignored: true, why: "`?` is one char" },
  { ignore: "node_modules", path: "node_modules/x/index.js", ignored: true, why: "a directory pattern excludes its contents" },
  { ignore: "node_modules", path: "web/node_modules/x.js", ignored: false, why: "root-relative" },
  { ignore: "**/node_modules", path: "web/node_modules/x.js", ignored: true, why: "any depth" },
  { ignore: "dist/", path: "dist/app.js", ignored: true, why: "trailing / is cleaned away" },
  { ignore: "/dist", path: "dist/app.js", ignored: true, why: "leading / is the context root" },
  { ignore: "*.md\n!README.md", path: "README.md", ignored: false, why: "`!` re-includes" },
  { ignore: "*.md\n!README.md", path: "CHANGES.md", ignored: true, why: "others stay excluded" },
  { ignore: "!README.md\n*.md", path: "README.md", ignored: true, why: "the last match wins" },
  { ignore: "docs\n!docs/keep.txt", path: "docs/keep.txt", ignored: false, why: "re-include inside an excluded dir" },
  { ignore: "# comment\n.git", path: ".git/HEAD", ignored: true, why: "comments" },
  { ignore: "  # not a comment", path: "# not a comment", ignored: true, why: "# only at column 1" },
  { ignore: "\ufeff.git", path: ".git/index", ignored: true, why: "UTF-8 BOM dropped" },
  { ignore: ".dockerignore", path: ".dockerignore", ignored: true, why: ".dockerignore can exclude itself from COPY" },
  { ignore: "Foo.txt", path: "foo.txt", ignored: false, why: "case-sensitive" },
  { ignore: "a+b.txt", path: "a+b.txt", ignored: true, why: "+ is literal" },
  { ignore: "a+b.txt", path: "aab.txt", ignored: false, why: "+ is not a regexp operator" },
  { ignore: "(x).txt", path: "(x).txt", ignored: true, why: "parentheses are literal" },
  { ignore: "**foo", path: "barfoo", ignored: true, why: "moby's suffix match for a leading ** with a literal rest" },
  { ignore: "build**", path: "buildx/a", ignored: true, why: "prefix match" },
  { ignore: "[abc].txt", path: "b.txt", ignored: true, why: "character class" },
  { ignore: "**", path: "any/thing", ignored: true, why: "everything" },
  { ignore: "  ! README.md  ", path: "README.md", ignored: false, why: "spaces after ! trimmed (nothing excluded it anyway)" },
];

describe(".dockerignore (BuildKit rules)", () => {
  for (const c of cases) {
    it(`${JSON.stringify(c.ignore)} ${c.ignored ? "excludes" : "keeps"} ${c.path} — ${c.why}`, () => {
      expect(createIgnoreMatcher(c.ignore).ignores(c.path)).toBe(c.ignored);
    });
  }

  it("the walker's fast path agrees with the full check below kept directories", () => {
    for (const c of cases) {
      const m = createIgnoreMatcher(c.ignore);
      const parent = c.path.includes("/") ? c.path.slice(0, c.path.lastIndexOf("/")) : null;
      const parentKept = parent == null || parent.split("/").every((_, i, a) => !m.ignores(a.slice(0, i + 1).join("/")));
      if (parentKept) expect(m.ignoresInKeptDir(c.path), `${c.ignore} ${c.path}`).toBe(m.ignores(c.path));
    }
  });

  it("reads lines as ignorefile.ReadAll does (moby test data)", () => {
    const content = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ";
    expect(readIgnoreLines(content).map((l) => l.pattern)).toEqual(["test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"]);
  });

  it("a bad pattern fails the build in BuildKit: reported with its line, nothing ignored", () => {
    const m = createIgnoreMatcher(".git\n!\n");
    expect(m.errors).toEqual([{ pattern: "!", reason: 'illegal exclusion pattern: "!"', line: 2 }]);
    expect(m.ignores(".git/HEAD")).toBe(false);
    expect(createIgnoreMatcher("[abc\n").errors[0]!.reason).toMatch(/syntax error/);
  });

  it("matches in linear time: patterns that make a backtracking RegExp hang finish", () => {
    const deep = Array.from({ length: 2000 }, () => "d").join("/") + "/file.txt";
    expect(createIgnoreMatcher("**/**/**/**/**/**/**/**/**/**/nothing").ignores(deep)).toBe(false);
    expect(createIgnoreMatcher("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b").ignores("a".repeat(5000))).toBe(false);
    expect(goPathMatch("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(5000))).toBe(false);
    expect(createIgnoreMatcher("**/d/**/file.txt").ignores(deep)).toBe(true);
  });

  it("character classes: ranges, ^ negation, escapes; `!` is a literal", () => {
    expect(createIgnoreMatcher("[a-c]x").ignores("bx")).toBe(true);
    expect(createIgnoreMatcher("[^a-c]x").ignores("bx")).toBe(false);
    expect(createIgnoreMatcher("[^a-c]x").ignores("dx")).toBe(true);
    expect(createIgnoreMatcher("[!a]x").ignores("!x")).toBe(true);
    expect(createIgnoreMatcher("[!a]x").ignores("bx")).toBe(false);
    expect(createIgnoreMatcher("[\\]]x").ignores("]x")).toBe(true);
    expect(goPathMatch("[^a]", "/")).toBe(false);
  });

  it("never throws on hostile patterns", () => {
    for (const p of ["(", ")|(", "{", "\\", "[", "]", "a\\", "**/**/**", "!!", "$^"]) expect(() => createIgnoreMatcher(p).ignores("a/b")).not.toThrow();
  });
});

describe("@balena/dockerignore against BuildKit (why lib/context/patterns.ts ports patternmatcher)", () => {
  const lib = (ignore: string, path: string) => {
    try {
      return balena({ ignorecase: false }).add(ignore).ignores(path);
    } catch (e) {
      return `throws: ${(e as Error).message.slice(0, 40)}`;
    }
  };
  it("agrees on the common rules", () => {
    const common = cases.filter((c) => !["a+b.txt", "(x).txt", "**foo"].includes(c.ignore));
    for (const c of common) expect([c.ignore, c.path, lib(c.ignore, c.path)]).toEqual([c.ignore, c.path, c.ignored]);
  });
  it("deviates: case-insensitive by default", () => {
    expect(balena().add("Foo.txt").ignores("foo.txt")).toBe(true);
  });
  it("deviates: drops `!` silently where BuildKit fails the build", () => {
    expect(lib("!", "a")).toBe(false);
    expect(createIgnoreMatcher("!").errors).toHaveLength(1);
  });
  it("deviates: + ( ) | are regexp syntax, not literals", () => {
    expect(lib("a+b.txt", "aab.txt")).toBe(true);
    expect(lib("a+b.txt", "a+b.txt")).toBe(false);
    expect(lib("(x", "(x")).toMatch(/^throws/);
  });
  it("deviates: **foo is not a suffix match", () => {
    expect(lib("**foo", "barfoo")).toBe(false);
  });
});

describe("Go path.Match (COPY source wildcards)", () => {
  it.each([
    ["*.json", "package.json", true],
    ["*.json", "a/package.json", false],
    ["src/*.py", "src/app.py", true],
    ["src/**/*.py", "src/a/app.py", true],
    ["src/**/*.py", "src/a/b/app.py", false],
    ["requirements?.txt", "requirements1.txt", true],
    ["[a-c]*", "beta", true],
    ["[^a-c]*", "beta", false],
    ["\\*.txt", "*.txt", true],
    ["\\*.txt", "a.txt", false],
  ])("%s vs %s → %s", (p, n, want) => {
    expect(goPathMatch(p, n)).toBe(want);
  });
  it("reports a bad pattern", () => {
    expect(goPathMatch("[ab", "a")).toBe("bad-pattern");
  });
});
