import { expect, test } from "@playwright/test";
import { loadFixture, paste, shot, stageNames, waitForAnalysis, freshPageEachTest } from "./helpers";

/** Fixture builds checked step by step against their hand-read expected.json. */
const CHECKED = ["12-parallel-stages-one-changed", "11-run-step-fails", "03-copy-context-before-install", "19-rawjson-partial-rebuild"];

test.describe("a pasted captured build", () => {
  freshPageEachTest();

  for (const slug of CHECKED) {
    test(`${slug}: stage nodes and step statuses follow expected.json`, async ({ page }) => {
      const fx = loadFixture(slug);
      await paste(page, fx);

      const names = stageNames(fx.dockerfile);
      await expect(page.getByTestId("stage-node")).toHaveCount(names.length);
      for (const name of names) await expect(page.locator(`[data-testid="stage-node"][data-stage="${name}"]`)).toBeVisible();

      for (const [id, status] of Object.entries(fx.expected.steps)) {
        await expect(page.locator(`[data-testid="step"][data-step="${id}"]`), `step ${id}`).toHaveAttribute("data-status", status);
      }
    });
  }

  test("clicking a rebuilt step explains its cause", async ({ page }) => {
    const fx = loadFixture("12-parallel-stages-one-changed");
    await paste(page, fx);
    const [rootId, cause] = Object.entries(fx.expected.stepCauses!).find(([, c]) => c !== "parent-rebuilt")!;

    // From the step table.
    await page.locator(`[data-testid="step"][data-step="${rootId}"]`).click();
    const panel = page.getByTestId("explanation");
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId("explanation-cause")).toHaveAttribute("data-cause", cause);
    await expect(panel.getByTestId("explanation-text")).not.toBeEmpty();
    await expect(panel.getByTestId("dockerfile-view").locator("[data-highlight='true']").first()).toBeVisible();
    await page.screenshot({ path: shot("explanation.png") });

    // An invalidated step links to its root step.
    const [childId] = Object.entries(fx.expected.stepCauses!).find(([, c]) => c === "parent-rebuilt")!;
    await page.locator(`[data-testid="step"][data-step="${childId}"]`).click();
    await expect(panel.getByTestId("explanation-cause")).toHaveAttribute("data-cause", "parent-rebuilt");
    await panel.getByTestId("root-step-link").click();
    await expect(panel.getByTestId("explanation-cause")).toHaveAttribute("data-cause", cause);

    // From a step inside a graph node.
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    await page.locator(`[data-testid="graph-step"][data-step="${rootId}"]`).click();
    await expect(panel.getByTestId("explanation-cause")).toHaveAttribute("data-cause", cause);
  });

  test("inputs survive a reload until cleared", async ({ page }) => {
    const fx = loadFixture("03-copy-context-before-install");
    await paste(page, fx);
    await page.waitForFunction(() => (localStorage.getItem("cachescope:inputs:v1") ?? "").length > 100);
    await page.reload();
    await expect(page.getByTestId("log-input")).toHaveValue(fx.log);
    await expect(page.getByTestId("dockerfile-input")).toHaveValue(fx.dockerfile);
    await waitForAnalysis(page);
    await expect(page.getByTestId("step").first()).toBeVisible();

    await page.getByTestId("clear-inputs").click();
    await expect(page.getByTestId("log-input")).toHaveValue("");
    await page.reload();
    await expect(page.getByTestId("log-input")).toHaveValue("");
    await expect(page.getByTestId("empty-state")).toBeVisible();
  });

  test("keyboard: rows, graph nodes and Escape", async ({ page }) => {
    const fx = loadFixture("12-parallel-stages-one-changed");
    await paste(page, fx);
    const panel = page.getByTestId("explanation");

    const rows = page.getByTestId("step");
    await rows.first().focus();
    await page.keyboard.press("ArrowDown");
    const second = await rows.nth(1).getAttribute("data-step");
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(panel).toBeVisible();
    await expect(panel.locator("#explanation-title")).toBeFocused();
    await expect(page.locator(`[data-testid="step"][data-step="${second}"]`)).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    await expect(rows.nth(1)).toBeFocused();

    // Space on a row works too.
    await page.keyboard.press("Space");
    await expect(panel).toBeVisible();
    await page.keyboard.press("Escape");

    // Graph nodes are focusable; Enter opens the stage's most interesting step.
    const node = page.locator('[data-testid="stage-node"][data-stage="backend"]');
    await node.focus();
    await page.keyboard.press("Enter");
    await expect(panel).toBeVisible();
    await expect(panel).toContainText("backend");
    await page.keyboard.press("Escape");

    // Tab from the log input moves on through the page (no keyboard trap).
    await page.getByTestId("log-input").focus();
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("log-input")).not.toBeFocused();
  });

  test("a log that is not a build log gets a friendly message, not a blank page", async ({ page }) => {
    await paste(page, { log: "hello world\nthis is not a docker build log at all\n}{][<>\n\u0000\u0001garbage" });
    await expect(page.getByTestId("log-input")).toBeVisible();
    const friendly = page.getByTestId("no-steps").or(page.getByLabel("Problems in Build log"));
    await expect(friendly.first()).toBeVisible();
    await expect(page.getByTestId("analysis-error")).toHaveCount(0);
    await page.screenshot({ path: shot("garbage-log.png") });
  });

  test("HTML and script in a log line are shown as text and never run", async ({ page }) => {
    const evil = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
    const dockerfile = `FROM local/busybox:latest\nRUN echo '${evil}'\n`;
    const log = [
      `#0 building with "default" instance using docker driver`,
      ``,
      `#1 [internal] load build definition from Dockerfile`,
      `#1 transferring dockerfile: 120B done`,
      `#1 DONE 0.0s`,
      ``,
      `#2 [1/2] FROM docker.io/local/busybox:latest`,
      `#2 DONE 0.0s`,
      ``,
      `#3 [2/2] RUN echo '${evil}'`,
      `#3 0.201 ${evil}`,
      `#3 DONE 0.3s`,
      ``,
    ].join("\n");
    await paste(page, { dockerfile, log });
    const row = page.locator('[data-testid="step"][data-step="0:2"]');
    await expect(row).toContainText("<script>window.__pwned=2</script>");
    await row.click();
    await expect(page.getByTestId("explanation")).toContainText("<img src=x");
    await expect(page.locator("main img, aside img, [data-testid=explanation] img")).toHaveCount(0);
    await expect(page.locator("body script", { hasText: "__pwned" })).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
