import { expect, test } from "@playwright/test";
import { freshPage, loadFixture, paste, shot, waitForAnalysis } from "./helpers";

test.describe("views and screenshots", () => {
  test.beforeEach(async ({ page }) => {
    await freshPage(page);
  });

  test("example gallery loads a captured build in one click", async ({ page }) => {
    await page.screenshot({ path: shot("empty.png") });
    const gallery = page.getByTestId("example-gallery");
    await expect(gallery).toBeVisible();
    await gallery.locator('[data-example="12-parallel-stages-one-changed"]').click();
    await waitForAnalysis(page);
    await expect(page.getByTestId("stage-node")).toHaveCount(3);
    await expect(page.getByTestId("previous-log-input")).not.toHaveValue("");
    await page.screenshot({ path: shot("overview.png") });
    await page.screenshot({ path: shot("overview-full.png"), fullPage: true });
  });

  test("at 1280×800 the explanation panel sits beside the step that was clicked", async ({ page }) => {
    await paste(page, loadFixture("12-parallel-stages-one-changed"));
    // The last step of the right-most stage: under the panel if the panel covered the content.
    const graphStep = page.locator('[data-testid="graph-step"][data-step="2:5"]');
    await graphStep.click();
    const panel = page.getByTestId("explanation");
    await expect(panel).toBeVisible();
    const panelLeft = (await panel.boundingBox())!.x;
    const pane = (await page.getByTestId("stage-graph").boundingBox())!;
    expect(pane.x + pane.width).toBeLessThanOrEqual(panelLeft + 1);
    // The graph pans the clicked step back into view once the pane has narrowed.
    await expect
      .poll(async () => {
        const b = (await graphStep.boundingBox())!;
        return b.x >= pane.x && b.x + b.width <= pane.x + pane.width && b.y >= pane.y && b.y + b.height <= pane.y + pane.height;
      })
      .toBe(true);
    await page.waitForTimeout(300); // the pan animation
    await page.screenshot({ path: shot("explanation-graph.png") });
    const row = page.locator('[data-testid="step"][data-step="2:5"]');
    await row.scrollIntoViewIfNeeded();
    const r = (await row.boundingBox())!;
    expect(r.x + r.width).toBeLessThanOrEqual(panelLeft + 1);
    await page.screenshot({ path: shot("explanation-table.png") });
  });

  test("timeline: lanes, estimated label, zoom and hover", async ({ page }) => {
    await paste(page, loadFixture("12-parallel-stages-one-changed"));
    await page.getByTestId("view-timeline").click();
    const tl = page.getByTestId("timeline");
    await expect(tl).toBeVisible();
    await expect(tl).toContainText("estimated");
    const bars = tl.locator("button[data-bar]");
    expect(await bars.count()).toBeGreaterThan(5);
    await expect(tl.locator('button[data-status="rebuilt"]').first()).toBeVisible();
    await expect(tl.locator('button[data-status="cached"]').first()).toBeAttached();

    const canvas = page.getByTestId("timeline-canvas");
    const before = Number(await canvas.getAttribute("data-pps"));
    await page.getByTestId("timeline-zoom-in").click();
    await expect.poll(async () => Number(await canvas.getAttribute("data-pps"))).toBeGreaterThan(before);
    await page.getByTestId("timeline-zoom-out").click();
    // Ctrl + wheel zooms too.
    const box = (await page.getByTestId("timeline-scroller").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const mid = Number(await canvas.getAttribute("data-pps"));
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -200);
    await page.keyboard.up("Control");
    await expect.poll(async () => Number(await canvas.getAttribute("data-pps"))).toBeGreaterThan(mid);
    await page.getByRole("button", { name: "Fit to width" }).click();

    const wide = tl.locator('button[data-status="rebuilt"]').filter({ hasText: "RUN" }).first();
    await wide.hover();
    await expect(page.getByTestId("timeline-tooltip")).toBeVisible();
    await page.screenshot({ path: shot("timeline.png") });

    await wide.click();
    await expect(page.getByTestId("explanation")).toBeVisible();
  });

  test("rawjson build: exact timeline", async ({ page }) => {
    await paste(page, loadFixture("19-rawjson-partial-rebuild"));
    await page.getByTestId("view-timeline").click();
    await expect(page.getByTestId("timeline")).toContainText("exact times");
  });

  test("step table filters and sorts", async ({ page }) => {
    const fx = loadFixture("12-parallel-stages-one-changed");
    await paste(page, fx);
    const rebuilt = Object.values(fx.expected.steps).filter((s) => s === "rebuilt").length;
    await page.getByTestId("filter-status").selectOption("rebuilt");
    await expect(page.getByTestId("step")).toHaveCount(rebuilt);
    await page.getByTestId("filter-status").selectOption("all");
    await page.getByTestId("filter-stage").selectOption({ label: "backend" });
    const statuses = await page.getByTestId("step").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-step")!));
    expect(statuses.every((id) => id.startsWith("1:"))).toBe(true);
    await page.getByTestId("filter-stage").selectOption("all");
    await page.getByTestId("sort-steps").selectOption("duration");
    const first = page.getByTestId("step").first();
    await expect(first).toHaveAttribute("data-status", /rebuilt|error/);
  });

  test("dark mode and layer sizes", async ({ page }) => {
    await page.getByTestId("example-gallery").locator('[data-example="26-deleted-file-still-shipped"]').click();
    await waitForAnalysis(page);
    await page.getByTestId("theme-toggle").click(); // Auto → Dark
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    await page.locator('[data-testid="step"][data-status="rebuilt"]').filter({ hasText: "root cause" }).first().click();
    await page.screenshot({ path: shot("dark.png") });
    await page.keyboard.press("Escape");
    await page.getByTestId("layers").scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("findings-layers-dark.png") });
  });

  test("phone layout (read-only form)", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await paste(page, loadFixture("12-parallel-stages-one-changed"));
    await page.getByTestId("build-summary").scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("phone.png") });
    await page.locator('[data-testid="step"][data-status="rebuilt"]').first().click();
    await expect(page.getByTestId("explanation")).toBeVisible();
    await page.screenshot({ path: shot("phone-explanation.png") });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });
});
