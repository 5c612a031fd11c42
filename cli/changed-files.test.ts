import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runAnalyze } from "./main";
import { readIgnoreFile } from "./changed-files";

const fx = path.join(__dirname, "..", "fixtures", "changed-files", "06-dockerignore-partial");

describe("analyze --changed-files / --context", () => {
  it("reads the list and the context's .dockerignore (default: the Dockerfile's folder)", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "cachescope-cf-"));
    writeFileSync(path.join(work, "list.txt"), "src/app.py\ndocs/guide.md\ndebug.log\n");
    const { report } = await runAnalyze({
      log: path.join(fx, "after.log"),
      dockerfile: path.join(fx, "Dockerfile"),
      context: path.join(fx, "context"),
      changedFiles: path.join(work, "list.txt"),
      format: "json",
    });
    expect(report.rootCauses[0]!.changedFiles).toEqual(["src/app.py"]);
    expect(report.changedFiles!.ignored).toEqual(["docs/guide.md", "debug.log"]);
  });

  it("without an ignore file nothing is ignored; Markdown says which file broke the cache", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "cachescope-cf-"));
    writeFileSync(path.join(work, "list.txt"), "src/app.py\ndocs/guide.md\n");
    const { output } = await runAnalyze({ log: path.join(fx, "after.log"), dockerfile: path.join(fx, "Dockerfile"), context: work, changedFiles: path.join(work, "list.txt"), format: "markdown" });
    expect(output).toContain("<code>COPY . .</code> rebuilt because <code>docs/guide.md</code> and <code>src/app.py</code> changed");
  });

  it("<Dockerfile>.dockerignore beside the Dockerfile wins over the context's .dockerignore", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "cachescope-ign-"));
    mkdirSync(path.join(work, "ctx"));
    mkdirSync(path.join(work, "docker"));
    writeFileSync(path.join(work, "ctx", ".dockerignore"), "root-rule\n");
    writeFileSync(path.join(work, "docker", "app.Dockerfile.dockerignore"), "specific-rule\n");
    expect((await readIgnoreFile(path.join(work, "ctx"), path.join(work, "docker", "app.Dockerfile")))!.text).toBe("specific-rule\n");
    expect((await readIgnoreFile(path.join(work, "ctx"), path.join(work, "docker", "other.Dockerfile")))!.text).toBe("root-rule\n");
    expect(await readIgnoreFile(path.join(work, "docker"), null)).toBeNull();
  });
});
