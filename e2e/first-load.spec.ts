import { expect, test } from "@playwright/test";

const BUDGET_GZIP_BYTES = 200 * 1024;

test("home page first-load JavaScript stays under 200 kB gzipped (graph code loads on demand)", async ({ page }) => {
  await page.goto("/");
  await page.evaluate(() => localStorage.clear());
  await page.reload({ waitUntil: "networkidle" });
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((e) => (e as PerformanceResourceTiming).initiatorType === "script" || e.name.endsWith(".js"))
      .map((e) => ({ name: e.name, bytes: (e as PerformanceResourceTiming).encodedBodySize })),
  );
  const total = scripts.reduce((a, s) => a + s.bytes, 0);
  console.log(`first-load JS: ${scripts.length} scripts, ${(total / 1024).toFixed(1)} kB over the wire (compressed)`);
  expect(scripts.length).toBeGreaterThan(0);
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThan(BUDGET_GZIP_BYTES);
});
