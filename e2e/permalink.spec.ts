import { expect, test } from "@playwright/test";
import { createPermalink } from "../lib/share/permalink";
import { loadFixture, waitForAnalysis, waitForReady } from "./helpers";

test("a permalink restores inputs, the selected step and the view (before localStorage)", async ({ page }) => {
  const fx = loadFixture("12-parallel-stages-one-changed");
  // Something else kept in this browser must not win over the link.
  await page.goto("/");
  await page.evaluate(() => localStorage.setItem("cachescope:inputs:v1", JSON.stringify({ log: "#1 [internal] other build\n", dockerfile: "" })));
  const link = createPermalink({ inputs: { log: fx.log, dockerfile: fx.dockerfile, previousLog: null, previousDockerfile: null, image: null }, selectedStep: "1:3", view: "timeline" });
  await page.goto("about:blank");
  await page.goto("/" + link.hash);
  await waitForAnalysis(page);
  await expect(page.getByTestId("log-input")).toHaveValue(link.state.inputs.log);
  await expect(page.getByTestId("dockerfile-input")).toHaveValue(fx.dockerfile);
  await expect(page.getByTestId("view-timeline")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("explanation")).toBeVisible();
  await expect(page.locator('[data-testid="step"][data-step="1:3"]')).toHaveAttribute("aria-selected", "true");
});

test("a damaged permalink says so and falls back to what was kept", async ({ page }) => {
  await page.goto("/");
  await page.evaluate(() => localStorage.clear());
  await page.goto("about:blank");
  await page.goto("/#v1.!!!not-a-link");
  await expect(page.getByRole("status")).toContainText("This link could not be opened");
  await expect(page.getByTestId("log-input")).toHaveValue("");
});

test("a permalink pasted into an open tab (hash change only) is restored too", async ({ page }) => {
  const fx = loadFixture("03-copy-context-before-install");
  await page.goto("/");
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitForReady(page);
  const link = createPermalink({ inputs: { log: fx.log, dockerfile: fx.dockerfile, previousLog: null, previousDockerfile: null, image: null }, selectedStep: null, view: "graph" });
  await page.evaluate((hash) => { window.location.hash = hash; }, link.hash);
  await waitForAnalysis(page);
  await expect(page.getByTestId("dockerfile-input")).toHaveValue(fx.dockerfile);
});
