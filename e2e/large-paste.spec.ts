import { expect, test } from "@playwright/test";
import { freshPage, loadFixture, paste } from "./helpers";

/**
 * A large paste is kept whole and analysed whole, but the text area shows a read-only preview:
 * laying out a megabyte of text costs the browser ~0.4 s by itself.
 */
test("a large pasted log is analysed in full and previewed in the text area", async ({ page }) => {
  await freshPage(page);
  const fx = loadFixture("12-parallel-stages-one-changed");
  // The real captured log, with 6,000 more output lines in its last RUN (#15): ~400 kB.
  const extra = Array.from({ length: 6000 }, (_, i) => `#15 1.${String(i).padStart(3, "0")} output line ${i} ${"x".repeat(40)}`).join("\n");
  const log = fx.log.replace(/^#15 DONE/m, `${extra}\n#15 DONE`);
  expect(log.length).toBeGreaterThan(300_000);
  await paste(page, { dockerfile: fx.dockerfile, log });

  for (const [id, status] of Object.entries(fx.expected.steps))
    await expect(page.locator(`[data-testid="step"][data-step="${id}"]`), `step ${id}`).toHaveAttribute("data-status", status);

  const area = page.getByTestId("log-input");
  await expect(area).toHaveJSProperty("readOnly", true);
  const shown = await area.inputValue();
  expect(shown.length).toBeLessThan(40_000);
  expect(shown).toMatch(/more, kept in full and analysed/);

  await page.getByRole("button", { name: /Edit the full text of Build log/ }).click();
  await expect(area).toHaveJSProperty("readOnly", false);
  expect((await area.inputValue()).length).toBe(log.length);

  // The whole text survives a reload (kept in this browser), back in preview.
  await page.reload();
  await expect(page.getByTestId("log-input")).toHaveJSProperty("readOnly", true);
  await expect(page.locator('[data-testid="step"][data-step="2:5"]')).toHaveAttribute("data-status", "rebuilt");
});
