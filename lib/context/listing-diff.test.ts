import { describe, expect, it } from "vitest";
import { diffListings } from "./listing-diff";

describe("changed files from two context listings", () => {
  it("sha256sum / sha1sum output", () => {
    const before = "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111  ./src/a.py\nbbbb2222bbbb2222bbbb2222bbbb2222bbbb2222  ./README.md\ncccc3333cccc3333cccc3333cccc3333cccc3333  ./gone.txt\n";
    const after = "dddd4444dddd4444dddd4444dddd4444dddd4444  ./src/a.py\nbbbb2222bbbb2222bbbb2222bbbb2222bbbb2222 *./README.md\neeee5555eeee5555eeee5555eeee5555eeee5555  ./new.txt\n";
    expect(diffListings(before, after)).toEqual({ changed: ["gone.txt", "new.txt", "src/a.py"], problems: [] });
  });
  it("git ls-files -s: a mode change counts", () => {
    const h = "0123456789abcdef0123456789abcdef01234567";
    const before = `100644 ${h} 0\trun.sh\n100644 ${h} 0\tsrc/x.go\n`;
    const after = `100755 ${h} 0\trun.sh\n100644 ${h} 0\tsrc/x.go\n`;
    expect(diffListings(before, after).changed).toEqual(["run.sh"]);
  });
  it("reports lines it cannot read", () => {
    expect(diffListings("not a listing\n", "").problems).toEqual([{ listing: "before", line: 1, text: "not a listing" }]);
  });
});
