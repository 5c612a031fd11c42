import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

export const SCENARIOS = path.join(process.cwd(), "fixtures", "scenarios");
export const SCREENSHOTS = path.join(process.cwd(), "e2e", "screenshots");

export interface Fixture {
  slug: string;
  dockerfile: string;
  log: string;
  previousLog: string | null;
  expected: {
    description: string;
    format: string;
    buildStatus: string;
    steps: Record<string, string>;
    stepCauses?: Record<string, string>;
    rootCauses?: { rootStep: string; cause: string; line: number | null }[];
  };
}

/** A captured fixture build, read from fixtures/scenarios/<slug>/ the way a person would paste it. */
export function loadFixture(slug: string): Fixture {
  const dir = path.join(SCENARIOS, slug);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
  const read = (f: string | null | undefined) => (f ? fs.readFileSync(path.join(dir, f), "utf8") : null);
  return {
    slug,
    dockerfile: read(expected.dockerfile ?? "Dockerfile") ?? "",
    log: read(expected.logFile ?? "after.log")!,
    previousLog: read(expected.previousLogFile),
    expected,
  };
}

/** Stage names as BuildKit labels them: `AS name`, else `stage-N`. */
export function stageNames(dockerfile: string): string[] {
  const names: string[] = [];
  for (const line of dockerfile.split("\n")) {
    const m = /^\s*FROM\s+(?:--\S+\s+)*\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (m) names.push(m[1] ?? `stage-${names.length}`);
  }
  return names;
}

export async function freshPage(page: Page) {
  await page.goto("/");
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByTestId("log-input")).toBeVisible();
  await waitForReady(page);
}

/** The server-rendered page is visible before React listens (drops, pastes, hash changes): wait until it does. */
export async function waitForReady(page: Page) {
  await expect(page.locator('main[data-ready="true"]')).toBeAttached({ timeout: 30_000 });
}

/** Inside a describe: a fresh page before each test, and no uncaught page error after it. */
export function freshPageEachTest(): void {
  let pageErrors: string[] = [];
  test.beforeEach(async ({ page }) => {
    pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await freshPage(page);
  });
  test.afterEach(() => {
    expect(pageErrors, "uncaught errors in the page").toEqual([]);
  });
}

/**
 * Put text into an input area. Small texts are typed in with fill(); large ones are set the way a
 * paste lands (one input event), because fill() inserts text through the editing pipeline, which
 * takes minutes for hundreds of kilobytes.
 */
export async function setInput(page: Page, testId: string, text: string) {
  const area = page.getByTestId(testId);
  if (text.length < 20_000) return area.fill(text);
  await area.evaluate((el, value) => {
    // A real paste event first (the app takes large pastes without the text area); a synthetic
    // paste inserts nothing by itself, so when the app leaves it alone, land the text as an input.
    const dt = new DataTransfer();
    dt.setData("text/plain", value);
    (el as HTMLTextAreaElement).focus();
    const taken = !el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    if (taken) return;
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!;
    setter.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

/** Paste inputs and wait until the analysis has been drawn. */
export async function paste(page: Page, inputs: { dockerfile?: string; log: string }) {
  if (inputs.dockerfile != null) await setInput(page, "dockerfile-input", inputs.dockerfile);
  await setInput(page, "log-input", inputs.log);
  await waitForAnalysis(page);
}

export async function waitForAnalysis(page: Page) {
  await expect(page.getByTestId("analysis-status")).toHaveText(/Analysed in/, { timeout: 30_000 });
}

export function shot(name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}
