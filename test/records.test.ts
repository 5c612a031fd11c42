/**
 * Build records captured from a real engine (fixtures/records/, Docker 28.5 / buildx 0.29):
 * decoding, record vs log agreement, compare-mode causes per scenario, history, redaction, and
 * hostile input. Expectations are in each scenario's expected.json (what the change was, what the
 * records must decide).
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTar, parseTar } from "nanotar";
import { gunzipSync, gzipSync, zipSync, strToU8 } from "fflate";
import { analyze, isUnreadable } from "../lib/analyze/index";
import { decodeRecordInput, mergeRecordDigests, readRecordInput, redactRecordDigestText } from "../lib/parse/record/index";
import { gunzipCapped, RecordReadError } from "../lib/parse/record/container";
import { readProvenance, SLSA_V02, SLSA_V1 } from "../lib/parse/record/provenance";

const ROOT = join(__dirname, "..", "fixtures", "records");
const scenarios = readdirSync(ROOT).filter((d) => /^r\d\d-/.test(d) && existsSync(join(ROOT, d, "expected.json")));
const bytes = (...p: string[]) => new Uint8Array(readFileSync(join(ROOT, ...p)));
const text = (...p: string[]) => readFileSync(join(ROOT, ...p), "utf8");

interface Expected {
  change: string;
  status: string;
  diagnosis: string;
  steps: Record<string, string>;
  roots: { step: string; line: number | null; text: string; cause: string; evidence: string; fixNot?: string[] }[];
  mergedTwins?: string[];
}

describe("record scenarios", () => {
  it("has at least 12 captured scenarios", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
  });

  for (const slug of scenarios) {
    const exp = JSON.parse(text(slug, "expected.json")) as Expected;
    describe(`${slug}: ${exp.change}`, () => {
      it("compare mode on the two records gives the true cause for every root", () => {
        const r = analyze({ log: bytes(slug, "after.dockerbuild"), previousLog: bytes(slug, "before.dockerbuild") });
        expect(r.input.logFormat).toBe("record");
        expect(r.build.status).toBe(exp.status);
        expect(r.diagnosis.kind).toBe(exp.diagnosis);
        const roots = r.rootCauses.map((rc) => {
          const s = r.steps.find((x) => x.id === rc.rootStep)!;
          return { step: rc.rootStep, line: s.line, text: s.text, cause: rc.cause, evidence: rc.evidence };
        });
        expect(roots).toEqual(exp.roots.map(({ fixNot: _, ...root }) => root));
        // Advice a user reads that would not help in this build.
        for (const want of exp.roots)
          for (const phrase of want.fixNot ?? []) expect(r.rootCauses.find((rc) => rc.rootStep === want.step)?.fix ?? "").not.toContain(phrase);
        // Every exact root says what decided it.
        for (const rc of r.rootCauses) {
          const m = r.steps.find((s) => s.id === rc.rootStep)!.miss!;
          if (rc.evidence !== "candidates") expect(m.decidedBy ?? m.explanation).toBeTruthy();
        }
        expect(Object.fromEntries(r.steps.map((s) => [s.id, s.status]))).toEqual(exp.steps);
      });

      it("one record alone gives the report with the record's own Dockerfile", () => {
        const r = analyze({ log: bytes(slug, "after.dockerbuild") });
        expect(r.input.hasDockerfile).toBe(true);
        expect(r.build.timing).toBe("exact");
        expect(r.record?.ref).toMatch(/^[a-z0-9]{20,}$/);
        expect(r.steps.every((s) => s.line != null)).toBe(true);
      });

      for (const [rec, log] of [
        ["before.dockerbuild", "before.log"],
        ["after.dockerbuild", "after.log"],
        ["after.rawjson.dockerbuild", "after.rawjson.log"],
      ]) {
        if (!existsSync(join(ROOT, slug, rec))) continue;
        it(`${rec} and ${log} agree on every status both know`, () => {
          const dockerfile = rec.startsWith("before") && existsSync(join(ROOT, slug, "Dockerfile.before")) ? text(slug, "Dockerfile.before") : text(slug, "Dockerfile");
          const a = analyze({ log: bytes(slug, rec) });
          const b = analyze({ log: text(slug, log), dockerfile });
          expect(a.build.status).toBe(b.build.status);
          expect(a.steps.map((s) => s.id)).toEqual(b.steps.map((s) => s.id));
          for (const s of b.steps) {
            const t = a.steps.find((x) => x.id === s.id)!;
            // A merged twin: the log shows one vertex, the record's source map both steps.
            if (exp.mergedTwins?.includes(s.id) && s.status === "not-run") expect(t.status).not.toBe("not-run");
            else expect(t.status, `${s.id} ${s.text}`).toBe(s.status);
          }
        });
      }

      it("the digest text (what the web app stores) analyses like the bundle", () => {
        const a = decodeRecordInput(bytes(slug, "after.dockerbuild"))!;
        const b = decodeRecordInput(bytes(slug, "before.dockerbuild"))!;
        expect(a.text.startsWith('{"cachescopeRecord":1')).toBe(true);
        const fromText = analyze({ log: a.text, previousLog: b.text });
        const fromBytes = analyze({ log: bytes(slug, "after.dockerbuild"), previousLog: bytes(slug, "before.dockerbuild") });
        expect(fromText.rootCauses).toEqual(fromBytes.rootCauses);
        expect(fromText.steps).toEqual(fromBytes.steps);
      });
    });
  }
});

describe("what only records decide", () => {
  const roots = (slug: string) => analyze({ log: bytes(slug, "after.dockerbuild"), previousLog: bytes(slug, "before.dockerbuild") }).rootCauses;
  it("--no-cache from the frontend attributes", () => {
    const r = analyze({ log: bytes("r05-no-cache", "after.dockerbuild"), previousLog: bytes("r05-no-cache", "before.dockerbuild") });
    expect(r.diagnosis).toMatchObject({ kind: "no-cache", evidence: "exact" });
    expect(r.record?.noCache).toBe(true);
  });
  it("a re-tagged base image from the materials' digests", () => {
    const r = analyze({ log: bytes("r06-base-image-retagged", "after.dockerbuild"), previousLog: bytes("r06-base-image-retagged", "before.dockerbuild") });
    const m = r.steps.find((s) => s.id === r.rootCauses[0].rootStep)!.miss!;
    expect(m.decidedBy).toMatch(/`local\/base:1` resolved to sha256:\w+ before and sha256:\w+ now/);
    expect(r.comparison?.baseImageChanges).toEqual([{ image: "local/base:1", before: expect.stringMatching(/^sha256:/), after: expect.stringMatching(/^sha256:/) }]);
  });
  it("a heredoc body edit from the exec args", () => {
    expect(roots("r04-heredoc-body")[0]).toMatchObject({ cause: "instruction-changed", evidence: "exact" });
  });
  it("a named context change from the frontend attributes", () => {
    const r = analyze({ log: bytes("r14-named-context-image", "after.dockerbuild"), previousLog: bytes("r14-named-context-image", "before.dockerbuild") });
    const m = r.steps.find((s) => s.id === r.rootCauses[0].rootStep)!.miss!;
    expect(m.decidedBy).toContain("named context `toolchain` changed from `docker-image://local/ctx:a` to `docker-image://local/ctx:b`");
  });
  it("the changed line inside a heredoc body, and the ENV / ARG line behind a changed RUN environment", () => {
    const line = (slug: string) => {
      const r = analyze({ log: bytes(slug, "after.dockerbuild"), previousLog: bytes(slug, "before.dockerbuild") });
      return r.steps.find((s) => s.id === r.rootCauses[0].rootStep)!.miss!.explanation;
    };
    expect(line("r04-heredoc-body")).toContain('line 7: `echo "level=info" > /app/config.ini` → `echo "level=debug" > /app/config.ini`');
    expect(line("r15-env-changed")).toContain("line 4: `ENV MODE=production` → `ENV MODE=staging`");
    expect(line("r18-arg-default")).toContain("line 2: `ARG LEVEL=3` → `ARG LEVEL=4`");
  });
  it("--no-cache-filter: only the named stage is no-cache", () => {
    const r = analyze({ log: bytes("r16-no-cache-filter", "after.dockerbuild"), previousLog: bytes("r16-no-cache-filter", "before.dockerbuild") });
    expect(r.record?.noCacheFilter).toEqual(["build"]);
    expect(r.rootCauses.map((x) => [x.cause, x.evidence])).toEqual([["no-cache", "exact"]]);
    expect(r.steps.find((s) => s.text.startsWith("RUN sleep 1 && echo deps"))!.status).toBe("cached");
  });
  it("merged steps: both source locations get the op's status", () => {
    const r = analyze({ log: bytes("r11-merged-steps", "after.dockerbuild") });
    const twin = r.steps.find((s) => s.id === "0:3")!;
    expect(twin.status).toBe("rebuilt");
    expect(twin.note).toMatch(/merged this step with the identical step at line 9/);
  });
  it("--dockerfile still wins over the record's own source", () => {
    const own = analyze({ log: bytes("r03-dockerfile-edit", "after.dockerbuild") });
    const given = analyze({ log: bytes("r03-dockerfile-edit", "after.dockerbuild"), dockerfile: "# a comment line first\n" + text("r03-dockerfile-edit", "Dockerfile") });
    expect(own.steps.find((s) => s.id === "0:6")!.line).toBe(6);
    expect(given.steps.find((s) => s.id === "0:6")!.line).toBe(7);
    expect(given.steps.map((s) => s.id)).toEqual(own.steps.map((s) => s.id));
  });
  it("build checks come from the record's warnings", () => {
    const r = analyze({ log: bytes("r13-secret-build-arg", "after.dockerbuild") });
    expect(r.checks).toEqual([expect.objectContaining({ rule: "SecretsUsedInArgOrEnv", line: 4, url: expect.stringContaining("docs.docker.com") })]);
  });
  it("a failed build: the error, its exit code and line from the rpc status", () => {
    const r = analyze({ log: bytes("r10-failing-step", "after.dockerbuild") });
    expect(r.build.status).toBe("failed");
    expect(r.build.errorMessage).toMatch(/exit code: 1/);
    const failed = r.steps.find((s) => s.status === "error")!;
    expect(failed.line).toBe(4);
    expect(failed.output.join("\n")).toContain("check 2 failed");
  });
});

describe("secrets in records", () => {
  it("a secret-named build arg keeps a fingerprint, never its value", () => {
    for (const f of ["before.dockerbuild", "after.dockerbuild"]) {
      const d = decodeRecordInput(bytes("r13-secret-build-arg", f))!;
      expect(d.text).not.toMatch(/SECRETvalue/);
      expect(d.text).toMatch(/"name":"NPM_TOKEN","value":null,"secret":true,"fingerprint":"[0-9a-f]{16}"/);
    }
    const r = analyze({ log: bytes("r13-secret-build-arg", "after.dockerbuild"), previousLog: bytes("r13-secret-build-arg", "before.dockerbuild") });
    expect(JSON.stringify(r)).not.toMatch(/SECRETvalue/);
    expect(r.rootCauses[0].cause).toBe("build-arg-changed");
  });
  it("redactRecordDigestText drops every build-arg value but still tells a change", () => {
    const after = redactRecordDigestText(decodeRecordInput(bytes("r02-build-arg", "after.dockerbuild"))!.text);
    const before = redactRecordDigestText(decodeRecordInput(bytes("r02-build-arg", "before.dockerbuild"))!.text);
    expect(after.redactedArgs).toEqual(["APP_VERSION"]);
    expect(after.text).not.toContain("1.5.0");
    const r = analyze({ log: after.text, previousLog: before.text });
    expect(r.rootCauses[0]).toMatchObject({ cause: "build-arg-changed", evidence: "exact" });
    expect(JSON.stringify(r)).not.toContain("1.5.0");
  });
  it("credentials in URLs and secret-named ENV values are not kept", async () => {
    const { applySecretPolicy, withoutUserinfo } = await import("../lib/parse/record/secrets");
    expect(withoutUserinfo("git clone https://bot:ghp_abc123@github.com/o/r.git")).toBe("git clone https://[redacted]@github.com/o/r.git");
    const r = readRecordInput(bytes("r15-env-changed", "after.dockerbuild"));
    if (!r?.ok) throw new Error("unreadable");
    const rec = r.digest.records[0];
    const exec = rec.ops.find((o) => o.op.kind === "exec")!;
    if (exec.op.kind === "exec") exec.op.env.push("API_KEY=sk-live-123456");
    applySecretPolicy(rec);
    expect(JSON.stringify(rec)).not.toContain("sk-live-123456");
  });
  it("the digest keeps no stack, no local path, no exporter response", () => {
    const d = decodeRecordInput(bytes("r10-failing-step", "after.dockerbuild"))!.text;
    expect(d).not.toMatch(/runcexecutor|\/tmp\/cachescope-fx|containerimage\.config|stack\.Stack/);
  });
});

describe("history of builds", () => {
  it("a 6-build export --all bundle: history rows, latest vs the one before", () => {
    const r = analyze({ log: bytes("history", "history.dockerbuild") });
    expect(r.input.buildsInLog).toBe(6);
    expect(r.history).toHaveLength(6);
    const h = r.history!;
    expect(h.map((x) => x.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h[0].cacheHitRatio).toBe(0);
    expect(h[1].cacheHitRatio).toBe(1);
    expect(h[2].rootCauses[0]).toMatchObject({ text: "COPY src/ ./src/", cause: "context-changed" });
    expect(h[3].rootCauses[0]).toMatchObject({ cause: "build-arg-changed", evidence: "exact" });
    expect(h[4].rootCauses.every((x) => x.cause === "no-cache" && x.evidence === "exact")).toBe(true);
    expect(h[5].rootCauses[0]).toMatchObject({ line: 4, cause: "instruction-changed", evidence: "exact" });
    expect(h[2].flipped.some((f) => f.before === "cached" && f.after === "rebuilt" && f.cause === "context-changed")).toBe(true);
    expect(r.rootCauses[0]).toMatchObject({ cause: "instruction-changed", evidence: "exact" });
  });
  it("several dropped records merge into one history (mergeRecordDigests)", () => {
    const texts = ["after.dockerbuild", "before.dockerbuild"].map((f) => decodeRecordInput(bytes("r02-build-arg", f))!.text);
    const merged = mergeRecordDigests([...texts, texts[0], "not a record"])!;
    expect(merged.diagnostics).toHaveLength(1);
    const r = analyze({ log: merged.text });
    expect(r.history).toHaveLength(2);
    expect(r.history![1].rootCauses[0]).toMatchObject({ cause: "build-arg-changed", evidence: "exact" });
  });
  it("export --all of a builder used for several projects compares each build with its own project's previous one", () => {
    const r = analyze({ log: bytes("mixed", "mixed.dockerbuild") });
    const h = r.history!;
    expect(h.map((x) => x.previousIndex)).toEqual([null, null, null, 2, 3]);
    expect(h[3].rootCauses[0]).toMatchObject({ text: "COPY a.txt ./", cause: "context-changed", evidence: "exact" });
    expect(h[4].rootCauses[0]).toMatchObject({ cause: "build-arg-changed", evidence: "exact" });
    expect(r.steps.find((s) => s.id === r.rootCauses[0].rootStep)!.miss!.explanation).toContain("`FLAVOR` = `spicy` (was `plain (default)`)");
  });
  it("--build picks a build of the bundle and compares it with the one before", () => {
    const r = analyze({ log: bytes("history", "history.dockerbuild"), build: 5 });
    expect(r.input.build).toBe(5);
    expect(r.diagnosis.kind).toBe("no-cache");
  });
  it("the Actions artifact zip reads like the bundle in it", () => {
    const d = readRecordInput(bytes("history", "actions-artifact.zip"));
    expect(d?.ok).toBe(true);
    const r = analyze({ log: bytes("history", "actions-artifact.zip") });
    expect(r.record?.name).toBe("cachescope-fx/history");
    expect(r.steps.length).toBeGreaterThan(5);
  });
  it("history inspect JSON and --metadata-file JSON give partial reports with a reason", () => {
    const ok = analyze({ log: text("history", "inspect.json") });
    expect(ok.input.logFormat).toBe("record");
    expect(ok.diagnostics.some((d) => d.code === "record/partial")).toBe(true);
    const failed = analyze({ log: text("history", "inspect-failed.json") });
    expect(failed.build.status).toBe("failed");
    expect(failed.build.errorMessage).toMatch(/exit code: 3/);
    expect(JSON.stringify(failed)).not.toMatch(/docker-buildx buildx history inspect/);
    const meta = analyze({ log: text("history", "metadata.json") });
    expect(meta.record?.materials[0].uri).toContain("local/busybox");
    expect(meta.input.hasDockerfile).toBe(false);
  });
  it("a build that failed before any step: a partial report saying so", () => {
    const r = analyze({ log: bytes("history", "failed-early.dockerbuild") });
    expect(r.build.status).toBe("failed");
    expect(r.diagnosis.kind).toBe("failed-early");
    expect(r.diagnosis.detail).toMatch(/unknown instruction: RUNN/);
  });
  it("a log compared with a previous record uses the record as the previous build", () => {
    const r = analyze({ log: text("r02-build-arg", "after.log"), dockerfile: text("r02-build-arg", "Dockerfile"), previousLog: bytes("r02-build-arg", "before.dockerbuild") });
    expect(r.input.hasPreviousLog).toBe(true);
    expect(r.comparison).not.toBeNull();
  });
});

/** A captured bundle with some layers taken out (what an older or partial export would hold). */
function withoutLayers(b: Uint8Array, mediaTypes: string[]): Uint8Array {
  const files = parseTar(gunzipSync(b)).filter((i) => i.data).map((i) => ({ name: i.name, data: i.data! }));
  const dec = (x: Uint8Array) => JSON.parse(new TextDecoder().decode(x));
  const idx = dec(files.find((f) => f.name.endsWith("index.json"))!.data);
  const m = dec(files.find((f) => f.name.endsWith(idx.manifests[0].digest.slice(7)))!.data);
  const drop = new Set<string>(m.layers.filter((l: { mediaType: string }) => mediaTypes.includes(l.mediaType)).map((l: { digest: string }) => l.digest.slice(7)));
  return gzipSync(createTar(files.filter((f) => ![...drop].some((d) => f.name.endsWith(d)))));
}

describe("records missing layers", () => {
  it("no status stream: steps, times and cache hits come from the trace", () => {
    const b = withoutLayers(bytes("r01-source-file", "after.dockerbuild"), ["application/vnd.buildkit.status.v0"]);
    const r = analyze({ log: b });
    const full = analyze({ log: bytes("r01-source-file", "after.dockerbuild") });
    // The trace has spans for what ran and a "load cache" span for the deepest cached step only;
    // steps before it are not in the trace and say "not run", as the note warns.
    expect(r.steps.map((s) => s.status)).toEqual(["not-run", "not-run", "not-run", "cached", "rebuilt", "rebuilt"]);
    expect(full.steps.map((s) => s.status)).toEqual(["rebuilt", "cached", "cached", "cached", "rebuilt", "rebuilt"]);
    expect(r.diagnostics.some((d) => /come from its trace/.test(d.message))).toBe(true);
  });
  it("no provenance: the report still stands, and says what is unknown", () => {
    const b = withoutLayers(bytes("r01-source-file", "after.dockerbuild"), ["application/vnd.in-toto+json"]);
    const r = analyze({ log: b });
    expect(r.steps.length).toBeGreaterThan(3);
    expect(r.input.hasDockerfile).toBe(false);
    expect(r.diagnostics.some((d) => /no provenance/.test(d.message))).toBe(true);
  });
});

describe("provenance v1", () => {
  // No engine here writes SLSA v1 (BuildKit >= 0.28 does; the docker driver of Docker 28.5 writes
  // v0.2 and refuses --provenance=version=v1). The captured v0.2 predicate is moved into the v1
  // layout of BuildKit's docs/attestations/slsa-definitions.md: the reader must find the same facts.
  it("reads the same ops, materials, args and Dockerfile from the v1 layout", () => {
    const files = parseTar(gunzipSync(bytes("r02-build-arg", "after.dockerbuild")));
    const dec = (x: Uint8Array) => JSON.parse(new TextDecoder().decode(x));
    const v02 = files.map((f) => (f.data ? (() => { try { return dec(f.data!); } catch { return null; } })() : null)).find((j) => j && j.buildConfig);
    const v1 = {
      buildDefinition: {
        buildType: "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
        externalParameters: { configSource: { path: "Dockerfile" }, request: v02.invocation.parameters },
        internalParameters: { buildConfig: v02.buildConfig, builderPlatform: "linux/amd64" },
        resolvedDependencies: v02.materials,
      },
      runDetails: { builder: { id: "" }, metadata: { invocationID: "x", buildkit_metadata: v02.metadata["https://mobyproject.org/buildkit@v1#metadata"] } },
    };
    const a = readProvenance(v02, SLSA_V02)!;
    const b = readProvenance({ _type: "https://in-toto.io/Statement/v1", predicateType: SLSA_V1, predicate: v1 }, null)!;
    expect(a.version).toBe("v0.2");
    expect(b.version).toBe("v1");
    expect({ ...b, version: "v0.2" }).toEqual(a);
    expect(a.args["build-arg:APP_VERSION"]).toBe("1.5.0");
    expect(a.ops.some((o) => o.lines.length > 0)).toBe(true);
  });
});

describe("bad record input", () => {
  const good = bytes("r01-source-file", "after.dockerbuild");
  const reason = (b: Uint8Array) => {
    const r = readRecordInput(b);
    return r && !r.ok ? r.reason : r ? "ok" : "not a record";
  };
  it("a truncated bundle", () => {
    expect(reason(good.subarray(0, good.length >> 1))).toMatch(/cut off/);
    const r = analyze({ log: good.subarray(0, 2000) });
    expect(isUnreadable(r)).toBe(true);
    expect(r.diagnostics[0].message).toMatch(/gzip data is corrupt or cut off/);
  });
  it("a zip without a bundle", () => {
    expect(reason(zipSync({ "notes.txt": strToU8("hello") }))).toBe("the zip holds no build record (.dockerbuild bundle).");
  });
  it("an unknown media type", () => {
    const manifest = JSON.stringify({ schemaVersion: 2, config: { mediaType: "application/vnd.example.other", digest: "sha256:" + "a".repeat(64) }, layers: [] });
    const digest = "b".repeat(64);
    const tar = createTar([
      { name: "oci-layout", data: '{"imageLayoutVersion":"1.0.0"}' },
      { name: "index.json", data: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${digest}` }] }) },
      { name: `blobs/sha256/${digest}`, data: manifest },
    ]);
    expect(reason(gzipSync(tar))).toMatch(/config media type application\/vnd\.example\.other/);
  });
  it("a docker save archive is named as such", () => {
    const tar = createTar([{ name: "manifest.json", data: "[]" }]);
    expect(reason(tar)).toMatch(/docker save/);
  });
  it("the decompressed size is capped", () => {
    expect(() => gunzipCapped(gzipSync(new Uint8Array(1 << 20)), { left: 1000 })).toThrow(RecordReadError);
    expect(() => gunzipCapped(gzipSync(new Uint8Array(1 << 20)), { left: 1000 })).toThrow(/cap on decompressed size/);
  });
  it("a gzip'd log is refused after its first block, not after inflating it all", () => {
    const big = gzipSync(strToU8("#1 [internal] load build definition\n".repeat(200_000)));
    expect(reason(big)).toBe("the gzip data holds no tar archive; it is not a build record bundle.");
  });
  it("a digest text with a wrong version or broken JSON", () => {
    expect(reason(strToU8('{"cachescopeRecord":99,"records":[]}'))).toMatch(/unknown version/);
    expect(reason(strToU8('{"cachescopeRecord":1,"records":[{'))).toMatch(/not valid JSON/);
  });
  it("a hostile digest is coerced, not trusted", () => {
    const evil = JSON.stringify({ cachescopeRecord: 1, records: [{ ref: 5, vertices: [{ digest: "x", intervals: [["a"]], logs: "no" }], ops: [{ id: "step0", op: { kind: "exec", args: [1, 2], mounts: [null] } }], attrs: { buildArgs: [{ name: "A_TOKEN", value: "v", secret: true }] } }] });
    const r = readRecordInput(evil);
    expect(r?.ok).toBe(true);
    if (r?.ok) {
      expect(r.digest.records[0].attrs.buildArgs[0].value).toBeNull();
      expect(r.digest.records[0].vertices[0].intervals).toEqual([]);
    }
    expect(() => analyze({ log: evil })).not.toThrow();
  });
  it("corrupted bundles never throw", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 40; k++) {
      const b = good.slice();
      for (let j = 0; j < 4; j++) b[Math.floor(rand() * b.length)] ^= 1 + Math.floor(rand() * 255);
      expect(() => analyze({ log: b })).not.toThrow();
    }
  });
  it("plain logs are not records", () => {
    expect(readRecordInput(text("r01-source-file", "after.log"))).toBeNull();
    expect(readRecordInput(bytes("r01-source-file", "after.rawjson.log"))).toBeNull();
    expect(decodeRecordInput(bytes("r01-source-file", "after.log"))).toBeNull();
  });
});
