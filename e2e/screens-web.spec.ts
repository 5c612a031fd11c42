import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freshPage, loadFixture, paste, shot } from "./helpers";

/**
 * Screenshots of real builds (fixtures/web/, captured from Docker 28.5 + buildx 0.29) of 2, 7 and
 * 30 stages at the three sizes the README shows. The graph re-fits on every resize.
 */
const WEB = path.join(process.cwd(), "fixtures", "web");
const BUILDS = [
  { slug: "2-stages-source-changed", name: "2-stages", log: "after.log" },
  { slug: "7-stages-parallel", name: "7-stages", log: "after.log" },
  { slug: "30-stages-wide", name: "30-stages", log: "after.log" },
];
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
];

for (const b of BUILDS) {
  test(`screenshots: ${b.name} at ${SIZES.map((s) => `${s.width}×${s.height}`).join(", ")}`, async ({ page }) => {
    const read = (f: string) => fs.readFileSync(path.join(WEB, b.slug, f), "utf8");
    for (const size of SIZES) {
      // A fresh page per size: the graph picks its direction for the screen it opens on.
      await page.setViewportSize(size);
      await freshPage(page);
      await paste(page, { dockerfile: read("Dockerfile"), log: read(b.log) });
      await expect(page.getByTestId("stage-node").first()).toBeVisible();
      if (size.width < 600) {
        // On a phone the analysis comes first: show the headline and the top of the graph.
        await page.getByTestId("build-summary").evaluate((el) => el.scrollIntoView({ block: "start" }));
        await page.evaluate(() => window.scrollBy(0, -56));
      }
      await page.waitForTimeout(150);
      await page.screenshot({ path: shot(`web-${b.name}-${size.width}x${size.height}.png`) });
    }
  });
}

test("screenshots: 7-stage rawjson timeline and a failed build's headline", async ({ page }) => {
  await freshPage(page);
  const read = (f: string) => fs.readFileSync(path.join(WEB, "7-stages-parallel", f), "utf8");
  await paste(page, { dockerfile: read("Dockerfile"), log: read("after.rawjson.log") });
  await page.getByTestId("view-timeline").click();
  await expect(page.getByTestId("timeline-lane").first()).toBeVisible();
  await page.getByTestId("timeline").scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("web-7-stages-timeline.png") });

  await page.getByTestId("clear-inputs").click();
  await paste(page, loadFixture("11-run-step-fails"));
  await expect(page.getByTestId("failure")).toBeVisible();
  await page.screenshot({ path: shot("web-failed-headline.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: shot("web-failed-headline-dark.png") });
});
