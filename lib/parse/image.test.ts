import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createdByHasLayer, parseImageMetadata, parseSize } from "./image";

const historyLines = [
  '{"Comment":"buildkit.dockerfile.v0","CreatedAt":"2025-06-02T09:14:10Z","CreatedBy":"RUN /bin/sh -c npm run build # buildkit","CreatedSince":"2 hours ago","ID":"sha256:abc","Size":"41.2MB"}',
  '{"Comment":"buildkit.dockerfile.v0","CreatedAt":"2025-06-02T09:14:00Z","CreatedBy":"ENV NODE_ENV=production","CreatedSince":"2 hours ago","ID":"<missing>","Size":"0B"}',
  '{"Comment":"buildkit.dockerfile.v0","CreatedAt":"2025-06-02T09:13:00Z","CreatedBy":"WORKDIR /app","CreatedSince":"2 hours ago","ID":"<missing>","Size":"0B"}',
  '{"Comment":"","CreatedAt":"2025-05-01T00:00:00Z","CreatedBy":"/bin/sh -c #(nop)  CMD [\\"/bin/sh\\"]","CreatedSince":"5 weeks ago","ID":"<missing>","Size":"0B"}',
  '{"Comment":"","CreatedAt":"2025-05-01T00:00:00Z","CreatedBy":"/bin/sh -c #(nop) ADD file:1234 in / ","CreatedSince":"5 weeks ago","ID":"<missing>","Size":"7.8MB"}',
].join("\n");

describe("docker history --format '{{json .}}'", () => {
  it("JSON lines, newest first → entries base first", () => {
    const m = parseImageMetadata(historyLines);
    expect(m.kind).toBe("history");
    expect(m.entries.map((e) => [e.createdBy.slice(0, 24), e.sizeBytes, e.emptyLayer])).toEqual([
      ["/bin/sh -c #(nop) ADD fi", 7_800_000, false],
      ['/bin/sh -c #(nop)  CMD [', 0, true],
      ["WORKDIR /app", 0, false],
      ["ENV NODE_ENV=production", 0, true],
      ["RUN /bin/sh -c npm run b", 41_200_000, false],
    ]);
    expect(m.entries[4].comment).toBe("buildkit.dockerfile.v0");
    expect(m.entries[4].created).toBe("2025-06-02T09:14:10Z");
    expect(m.entries[0].comment).toBeNull();
    expect(m.totalBytes).toBe(49_000_000);
    expect(m.imageId).toBe("sha256:abc");
    expect(m.diagnostics).toEqual([]);
  });

  it('{"CreatedBy":"RUN /bin/sh -c x # buildkit","Size":"41234567"} (--human=false)', () => {
    const m = parseImageMetadata('{"CreatedBy":"RUN /bin/sh -c x # buildkit","Size":"41234567"}\n{"CreatedBy":"ARG A=1","Size":"0"}');
    expect(m.entries.map((e) => e.sizeBytes)).toEqual([0, 41234567]);
    expect(m.entries[0].emptyLayer).toBe(true);
  });

  it("CRLF and a bad line", () => {
    const m = parseImageMetadata('{"CreatedBy":"COPY a b # buildkit","Size":"1kB"}\r\nnot json\r\n');
    expect(m.entries).toHaveLength(1);
    expect(m.entries[0].sizeBytes).toBe(1000);
    expect(m.diagnostics.map((d) => `${d.line}:${d.code}`)).toEqual(["2:image/bad-line"]);
  });

  it("cut CreatedBy (no --no-trunc)", () => {
    const m = parseImageMetadata('{"CreatedBy":"RUN /bin/sh -c npm ci && npm run bu…","Size":"1MB"}');
    expect(m.diagnostics.map((d) => d.code)).toEqual(["image/truncated"]);
  });
});

describe("parseSize", () => {
  it.each([
    ["0B", 0],
    ["41.2MB", 41_200_000],
    ["1.98MB", 1_980_000],
    ["26B", 26],
    ["3.15kB", 3150],
    ["1GB", 1e9],
    ["2MiB", 2 * 1024 * 1024],
    ["41234567", 41234567],
    ["abc", null],
  ])("%s", (s, n) => expect(parseSize(s)).toBe(n));
});

describe("createdByHasLayer", () => {
  it.each([
    ["RUN /bin/sh -c make # buildkit", true],
    ["RUN |2 A=1 B=2 /bin/sh -c make # buildkit", true],
    ["COPY --chown=1:1 a b # buildkit", true],
    ["WORKDIR /app", true],
    ["WORKDIR /", false],
    ["ENV A=1", false],
    ['CMD ["a" "b"]', false],
    ["/bin/sh -c #(nop) ADD file:x in / ", true],
    ["/bin/sh -c #(nop)  LABEL a=b", false],
    ["/bin/sh -c apt-get update", true],
    ["", true],
  ])("%s", (c, v) => expect(createdByHasLayer(c)).toBe(v));
});

describe("docker image inspect", () => {
  it("[{Id, RootFS.Layers, Size}]", () => {
    const m = parseImageMetadata(JSON.stringify([{ Id: "sha256:img", RootFS: { Type: "layers", Layers: ["sha256:a", "sha256:b"] }, Size: 1234 }]));
    expect(m.kind).toBe("inspect");
    expect(m.entries.map((e) => [e.digest, e.sizeBytes, e.emptyLayer])).toEqual([
      ["sha256:a", null, false],
      ["sha256:b", null, false],
    ]);
    expect(m.totalBytes).toBe(1234);
    expect(m.imageId).toBe("sha256:img");
    expect(m.diagnostics.map((d) => d.code)).toEqual(["image/no-layer-sizes"]);
  });
});

describe("image config", () => {
  const config = {
    architecture: "amd64",
    os: "linux",
    rootfs: { type: "layers", diff_ids: ["sha256:base", "sha256:run", "sha256:extra"] },
    history: [
      { created: "t0", created_by: "/bin/sh -c #(nop) ADD file:… in / " },
      { created: "t1", created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true },
      { created: "t2", created_by: "ARG V=1", comment: "buildkit.dockerfile.v0", empty_layer: true },
      { created: "t3", created_by: "RUN |1 V=1 /bin/sh -c apk add curl # buildkit", comment: "buildkit.dockerfile.v0" },
    ],
  };
  it("{history, rootfs.diff_ids}", () => {
    const m = parseImageMetadata(JSON.stringify(config));
    expect(m.kind).toBe("config");
    expect(m.entries.map((e) => [e.emptyLayer, e.digest, e.sizeBytes])).toEqual([
      [false, "sha256:base", null],
      [true, null, 0],
      [true, null, 0],
      [false, "sha256:run", null],
      [false, "sha256:extra", null],
    ]);
  });

  it("imagetools inspect --format '{{json .Image}}' of an index (keyed by platform)", () => {
    const m = parseImageMetadata(JSON.stringify({ "linux/arm64": { ...config, history: [] }, "linux/amd64": config }));
    expect(m.kind).toBe("config");
    expect(m.entries).toHaveLength(5);
    expect(m.chosenManifest?.platform).toBe("linux/amd64");
  });
});

describe("manifest and index", () => {
  it("{config, layers[].size}", () => {
    const m = parseImageMetadata(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: "sha256:cfg", size: 100 },
        layers: [
          { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: "sha256:l1", size: 3000 },
          { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: "sha256:l2", size: 500 },
        ],
      }),
    );
    expect(m.kind).toBe("manifest");
    expect(m.entries.map((e) => [e.digest, e.sizeBytes])).toEqual([
      ["sha256:l1", 3000],
      ["sha256:l2", 500],
    ]);
    expect(m.totalBytes).toBe(3500);
    expect(m.imageId).toBe("sha256:cfg");
  });

  it("{manifests[]} picks linux/amd64 and skips attestations", () => {
    const m = parseImageMetadata(
      JSON.stringify({
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [
          { digest: "sha256:arm", platform: { os: "linux", architecture: "arm64", variant: "v8" } },
          { digest: "sha256:att", platform: { os: "unknown", architecture: "unknown" }, annotations: { "vnd.docker.reference.type": "attestation-manifest" } },
          { digest: "sha256:amd", platform: { os: "linux", architecture: "amd64" } },
        ],
      }),
    );
    expect(m.kind).toBe("index");
    expect(m.entries).toEqual([]);
    expect(m.chosenManifest).toEqual({ digest: "sha256:amd", platform: "linux/amd64" });
    expect(m.diagnostics[0].code).toBe("image/index");
    expect(m.diagnostics[0].message).toContain("sha256:amd");
  });

  it("index without amd64: first non-attestation", () => {
    const m = parseImageMetadata(
      JSON.stringify({
        manifests: [
          { digest: "sha256:att", platform: { os: "unknown", architecture: "unknown" } },
          { digest: "sha256:arm", platform: { os: "linux", architecture: "arm64" } },
        ],
      }),
    );
    expect(m.chosenManifest).toEqual({ digest: "sha256:arm", platform: "linux/arm64" });
  });
});

describe("dive --json", () => {
  it("{layer[], image}", () => {
    const m = parseImageMetadata(
      JSON.stringify({
        layer: [
          { index: 1, id: "b", digestId: "sha256:b", sizeBytes: 200, command: "RUN /bin/sh -c make # buildkit", fileList: [{ path: "/app/bin", size: 200 }] },
          { index: 0, id: "a", digestId: "sha256:a", sizeBytes: 1000, command: "", fileList: [] },
        ],
        image: { sizeBytes: 1200, inefficientBytes: 50, efficiencyScore: 0.9, fileReference: [] },
      }),
    );
    expect(m.kind).toBe("dive");
    expect(m.entries.map((e) => [e.digest, e.sizeBytes, e.createdBy])).toEqual([
      ["sha256:a", 1000, ""],
      ["sha256:b", 200, "RUN /bin/sh -c make # buildkit"],
    ]);
    expect(m.entries[1].files).toEqual([{ path: "/app/bin", sizeBytes: 200 }]);
    expect(m.totalBytes).toBe(1200);
  });
});

describe("bad input", () => {
  it.each([[""], ["   "], ["garbage"], ["[1,2]"], ['{"foo":1}'], ["null"]])("%j", (t) => {
    const m = parseImageMetadata(t);
    expect(m.entries).toEqual([]);
    expect(m.diagnostics.length).toBeGreaterThan(0);
  });
});

describe("fixtures", () => {
  const root = fileURLToPath(new URL("../../fixtures/scenarios", import.meta.url));
  const dirs = ["25-secret-in-build-arg", "26-deleted-file-still-shipped"].filter((d) => existsSync(path.join(root, d, "image.history.jsonl")));
  it.skipIf(dirs.length === 0).each(dirs)("%s/image.history.jsonl and image.inspect.json", (d) => {
    const h = parseImageMetadata(readFileSync(path.join(root, d, "image.history.jsonl"), "utf8"));
    expect(h.kind).toBe("history");
    expect(h.diagnostics).toEqual([]);
    expect(h.entries[0].comment).toBe("Imported from -");
    expect(h.entries[0].sizeBytes).toBe(1_980_000);
    const i = parseImageMetadata(readFileSync(path.join(root, d, "image.inspect.json"), "utf8"));
    expect(i.kind).toBe("inspect");
    // every history entry with a layer has one diff id
    expect(i.entries.length).toBe(h.entries.filter((e) => !e.emptyLayer).length);
  });
});
