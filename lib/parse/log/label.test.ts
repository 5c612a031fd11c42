import { describe, expect, it } from "vitest";
import { classifyVertex, parseStepLabel } from "./label";

describe("parseStepLabel", () => {
  it("[1/5] one-stage Dockerfile", () => {
    expect(parseStepLabel("[1/5] FROM docker.io/library/node:20-alpine")).toEqual({
      platform: null, target: null, stage: null, position: 1, of: 5, text: "FROM docker.io/library/node:20-alpine", instruction: "FROM",
    });
  });

  it("[ 1/21] padded position (corpus 003)", () => {
    const l = parseStepLabel("[ 1/21] FROM docker.io/library/ubuntu:22.04@sha256:c7eb");
    expect([l?.stage, l?.position, l?.of, l?.instruction]).toEqual([null, 1, 21, "FROM"]);
  });

  it("[runner  2/11] two-space padding after a stage", () => {
    const l = parseStepLabel("[runner  2/11] WORKDIR /app");
    expect([l?.stage, l?.position, l?.of, l?.text]).toEqual(["runner", 2, 11, "WORKDIR /app"]);
  });

  it("[linux/arm64 builder 1/7] platform prefix", () => {
    const l = parseStepLabel("[linux/arm64 builder 1/7] FROM golang");
    expect([l?.platform, l?.target, l?.stage]).toEqual(["linux/arm64", null, "builder"]);
  });

  it("[linux/amd64->arm64 build 2/3] cross-compiling platform", () => {
    expect(parseStepLabel("[linux/amd64->arm64 build 2/3] RUN make")?.platform).toBe("linux/amd64->arm64");
  });

  it("[web builder 3/5] bake target + stage; [contract-service stage-1 1/3] compose service", () => {
    expect(parseStepLabel("[web builder 3/5] RUN npm ci")).toMatchObject({ target: "web", stage: "builder", position: 3, of: 5 });
    expect(parseStepLabel("[contract-service stage-1 1/3] FROM mcr.microsoft.com/dotnet/aspnet:9.0")).toMatchObject({ target: "contract-service", stage: "stage-1" });
  });

  it("brackets inside the instruction text stay in text (corpus 004)", () => {
    const l = parseStepLabel("[runner 5/9] COPY --chown=netalertx:netalertx .[V]ERSION ${NETALERTX_APP}/");
    expect(l?.text).toBe("COPY --chown=netalertx:netalertx .[V]ERSION ${NETALERTX_APP}/");
    expect(l?.instruction).toBe("COPY");
  });

  it("lower-case instruction word is upper-cased; LINK and ONBUILD stay as printed", () => {
    expect(parseStepLabel("[a 2/2] run echo")?.instruction).toBe("RUN");
    expect(parseStepLabel("[s 3/4] LINK COPY --link a b")?.instruction).toBe("LINK");
    expect(parseStepLabel("[s 2/4] ONBUILD RUN make")?.instruction).toBe("ONBUILD");
  });

  it("not a step label", () => {
    expect(parseStepLabel("[internal] load build context")).toBeNull();
    expect(parseStepLabel("[web internal] load build definition from Dockerfile")).toBeNull();
    expect(parseStepLabel("[web] exporting to image")).toBeNull();
    expect(parseStepLabel("FROM docker.io/nvidia/cuda")).toBeNull();
    expect(parseStepLabel("[1/2]x")).toBeNull();
  });
});

describe("classifyVertex", () => {
  const kind = (n: string) => classifyVertex(n, parseStepLabel(n));
  it.each([
    ["[builder 1/7] FROM node", "step"],
    ["[internal] load build context", "internal"],
    ["[linux/arm/v7 internal] load metadata for docker.io/library/node:lts-slim", "internal"],
    ["[server internal] load build definition from Dockerfile", "internal"],
    ["load .dockerignore", "internal"],
    ["resolve image config for docker-image://docker.io/docker/dockerfile:1", "internal"],
    ["[auth] library/node:pull token for registry-1.docker.io", "auth"],
    ["FROM nvcr.io/nvidia/l4t-base:r32.7.1", "image"],
    ["docker-image://docker.io/docker/dockerfile:1@sha256:9b7", "image"],
    ["importing cache manifest from ghcr.io/org/app:cache", "cache-import"],
    ["exporting cache to registry", "cache-export"],
    ["exporting to GitHub Actions Cache", "cache-export"],
    ["exporting to image", "export"],
    ["[api] exporting to image", "export"],
    ["exporting to docker image format", "export"],
    ["importing to docker", "export"],
    ["something else", "other"],
  ])("%s → %s", (name, k) => {
    expect(kind(name)).toBe(k);
  });
});
