import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const lib = path.join(__dirname, "..");
const files = [
  ...readdirSync(__dirname).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => path.join(__dirname, f)),
  path.join(lib, "analyze", "changed-files.ts"),
  path.join(lib, "analyze", "changed-files-catalog.ts"),
  path.join(lib, "analyze", "findings", "rules", "changed-files-not-needed.ts"),
  path.join(lib, "render", "changed-files.ts"),
  path.join(lib, "view", "changed-files.ts"),
];

describe("changed-files engine stays pure (browser, worker, server, CLI)", () => {
  for (const f of files)
    it(path.relative(lib, f), () => {
      expect(readFileSync(f, "utf8")).not.toMatch(/from "node:|from "fs"|from "path"|require\(|\bprocess\.|\bBuffer\b|\bwindow\.|Date\.now|from "@balena/);
    });
});
