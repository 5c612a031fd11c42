/**
 * Build records in the web app's paths: dropped files → log inputs (lib/view/record-input), and
 * every share channel (permalink, stored-link payload, JSON, Markdown) carrying only the decoded,
 * redacted digest — never the raw bundle, never a build-arg value. Captured records only
 * (fixtures/records/, Docker 28.5 / buildx 0.29).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../lib/analyze/index";
import { decodeRecordInput } from "../lib/parse/record/index";
import { renderMarkdown } from "../lib/render/markdown";
import { prepareShare } from "../lib/server/share-prepare";
import { createPermalink, readPermalinkFromHash } from "../lib/share/permalink";
import { redactInputs } from "../lib/share/redact";
import { analyzeForSharing } from "../lib/share/share-report";
import { prepareRecordDrop, recordDockerfileOf, recordSummaryOf, type DroppedFile } from "../lib/view/record-input";
import { routeFiles, sniffFile } from "../lib/view/route-files";

const ROOT = join(__dirname, "..", "fixtures", "records");
const bytes = (...p: string[]) => new Uint8Array(readFileSync(join(ROOT, ...p)));
const digest = (...p: string[]) => decodeRecordInput(bytes(...p))!.text;
const dropped = (name: string, b: Uint8Array): DroppedFile => ({ ...sniffFile(name, b), bytes: b });

const SECRETS = ["npm_beforeSECRETvalue111", "npm_afterSECRETvalue222", "SECRETvalue"];
const noSecret = (s: string) => {
  for (const v of SECRETS) expect(s).not.toContain(v);
};

describe("dropped records become log inputs", () => {
  it("one record: its digest is the log, summary says what was read", () => {
    const { files, notes } = prepareRecordDrop([dropped("after.dockerbuild", bytes("r01-source-file", "after.dockerbuild"))]);
    expect(notes).toEqual([]);
    expect(files).toHaveLength(1);
    expect(files[0].kind).toBe("log");
    expect(files[0].text).toMatch(/^\{"cachescopeRecord":/);
    const summary = recordSummaryOf(files[0].text!);
    expect(summary).toMatch(/^Build record — cachescope-fx\/r01-source-file on \d{4}-\d\d-\d\d \d\d:\d\d UTC, success, \d+ BuildKit vertices \(\d+ cached\), Dockerfile included\.$/);
  });

  it("the Actions .zip reads like the bundle it holds", () => {
    const { files } = prepareRecordDrop([dropped("artifact.zip", bytes("history", "actions-artifact.zip"))]);
    expect(files).toHaveLength(1);
    expect(files[0].kind).toBe("log");
    expect(recordSummaryOf(files[0].text!)).toMatch(/^Build record/);
  });

  it("two records of one project, dropped newest first: the older one is the previous build (compare mode, exact)", () => {
    const prep = prepareRecordDrop([
      dropped("after.dockerbuild", bytes("r02-build-arg", "after.dockerbuild")),
      dropped("before.dockerbuild", bytes("r02-build-arg", "before.dockerbuild")),
    ]);
    expect(prep.notes.join(" ")).toContain("“after.dockerbuild” (the later build) is explained and compared with “before.dockerbuild”");
    const plan = routeFiles(prep.files);
    expect(plan.askOrder).toBeNull();
    const to = Object.fromEntries(plan.assign.map((a) => [a.input, prep.files[a.file].name]));
    expect(to).toEqual({ log: "after.dockerbuild", previousLog: "before.dockerbuild" });
    const log = prep.files.find((f) => f.name === "after.dockerbuild")!.text!;
    const previousLog = prep.files.find((f) => f.name === "before.dockerbuild")!.text!;
    const r = analyze({ log, previousLog, dockerfile: null, previousDockerfile: null, image: null, build: null });
    expect(r.comparison).toBeTruthy();
    expect(r.rootCauses.map((c) => [c.rootStep, c.cause, c.evidence])).toEqual([["0:5", "build-arg-changed", "exact"]]);
  });

  it("three records are merged into one history (oldest first)", () => {
    const prep = prepareRecordDrop([
      dropped("c.dockerbuild", bytes("r01-source-file", "after.dockerbuild")),
      dropped("a.dockerbuild", bytes("r01-source-file", "before.dockerbuild")),
      dropped("b.dockerbuild", bytes("r01-source-file", "after.rawjson.dockerbuild")),
    ]);
    expect(prep.files).toHaveLength(1);
    expect(prep.notes[0]).toMatch(/^3 build records \(3 builds\) were merged into one history/);
    expect(recordSummaryOf(prep.files[0].text!)).toMatch(/^Build records: 3 builds — latest:/);
    const r = analyze({ log: prep.files[0].bytes, dockerfile: null, previousLog: null, previousDockerfile: null, image: null, build: null });
    expect(r.history?.length).toBe(3);
  });

  it("an unreadable record is left out with its reason; other files go on", () => {
    const cut = bytes("r01-source-file", "after.dockerbuild").subarray(0, 300);
    const prep = prepareRecordDrop([dropped("cut.dockerbuild", cut), dropped("Dockerfile", new TextEncoder().encode("FROM x\nRUN y\n"))]);
    expect(prep.files.map((f) => f.kind)).toEqual(["dockerfile"]);
    expect(prep.notes[0]).toMatch(/^“cut\.dockerbuild”: Not readable as a build record: /);
  });

  it("the record's own Dockerfile is there for the views (the shown build's, else the latest)", () => {
    const df = readFileSync(join(ROOT, "r01-source-file", "Dockerfile"), "utf8");
    expect(recordDockerfileOf(digest("r01-source-file", "after.dockerbuild"))).toBe(df);
    const history = digest("history", "history.dockerbuild");
    // Build 6 edited line 4 of history/Dockerfile; build 1 is the file as committed.
    expect(recordDockerfileOf(history, 1)).toBe(readFileSync(join(ROOT, "history", "Dockerfile"), "utf8"));
    expect(recordDockerfileOf(history)).toContain("md5sum package.json && echo deps > deps.md5");
    expect(recordDockerfileOf(history, 6)).toBe(recordDockerfileOf(history));
    expect(recordDockerfileOf("#1 [internal] load build definition\n")).toBeNull();
  });

  it("recordSummaryOf is null for a text log", () => {
    expect(recordSummaryOf("#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n")).toBeNull();
    expect(recordSummaryOf("")).toBeNull();
  });
});

describe("sharing a record carries only the redacted digest", () => {
  const r13 = { log: digest("r13-secret-build-arg", "after.dockerbuild"), previousLog: digest("r13-secret-build-arg", "before.dockerbuild") };
  const r02 = { log: digest("r02-build-arg", "after.dockerbuild"), previousLog: digest("r02-build-arg", "before.dockerbuild") };
  const share = (i: { log: string; previousLog: string }) => ({ ...i, dockerfile: null, previousDockerfile: null, image: null });

  it("the analysed raw bundle holds no secret-named value either (what the page shows and may export)", () => {
    const r = analyze({ log: bytes("r13-secret-build-arg", "after.dockerbuild"), previousLog: bytes("r13-secret-build-arg", "before.dockerbuild"), dockerfile: null, previousDockerfile: null, image: null, build: null });
    noSecret(JSON.stringify(r));
  });

  it("every build-arg value is dropped from a shared digest (a fingerprint stays) and counted as a redaction", () => {
    expect(r02.log).toContain("1.5.0");
    const red = redactInputs(share(r02));
    expect(red.inputs.log).not.toContain("1.5.0");
    expect(red.inputs.previousLog).not.toContain("1.4.0");
    expect(JSON.parse(red.inputs.log!).cachescopeRecord).toBeTruthy();
    expect(red.redactions).toContainEqual(expect.objectContaining({ kind: "build-arg-value", names: ["APP_VERSION"] }));
    // Redacting again changes nothing (the server redacts what the browser already did).
    expect(redactInputs(red.inputs).inputs).toEqual(red.inputs);
  });

  it("the shared report still names the changed build arg, exactly", () => {
    const { report } = analyzeForSharing(share(r02));
    expect(report.rootCauses.map((c) => [c.rootStep, c.cause, c.evidence])).toEqual([["0:5", "build-arg-changed", "exact"]]);
    const json = JSON.stringify(report);
    expect(json).not.toContain("1.4.0");
    expect(json).not.toContain("1.5.0");
    expect(renderMarkdown(report)).toMatch(/APP(_|&#95;)VERSION/);
  });

  it("r13 (secret-named NPM_TOKEN): permalink, stored-link payload, JSON and Markdown never carry the value", () => {
    const link = createPermalink({ inputs: share(r13), selectedStep: null, view: "graph" });
    expect(link.tooLong).toBe(false);
    const back = readPermalinkFromHash(link.hash);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    noSecret(JSON.stringify(back.state));
    expect(back.state.inputs.log).toMatch(/^\{"cachescopeRecord":/);

    const stored = prepareShare(JSON.stringify({ version: 1, inputs: share(r13), selectedStep: null, view: "graph" }));
    expect(stored.ok).toBe(true);
    if (stored.ok) {
      noSecret(stored.body);
      expect(JSON.parse(stored.body).inputs.log).toMatch(/^\{"cachescopeRecord":/);
    }

    const { report } = analyzeForSharing(share(r13));
    noSecret(JSON.stringify(report));
    noSecret(renderMarkdown(report));
    expect(report.rootCauses.map((c) => [c.rootStep, c.cause, c.evidence])).toEqual([["0:4", "build-arg-changed", "exact"]]);
  });

  it("a permalink of a record reopens to the same report as the shared one", () => {
    for (const i of [r02, r13]) {
      const link = createPermalink({ inputs: share(i), selectedStep: "0:5", view: "timeline" });
      const back = readPermalinkFromHash(link.hash);
      if (!back.ok) throw new Error(back.error);
      const reopened = analyze({ log: back.state.inputs.log, previousLog: back.state.inputs.previousLog ?? null, dockerfile: null, previousDockerfile: null, image: null, build: null });
      expect(reopened).toEqual(analyzeForSharing(share(i)).report);
      expect(back.state.selectedStep).toBe("0:5");
    }
  });
});
