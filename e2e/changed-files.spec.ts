import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freshPage, paste, setInput, shot, waitForAnalysis } from "./helpers";

/**
 * Which files broke the cache, in the web panel: a real capture with two roots in two stages
 * (fixtures/changed-files/05-two-stages, Docker 28.5) and the commit's `git diff --name-only`
 * pasted into "Changed files" — each root names exactly the files it copies.
 */
const DIR = path.join(process.cwd(), "fixtures", "changed-files", "05-two-stages");
const read = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");

test("each rebuilt root names exactly the changed files it copies", async ({ page }) => {
  await freshPage(page);
  await paste(page, { dockerfile: read("Dockerfile"), log: read("after.log") });
  await page.locator("summary", { hasText: "More inputs" }).click();
  await setInput(page, "changed-files-input", read("changed-files.txt"));
  await waitForAnalysis(page);

  const expectFiles = async (step: string, files: string[]) => {
    await page.locator(`[data-testid="step"][data-step="${step}"]`).click();
    const list = page.getByTestId("explanation").getByTestId("explanation-changed-files");
    await expect(list).toBeVisible();
    await expect(list.locator("li")).toHaveText(files);
  };
  await expectFiles("0:3", ["api/main.go"]);
  await expectFiles("1:5", ["web/app.js"]);
  await expect(page.getByTestId("explanation")).toContainText(/exact/i);
  await page.screenshot({ path: shot("changed-files-panel.png") });
});
