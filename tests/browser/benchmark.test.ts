/**
 * The speed benchmark as a person uses it in real Chromium: pick two simulator models, run, watch progress
 * live, reload mid-run and see it carry on, read charts and table, cancel a second run (unique prompt prefix
 * switched off), find the first in History.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, setInputValue, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const FAST = "sim-ttft80-tps150-len200";
const TYPICAL = "sim-ttft300-tps60-len200";
const SLOW = "sim-ttft1500-tps25-len200";

describe.skipIf(skipBrowserTests)("speed benchmark in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let firstRunUrl = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(1));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    await signUpInBrowser(page, env.stack.url, `bench-${Date.now()}@example.com`, "benchmark browser pw");
  });

  afterAll(async () => {
    await env?.stop();
  });

  const status = () => page.getByTestId("benchmark-status").textContent();

  it("runs two simulator models, shows progress live, and carries on after a reload mid-run", async () => {
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).check();
    await page.getByTestId(`model-checkbox-local_simulator-${TYPICAL}`).check();
    await setInputValue(page, "runs-input", 3);
    await setInputValue(page, "max-tokens-input", 64);
    await page.getByTestId("run-benchmark").click();
    await page.getByTestId("benchmark-progress").waitFor();
    await page.getByTestId("provider-progress-local_simulator").waitFor();
    await page.waitForFunction(() => /running/i.test(document.querySelector('[data-testid="benchmark-status"]')?.textContent ?? ""));
    // Wait for the first live result, then reload in the middle of the run.
    await page.waitForSelector(`[data-testid^="result-row-${FAST}-"]`);
    await screenshot(page, "10-benchmark-running");
    expect(page.url()).toMatch(/job=/);
    firstRunUrl = page.url();
    await page.reload();
    await page.getByTestId("benchmark-progress").waitFor();
    await page.waitForFunction(() => /completed/i.test(document.querySelector('[data-testid="benchmark-status"]')?.textContent ?? ""), null, {
      timeout: 60_000,
    });
    expect(await status()).toMatch(/completed/i);
  });

  it("shows stat cards, charts and a table with both models, and exports CSV", async () => {
    await page.getByTestId("stat-cards").waitFor();
    await page.getByTestId(`result-row-${FAST}-0`).waitFor();
    await page.getByTestId(`result-row-${TYPICAL}-0`).waitFor();
    const fastRow = (await page.getByTestId(`result-row-${FAST}-0`).textContent()) ?? "";
    expect(fastRow).toMatch(/\d/);
    for (const chart of ["chart-output-speed", "chart-ttft", "chart-scatter"]) {
      await page.getByTestId(chart).waitFor();
      expect(await page.getByTestId(chart).locator("canvas").count()).toBeGreaterThan(0);
    }
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    const csvPath = await download.path();
    const { readFileSync } = await import("node:fs");
    const csv = readFileSync(csvPath!, "utf8");
    expect(csv.split("\n")[0]).toMatch(/model/i);
    expect(csv).toContain(FAST);
    expect(csv.trim().split("\n").length).toBeGreaterThanOrEqual(7); // header + 6 measured runs
    await screenshot(page, "11-benchmark-results");
  });

  it("cancels a second run", async () => {
    await page.goto(`${env.stack.url}/benchmark/`);
    await page.getByTestId(`model-checkbox-local_simulator-${SLOW}`).waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${SLOW}`).check();
    await setInputValue(page, "runs-input", 5);
    // Provider parameters go through the registry: an out-of-range top_p is clamped and the run says so.
    await page.getByTestId("provider-params").locator("summary").click();
    await page.getByTestId("param-top_p").fill("1.5");
    // The unique prompt prefix is on by default; switched off, the request says so.
    const uniquePrefix = page.getByTestId("unique-prefix-toggle");
    expect(await uniquePrefix.isChecked()).toBe(true);
    await uniquePrefix.uncheck();
    const [submitted] = await Promise.all([
      page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/benchmark"),
      page.getByTestId("run-benchmark").click(),
    ]);
    expect(submitted.postDataJSON()).toMatchObject({ unique_prefix: false });
    // The adjustment is shown with the run (not a passing toast): top_p 1.5 → 1.
    await page.getByTestId("param-adjustments").waitFor();
    expect(await page.getByTestId("param-adjustments").textContent()).toMatch(/top_p clamp 1\.5 → 1/);
    await page.waitForFunction(() => /running/i.test(document.querySelector('[data-testid="benchmark-status"]')?.textContent ?? ""));
    await page.getByTestId("cancel-benchmark").click();
    const confirm = page.getByTestId("confirm-ok");
    await page.waitForTimeout(150);
    if (await confirm.isVisible()) await confirm.click();
    await page.waitForFunction(() => /cancel/i.test(document.querySelector('[data-testid="benchmark-status"]')?.textContent ?? ""), null, {
      timeout: 10_000,
    });
    await screenshot(page, "12-benchmark-cancelled");
  });

  it("finds the first run in History", async () => {
    const runId = await page.evaluate(async () => {
      const res = await fetch("/api/jobs?limit=10", { headers: {} });
      return res.status;
    });
    expect(runId).toBe(401); // the API needs the bearer token; the page holds it in memory only
    await page.goto(`${env.stack.url}/history/`);
    await page.waitForSelector('[data-testid^="history-row-"]');
    const statuses = await page.locator('[data-testid^="history-status-"]').allTextContents();
    expect(statuses.some((s) => /completed/i.test(s))).toBe(true);
    expect(statuses.some((s) => /cancel/i.test(s))).toBe(true);
    expect(firstRunUrl).toMatch(/job=/);
    await screenshot(page, "13-history");
  });
});
