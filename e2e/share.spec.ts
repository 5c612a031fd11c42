import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { readPermalinkFromHash } from "../lib/share/permalink";
import { loadFixture, paste, shot, waitForAnalysis, freshPageEachTest } from "./helpers";

/**
 * "Share it": a link opened in a fresh browser (no local storage) shows the same build — the same
 * step statuses (DOM contract) and the same explanation for the selected step — and never carries
 * a secret.
 */

const SLUG = "12-parallel-stages-one-changed";
const ROOT_STEP = "1:3"; // [backend 3/4] COPY api/ ./ — rebuilt, root cause (context-changed)
const SECRETS: string[] = Object.values(JSON.parse(fs.readFileSync(path.join(process.cwd(), "test", "secrets", "secrets.json"), "utf8")).secrets);

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/** step id → data-status for every row of the step table. */
async function stepStatuses(page: Page): Promise<Record<string, string>> {
  await expect(page.getByTestId("step").first()).toBeVisible();
  return page
    .getByTestId("step")
    .evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute("data-step")!, r.getAttribute("data-status")!])));
}

async function explanationText(page: Page): Promise<string> {
  const panel = page.getByTestId("explanation");
  await expect(panel).toBeVisible();
  return panel.innerText();
}

async function selectStep(page: Page, id: string) {
  await page.locator(`[data-testid="step"][data-step="${id}"]`).click();
  await expect(page.getByTestId("explanation")).toBeVisible();
}

async function openShareMenu(page: Page) {
  await page.getByTestId("share-button").click();
  await expect(page.getByRole("dialog", { name: "Share and export" })).toBeVisible();
}

/** A page in a new browser context: nothing kept from the page that made the link. */
async function freshContextPage(browser: Browser, seedStorage?: { baseURL: string; value: unknown }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  if (seedStorage) {
    await page.goto(seedStorage.baseURL);
    await page.evaluate((v) => localStorage.setItem("cachescope:inputs:v1", JSON.stringify(v)), seedStorage.value);
  }
  return { context, page };
}

/**
 * The log with `lines` more lines in its exporter vertex (attestation manifests, as a
 * multi-platform build prints them). Digests do not compress, and the permalink's trimming only
 * drops step output, so the link grows past its limit while the analysis stays the same.
 */
function padExporter(log: string, vertex: number, lines: number): string {
  const extra = Array.from(
    { length: lines },
    (_, i) => `#${vertex} exporting attestation manifest sha256:${createHash("sha256").update(`pad-${i}`).digest("hex")} done`,
  );
  const done = new RegExp(`^#${vertex} DONE .*$`, "m");
  expect(log).toMatch(done);
  return log.replace(done, (m) => `${extra.join("\n")}\n${m}`);
}

function expectNoSecrets(text: string, where: string) {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} contains the planted secret ${secret.slice(0, 12)}…`).toBe(false);
}

test.describe("share", () => {
  freshPageEachTest();

  test("Copy link → a fresh browser shows the same statuses and explanation", async ({ page, browser }) => {
    const fx = loadFixture(SLUG);
    await paste(page, fx);
    await selectStep(page, ROOT_STEP);
    const want = { statuses: await stepStatuses(page), explanation: await explanationText(page) };
    expect(want.statuses).toEqual(fx.expected.steps);

    await openShareMenu(page);
    await page.getByRole("button", { name: "Copy link" }).click();
    const link = await page.getByTestId("share-link").inputValue();
    await expect(page.getByTestId("redaction-summary")).toHaveText("Nothing needed redacting.");
    // The inputs travel in the fragment only: nothing for a server to see before the '#'.
    const url = new URL(link);
    expect(url.pathname).toBe("/");
    expect(url.search).toBe("");
    expect(url.hash).toMatch(/^#v1\./);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await page.screenshot({ path: shot("share-menu.png") });

    const fresh = await freshContextPage(browser);
    try {
      await fresh.page.goto(link);
      await waitForAnalysis(fresh.page);
      await expect(fresh.page.locator(`[data-testid="step"][data-step="${ROOT_STEP}"]`)).toHaveAttribute("aria-selected", "true");
      expect(await stepStatuses(fresh.page)).toEqual(want.statuses);
      expect(await explanationText(fresh.page)).toBe(want.explanation);
      await expect(fresh.page.getByTestId("explanation-cause")).toHaveAttribute("data-cause", "context-changed");
    } finally {
      await fresh.context.close();
    }
  });

  test("a link too long for the URL → Create stored link → /s/<id> in a fresh browser", async ({ page, browser, baseURL, request }) => {
    const fx = loadFixture(SLUG);
    const log = padExporter(fx.log, 16, 1000);
    await paste(page, { dockerfile: fx.dockerfile, log });
    await selectStep(page, ROOT_STEP);
    const want = { statuses: await stepStatuses(page), explanation: await explanationText(page) };
    expect(want.statuses).toEqual(fx.expected.steps);

    await openShareMenu(page);
    await page.getByRole("button", { name: "Copy link" }).click();
    await expect(page.getByRole("dialog")).toContainText("too long to share reliably");
    await expect(page.getByTestId("share-link")).toHaveCount(0);
    await page.getByRole("button", { name: "Create stored link" }).click();
    const storedLink = page.getByTestId("share-stored-link");
    await expect(storedLink).toBeVisible();
    const link = await storedLink.inputValue();
    const id = /\/s\/([^/?#]+)$/.exec(new URL(link).pathname)?.[1];
    expect(id, `stored link ${link}`).toBeTruthy();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    // The API gives back exactly what was shared (nothing needed redacting, nothing trimmed).
    const res = await request.get(`/api/share/${id}`);
    expect(res.status()).toBe(200);
    const stored = await res.json();
    expect(stored).toMatchObject({ id, selectedStep: ROOT_STEP, view: "graph", inputs: { log, dockerfile: fx.dockerfile } });

    // Something else kept in the new browser must not win over the stored link.
    const fresh = await freshContextPage(browser, { baseURL: baseURL!, value: { log: "#1 [internal] some other build\n#1 DONE 0.0s\n", dockerfile: "" } });
    try {
      await fresh.page.goto(link);
      await waitForAnalysis(fresh.page);
      await expect(fresh.page.getByTestId("log-input")).toHaveValue(log);
      expect(await stepStatuses(fresh.page)).toEqual(want.statuses);
      expect(await explanationText(fresh.page)).toBe(want.explanation);
      await fresh.page.screenshot({ path: shot("stored-link.png") });

      // Editing the shared build leaves /s/<id>, so a reload shows the edits rather than the link.
      await fresh.page.getByTestId("dockerfile-input").fill(fx.dockerfile + "\n# edited\n");
      await expect.poll(() => new URL(fresh.page.url()).pathname).toBe("/");
    } finally {
      await fresh.context.close();
    }
  });

  test("a planted secret never reaches a link, the server or a stored share", async ({ page, browser, request }) => {
    const dockerfile = fs.readFileSync(path.join(process.cwd(), "test", "secrets", "Dockerfile"), "utf8");
    const log = fs.readFileSync(path.join(process.cwd(), "test", "secrets", "build.log"), "utf8");
    expect(SECRETS.some((s) => log.includes(s) || dockerfile.includes(s))).toBe(true);
    await paste(page, { dockerfile, log });
    const first = page.locator('[data-testid="step"][data-status="rebuilt"]').nth(1);
    const selected = (await first.getAttribute("data-step"))!;
    await selectStep(page, selected);
    const statuses = await stepStatuses(page);

    // The permalink: decoded, it holds the redacted inputs only.
    await openShareMenu(page);
    await page.getByRole("button", { name: "Copy link" }).click();
    const link = await page.getByTestId("share-link").inputValue();
    await expect(page.getByTestId("redaction-summary")).toContainText("Redacted before sharing");
    expectNoSecrets(link, "the link");
    const decoded = readPermalinkFromHash(new URL(link).hash);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expectNoSecrets(JSON.stringify(decoded.state), "the decoded permalink");
    expect(decoded.state.selectedStep).toBe(selected);
    expect(decoded.state.inputs.log).toContain("[build 3/6] RUN git clone");

    const fresh = await freshContextPage(browser);
    try {
      await fresh.page.goto(link);
      await waitForAnalysis(fresh.page);
      expect(await stepStatuses(fresh.page)).toEqual(statuses);
      expectNoSecrets(await fresh.page.getByTestId("log-input").inputValue(), "the opened permalink's log");
    } finally {
      await fresh.context.close();
    }

    // The stored link, through the UI: the upload itself is already redacted.
    await page.keyboard.press("Escape");
    const padded = padExporter(log, 10, 1000);
    await paste(page, { dockerfile, log: padded });
    await selectStep(page, selected);
    await openShareMenu(page);
    await page.getByRole("button", { name: "Copy link" }).click();
    const upload = page.waitForRequest((r) => r.url().endsWith("/api/share") && r.method() === "POST");
    await page.getByRole("button", { name: "Create stored link" }).click();
    expectNoSecrets((await upload).postData() ?? "", "the upload to /api/share");
    const storedUrl = await page.getByTestId("share-stored-link").inputValue();
    await expect(page.getByTestId("redaction-summary")).toContainText("Redacted before sharing");
    const id = new URL(storedUrl).pathname.split("/").pop()!;
    const res = await request.get(`/api/share/${id}`);
    expect(res.status()).toBe(200);
    expectNoSecrets(await res.text(), "GET /api/share/<id>");

    const fresh2 = await freshContextPage(browser);
    try {
      await fresh2.page.goto(storedUrl);
      await waitForAnalysis(fresh2.page);
      expect(await stepStatuses(fresh2.page)).toEqual(statuses);
      expectNoSecrets(await fresh2.page.getByTestId("log-input").inputValue(), "the stored share's log");
      expectNoSecrets(await fresh2.page.getByTestId("dockerfile-input").inputValue(), "the stored share's Dockerfile");
    } finally {
      await fresh2.context.close();
    }

    // A client that does not redact (the API is public): the server redacts before storing.
    const raw = await request.post("/api/share", {
      data: { version: 1, inputs: { log, dockerfile }, selectedStep: selected, view: "graph" },
    });
    expect(raw.status()).toBeLessThan(300);
    const rawBody = await raw.json();
    expect(rawBody.redactions.length).toBeGreaterThan(0);
    const back = await request.get(`/api/share/${rawBody.id}`);
    expect(back.status()).toBe(200);
    expectNoSecrets(await back.text(), "a share stored from unredacted inputs");
  });
});
