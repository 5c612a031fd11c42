#!/usr/bin/env node
/**
 * Copies a chosen set of captured fixture builds (fixtures/scenarios/<slug>/) into
 * public/examples/<slug>.json plus public/examples/index.json, for the web app's example gallery.
 * Runs from the predev/prebuild npm scripts; safe to run when fixtures are missing (writes []).
 *
 *   node scripts/build-examples.mjs          # the curated list below
 *   node scripts/build-examples.mjs --all    # every scenario with an expected.json
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const scenarios = path.join(root, "fixtures", "scenarios");
const out = path.join(root, "public", "examples");

/** Shown in this order; chosen to cover the main causes, formats and outcomes. */
const CHOSEN = [
  "12-parallel-stages-one-changed",
  "03-copy-context-before-install",
  "04-build-arg-changed",
  "09-base-image-changed",
  "11-run-step-fails",
  "14-copy-from-cache-mount",
  "19-rawjson-partial-rebuild",
  "17-cold-cache-pruned",
  "22-bake-two-targets",
  "26-deleted-file-still-shipped",
];

const MAX_FILE_BYTES = 2_000_000;

function readOptional(dir, name) {
  if (!name) return "";
  const file = path.join(dir, name);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return "";
  if (fs.statSync(file).size > MAX_FILE_BYTES) throw new Error(`${file} is larger than ${MAX_FILE_BYTES} bytes`);
  return fs.readFileSync(file, "utf8");
}

function titleOf(slug) {
  const words = slug.replace(/^\d+-/, "").split("-");
  const t = words.join(" ");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function main() {
  const all = process.argv.includes("--all");
  fs.mkdirSync(out, { recursive: true });
  for (const f of fs.readdirSync(out)) if (f.endsWith(".json")) fs.rmSync(path.join(out, f));

  const available = fs.existsSync(scenarios)
    ? fs.readdirSync(scenarios).filter((d) => fs.existsSync(path.join(scenarios, d, "expected.json")))
    : [];
  const slugs = all ? available.sort() : CHOSEN.filter((s) => available.includes(s));

  const index = [];
  for (const slug of slugs) {
    const dir = path.join(scenarios, slug);
    let expected;
    try {
      expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
    } catch (e) {
      console.warn(`build-examples: skipping ${slug}: expected.json unreadable (${e.message})`);
      continue;
    }
    const log = readOptional(dir, expected.logFile ?? "after.log");
    if (!log) {
      console.warn(`build-examples: skipping ${slug}: no log`);
      continue;
    }
    const image = readOptional(dir, expected.imageFile ?? (fs.existsSync(path.join(dir, "image.history.jsonl")) ? "image.history.jsonl" : null));
    const example = {
      slug,
      title: titleOf(slug),
      dockerfile: readOptional(dir, expected.dockerfile ?? "Dockerfile"),
      log,
      previousLog: readOptional(dir, expected.previousLogFile),
      previousDockerfile: readOptional(dir, expected.previousDockerfile),
      image,
    };
    fs.writeFileSync(path.join(out, `${slug}.json`), JSON.stringify(example));
    const tags = [expected.format ?? "plain"];
    if (expected.buildStatus && expected.buildStatus !== "success") tags.push(expected.buildStatus);
    if (example.previousLog) tags.push("compare");
    if (image) tags.push("layers");
    index.push({ slug, title: example.title, description: expected.description ?? "", tags });
  }
  fs.writeFileSync(path.join(out, "index.json"), JSON.stringify(index, null, 1) + "\n");
  console.log(`build-examples: ${index.length} example${index.length === 1 ? "" : "s"} → public/examples/`);
}

main();
