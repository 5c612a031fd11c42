import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDockerfile } from "../parse/dockerfile";
import { parseImageMetadata } from "../parse/image";
import { historyMatchesStep, historyRunCommand, mapLayersToSteps, type StepRef } from "./layers";
import type { DockerfileModel } from "../model/dockerfile";

function stepsOf(df: DockerfileModel): StepRef[] {
  return df.stages.flatMap((s) =>
    s.instructions.filter((i) => i.position != null).map((i) => ({ id: `${s.index}:${i.position}`, instruction: i.keyword, text: i.text, stageIndex: s.index })),
  );
}

const hist = (rows: [string, string][]) => rows.map(([by, size]) => JSON.stringify({ CreatedBy: by, Size: size, Comment: "buildkit.dockerfile.v0" })).join("\n");

describe("historyRunCommand", () => {
  it.each([
    ["RUN /bin/sh -c npm run build # buildkit", "npm run build"],
    ["RUN |2 A=1 B=2 /bin/sh -c make all # buildkit", "make all"],
    ["RUN |1 TOKEN= /bin/sh -c make # buildkit", "make"],
    ["/bin/sh -c apt-get update", "apt-get update"],
    ["RUN echo hi # buildkit", "echo hi"],
    ["/bin/sh -c #(nop)  CMD [\"sh\"]", null],
    ["COPY a b # buildkit", null],
  ])("%s", (c, out) => expect(historyRunCommand(c)).toBe(out));
});

describe("historyMatchesStep", () => {
  it.each([
    ["RUN /bin/sh -c npm ci # buildkit", "RUN", "RUN --mount=type=cache,target=/root/.npm npm ci", true],
    ["RUN |1 V=2 /bin/sh -c echo 2 # buildkit", "RUN", "RUN echo 2", true],
    ["RUN /bin/sh -c set -e\nsleep 1\n # buildkit", "RUN", "RUN <<EOT (set -e...)", true],
    ["RUN /bin/sh -c npm test # buildkit", "RUN", "RUN npm ci", false],
    ["COPY /app/dist /usr/share/nginx/html # buildkit", "COPY", "COPY --from=build /app/dist /usr/share/nginx/html", true],
    ["COPY app.txt /app/ # buildkit", "COPY", "COPY --link app.txt /app/", true],
    ["COPY --chown=app:app . . # buildkit", "COPY", "COPY --chown=app:app . .", true],
    ["COPY . . # buildkit", "COPY", "COPY --chown=app:app . .", false],
    ["COPY a /x # buildkit", "COPY", "COPY b /x", false],
    ["ADD https://x/y.tgz /opt/ # buildkit", "ADD", "ADD https://x/y.tgz /opt/", true],
    ["WORKDIR /app", "WORKDIR", "WORKDIR /app", true],
    ["WORKDIR /app/src", "WORKDIR", "WORKDIR src", true],
    ["WORKDIR /app", "RUN", "RUN /app", false],
  ])("%s ~ %s", (by, kw, text, ok) => expect(historyMatchesStep(by, kw, text)).toBe(ok));
});

describe("mapLayersToSteps", () => {
  const dockerfile = parseDockerfile(
    [
      "FROM node:20 AS build",
      "WORKDIR /app",
      "COPY package.json ./",
      "RUN --mount=type=cache,target=/root/.npm npm ci",
      "COPY . .",
      "RUN npm run build",
      "FROM nginx:1.27-alpine",
      "ARG V=1",
      "COPY --from=build /app/dist /usr/share/nginx/html",
      "RUN echo $V > /v",
      'CMD ["nginx"]',
    ].join("\n"),
  );
  const history = hist([
    ['CMD ["nginx"]', "0B"],
    ["RUN |1 V=1 /bin/sh -c echo 1 > /v # buildkit", "2B"],
    ["COPY /app/dist /usr/share/nginx/html # buildkit", "1.5MB"],
    ["ARG V=1", "0B"],
    ["/bin/sh -c #(nop)  CMD [\"nginx\" \"-g\" \"daemon off;\"]", "0B"],
    ["/bin/sh -c apk add nginx", "5MB"],
    ["/bin/sh -c #(nop) ADD file:abc in / ", "7.8MB"],
  ]);

  it("final stage layers map to its steps; base image entries come first", () => {
    const layers = mapLayersToSteps(parseImageMetadata(history), dockerfile, stepsOf(dockerfile));
    expect(layers.map((l) => [l.index, l.step, l.fromBaseImage, l.emptyLayer, l.sizeBytes])).toEqual([
      [0, null, true, false, 7_800_000],
      [1, null, true, false, 5_000_000],
      [2, null, true, true, 0],
      [3, null, false, true, 0],
      [4, "1:2", false, false, 1_500_000],
      [5, "1:3", false, false, 2],
      [6, null, false, true, 0],
    ]);
  });

  it("without a Dockerfile: steps from the log", () => {
    const layers = mapLayersToSteps(parseImageMetadata(history), null, stepsOf(dockerfile));
    expect(layers.filter((l) => l.step).map((l) => [l.index, l.step])).toEqual([
      [4, "1:2"],
      [5, "1:3"],
    ]);
    expect(layers.filter((l) => l.fromBaseImage).map((l) => l.index)).toEqual([0, 1, 2, 3]);
  });

  it("only step ids present in the steps list are returned", () => {
    const layers = mapLayersToSteps(parseImageMetadata(history), dockerfile, [{ id: "1:3", instruction: "RUN", text: "RUN echo 1 > /v", stageIndex: 1 }]);
    expect(layers.filter((l) => l.step).map((l) => l.step)).toEqual(["1:3"]);
  });

  it("FROM <stage>: the parent stage's layers are in the image too", () => {
    const df = parseDockerfile("FROM alpine AS base\nRUN apk add curl\nFROM base\nCOPY app /app\n");
    const meta = parseImageMetadata(
      hist([
        ["COPY app /app # buildkit", "10B"],
        ["RUN /bin/sh -c apk add curl # buildkit", "3MB"],
        ["/bin/sh -c #(nop) ADD file:abc in / ", "7.8MB"],
      ]),
    );
    expect(mapLayersToSteps(meta, df, stepsOf(df)).map((l) => [l.step, l.fromBaseImage])).toEqual([
      [null, true],
      ["0:2", false],
      ["1:1", false],
    ]);
  });

  it("inspect (no history): the last layers align with layer-making steps by count", () => {
    const df = parseDockerfile("FROM alpine\nWORKDIR /app\nENV A=1\nCOPY a .\nRUN make\n");
    const meta = parseImageMetadata(JSON.stringify([{ Id: "x", RootFS: { Layers: ["b0", "b1", "l1", "l2", "l3"] } }]));
    expect(mapLayersToSteps(meta, df, stepsOf(df)).map((l) => [l.step, l.fromBaseImage])).toEqual([
      [null, true],
      [null, true],
      ["0:2", false],
      ["0:3", false],
      ["0:4", false],
    ]);
  });

  it("empty metadata / no steps", () => {
    expect(mapLayersToSteps(parseImageMetadata(""), dockerfile, [])).toEqual([]);
    const l = mapLayersToSteps(parseImageMetadata(history), null, []);
    expect(l).toHaveLength(7);
    expect(l.every((x) => x.step == null)).toBe(true);
  });
});

describe("fixtures", () => {
  const root = fileURLToPath(new URL("../../fixtures/scenarios", import.meta.url));
  const cases: [string, Record<string, string | null>][] = [
    [
      "25-secret-in-build-arg",
      { "WORKDIR /app": "0:2", "ARG NPM_TOKEN": null, "COPY package.json": "0:3", "RUN |1 NPM_TOKEN=npm_FAKEcachescope0fixture0token00000000 /bin/sh -c sleep 2": "0:4", "COPY src/": "0:5", "RUN |1 NPM_TOKEN=npm_FAKEcachescope0fixture0token00000000 /bin/sh -c sleep 1": "0:6" },
    ],
    [
      "26-deleted-file-still-shipped",
      { "WORKDIR /app": "0:2", "RUN /bin/sh -c sleep 1 && mkdir": "0:3", "COPY src/": "0:4", "RUN /bin/sh -c sleep 1 && cat": "0:5", "RUN /bin/sh -c rm -rf": "0:6", CMD: null },
    ],
  ];
  const present = cases.filter(([d]) => existsSync(path.join(root, d, "image.history.jsonl")));
  it.skipIf(present.length === 0).each(present)("%s", (d, expected) => {
    const df = parseDockerfile(readFileSync(path.join(root, d, "Dockerfile"), "utf8"));
    const meta = parseImageMetadata(readFileSync(path.join(root, d, "image.history.jsonl"), "utf8"));
    const layers = mapLayersToSteps(meta, df, stepsOf(df));
    expect(layers[0].fromBaseImage).toBe(true);
    expect(layers[0].createdBy).toBe("");
    for (const [prefix, step] of Object.entries(expected)) {
      const l = layers.find((x) => x.createdBy.startsWith(prefix));
      expect(l, prefix).toBeDefined();
      expect(l!.step, prefix).toBe(step);
      expect(l!.fromBaseImage).toBe(false);
    }
    // without a Dockerfile, from the steps alone
    const noDf = mapLayersToSteps(meta, null, stepsOf(df));
    expect(noDf.map((l) => l.step)).toEqual(layers.map((l) => l.step));

    const inspect = parseImageMetadata(readFileSync(path.join(root, d, "image.inspect.json"), "utf8"));
    const byCount = mapLayersToSteps(inspect, df, stepsOf(df));
    expect(byCount.map((l) => l.step)).toEqual(layers.filter((l) => !l.emptyLayer).map((l) => l.step));
  });
});
