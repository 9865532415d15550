/**
 * What a newcomer meets in the first hour, in real Chromium: an account made while the simulator listened on one
 * port still benchmarks after the app is restarted with another SIMULATOR_PORT (the built-in provider follows the
 * running simulator instead of keeping a copied address).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, setInputValue, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const FAST = "sim-ttft80-tps150-len200";

describe.skipIf(skipBrowserTests)("the first hour in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(6));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    await signUpInBrowser(page, env.stack.url, `first-hour-${Date.now()}@example.com`, "first hour browser pw");
  });

  afterAll(async () => {
    await env?.stop();
  });

  async function benchmarkFast(): Promise<void> {
    await page.goto(`${env.stack.url}/benchmark/`);
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).check();
    await setInputValue(page, "runs-input", 1);
    await setInputValue(page, "max-tokens-input", 32);
    const before = new URL(page.url()).searchParams.get("job");
    await page.getByTestId("run-benchmark").click();
    // The page may still show the last run's status: wait for this run's job in the URL first.
    await page.waitForURL((u) => {
      const job = u.searchParams.get("job");
      return job !== null && job !== before;
    });
    await page.waitForFunction(() => /completed|failed/i.test(document.querySelector('[data-testid="benchmark-status"]')?.textContent ?? ""), null, {
      timeout: 60_000,
    });
  }

  it("keeps an account's Local simulator working after a restart on another simulator port", async () => {
    const before = env.stack.simulator.url;
    await benchmarkFast();
    expect(await page.getByTestId("benchmark-status").textContent()).toMatch(/completed/i);

    const slot = browserPorts(6);
    await env.restart({ app: slot.app, simulator: browserPorts(7).simulator });
    expect(env.stack.simulator.url).not.toBe(before);
    await benchmarkFast();
    await screenshot(page, "60-first-hour-after-port-change");
    expect(await page.getByTestId("benchmark-status").textContent()).toMatch(/completed/i);
    await page.getByTestId(`result-row-${FAST}-0`).waitFor();

    // Settings shows where the built-in provider calls now, read-only.
    await page.goto(`${env.stack.url}/settings/providers/`);
    const card = page.getByTestId("provider-card-local_simulator");
    await card.waitFor();
    expect(await card.textContent()).toContain(`${env.stack.simulator.url}/v1`);
  });
});
