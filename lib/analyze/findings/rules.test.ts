import { describe, expect, it } from "vitest";
import { run, runWithSteps, scenario } from "./test-helpers";
import { volatility } from "./rules/volatile-arg-early";
import { isSecretName, maskSecrets, tokenKind } from "./secrets";
import { isCheckCommand } from "./rules/stages-could-run-parallel";
import { simpleCommands } from "./shell";

const df = (...lines: string[]) => lines.join("\n") + "\n";

describe("copy-context-before-install", () => {
  it("fires on the captured scenario 03 with the install's rebuilt seconds as cost", () => {
    const s = scenario("03-copy-context-before-install");
    const [f, ...rest] = run("copy-context-before-install", { dockerfile: s.dockerfile, log: s.log });
    expect(rest).toEqual([]);
    expect(f!.line).toBe(3);
    expect(f!.steps).toEqual(["0:3", "0:4"]);
    expect(f!.costSeconds).toBe(2.1); // `#7 DONE 2.1s` of the RUN on line 4
    expect(f!.message).toContain("`COPY . .` (line 3)");
    expect(f!.fix).toContain("COPY package.json ./\n    RUN sleep 2");
  });

  it("fires for npm ci after COPY . . and shows the rewritten lines", () => {
    const [f] = run("copy-context-before-install", df("FROM node:20", "WORKDIR /app", "COPY . .", "RUN npm ci", "RUN npm run build"));
    expect(f!.fix).toContain(["    COPY package.json package-lock.json ./", "    RUN npm ci", "    COPY . ."].join("\n"));
    expect(f!.message).toContain("npm install");
    expect(f!.costSeconds).toBeNull();
  });

  it("fires for pip install -r, naming the requirements file and keeping the destination", () => {
    const [f] = run("copy-context-before-install", df("FROM python:3.12", "COPY . /srv/app", "RUN pip install -r requirements/prod.txt"));
    expect(f!.fix).toContain("COPY requirements/prod.txt /srv/app/");
  });

  it.each([
    ["go build without go mod download", df("FROM golang:1.22", "WORKDIR /src", "COPY . .", "RUN go build -o /app ./cmd/app"), "go.mod go.sum"],
    ["ADD . . before bundle install", df("FROM ruby:3.3", "ADD . .", "RUN bundle install"), "Gemfile Gemfile.lock"],
    ["COPY ./ before poetry install", df("FROM python:3.12", "COPY ./ /app/", "RUN cd /app && poetry install --no-root"), "pyproject.toml poetry.lock"],
    ["apt-get install reading a copied list", df("FROM debian:12", "COPY . .", "RUN apt-get update && xargs apt-get install -y < packages.txt"), "packages.txt"],
  ])("fires: %s", (_name, text, manifests) => {
    const [f] = run("copy-context-before-install", text);
    expect(f!.fix).toContain(manifests);
  });

  it.each([
    ["manifests first, install before the broad COPY", df("FROM node:20", "WORKDIR /app", "COPY package.json package-lock.json ./", "RUN npm ci", "COPY . .", "RUN npm run build")],
    ["go mod download before the broad COPY", df("FROM golang:1.22", "WORKDIR /src", "COPY go.mod go.sum ./", "RUN go mod download", "COPY . .", "RUN go build -o /app .")],
    ["go build with a module cache mount", df("FROM golang:1.22", "COPY . .", "RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .")],
    ["pip install of a named package", df("FROM python:3.12", "COPY . .", "RUN pip install gunicorn")],
    ["a copy from another stage", df("FROM node:20 AS b", "RUN echo", "FROM node:20", "COPY --from=b . .", "RUN npm ci")],
    ["the install in a string", df("FROM alpine", "COPY . .", 'RUN echo "run npm ci next"')],
  ])("does not fire: %s", (_name, text) => {
    expect(run("copy-context-before-install", text)).toEqual([]);
  });

  it("does not fire on the captured scenario 02 (package.json copied first)", () => {
    const s = scenario("02-dependency-manifest-changed");
    expect(run("copy-context-before-install", { dockerfile: s.dockerfile, log: s.log })).toEqual([]);
  });
});

describe("volatile-arg-early", () => {
  it("fires on the captured scenario 24 (ARG CACHEBUST above every step)", () => {
    const s = scenario("24-volatile-arg-early");
    const [f] = run("volatile-arg-early", { dockerfile: s.dockerfile, log: s.log });
    expect(f!.line).toBe(2);
    expect(f!.message).toContain("`ARG CACHEBUST` (line 2)");
    expect(f!.message).toContain("re-runs line 3 and the 5 steps after it");
    expect(f!.steps[0]).toBe("0:2");
    expect(f!.fix).toContain("    ARG CACHEBUST\n    RUN sleep 1 && echo");
  });

  it("costs the rebuilt steps that do not read the arg (captured scenario 04)", () => {
    const s = scenario("04-build-arg-changed");
    const [f] = run("volatile-arg-early", { dockerfile: s.dockerfile, log: s.log });
    expect(f!.line).toBe(5);
    expect(f!.costSeconds).toBe(2.2); // line 6 `DONE 2.2s`, rebuilt though it never reads APP_VERSION
    expect(f!.fix).toContain("right before line 7");
  });

  it("fires for a commit sha declared above the dependency install", () => {
    const [f] = run(
      "volatile-arg-early",
      df("FROM node:20", "ARG GIT_SHA", "WORKDIR /app", "COPY package*.json ./", "RUN npm ci", "COPY . .", "RUN npm run build", 'RUN echo "$GIT_SHA" > /app/REVISION'),
    );
    expect(f!.message).toContain("commit");
    expect(f!.fix).toContain("right before line 8");
  });

  it.each([
    ["declared right before its only use", df("FROM alpine", "RUN apk add curl", "ARG GIT_SHA", 'RUN echo "$GIT_SHA" > /REVISION')],
    ["a pinned tool version", df("FROM alpine", "ARG NODE_VERSION=20.11.1", "RUN apk add curl", "RUN echo $NODE_VERSION")],
    ["a global ARG only used by FROM", df("ARG BUILD_DATE", "FROM alpine:3.19", "RUN apk add curl", "RUN echo hi")],
    ["nothing expensive after it", df("FROM alpine", "RUN apk add curl", "ARG BUILD_DATE", "LABEL org.opencontainers.image.created=$BUILD_DATE")],
  ])("does not fire: %s", (_name, text) => {
    expect(run("volatile-arg-early", text)).toEqual([]);
  });

  it.each([
    ["CACHEBUST", null, "cache-bust"],
    ["BUILD_DATE", null, "date"],
    ["SOURCE_DATE_EPOCH", null, "date"],
    ["GIT_COMMIT", null, "commit"],
    ["VCS_REF", null, "commit"],
    ["BUILD_NUMBER", null, "build-number"],
    ["VERSION", null, "version"],
    ["APP_VERSION", "1.4.0", null],
    ["NODE_VERSION", null, null],
    ["TIMEOUT", null, null],
    ["REF", "3f2a9c1b7d4e", "commit"],
  ])("volatility(%s, %s) = %s", (name, value, want) => {
    expect(volatility(name, value)).toBe(want);
  });
});

describe("secret-in-build-arg", () => {
  const token = "npm_FAKEcachescope0fixture0token00000000";

  it("fires as an error on scenario 25 with its image history, never repeating the token", () => {
    const s = scenario("25-secret-in-build-arg");
    const [f, ...rest] = run("secret-in-build-arg", { dockerfile: s.dockerfile, log: s.log, image: s.image });
    expect(rest).toEqual([]);
    expect(s.image).toContain(token); // the planted value really is in the history
    expect(f!.severity).toBe("error");
    expect(f!.line).toBe(3);
    expect(f!.message).toContain("npm access token");
    expect(f!.message + f!.fix).not.toContain(token);
    expect(f!.fix).toContain("RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN");
    expect(f!.steps).toEqual(["0:4"]);
  });

  it("fires as a warning on scenario 25 from the Dockerfile alone", () => {
    const s = scenario("25-secret-in-build-arg");
    const [f] = run("secret-in-build-arg", { dockerfile: s.dockerfile, log: s.log });
    expect(f!.severity).toBe("warning");
  });

  it("flags build args whose command-line values look like tokens, and masks every secret (test/secrets)", async () => {
    const { readFileSync } = await import("node:fs");
    const dir = new URL("../../../test/secrets/", import.meta.url);
    const dockerfile = readFileSync(new URL("Dockerfile", dir), "utf8");
    const log = readFileSync(new URL("build.log", dir), "utf8");
    const secrets = Object.values(JSON.parse(readFileSync(new URL("secrets.json", dir), "utf8")).secrets as Record<string, string>);
    const found = run("secret-in-build-arg", { dockerfile, log });
    const names = found.map((f) => f.message.match(/`(?:ARG |ENV )?([A-Z_]+)`/)?.[1]);
    expect(names).toEqual(expect.arrayContaining(["GITHUB_TOKEN", "API_KEY", "BUILD_SECRET", "DB_PASSWORD", "SERVICE_AUTH", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SESSION_SECRET"]));
    expect(found.find((f) => f.message.includes("GITHUB_TOKEN"))!.message).toContain("GitHub token on the build command line");
    for (const f of found) for (const s of secrets) expect(f.message + f.fix).not.toContain(s);
  });

  it("fires on a token written into an ENV", () => {
    const [f] = run("secret-in-build-arg", df("FROM alpine", "ENV GH=ghp_FAKEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "RUN echo"));
    expect(f!.severity).toBe("error");
    expect(f!.message).toContain("GitHub token");
    expect(f!.message + f!.fix).not.toContain("ghp_FAKE");
  });

  it.each([
    ["a path to a secret", df("FROM alpine", "ARG NPM_TOKEN_FILE=/run/secrets/npm", "RUN cat $NPM_TOKEN_FILE")],
    ["a GPG key fingerprint", df("FROM python:3.12", "ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "RUN echo")],
    ["an author", df("FROM alpine", "ARG AUTHOR=me", "RUN echo $AUTHOR")],
    ["a secret mount", df("FROM alpine", "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci")],
    ["an ARG no RUN can see", df("FROM alpine", "RUN echo", "ARG API_TOKEN", 'CMD ["sh"]')],
  ])("does not fire: %s", (_name, text) => {
    expect(run("secret-in-build-arg", text)).toEqual([]);
  });

  it.each([
    ["NPM_TOKEN", true],
    ["DB_PASSWORD", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["SSH_PRIVATE_KEY", true],
    ["AUTH", true],
    ["GITHUB_PAT", true],
    ["PASSWORD_FILE", false],
    ["GPG_KEY", false],
    ["AUTHOR", false],
    ["TOKEN_URL", false],
  ])("isSecretName(%s) = %s", (name, want) => expect(isSecretName(name)).toBe(want));

  it("recognises token formats and masks them", () => {
    expect(tokenKind(token)).toBe("an npm access token");
    expect(tokenKind("AKIAFAKE0TEST1234567")).toBe("an AWS access key id");
    expect(tokenKind("hello")).toBeNull();
    expect(maskSecrets(`RUN git clone https://u:hunter22@example.com/r.git && NPM_TOKEN=abc npm ci # ${token}`)).toBe(
      "RUN git clone https://u:***@example.com/r.git && NPM_TOKEN=*** npm ci # ***",
    );
    expect(maskSecrets('echo "//r/:_authToken=${NPM_TOKEN}"')).toBe('echo "//r/:_authToken=${NPM_TOKEN}"');
  });
});

describe("copy-from-cache-mount", () => {
  it("fires as an error on scenario 14, where the COPY failed", () => {
    const s = scenario("14-copy-from-cache-mount");
    const [f] = run("copy-from-cache-mount", { dockerfile: s.dockerfile, log: s.log });
    expect(f!.severity).toBe("error");
    expect(f!.line).toBe(7);
    expect(f!.message).toContain("cache mount `/cache` of the RUN on line 4");
    expect(f!.message).toContain("This build failed at that COPY");
    expect(f!.steps).toEqual(["1:2", "0:4"]);
    expect(f!.fix).toContain("&& mkdir -p /out && cp -a /cache/artifact /out/");
    expect(f!.fix).toContain("COPY --from=builder /out/artifact /usr/local/bin/artifact");
  });

  it("does not fire on scenario 14's fixed Dockerfile (artifact copied out of the mount)", () => {
    const s = scenario("14-copy-from-cache-mount");
    expect(run("copy-from-cache-mount", s.read("Dockerfile.before"))).toEqual([]);
  });

  it("fires for a cargo target dir mounted relative to WORKDIR", () => {
    const [f] = run(
      "copy-from-cache-mount",
      df(
        "FROM rust:1.79 AS builder",
        "WORKDIR /app",
        "COPY . .",
        "RUN --mount=type=cache,target=target --mount=type=cache,target=/usr/local/cargo/registry cargo build --release",
        "FROM debian:12-slim",
        "COPY --from=builder /app/target/release/server /usr/local/bin/server",
      ),
    );
    expect(f!.severity).toBe("warning");
    expect(f!.message).toContain("`/app/target/release/server`");
    expect(f!.message).toContain("cache mount `/app/target`");
  });

  it.each([
    ["the binary copied out in the same RUN", df("FROM rust:1.79 AS b", "WORKDIR /app", "RUN --mount=type=cache,target=/app/target cargo build --release && cp target/release/server /usr/local/bin/", "FROM debian:12", "COPY --from=b /usr/local/bin/server /server")],
    ["a COPY from an external image", df("FROM alpine", "RUN --mount=type=cache,target=/cache echo", "COPY --from=nginx:1.27 /cache/x /x")],
    ["a later RUN without the mount writes the path", df("FROM alpine AS b", "RUN --mount=type=cache,target=/cache echo hi > /cache/x", "RUN mkdir -p /cache && echo hi > /cache/x", "FROM alpine", "COPY --from=b /cache/x /x")],
  ])("does not fire: %s", (_name, text) => {
    expect(run("copy-from-cache-mount", text)).toEqual([]);
  });
});

describe("apt-update-separate-run", () => {
  it("fires for apt-get update in its own RUN and combines the two", () => {
    const [f] = run("apt-update-separate-run", df("FROM debian:12", "RUN apt-get update", "RUN apt-get install -y --no-install-recommends curl"));
    expect(f!.line).toBe(2);
    expect(f!.message).toContain("line 3");
    expect(f!.fix).toContain("RUN apt-get update && apt-get install -y --no-install-recommends curl");
    expect(f!.fix).toContain("rm -rf /var/lib/apt/lists/*");
  });

  it("fires for apk update followed by apk add", () => {
    const [f] = run("apt-update-separate-run", df("FROM alpine:3.19", "RUN apk update", "RUN apk add curl"));
    expect(f!.fix).toContain("RUN apk update && apk add curl");
  });

  it.each([
    ["update and install in one RUN", df("FROM debian:12", "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*")],
    ["apk add --no-cache fetches its own index", df("FROM alpine:3.19", "RUN apk update", "RUN apk add --no-cache curl")],
    ["the later install updates again", df("FROM debian:12", "RUN apt-get update", "RUN apt-get update && apt-get install -y curl")],
    ["no install follows", df("FROM debian:12", "RUN apt-get update")],
  ])("does not fire: %s", (_name, text) => {
    expect(run("apt-update-separate-run", text)).toEqual([]);
  });

  it("does not fire on scenario 24, whose RUN only echoes 'apt-get update done'", () => {
    expect(run("apt-update-separate-run", scenario("24-volatile-arg-early").dockerfile)).toEqual([]);
  });
});

describe("package-install-without-cache-mount", () => {
  it("suggests the npm cache mount", () => {
    const [f] = run("package-install-without-cache-mount", df("FROM node:20", "COPY package*.json ./", "RUN npm ci --omit=dev"));
    expect(f!.severity).toBe("info");
    expect(f!.fix).toContain("RUN --mount=type=cache,target=/root/.npm \\\n        npm ci --omit=dev");
  });

  it("suggests locked apt mounts and removing docker-clean", () => {
    const [f] = run("package-install-without-cache-mount", df("FROM debian:12", "RUN apt-get update && apt-get install -y gcc"));
    expect(f!.fix).toContain("--mount=type=cache,target=/var/cache/apt,sharing=locked");
    expect(f!.fix).toContain("--mount=type=cache,target=/var/lib/apt,sharing=locked");
    expect(f!.fix).toContain("docker-clean");
  });

  it("suggests both Go caches, and follows a moved pip cache", () => {
    const [go] = run("package-install-without-cache-mount", df("FROM golang:1.22", "RUN go build -o /app ."));
    expect(go!.fix).toContain("target=/go/pkg/mod");
    expect(go!.fix).toContain("target=/root/.cache/go-build");
    const [pip] = run("package-install-without-cache-mount", df("FROM python:3.12", "ENV PIP_CACHE_DIR=/var/cache/pip", "RUN pip install -r requirements.txt"));
    expect(pip!.fix).toContain("target=/var/cache/pip");
  });

  it("costs the step's rebuilt seconds", () => {
    const [f] = runWithSteps("package-install-without-cache-mount", df("FROM node:20", "RUN npm ci"), { "0:2": { status: "rebuilt", durationSeconds: 41.3 } });
    expect(f!.costSeconds).toBe(41.3);
    expect(f!.message).toContain("41.3s");
  });

  it.each([
    ["npm with a cache mount", df("FROM node:20", "RUN --mount=type=cache,target=/root/.npm npm ci")],
    ["apt with custom-id mounts", df("FROM debian:12", "RUN --mount=type=cache,id=apt-cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y gcc")],
    ["bundler (no shared download cache)", df("FROM ruby:3.3", "RUN bundle install")],
    ["no package manager", df("FROM alpine", "RUN echo hi")],
  ])("does not fire: %s", (_name, text) => {
    expect(run("package-install-without-cache-mount", text)).toEqual([]);
  });
});

describe("add-remote-url", () => {
  it("fires for ADD of an https URL", () => {
    const [f] = run("add-remote-url", df("FROM alpine", "ADD https://example.com/releases/latest/tool.tar.gz /tmp/"));
    expect(f!.line).toBe(2);
    expect(f!.fix).toContain("ADD --checksum=sha256:<sha256 of tool.tar.gz> https://example.com/releases/latest/tool.tar.gz /tmp/");
  });

  it("fires for a git source on a branch", () => {
    const [f] = run("add-remote-url", df("FROM alpine", "ADD https://github.com/moby/buildkit.git#master /src"));
    expect(f!.message).toContain("git repository");
    expect(f!.fix).toContain("#<commit sha>");
  });

  it.each([
    ["--checksum", df("FROM alpine", "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/")],
    ["a git source pinned to a commit", df("FROM alpine", "ADD https://github.com/moby/buildkit.git#0fe4d1e2b6e8f8f7e3a9c5b1d2e3f4a5b6c7d8e9 /src")],
    ["a local archive", df("FROM alpine", "ADD rootfs.tar.gz /")],
  ])("does not fire: %s", (_name, text) => {
    expect(run("add-remote-url", text)).toEqual([]);
  });
});

describe("large-context-no-dockerignore (see fixtures.test.ts for the captured logs)", () => {
  it("does not fire on scenario 03 (228 B context)", () => {
    const s = scenario("03-copy-context-before-install");
    expect(run("large-context-no-dockerignore", { dockerfile: s.dockerfile, log: s.log })).toEqual([]);
  });

  it("does not fire without a log", () => {
    expect(run("large-context-no-dockerignore", df("FROM alpine", "COPY . ."))).toEqual([]);
  });
});

describe("no-external-cache-in-ci (see fixtures.test.ts for the captured logs)", () => {
  it("does not fire on a local cold build (scenario 17)", () => {
    const s = scenario("17-cold-cache-pruned");
    expect(run("no-external-cache-in-ci", { dockerfile: s.dockerfile, log: s.log })).toEqual([]);
  });
});

describe("stages-could-run-parallel", () => {
  it("fires when a build stage is chained after a test-only stage", () => {
    const [f] = run(
      "stages-could-run-parallel",
      df(
        "FROM node:20 AS deps",
        "WORKDIR /app",
        "COPY package*.json ./",
        "RUN npm ci",
        "COPY . .",
        "FROM deps AS test",
        "RUN npm test && npm run lint",
        "FROM test AS build",
        "RUN npm run build",
        "FROM nginx:1.27",
        "COPY --from=build /app/dist /usr/share/nginx/html",
      ),
    );
    expect(f!.line).toBe(8);
    expect(f!.message).toContain("`test` only runs checks (`npm test`)");
    expect(f!.fix).toContain("FROM deps AS build");
  });

  it("fires for a side stage that only builds its own files", () => {
    const [f] = run(
      "stages-could-run-parallel",
      df(
        "FROM alpine:3.19 AS app",
        "WORKDIR /app",
        "COPY src/ ./src/",
        "RUN cat src/* > /app/app.bin",
        "FROM app AS docs",
        "WORKDIR /docs",
        "COPY docs/ ./",
        "RUN cat *.md > /docs/site.html",
        "FROM alpine:3.19",
        "COPY --from=app /app/app.bin /srv/",
        "COPY --from=docs /docs/site.html /srv/",
      ),
    );
    expect(f!.message).toContain("Stage `docs` (line 5) is built `FROM app`");
    expect(f!.fix).toContain("FROM alpine:3.19 AS docs");
  });

  it.each([
    ["a plain builder → runtime chain", df("FROM golang:1.22 AS build", "WORKDIR /src", "COPY . .", "RUN go build -o /out/app", "FROM build AS final", "RUN /out/app --selftest")],
    ["deps → build → runtime", df("FROM node:20 AS deps", "WORKDIR /app", "COPY package*.json ./", "RUN npm ci", "FROM deps AS build", "COPY . .", "RUN npm run build", "FROM nginx:1.27", "COPY --from=build /app/dist /usr/share/nginx/html")],
    ["a side stage working in the parent's WORKDIR", df("FROM alpine AS a", "WORKDIR /app", "COPY . .", "FROM a AS b", "RUN make", "FROM alpine", "COPY --from=b /app/out /out")],
  ])("does not fire: %s", (_name, text) => {
    expect(run("stages-could-run-parallel", text)).toEqual([]);
  });

  it.each(["16-target-skips-stage", "22-bake-two-targets", "13-identical-stage-output"])("does not fire on scenario %s", (slug) => {
    const s = scenario(slug);
    expect(run("stages-could-run-parallel", { dockerfile: s.dockerfile, log: s.log })).toEqual([]);
  });

  it.each([
    ["npm test", true],
    ["npm run lint", true],
    ["go vet ./...", true],
    ["pytest -q", true],
    ["npm run build", false],
    ["go build ./...", false],
  ])("isCheckCommand(%s) = %s", (cmd, want) => expect(isCheckCommand(simpleCommands(cmd)[0]!)).toBe(want));
});

describe("unpinned-base-image", () => {
  it.each([
    ["FROM node", "has no tag"],
    ["FROM node:latest AS base", "uses the `latest` tag"],
  ])("fires: %s", (from, state) => {
    const [f] = run("unpinned-base-image", df(from, "RUN echo"));
    expect(f!.severity).toBe("info");
    expect(f!.message).toContain(state);
    expect(f!.fix).toContain("FROM node:<version>@sha256:<digest>");
  });

  it.each([
    ["a digest", "FROM node:20@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"],
    ["a version tag", "FROM node:20.11-alpine"],
    ["scratch", "FROM scratch"],
    ["an ARG without a default", "ARG BASE\nFROM ${BASE}"],
  ])("does not fire: %s", (_name, from) => {
    expect(run("unpinned-base-image", df(from, "RUN echo"))).toEqual([]);
  });

  it("does not flag FROM <stage>", () => {
    expect(run("unpinned-base-image", df("FROM node:20 AS a", "RUN echo", "FROM a", "RUN echo"))).toEqual([]);
  });

  it("does not fire on scenario 09 (local/base:1)", () => {
    const s = scenario("09-base-image-changed");
    expect(run("unpinned-base-image", { dockerfile: s.dockerfile, log: s.log })).toEqual([]);
  });
});

describe("deleted-file-still-shipped", () => {
  it("fires on scenario 26 with the size of the lower layer from docker history", () => {
    const s = scenario("26-deleted-file-still-shipped");
    const [f, ...rest] = run("deleted-file-still-shipped", { dockerfile: s.dockerfile, log: s.log, image: s.image });
    expect(rest).toEqual([]);
    expect(f!.severity).toBe("warning");
    expect(f!.line).toBe(6);
    expect(f!.message).toContain("deletes `/tmp/sdk`, which line 3 put into an earlier layer");
    expect(f!.message).toContain("3.15 MB");
    expect(f!.steps).toEqual(["0:3", "0:6"]);
    expect(f!.fix).toContain("&& rm -rf /tmp/sdk");
  });

  it("fires with lower severity on scenario 26 without image metadata", () => {
    const s = scenario("26-deleted-file-still-shipped");
    const [f] = run("deleted-file-still-shipped", { dockerfile: s.dockerfile, log: s.log });
    expect(f!.severity).toBe("info");
    expect(f!.message).not.toContain("MB");
  });

  it.each([
    ["apt lists removed in a later RUN", df("FROM debian:12", "RUN apt-get update && apt-get install -y gcc", "RUN rm -rf /var/lib/apt/lists/*"), 2],
    ["tests copied then removed", df("FROM node:20", "WORKDIR /app", "COPY . .", "RUN rm -rf /app/test"), 3],
    ["build deps purged later", df("FROM debian:12", "RUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*", "RUN make", "RUN apt-get purge -y build-essential"), 2],
    ["pip cache purged later", df("FROM python:3.12", "RUN pip install -r requirements.txt", "RUN pip cache purge"), 2],
  ])("fires: %s", (_name, text, addLine) => {
    const [f] = run("deleted-file-still-shipped", text);
    expect(f!.message).toContain(`line ${addLine} put into an earlier layer`);
  });

  it.each([
    ["removed in the same RUN", df("FROM alpine", "RUN wget -O /tmp/x.tgz https://example.com/x.tgz && tar xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz")],
    ["a file the deleting RUN made itself", scenario("25-secret-in-build-arg").dockerfile],
    ["a builder stage that is only copied from", df("FROM golang:1.22 AS build", "RUN go build -o /out/app .", "RUN rm -rf /root/.cache/go-build", "FROM alpine", "COPY --from=build /out/app /app")],
    ["a file from the base image", df("FROM debian:12", "RUN rm -f /etc/apt/apt.conf.d/docker-clean")],
  ])("does not fire: %s", (_name, text) => {
    expect(run("deleted-file-still-shipped", text)).toEqual([]);
  });
});
