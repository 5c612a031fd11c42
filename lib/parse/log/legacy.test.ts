import { describe, expect, it } from "vitest";
import { parseLog } from "./index";

const join = (...ls: string[]) => ls.join("\n") + "\n";

describe("legacy builder, rendered by the CLI", () => {
  const LOG = join(
    "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.",
    "Sending build context to Docker daemon  4.096kB\r",
    "Step 1/6 : FROM node:20-alpine",
    " ---> 1f2e3d4c5b6a",
    "Step 2/6 : WORKDIR /app",
    " ---> Using cache",
    " ---> 2a3b4c5d6e7f",
    "Step 3/6 : RUN npm ci",
    " ---> Running in 4c5d6e7f8091",
    "\x1b[91mnpm warn deprecated x",
    "\x1b[0madded 120 packages in 3s",
    " ---> Removed intermediate container 4c5d6e7f8091",
    " ---> 5d6e7f809102",
    "Step 4/6 : COPY . .",
    " ---> 6e7f80910213",
    "Step 5/6 : RUN npm test",
    " ---> Running in 7f8091021324",
    "WARNING: output of the RUN, not a build warning",
    "The command '/bin/sh -c npm test' returned a non-zero code: 1",
  );

  it("steps, cached/done/error, output, legacy flags, no durations", () => {
    const p = parseLog(LOG);
    expect(p.format).toBe("legacy");
    const b = p.builds[0];
    expect(b.legacy).toBe(true);
    expect(b.contextTransferBytes).toBe(4096);
    expect(b.vertices.map((v) => [v.id, v.name, v.status, v.kind, v.label, v.legacyStep, v.durationSeconds])).toEqual([
      ["Step 1/6", "FROM node:20-alpine", "done", "step", null, { index: 1, of: 6 }, null],
      ["Step 2/6", "WORKDIR /app", "cached", "step", null, { index: 2, of: 6 }, null],
      ["Step 3/6", "RUN npm ci", "done", "step", null, { index: 3, of: 6 }, null],
      ["Step 4/6", "COPY . .", "done", "step", null, { index: 4, of: 6 }, null],
      ["Step 5/6", "RUN npm test", "error", "step", null, { index: 5, of: 6 }, null],
    ]);
    expect(b.vertices[2].output.map((l) => l.text)).toEqual(["npm warn deprecated x", "added 120 packages in 3s"]);
    expect(b.vertices[4].error).toBe("The command '/bin/sh -c npm test' returned a non-zero code: 1");
    expect(b.outcome).toBe("failed");
    expect(b.errorLine).toBe(19);
    expect(b.warnings).toEqual([]);
  });

  it("success, global ARG steps with no output, old `Removing intermediate container`, `Step N` without a total", () => {
    const p = parseLog(join("Step 1 : ARG V=1", "", "Step 2 : FROM alpine", " ---> a787cb986503", "Step 3 : RUN echo hi", " ---> Running in 6eb285c99dda", "hi", "Removing intermediate container 6eb285c99dda", " ---> 73dbd54fb856", "Successfully built 73dbd54fb856", "Successfully tagged app:latest"));
    const b = p.builds[0];
    expect(b.vertices.map((v) => [v.id, v.status, v.legacyStep])).toEqual([
      ["Step 1", "done", { index: 1, of: 3 }],
      ["Step 2", "done", { index: 2, of: 3 }],
      ["Step 3", "done", { index: 3, of: 3 }],
    ]);
    expect(b.outcome).toBe("success");
  });

  it("Go log prefix on every line (corpus 011)", () => {
    const p = parseLog(join("2024/03/29 14:00:00 Step 1/3 : ARG ARCH=aarch64", "2024/03/29 14:00:00 ", "2024/03/29 14:00:00 Step 2/3 : FROM x", "2024/03/29 14:00:00  ---> 5335d5f43047", "2024/03/29 14:00:00 Step 3/3 : RUN echo", "2024/03/29 14:00:00  ---> Using cache", "2024/03/29 14:00:00  ---> 4cd1514c7e2c", "2024/03/29 14:00:01 Successfully built 4cd1514c7e2c"));
    expect(p.wrapper).toBe("go-log");
    expect(p.builds[0].vertices.map((v) => v.status)).toEqual(["done", "done", "cached"]);
  });

  it("a log cut off inside a step is incomplete", () => {
    const p = parseLog(join("Step 1/2 : FROM alpine", " ---> a787cb986503", "Step 2/2 : RUN make", " ---> Running in 6eb285c99dda", "compiling"));
    expect(p.builds[0].vertices[1].status).toBe("running");
    expect(p.builds[0].outcome).toBe("incomplete");
  });

  it("several builds split at `Sending build context` and at `Step 1/`", () => {
    const p = parseLog(join("Sending build context to Docker daemon  2kB", "Step 1/1 : FROM a", " ---> a787cb986503", "Successfully built a787cb986503", "Sending build context to Docker daemon  3kB", "Step 1/1 : FROM b", " ---> b787cb986503", "Step 1/1 : FROM c", " ---> c787cb986503"));
    expect(p.builds.map((b) => [b.index, b.vertices[0].name, b.contextTransferBytes])).toEqual([
      [1, "FROM a", 2000],
      [2, "FROM b", 3000],
      [3, "FROM c", null],
    ]);
  });
});

describe("legacy builder, raw Engine API JSON stream", () => {
  it("cached step; header and newline arrive as two messages (corpus 013)", () => {
    const p = parseLog(
      join(
        '{"stream":"Step 1/2 : FROM nginx:alpine"}',
        '{"stream":"\\n"}',
        '{"status":"Pulling from library/nginx","id":"alpine"}',
        '{"status":"Status: Image is up to date for nginx:alpine"}',
        '{"stream":" ---\\u003e b46db85084b8\\n"}',
        '{"stream":"Step 2/2 : RUN echo \\"hello\\""}',
        '{"stream":"\\n"}',
        '{"stream":" ---\\u003e Using cache\\n"}',
        '{"stream":" ---\\u003e a7b9fc276454\\n"}',
        '{"aux":{"ID":"sha256:a7b9fc276454e39a659130b0bd6a59df3774044213ffcf2e99146b76b87e403e"}}',
        '{"stream":"Successfully built a7b9fc276454\\n"}',
        '{"stream":"Successfully tagged depker-test:latest\\n"}',
      ),
    );
    expect(p.format).toBe("legacy");
    const b = p.builds[0];
    expect(b.vertices.map((v) => [v.id, v.name, v.status, v.line])).toEqual([
      ["Step 1/2", "FROM nginx:alpine", "done", 1],
      ["Step 2/2", 'RUN echo "hello"', "cached", 6],
    ]);
    expect(b.outcome).toBe("success");
  });

  it("RUN failure only in errorDetail (corpus 014); pull progress counts bytes", () => {
    const p = parseLog(
      join(
        '{"stream":"Step 1/2 : FROM nginx:alpine"}',
        '{"stream":"\\n"}',
        '{"status":"Downloading","progressDetail":{"current":100,"total":3000},"id":"79e9f2f55bf5"}',
        '{"status":"Download complete","progressDetail":{},"id":"79e9f2f55bf5"}',
        '{"stream":" ---\\u003e b46db85084b8\\n"}',
        '{"stream":"Step 2/2 : RUN echo \\"hello\\" \\u0026\\u0026 exit 1"}',
        '{"stream":"\\n"}',
        '{"stream":" ---\\u003e Running in 78e5307effd8\\n"}',
        '{"stream":"hello\\n"}',
        '{"errorDetail":{"code":1,"message":"The command \'/bin/sh -c echo \\"hello\\" \\u0026\\u0026 exit 1\' returned a non-zero code: 1"},"error":"The command \'/bin/sh -c echo \\"hello\\" \\u0026\\u0026 exit 1\' returned a non-zero code: 1"}',
      ),
    );
    const b = p.builds[0];
    expect(b.vertices.map((v) => [v.name, v.status])).toEqual([
      ["FROM nginx:alpine", "done"],
      ['RUN echo "hello" && exit 1', "error"],
    ]);
    expect(b.vertices[0].pulledBytes).toBe(3000);
    expect(b.vertices[1].output.map((l) => l.text)).toEqual(["hello"]);
    expect(b.errorMessage).toBe("The command '/bin/sh -c echo \"hello\" && exit 1' returned a non-zero code: 1");
    expect(b.errorLine).toBe(10);
    expect(b.outcome).toBe("failed");
  });
});
