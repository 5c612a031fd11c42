import { defineConfig, devices } from "@playwright/test";

const CI = !!process.env.CI;
const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * E2E against the production build (`next build` first: scripts/e2e.sh), in the system Chromium
 * (browser downloads do not work on these machines).
 */
export default defineConfig({
  testDir: "e2e",
  // Traces and failure screenshots; the JSON report sits beside it in test-results/ (not wiped).
  outputDir: "test-results/artifacts",
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: CI ? 1 : 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // scripts/summarize-tests.mjs reads the JSON report's stats.
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }], ...(CI ? ([["html", { open: "never" }]] as const) : [])],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "on-first-retry",
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, headless: true } }],
  webServer: {
    // The production server; scripts/e2e.sh builds first. Builds here only when no build exists.
    command: `sh -c '[ -f .next/BUILD_ID ] || npx next build; exec npx next start -p ${PORT} -H 127.0.0.1'`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !CI,
    timeout: 300_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
