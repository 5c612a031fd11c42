import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import {
  MAX_PERMALINK_LENGTH,
  PERMALINK_PREFIX,
  base64UrlToBytes,
  bytesToBase64Url,
  createPermalink,
  encodePermalinkState,
  permalinkLength,
  readPermalinkFromHash,
  trimLog,
} from "./permalink";
import type { ShareState } from "./schema";

const fixture = (slug: string, f: string) => readFileSync(path.resolve(__dirname, "../../fixtures/scenarios", slug, f), "utf8");

const state = (over: Partial<ShareState["inputs"]> = {}): ShareState => ({
  inputs: {
    dockerfile: fixture("01-source-file-changed", "Dockerfile"),
    log: fixture("01-source-file-changed", "after.log"),
    previousLog: fixture("01-source-file-changed", "before.log"),
    previousDockerfile: null,
    image: null,
    ...over,
  },
  selectedStep: "0:4",
  view: "timeline",
});

const hashOf = (payload: unknown, prefix = PERMALINK_PREFIX) =>
  "#" + prefix + bytesToBase64Url(deflateSync(strToU8(JSON.stringify(payload))));

describe("permalink codec", () => {
  it("round-trips the state", () => {
    const s = state();
    const link = createPermalink(s, { baseUrl: "https://cachescope.dev/?x=1#old" });
    expect(link.url.startsWith("https://cachescope.dev/?x=1#v1.")).toBe(true);
    expect(link.length).toBe(link.url.length);
    expect(link.tooLong).toBe(false);
    const back = readPermalinkFromHash(link.hash);
    expect(back).toEqual({ ok: true, state: s });
    // without the leading '#', as some routers give it
    expect(readPermalinkFromHash(link.hash.slice(1))).toEqual({ ok: true, state: s });
  });

  it("keeps unicode, CRLF and empty optional inputs", () => {
    const s = state({ log: "#1 [1/1] RUN echo 'héllo ✓ 🐳'\r\n#1 DONE 0.1s\r\n", dockerfile: null, previousLog: null });
    const back = readPermalinkFromHash(createPermalink(s).hash);
    expect(back.ok && back.state).toEqual(s);
  });

  it("base64url round-trips every byte", () => {
    const bytes = new Uint8Array(1000).map((_, i) => (i * 7) % 256);
    expect(base64UrlToBytes(bytesToBase64Url(bytes))).toEqual(bytes);
    expect(bytesToBase64Url(bytes)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("defaults view and selectedStep", () => {
    const back = readPermalinkFromHash(hashOf({ inputs: { log: "#1 DONE" } }));
    expect(back).toEqual({
      ok: true,
      state: { inputs: { log: "#1 DONE", dockerfile: null, previousLog: null, previousDockerfile: null, image: null }, selectedStep: null, view: "graph" },
    });
  });

  it("ignores unknown fields added by later v1 writers", () => {
    const back = readPermalinkFromHash(hashOf({ inputs: { log: "x" }, view: "graph", extra: { a: 1 } }));
    expect(back.ok).toBe(true);
  });

  it("permalinkLength matches createPermalink", () => {
    const s = state();
    expect(permalinkLength(s, { baseUrl: "https://x.dev/" })).toBe(createPermalink(s, { baseUrl: "https://x.dev/" }).url.length);
  });
});

describe("bad links give a clear error, never a throw", () => {
  it.each<[string, string | null | undefined, string, RegExp]>([
    ["empty", "", "empty", /does not contain/],
    ["null", null, "empty", /does not contain/],
    ["just #", "#", "empty", /does not contain/],
    ["foreign fragment", "#section-2", "foreign", /not made by Cachescope/],
    ["another app's state", "#state=eyJhIjoxfQ", "foreign", /not made by Cachescope/],
    ["newer version", "#v2.AAAA", "newer-version", /newer version of Cachescope.*v2/],
    ["v0", "#v0.AAAA", "foreign", /Unknown link format/],
    ["bad characters", "#v1.abc$%def", "corrupt", /damaged/],
    ["not deflate", "#v1." + bytesToBase64Url(strToU8("plain text, not compressed")), "corrupt", /damaged/],
    ["bad length", "#v1.a", "corrupt", /damaged/],
  ])("%s", (_name, hash, code, message) => {
    const r = readPermalinkFromHash(hash);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.error).toMatch(message);
    }
  });

  it("truncated link (cut when copied)", () => {
    const { hash } = createPermalink(state());
    const r = readPermalinkFromHash(hash.slice(0, Math.floor(hash.length / 2)));
    expect(r).toMatchObject({ ok: false, code: "corrupt" });
  });

  it("one character changed", () => {
    const { hash } = createPermalink(state());
    const i = Math.floor(hash.length / 2);
    const flipped = hash.slice(0, i) + (hash[i] === "A" ? "B" : "A") + hash.slice(i + 1);
    const r = readPermalinkFromHash(flipped);
    // Either the deflate stream breaks or the JSON/schema does; both are reported, not thrown.
    if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
  });

  it("valid compression, not JSON", () => {
    const r = readPermalinkFromHash("#" + PERMALINK_PREFIX + bytesToBase64Url(deflateSync(strToU8("{not json"))));
    expect(r).toMatchObject({ ok: false, code: "corrupt" });
  });

  it("valid JSON, wrong shape", () => {
    expect(readPermalinkFromHash(hashOf({ inputs: { log: 42 } }))).toMatchObject({ ok: false, code: "invalid", error: expect.stringMatching(/inputs\.log/) });
    expect(readPermalinkFromHash(hashOf({ inputs: { log: "" } }))).toMatchObject({ ok: false, code: "invalid", error: expect.stringMatching(/empty/) });
    expect(readPermalinkFromHash(hashOf([1, 2]))).toMatchObject({ ok: false, code: "invalid" });
    expect(readPermalinkFromHash(hashOf({ inputs: { log: "x" }, selectedStep: "<script>" }))).toMatchObject({ ok: false, code: "invalid" });
  });

  it("refuses a decompression bomb without running out of memory", () => {
    const bomb = deflateSync(new Uint8Array(70_000_000), { level: 9 });
    const r = readPermalinkFromHash("#" + PERMALINK_PREFIX + bytesToBase64Url(bomb));
    expect(r).toMatchObject({ ok: false, code: "too-large" });
  });
});

describe("trimming and size", () => {
  it("keeps headers, statuses and the last output lines of each vertex", () => {
    const out = Array.from({ length: 50 }, (_, i) => `#7 ${(i / 10).toFixed(3)} line ${i}`);
    const log = ["#0 building with \"default\" instance using docker driver", "", "#7 [2/3] RUN make", ...out, "#7 DONE 5.0s", "", "#8 [3/3] RUN true", "#8 0.100 only", "#8 CACHED"].join("\n");
    const t = trimLog(log, 3);
    expect(t.droppedLines).toBe(47);
    expect(t.log).toContain("#7 [2/3] RUN make\n#7 4.700 line 47\n#7 4.800 line 48\n#7 4.900 line 49\n#7 DONE 5.0s");
    expect(t.log).toContain("#8 0.100 only");
  });

  it("leaves legacy and rawjson logs alone", () => {
    const legacy = "Step 1/2 : FROM x\n ---> abc\nStep 2/2 : RUN y\n ---> Running in 1\nout\n ---> def\n";
    expect(trimLog(legacy).log).toBe(legacy);
  });

  it("says when a link is too long and trimming helps", () => {
    const lines = Array.from({ length: 400_000 }, (_, i) => `#7 ${(i / 1000).toFixed(3)} ${((i * 2654435761) % 4294967296).toString(36)} output`);
    const log = ["#7 [2/3] RUN make", ...lines, "#7 DONE 400.0s"].join("\n");
    const s = state({ log });
    const full = createPermalink(s);
    expect(full.tooLong).toBe(true);
    expect(full.length).toBeGreaterThan(MAX_PERMALINK_LENGTH);
    const trimmed = createPermalink(s, { trim: true });
    expect(trimmed.trimmedLines).toBe(400_000 - 8);
    expect(trimmed.tooLong).toBe(false);
    const back = readPermalinkFromHash(trimmed.hash);
    expect(back.ok && back.state.inputs.log.split("\n").length).toBe(10);
  });

  it("encodes redacted inputs only", () => {
    const s = state({ log: "#5 [1/2] RUN echo hi\n#5 0.1 using ghp_FAKE0TEST0000000000000000000000000000\n#5 DONE 0.1s", dockerfile: "ARG NPM_TOKEN=npm_FAKE0TEST00000000000000000000000000000\nFROM x" });
    const link = createPermalink(s);
    expect(link.redactions.map((r) => r.kind).sort()).toEqual(["github-token", "npm-token"]);
    const back = readPermalinkFromHash(link.hash);
    expect(back.ok).toBe(true);
    const text = JSON.stringify(back.ok && back.state);
    expect(text).not.toContain("ghp_FAKE");
    expect(text).not.toContain("npm_FAKE");
    // the low-level encoder does not redact (it is not exported for sharing)
    expect(encodePermalinkState(s)).not.toBe(link.hash.slice(1));
  });
});
