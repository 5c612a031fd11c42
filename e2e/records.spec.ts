import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { analyze } from "../lib/analyze/index";
import { readPermalinkFromHash } from "../lib/share/permalink";
import { shot, waitForAnalysis, freshPageEachTest } from "./helpers";

/**
 * Build records in the web app, as a person uses them: a `.dockerbuild` (or the GitHub Actions
 * `.zip`) dropped on the page — a real drop of File objects made from the captured bytes — renders
 * the whole view; a bundle of several builds renders the history; two records dropped together
 * compare; and every share channel carries only the decoded, redacted digest.
 */

const RECORDS = path.join(process.cwd(), "fixtures", "records");
const recordBytes = (...p: string[]) => fs.readFileSync(path.join(RECORDS, ...p));
const expected = (slug: string) => JSON.parse(fs.readFileSync(path.join(RECORDS, slug, "expected.json"), "utf8")) as { steps: Record<string, string>; roots: { step: string; cause: string; evidence: string }[] };
const SECRETS = ["npm_beforeSECRETvalue111", "npm_afterSECRETvalue222"];

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/** Drop binary files on the page the way a browser does: a DataTransfer holding File objects. */
async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[], selector = "main") {
  await page.evaluate(
    ({ files, selector }) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bin = atob(f.b64);
        const u8 = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
        dt.items.add(new File([u8], f.name, { type: "application/octet-stream" }));
      }
      const el = document.querySelector(selector) ?? document.body;
      for (const type of ["dragenter", "dragover", "drop"]) el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { files: files.map((f) => ({ name: f.name, b64: f.bytes.toString("base64") })), selector },
  );
}

/** step id → data-status for every row of the step table. */
async function stepStatuses(page: Page): Promise<Record<string, string>> {
  await expect(page.getByTestId("step").first()).toBeVisible();
  return page.getByTestId("step").evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute("data-step")!, r.getAttribute("data-status")!])));
}

async function selectStep(page: Page, id: string) {
  await page.locator(`[data-testid="step"][data-step="${id}"]`).click();
  await expect(page.getByTestId("explanation")).toBeVisible();
}

const noSecret = (s: string, where: string) => {
  for (const v of SECRETS) expect(s.includes(v), `${where} carries a secret`).toBe(false);
};

test.describe("build records in the web app", () => {
  freshPageEachTest();

  test("a dropped .dockerbuild renders the whole view: graph, steps, exact timeline, an explanation", async ({ page }) => {
    const slug = "r09-parallel-stages";
    const bytes = recordBytes(slug, "after.dockerbuild");
    const report = analyze({ log: new Uint8Array(bytes), dockerfile: null, previousLog: null, previousDockerfile: null, image: null, build: null });
    await dropFiles(page, [{ name: "after.dockerbuild", bytes }]);
    await waitForAnalysis(page);

    // What was read, in the inputs panel; the log input holds the digest, never the bundle.
    await expect(page.getByTestId("log-record-summary")).toContainText(`Build record — cachescope-fx/${slug} on `);
    await expect(page.getByTestId("log-record-summary")).toContainText("Dockerfile included");
    expect(await page.getByTestId("log-input").inputValue()).toMatch(/^\{"cachescopeRecord":/);

    // Steps and statuses: the record's, as the captured expectation says.
    expect(await stepStatuses(page)).toEqual(expected(slug).steps);
    const summary = page.getByTestId("build-summary");
    await expect(summary).toContainText(`build record cachescope-fx/${slug}`);
    await expect(summary).not.toContainText("record log");
    await expect(page.getByTestId("stage-node")).toHaveCount(report.stages.length);
    await page.getByTestId("build-summary").scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("record-dockerbuild.png"), fullPage: false });

    // Timeline: exact times (vertex start/end from the record), one lane per stage.
    await page.getByTestId("view-timeline").click();
    await expect(page.getByTestId("timeline")).toContainText("exact times");
    await expect(page.getByTestId("timeline-summary")).toContainText(`${report.stages.length} stages`);
    await expect(page.getByTestId("timeline-summary")).not.toContainText("estimated");
    await page.screenshot({ path: shot("record-timeline.png") });

    // The rebuilt root step explains itself.
    const root = expected(slug).roots[0];
    await selectStep(page, root.step);
    await expect(page.getByTestId("explanation-cause")).toHaveAttribute("data-cause", root.cause);
    await expect(page.getByTestId("explanation-text")).not.toBeEmpty();
    // The record carries its Dockerfile: the step is shown in it although none was pasted.
    await expect(page.getByTestId("explanation").getByTestId("dockerfile-view")).toContainText("COPY api/ ./");
    await page.screenshot({ path: shot("record-explanation.png") });
  });

  test("the GitHub Actions artifact (.zip) renders the same view", async ({ page }) => {
    const bytes = recordBytes("history", "actions-artifact.zip");
    const report = analyze({ log: new Uint8Array(bytes), dockerfile: null, previousLog: null, previousDockerfile: null, image: null, build: null });
    await dropFiles(page, [{ name: "cachescope-fx~history~abc.dockerbuild.zip", bytes }]);
    await waitForAnalysis(page);
    await expect(page.getByTestId("log-record-summary")).toContainText("Build record — cachescope-fx/history");
    expect(await stepStatuses(page)).toEqual(Object.fromEntries(report.steps.map((s) => [s.id, s.status])));
    await expect(page.getByTestId("stage-node")).toHaveCount(report.stages.length);
    await page.screenshot({ path: shot("record-actions-zip.png") });
  });

  test("a failed build's record leads with the failure: step, exit code, its output; one that failed before any step says why", async ({ page }) => {
    await dropFiles(page, [{ name: "failed.dockerbuild", bytes: recordBytes("history", "failed.dockerbuild") }]);
    await waitForAnalysis(page);
    await expect(page.getByTestId("log-record-summary")).toContainText("failed");
    await expect(page.getByTestId("failure-title")).toContainText('RUN echo "checking" && exit 3');
    await expect(page.getByTestId("failure-exit-code")).toContainText("exit code 3");
    await expect(page.getByTestId("failure-output")).toContainText("checking");
    await page.screenshot({ path: shot("record-failed.png") });

    await dropFiles(page, [{ name: "failed-early.dockerbuild", bytes: recordBytes("history", "failed-early.dockerbuild") }]);
    await waitForAnalysis(page);
    await expect(page.getByTestId("build-summary")).toContainText("unknown instruction: RUNN");
    await expect(page.getByTestId("failure-title")).toHaveText("Build failed before any step ran, Dockerfile line 2");
    // The record's own Dockerfile has the error: it is shown with the record, not under the empty Dockerfile field.
    await expect(page.getByTestId("dockerfile-input")).toHaveValue("");
    await expect(page.locator("aside")).toContainText("Unknown instruction: RUNN.");
    await expect(page.getByTestId("dockerfile-input")).not.toHaveAttribute("aria-invalid", "true");
    await page.screenshot({ path: shot("record-failed-early.png") });
  });

  test("a bundle of several builds renders the history: builds, durations, hit ratios, what flipped and why", async ({ page }) => {
    const bytes = recordBytes("history", "history.dockerbuild");
    const report = analyze({ log: new Uint8Array(bytes), dockerfile: null, previousLog: null, previousDockerfile: null, image: null, build: null });
    const history = report.history!;
    await dropFiles(page, [{ name: "history.dockerbuild", bytes }]);
    await waitForAnalysis(page);
    await expect(page.getByTestId("log-record-summary")).toContainText("Build records: 6 builds — latest: cachescope-fx/history");
    const trend = page.getByTestId("history-trend");
    await expect(trend).toContainText("History (6 builds)");
    await expect(page.getByTestId("history-build")).toHaveCount(6);
    for (const h of history) {
      const row = page.locator(`[data-testid="history-build"][data-build="${h.index}"]`);
      await expect(row).toContainText(`#${h.index}`);
      await expect(row).toContainText(`${h.reran} of ${h.counted} steps`);
      if (h.cacheHitRatio != null) await expect(row).toContainText(`${Math.round(h.cacheHitRatio * 100)}%`);
    }
    // The latest row says what the summary card says.
    const numbers = (await page.getByTestId("summary-numbers").innerText()).replace(/\s+/g, " ");
    const latest = history[history.length - 1];
    expect(numbers).toContain(`${latest.reran} of ${latest.counted}`);
    await expect(page.locator('[data-testid="history-build"][data-build="6"]')).toContainText("Instruction changed");
    await expect(page.locator('[data-testid="history-build"][data-build="5"]')).toContainText("Cache disabled (--no-cache)");
    await expect(page.locator('[data-testid="history-build"][data-build="4"]')).toContainText("Build argument changed");
    await expect(page.locator('[data-testid="history-build"][data-build="3"]')).toContainText("Build context changed");
    // The flipped steps of build 3, with their causes.
    await page.locator('[data-testid="history-build"][data-build="3"] summary').click();
    await expect(page.locator('[data-testid="history-build"][data-build="3"] [data-testid="history-flip"]')).toHaveCount(history.find((h) => h.index === 3)!.flipped.filter((f) => f.after === "rebuilt").length);
    await expect(page.locator('[data-testid="history-build"][data-build="3"]')).toContainText("COPY src/ ./src/");
    // The picker names what holds the builds.
    await expect(page.getByText("These build records hold 6 builds.")).toBeVisible();
    await trend.scrollIntoViewIfNeeded();
    await trend.screenshot({ path: shot("record-history.png") });
  });

  test("two records dropped together (newest first) compare: the older is the previous build, causes exact", async ({ page }) => {
    const slug = "r02-build-arg";
    await dropFiles(page, [
      { name: "after.dockerbuild", bytes: recordBytes(slug, "after.dockerbuild") },
      { name: "before.dockerbuild", bytes: recordBytes(slug, "before.dockerbuild") },
    ]);
    await waitForAnalysis(page);
    await expect(page.getByTestId("previous-log-record-summary")).toContainText(`Build record — cachescope-fx/${slug}`);
    await expect(page.getByText("“after.dockerbuild” (the later build) is explained and compared with “before.dockerbuild”")).toBeVisible();
    expect(await stepStatuses(page)).toEqual(expected(slug).steps);
    await expect(page.getByTestId("comparison")).toBeVisible();
    const rc = page.getByTestId("root-cause");
    await expect(rc).toHaveCount(expected(slug).roots.length);
    await expect(rc.first()).toContainText("Build argument changed");
    await expect(rc.first().getByTestId("evidence")).toHaveAttribute("data-evidence", "exact");
    await selectStep(page, expected(slug).roots[0].step);
    await expect(page.getByTestId("explanation-cause")).toHaveAttribute("data-cause", "build-arg-changed");
    await expect(page.getByTestId("explanation")).toContainText("APP_VERSION");
    await page.screenshot({ path: shot("record-compare.png") });
  });

  test("sharing a record: link, Markdown, JSON and stored link carry no secret; the link reopens the same report", async ({ page, browser, request }) => {
    const slug = "r13-secret-build-arg";
    await dropFiles(page, [
      { name: "before.dockerbuild", bytes: recordBytes(slug, "before.dockerbuild") },
      { name: "after.dockerbuild", bytes: recordBytes(slug, "after.dockerbuild") },
    ]);
    await waitForAnalysis(page);
    const root = expected(slug).roots[0];
    await selectStep(page, root.step);
    const statuses = await stepStatuses(page);
    const explanation = await page.getByTestId("explanation").innerText();
    noSecret(await page.locator("body").innerText(), "the page");

    await page.getByTestId("share-button").click();
    await page.getByRole("button", { name: "Copy link" }).click();
    const link = await page.getByTestId("share-link").inputValue();
    noSecret(link, "the link");
    const decoded = readPermalinkFromHash(new URL(link).hash);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    noSecret(JSON.stringify(decoded.state), "the decoded link");
    expect(decoded.state.inputs.log).toMatch(/^\{"cachescopeRecord":/);
    expect(decoded.state.inputs.previousLog).toMatch(/^\{"cachescopeRecord":/);

    await page.getByRole("button", { name: "Copy Markdown" }).click();
    await expect(page.getByText("Markdown copied.")).toBeVisible();
    const markdown = await page.evaluate(() => navigator.clipboard.readText());
    expect(markdown).toContain("build arg changed");
    noSecret(markdown, "the Markdown");

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download JSON" }).click();
    const json = fs.readFileSync((await (await download).path())!, "utf8");
    noSecret(json, "the JSON report");
    expect(JSON.parse(json).rootCauses[0]).toMatchObject({ rootStep: root.step, cause: root.cause, evidence: "exact" });

    // The stored link's payload (what the server keeps) is the redacted digest.
    const stored = await request.post("/api/share", { data: { version: 1, inputs: decoded.state.inputs, selectedStep: root.step, view: "graph" } });
    expect(stored.status()).toBeLessThan(300);
    const { id } = await stored.json();
    const back = await request.get(`/api/share/${id}`);
    const body = await back.text();
    noSecret(body, "the stored share");
    expect(JSON.parse(body).inputs.log).toMatch(/^\{"cachescopeRecord":/);

    // A fresh browser opening the link sees the same build and the same explanation.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const fresh = await context.newPage();
      await fresh.goto(link);
      await waitForAnalysis(fresh);
      expect(await stepStatuses(fresh)).toEqual(statuses);
      await expect(fresh.getByTestId("explanation")).toBeVisible();
      expect(await fresh.getByTestId("explanation").innerText()).toBe(explanation);
      await expect(fresh.getByTestId("log-record-summary")).toContainText(`Build record — cachescope-fx/${slug}`);
      await fresh.screenshot({ path: shot("record-permalink.png") });
    } finally {
      await context.close();
    }
  });
});
