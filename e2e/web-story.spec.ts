import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createPermalink } from "../lib/share/permalink";
import { loadFixture, paste, waitForAnalysis, freshPageEachTest } from "./helpers";

const WEB = path.join(process.cwd(), "fixtures", "web");
const webFile = (slug: string, f: string) => fs.readFileSync(path.join(WEB, slug, f), "utf8");

/** Drop files on the page the way a browser does: a real DataTransfer holding File objects made in the page. */
async function dropFiles(page: Page, files: { name: string; content: string }[], selector = "main") {
  await page.evaluate(
    ({ files, selector }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([f.content], f.name, { type: "text/plain" }));
      const el = document.querySelector(selector) ?? document.body;
      for (const type of ["dragenter", "dragover", "drop"]) el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { files, selector },
  );
}

async function seriousViolations(page: Page, where: string) {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + n.failureSummary?.split("\n")[1]).join("\n  ")}`).join("\n");
  expect(bad, `${where}:\n${text}`).toEqual([]);
}

test.describe("the web app tells the story", () => {
  freshPageEachTest();

  test("several files dropped at once anywhere are routed by content", async ({ page }) => {
    const fx = loadFixture("12-parallel-stages-one-changed");
    // Named the wrong way round on purpose: content decides, not names or the drop target.
    await dropFiles(page, [
      { name: "build.log", content: fx.dockerfile },
      { name: "Dockerfile", content: fx.log },
    ]);
    await waitForAnalysis(page);
    await expect(page.getByTestId("log-input")).toHaveValue(fx.log);
    await expect(page.getByTestId("dockerfile-input")).toHaveValue(fx.dockerfile);
    await expect(page.getByTestId("stage-node")).toHaveCount(3);

    // Two logs without timestamps: the app asks which one is the current build.
    await dropFiles(page, [
      { name: "one.log", content: fx.log },
      { name: "two.log", content: fx.previousLog! },
    ]);
    await expect(page.getByTestId("ask-order")).toBeVisible();
    await page.getByTestId("ask-order-a").click();
    await waitForAnalysis(page);
    await expect(page.getByTestId("previous-log-input")).toHaveValue(fx.previousLog!);
    await expect(page.getByTestId("comparison")).toBeVisible();
    await expect(page.getByTestId("compare-side-by-side").locator('[data-flipped="true"]').first()).toBeVisible();
  });

  test("a failed build leads with the failing step, its exit code and last output lines", async ({ page }) => {
    const fx = loadFixture("11-run-step-fails");
    await paste(page, fx);
    const failure = page.getByTestId("failure");
    await expect(failure).toBeVisible();
    await expect(page.getByTestId("failure-title")).toContainText("Build failed at");
    await expect(page.getByTestId("failure-title")).toContainText("RUN");
    await expect(page.getByTestId("failure-exit-code")).toContainText(/exit code \d+/);
    await expect(page.getByTestId("failure-output")).not.toBeEmpty();
    // The failure comes before the cache story.
    const order = await page.evaluate(() => {
      const f = document.querySelector('[data-testid="failure"]')!;
      const d = document.querySelector('[data-testid="diagnosis-title"]')!;
      return f.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    await page.getByTestId("failure-open-step").click();
    await expect(page.getByTestId("explanation")).toBeVisible();
  });

  test("numbers on one screen agree", async ({ page }) => {
    await paste(page, loadFixture("19-rawjson-partial-rebuild"));
    const numbers = await page.getByTestId("summary-numbers").innerText();
    const m = /Steps re-ran\s+(\d+) of (\d+)/i.exec(numbers)!;
    expect(m, numbers).toBeTruthy();
    const detail = await page.getByTestId("build-summary").innerText();
    // The diagnosis sentence ("7 of 12 steps re-ran") uses the same two numbers.
    const d = /(\d+) of (\d+) steps re-ran/.exec(detail);
    if (d) expect([d[1], d[2]]).toEqual([m[1], m[2]]);
    const rows = await page.getByTestId("step").count();
    await expect(page.getByTestId("numbers-note")).toContainText(`${rows} step rows`);
  });

  test("a permalink opened over your own inputs never replaces them: restore them", async ({ page }) => {
    const own = loadFixture("03-copy-context-before-install");
    await paste(page, own);
    await page.waitForFunction((df) => (localStorage.getItem("cachescope:inputs:v1") ?? "").includes(df), JSON.stringify(own.dockerfile).slice(1, 40));

    const fx = loadFixture("12-parallel-stages-one-changed");
    const link = createPermalink({ inputs: { log: fx.log, dockerfile: fx.dockerfile, previousLog: null, previousDockerfile: null, image: null }, selectedStep: null, view: "graph" });
    await page.goto("/" + link.hash);
    await waitForAnalysis(page);
    await expect(page.getByTestId("dockerfile-input")).toHaveValue(fx.dockerfile);
    await expect(page.getByTestId("restore-own")).toBeVisible();
    // Storage still holds the person's own inputs, never the link's.
    await page.waitForTimeout(600);
    const stored = await page.evaluate(() => localStorage.getItem("cachescope:inputs:v1") ?? "");
    expect(stored).toContain(JSON.stringify(own.dockerfile).slice(1, 40));
    expect(stored).not.toContain(JSON.stringify(fx.dockerfile).slice(1, 40));

    await page.getByTestId("restore-own-inputs").click();
    await expect(page.getByTestId("dockerfile-input")).toHaveValue(own.dockerfile);
    await expect(page.getByTestId("log-input")).toHaveValue(own.log);
    await expect(page.getByTestId("restore-own")).toHaveCount(0);
  });

  test("the graph re-fits when the explanation panel opens: every stage stays in the pane", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await paste(page, { dockerfile: webFile("7-stages-parallel", "Dockerfile"), log: webFile("7-stages-parallel", "after.log") });
    const pane = page.getByTestId("stage-graph");
    const inPane = async () => {
      const p = (await pane.boundingBox())!;
      const boxes = await page.getByTestId("stage-node").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
      return boxes.every((b) => b.x >= p.x - 1 && b.x + b.width <= p.x + p.width + 1);
    };
    await page.locator('[data-testid="step"][data-status="rebuilt"]').first().click();
    await expect(page.getByTestId("explanation")).toBeVisible();
    const fit = await pane.getAttribute("data-fit");
    if (fit === "whole") await expect.poll(inPane).toBe(true);
    // Rows stay clickable at the fitted zoom.
    const row = page.locator('[data-testid="graph-step"][data-status="rebuilt"]').first();
    await expect(row).toBeVisible();
    await row.click();
    await expect(page.getByTestId("explanation")).toBeVisible();
  });

  test("timeline: lane labels are stage names; a rawjson build's parallel stages show as they ran", async ({ page }) => {
    await paste(page, { dockerfile: webFile("7-stages-parallel", "Dockerfile"), log: webFile("7-stages-parallel", "after.rawjson.log") });
    await page.getByTestId("view-timeline").click();
    const lanes = page.getByTestId("timeline-lane");
    await expect(lanes.first()).toBeVisible();
    const labels = await lanes.allInnerTexts();
    for (const name of ["proto", "api", "web", "web-test", "docs", "lint"]) expect(labels).toContain(name);
    await expect(page.getByTestId("timeline-axis")).toHaveText("time (exact)");
    // web and lint ran at the same time.
    await expect(page.getByTestId("timeline-summary")).toContainText(/at most [2-9] steps at once/);
    // Zero-duration steps are drawn, at least 6 px wide, and not covered.
    const cached = page.locator('[data-testid="timeline"] button[data-status="cached"]');
    expect(await cached.count()).toBeGreaterThan(3);
    for (const w of await cached.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width))) expect(w).toBeGreaterThanOrEqual(5.5);
    await expect(page.getByTestId("timeline-legend")).toContainText("CACHED");
  });

  test("keyboard only: tabs, the step table and the graph are one tab stop each, arrows move inside", async ({ page }) => {
    await paste(page, loadFixture("12-parallel-stages-one-changed"));
    const panel = page.getByTestId("explanation");

    // Tabs (ARIA pattern): arrow keys move and select.
    await page.getByTestId("view-graph").focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("view-timeline")).toBeFocused();
    await expect(page.getByTestId("view-timeline")).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByTestId("view-graph")).toHaveAttribute("aria-selected", "true");

    // Graph: Tab from the tabs lands on one stage; arrows move; Enter explains.
    const tabbable = await page.getByTestId("stage-graph").locator('[tabindex="0"][data-graph-node], [tabindex="0"][data-select-step]').count();
    expect(tabbable).toBe(1);
    const first = page.locator('[data-graph-node][tabindex="0"]');
    await first.focus();
    const firstId = await first.getAttribute("data-graph-node");
    await page.keyboard.press("ArrowRight");
    const focusedNode = () => page.evaluate(() => document.activeElement?.getAttribute("data-graph-node") ?? null);
    await expect.poll(focusedNode).not.toBe(firstId);
    expect(await focusedNode()).toMatch(/^stage:\d+$/);
    await page.keyboard.press("ArrowDown");
    await expect(page.locator("[data-select-step]:focus")).toHaveCount(1);
    await page.keyboard.press("Enter");
    await expect(panel).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();

    // Step table: one row is tabbable; Tab leaves the table.
    const rows = page.getByTestId("step");
    expect(await page.locator('[data-testid="step"][tabindex="0"]').count()).toBe(1);
    await page.locator('[data-testid="step"][tabindex="0"]').focus();
    await page.keyboard.press("End");
    await expect(rows.last()).toBeFocused();
    await page.keyboard.press("Home");
    await expect(rows.first()).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(panel).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.locator('[data-testid="step"]:focus')).toHaveCount(0);
  });

  test("a Dockerfile that does not match the log says so, and the log can be analysed alone", async ({ page }) => {
    const fx = loadFixture("12-parallel-stages-one-changed");
    const other = loadFixture("03-copy-context-before-install");
    await paste(page, { dockerfile: other.dockerfile, log: fx.log });
    const note = page.getByTestId("dockerfile-mismatch");
    if ((await note.count()) === 0) test.skip(true, "the engine did not flag this pair as a mismatch");
    await expect(note).toBeVisible();
    await page.getByTestId("analyse-log-alone").click();
    await waitForAnalysis(page);
    await expect(page.getByTestId("log-alone-note")).toBeVisible();
    await expect(page.locator('[data-testid="step"][data-status="not-run"]')).toHaveCount(0);
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`axe: no serious or critical violations on the main views (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.reload();
      await seriousViolations(page, "empty state");
      await paste(page, loadFixture("11-run-step-fails"));
      await seriousViolations(page, "graph view of a failed build");
      await page.getByTestId("view-timeline").click();
      await expect(page.getByTestId("timeline-lane").first()).toBeVisible();
      await seriousViolations(page, "timeline");
      await page.locator('[data-testid="step"]').first().click();
      await expect(page.getByTestId("explanation")).toBeVisible();
      await seriousViolations(page, "explanation panel");
    });
  }
});
