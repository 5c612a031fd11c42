import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { loadFixture, paste, freshPage } from "./helpers";

/**
 * Issue 9 in the browser: security headers on every kind of route, the app working under its CSP
 * (no violation on the main page — analysis Web Worker included — nor on a stored-link page), and
 * a share dialog that lists what it redacted, by kind and count.
 */

const SECRET_LINES = [
  "#10 0.501 using ghp_FAKE0gh28ClassicABCDEFGHIJKLMNOPQRSTU for the API",
  "#10 0.502 -----BEGIN RSA PRIVATE KEY-----",
  "#10 0.503 MIIEowIBAAKCAQEAFAKE0pemBody0line0one0000000000000000000000000000",
  "#10 0.504 -----END RSA PRIVATE KEY-----",
  "#10 0.505 curl -H 'Authorization: Bearer FAKE0bearerValue02abcdef' https://api.example.com",
];
const SECRETS = ["ghp_FAKE0gh28ClassicABCDEFGHIJKLMNOPQRSTU", "MIIEowIBAAKCAQEAFAKE0pemBody0line0one", "FAKE0bearerValue02abcdef", "correct-horse-battery", "npm_FAKEcachescope0fixture0token00000000"];

/** Fixture 25 with secrets planted: a GitHub token, a key, a bearer token, and a password BuildKit expanded into a step name. */
function plantedInputs(pad = 0) {
  const fx = loadFixture("25-secret-in-build-arg");
  const dockerfile = fx.dockerfile.replace("RUN sleep 1 && cat src/*.js > bundle.js", "ARG DB_PASSWORD\nRUN sleep 1 && echo $DB_PASSWORD > /tmp/pw && cat src/*.js > bundle.js");
  const filler = Array.from({ length: pad }, (_, i) => `#10 0.${String(i % 1000).padStart(3, "0")} compiling module ${i} of the bundle, nothing secret here`);
  const log = fx.log
    .replace("#10 [6/6] RUN sleep 1 && cat src/*.js > bundle.js", "#10 [6/6] RUN sleep 1 && echo correct-horse-battery > /tmp/pw && cat src/*.js > bundle.js")
    .replace("#10 DONE 1.2s", [...filler, ...SECRET_LINES, "#10 DONE 1.2s"].join("\n"));
  return { dockerfile, log };
}

/** Records CSP violations (event and console) from the first script on. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const consoleHits: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|create|connect)/i.test(m.text())) consoleHits.push(m.text());
  });
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...consoleHits, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []))];
}

test.describe("security headers", () => {
  test("pages, API routes and static files carry them; no X-Powered-By", async ({ request }) => {
    const home = await request.get("/");
    expect(home.status()).toBe(200);
    const h = home.headers();
    expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).not.toContain("unsafe-eval");
    const again = await request.get("/");
    expect(again.headers()["content-security-policy"]).not.toBe(h["content-security-policy"]); // a fresh nonce per request
    const html = await home.text();
    const nonce = /'nonce-([^']+)'/.exec(h["content-security-policy"]!)![1]!;
    expect(html).toContain(`nonce="${nonce}"`);
    const asset = /(?:src|href)="(\/_next\/static\/[^"]+\.(?:js|css))"/.exec(html)?.[1];
    expect(asset, "a static asset on the page").toBeTruthy();

    const routes = ["/", "/s/0000000000000000000000", "/api/share/0000000000000000000000", "/api/card.svg?status=success&hit=0.5", asset!];
    for (const route of routes) {
      const r = await request.get(route);
      const rh = r.headers();
      expect(rh["x-content-type-options"], `${route} nosniff`).toBe("nosniff");
      expect(rh["referrer-policy"], `${route} Referrer-Policy`).toBe("no-referrer");
      expect(rh["x-powered-by"], `${route} X-Powered-By`).toBeUndefined();
      expect(rh["x-frame-options"], `${route} X-Frame-Options`).toBe("DENY");
    }
    const api = await request.get("/api/share/0000000000000000000000");
    expect(api.status()).toBe(404);
    expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
    const post = await request.post("/api/share", { data: { version: 1 }, headers: { "content-type": "application/json" } });
    expect(post.status()).toBe(400);
    expect(post.headers()["x-content-type-options"]).toBe("nosniff");
    expect(await post.text()).not.toMatch(/\n\s+at |node_modules/); // no stack trace
  });
});

test.describe("under the CSP", () => {
  test("the main page works (analysis worker included) with no CSP violation, and the share dialog lists the redactions", async ({ page }) => {
    const violations = await watchCsp(page);
    await freshPage(page);
    // Padded past 100 KB so the analysis runs in the Web Worker.
    const inputs = plantedInputs(2500);
    expect(inputs.log.length).toBeGreaterThan(110_000);
    await paste(page, inputs);
    await expect(page.getByTestId("step").first()).toBeVisible();
    await page.getByTestId("share-button").click();
    const dialog = page.getByRole("dialog", { name: "Share and export" });
    await expect(dialog).toBeVisible();
    const summary = page.getByTestId("redaction-summary");
    await expect(summary).toContainText("Redacted before sharing");
    await expect(summary).toContainText("1 GitHub token");
    await expect(summary).toContainText("1 private key");
    await expect(summary).toContainText("1 bearer token");
    await expect(summary).toContainText("DB_PASSWORD");
    await expect(summary).not.toContainText("Nothing needed redacting");
    fs.mkdirSync(path.join("test-results"), { recursive: true });
    await dialog.screenshot({ path: path.join("test-results", "share-dialog-redactions.png") });
    await page.getByRole("button", { name: "Copy link" }).click();
    const link = await page.getByTestId("share-link").inputValue().catch(() => "");
    if (link) for (const s of SECRETS) expect(decodeURIComponent(link)).not.toContain(s);
    expect(await violations()).toEqual([]);
  });

  test("a stored-link page works with no CSP violation and shows no secret", async ({ page, request }) => {
    const inputs = plantedInputs();
    const res = await request.post("/api/share", { data: { version: 1, inputs }, headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" } });
    expect([200, 201]).toContain(res.status());
    const { url, redactions } = await res.json();
    expect(redactions.length).toBeGreaterThan(0);
    const violations = await watchCsp(page);
    await page.goto(url);
    await expect(page.getByTestId("step").first()).toBeVisible({ timeout: 30_000 });
    const html = await page.content();
    for (const s of SECRETS) expect(html).not.toContain(s);
    expect(await violations()).toEqual([]);
    const gone = await request.get("/api/share/zzzzzzzzzzzzzzzzzzzzzz");
    expect(gone.status()).toBe(404);
  });
});
