import { expect, test } from "@playwright/test";
import { freshPage, paste, shot } from "./helpers";

const STAGES = 100;
const STEPS_PER_STAGE = 20; // FROM + 19 → 2,000 steps

/** A 100-stage, 2,000-step Dockerfile and its plain log: stage i copies from stage (i-1)/2. */
function generate() {
  const df: string[] = [];
  const log: string[] = ['#0 building with "default" instance using docker driver', ""];
  let v = 1;
  log.push(`#${v} [internal] load build definition from Dockerfile`, `#${v} transferring dockerfile: 80kB done`, `#${v} DONE 0.0s`, "");
  v++;
  for (let s = 0; s < STAGES; s++) {
    const name = `s${s}`;
    df.push(`FROM local/busybox:latest AS ${name}`);
    log.push(`#${v} [${name} 1/${STEPS_PER_STAGE}] FROM docker.io/local/busybox:latest`, `#${v} DONE 0.0s`, "");
    v++;
    for (let p = 2; p <= STEPS_PER_STAGE; p++) {
      const text = p === 2 && s > 0 ? `COPY --from=s${Math.floor((s - 1) / 2)} /out /in` : `RUN echo ${s}-${p} > /out`;
      df.push(text);
      const rebuilt = s % 3 === 0 && p > 10;
      log.push(`#${v} [${name} ${p}/${STEPS_PER_STAGE}] ${text}`);
      if (rebuilt) log.push(`#${v} 0.101 ${s}-${p}`, `#${v} DONE ${(0.2 + (p % 5) * 0.3).toFixed(1)}s`);
      else log.push(`#${v} CACHED`);
      log.push("");
      v++;
    }
    df.push("");
  }
  log.push(`#${v} exporting to image`, `#${v} exporting layers done`, `#${v} DONE 0.1s`, "");
  return { dockerfile: df.join("\n"), log: log.join("\n") };
}

test("100 stages / 2,000 steps: analysed in a worker, graph pans and zooms", async ({ page }) => {
  test.setTimeout(120_000);
  await freshPage(page);
  const { dockerfile, log } = generate();
  await paste(page, { dockerfile, log });
  await expect(page.getByTestId("analysis-status")).toContainText("worker");
  await expect(page.getByTestId("step")).toHaveCount(STAGES * STEPS_PER_STAGE);
  await expect(page.getByTestId("stage-node").first()).toBeVisible();

  const viewport = page.locator(".react-flow__viewport");
  const transform = () => viewport.evaluate((el) => getComputedStyle(el).transform);
  const pane = page.locator(".react-flow__pane");
  const box = (await pane.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;

  // Zoom in with the wheel, several times; each must land quickly.
  const t0 = await transform();
  await page.mouse.move(cx, cy);
  const started = Date.now();
  for (let i = 0; i < 8; i++) {
    await page.mouse.wheel(0, -240);
    await page.waitForTimeout(30);
  }
  await expect.poll(transform).not.toBe(t0);
  const t1 = await transform();

  // Pan by dragging the pane.
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(cx - i * 30, cy - i * 10);
  await page.mouse.up();
  await expect.poll(transform).not.toBe(t1);
  const elapsed = Date.now() - started;
  expect(elapsed, "8 wheel zooms + a 10-step drag").toBeLessThan(8_000);

  // The page stays responsive: a frame is painted promptly after interaction.
  const frame = await page.evaluate(
    () => new Promise<number>((resolve) => { const t = performance.now(); requestAnimationFrame(() => resolve(performance.now() - t)); }),
  );
  expect(frame).toBeLessThan(500);
  await expect(page.getByTestId("stage-node").first()).toBeVisible();
  await page.screenshot({ path: shot("big-build.png") });
});
