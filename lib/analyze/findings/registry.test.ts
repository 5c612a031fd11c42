import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { findingTexts, fill } from "./catalog";
import { RULE_IDS, rules, runFindings } from "./index";
import { contextFor } from "./test-helpers";
import type { Rule } from "./types";

const dir = path.dirname(new URL(import.meta.url).pathname);

describe("findings registry and catalog", () => {
  it("registers every rule id once, in catalog order", () => {
    expect(rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    expect(Object.keys(findingTexts)).toEqual([...RULE_IDS]);
  });

  it("has one file per rule, each explaining when it is not a problem", () => {
    const files = readdirSync(path.join(dir, "rules")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual([...RULE_IDS].sort());
    for (const f of files) expect(readFileSync(path.join(dir, "rules", f), "utf8"), f).toMatch(/Not a problem/);
  });

  it("keeps the engine pure: no Node, DOM or clock APIs outside the tests", () => {
    const sources = [...readdirSync(dir).map((f) => path.join(dir, f)), ...readdirSync(path.join(dir, "rules")).map((f) => path.join(dir, "rules", f))].filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith("test-helpers.ts"),
    );
    for (const f of sources) expect(readFileSync(f, "utf8"), f).not.toMatch(/from "node:|from "fs"|\bwindow\.|Date\.now|Math\.random|from "react"/);
  });

  it("fills templates and leaves unknown placeholders visible", () => {
    expect(fill("`{a}` on line {line}", { a: "COPY . .", line: 3 })).toBe("`COPY . .` on line 3");
    expect(fill("{missing}", {})).toBe("{missing}");
  });

  it("orders findings by cost, then severity, then line", () => {
    const { ctx } = contextFor({ dockerfile: "FROM alpine\nRUN echo\n" });
    const mk = (id: Rule["id"], severity: "error" | "warning" | "info", line: number | null, costSeconds: number | null): Rule => ({
      id,
      severity,
      run: () => [{ rule: id, severity, line, message: "", fix: "", steps: [], costSeconds }],
    });
    const fake = [
      mk("unpinned-base-image", "info", 1, null),
      mk("add-remote-url", "warning", 9, null),
      mk("secret-in-build-arg", "error", 20, null),
      mk("copy-context-before-install", "warning", 4, 12),
      mk("volatile-arg-early", "warning", 2, 30),
      mk("apt-update-separate-run", "warning", 3, null),
    ];
    expect(runFindings(ctx, fake).map((f) => `${f.rule}@${f.line}`)).toEqual([
        "volatile-arg-early@2",
        "copy-context-before-install@4",
        "secret-in-build-arg@20",
        "apt-update-separate-run@3",
        "add-remote-url@9",
      "unpinned-base-image@1",
    ]);
  });

  it("returns nothing without a Dockerfile or a log", () => {
    const { ctx } = contextFor({});
    expect(runFindings(ctx)).toEqual([]);
  });
});
