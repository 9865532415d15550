/**
 * The Param Tuner as a person uses it in real Chromium: a small tune of the simulator's `sim-tunable` (its best
 * temperature is 0.2, and `tool_choice: required` costs it accuracy; src/simulator/README.md) on the smart-home
 * suite (all of it: on fewer cases auto and required can score the same, a tie with no best), combo rows arriving live, the best-config card with the server's significance statement, a
 * combo's drill-down, "Apply" writing the config into the Evaluate form, and the inline checks of the space builder.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";

/** Polls for up to 15 s: a loaded machine can take seconds to hydrate a page. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

import { type BrowserEnv, screenshot, setInputValue, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const SUITE = JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"), "utf8")) as {
  name: string;
  test_cases: unknown[];
};
const CASES = SUITE.test_cases.length;
const MODEL = "sim-tunable";

async function api(baseUrl: string, token: string, p: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

describe.skipIf(skipBrowserTests)("parameter tuner in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let suiteId = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(8));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const email = `tune-${Date.now()}@example.com`;
    const password = "param tune browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    const { access_token: token } = await api(env.stack.url, "", "/api/auth/login", { email, password });
    const imported = await api(env.stack.url, token, "/api/tool-eval/import", {
      ...SUITE,
      name: "Smart home",
    });
    suiteId = imported.suite_id;
  });

  afterAll(async () => {
    await env?.stop();
  });

  /** The tuner page with only sim-tunable and the small suite chosen. */
  async function openTuner() {
    await page.goto(`${env.stack.url}/tool-eval/param-tune/`);
    await page.getByTestId(`model-checkbox-local_simulator-${MODEL}`).waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${MODEL}`).check();
    await page.getByTestId("tune-suite-select").selectOption(suiteId);
  }

  it("refuses a bad range inline and keeps Run disabled until it is fixed", async () => {
    await openTuner();
    const run = page.getByTestId("run-tune");
    await page.getByTestId("space-mode-temperature").selectOption("range");
    await page.getByTestId("space-step-temperature").fill("0");
    await poll(() => page.getByTestId("space-error-temperature").textContent()).toBe("step must be greater than 0");
    expect(await run.isDisabled()).toBe(true);
    expect(await page.getByTestId("tune-run-blocked").textContent()).toMatch(/Fix the marked field/);

    await page.getByTestId("space-step-temperature").fill("0.5");
    await page.getByTestId("space-min-temperature").fill("1.5");
    await page.getByTestId("space-max-temperature").fill("0.5");
    await poll(() => page.getByTestId("space-error-temperature").textContent()).toBe("min (1.5) is greater than max (0.5)");
    expect(await run.isDisabled()).toBe(true);

    // No tool choice ticked is an empty list: refused too.
    await page.getByTestId("space-min-temperature").fill("0");
    await page.getByTestId("space-tool-choice-auto").uncheck();
    await page.getByTestId("space-tool-choice-required").uncheck();
    await page.getByTestId("space-error-tool_choice").waitFor();
    expect(await run.isDisabled()).toBe(true);
    await page.getByTestId("space-tool-choice-auto").check();
    await page.getByTestId("space-error-tool_choice").waitFor({ state: "detached" });

    // Fixed: the values, the per-model count and an estimate appear, and Run is enabled.
    await poll(() => page.getByTestId("space-values-temperature").textContent()).toBe("2 values: 0, 0.5");
    await poll(() => run.isDisabled()).toBe(false);
    // The baseline (Evaluate's defaults: temperature 0, auto) is the combo "temperature 0 · auto": run once.
    expect(await page.getByTestId(`tune-combos-${MODEL}`).textContent()).toMatch(/^sim-tunable: 2 combos · 110 calls/);
    expect(await page.getByTestId("tune-estimate").textContent()).toMatch(/^Estimate: \d+ calls/);
    // The matrix says what the simulator's provider does with each parameter.
    expect(await page.getByTestId(`compat-${MODEL}-temperature`).getAttribute("data-status")).toBe("supported");
  });

  it("runs a small tune live, shows the best config with its significance, and applies it to Evaluate", async () => {
    // The baseline is the user's Evaluate settings: a poor one (T 1.6, required), set where a person sets it.
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.getByTestId("eval-temperature-input").waitFor();
    await setInputValue(page, "eval-temperature-input", 1.6);
    await page.getByTestId("tool-choice-required").check();
    await page.waitForFunction(() => JSON.parse(localStorage.getItem("studio.tool-eval.form") ?? "{}").toolChoice === "required");

    await openTuner();
    await page.getByTestId("space-mode-temperature").selectOption("list");
    await page.getByTestId("space-list-temperature").fill("0.2, 1");
    await page.getByTestId("space-tool-choice-auto").check();
    await page.getByTestId("space-tool-choice-required").check();
    await page.getByTestId("tune-strategy-halving").check();
    expect(await page.getByTestId("tune-baseline").textContent()).toContain("temperature 1.6 · tool_choice required");
    // 2 temperatures × 2 tool choices, plus the baseline; halving plans fewer calls than the grid's 5 × 55.
    await poll(() => page.getByTestId(`tune-combos-${MODEL}`).textContent()).toMatch(/5 combos/);
    const planned = Number((await page.getByTestId(`tune-combos-${MODEL}`).textContent())!.match(/(\d+) calls/)![1]);
    expect(planned).toBeLessThan(5 * CASES);
    await page.getByTestId("run-tune").click();

    await page.getByTestId("tune-progress").waitFor();
    // Rows arrive while the tune is still running.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="combo-row-"]').length > 0);
    const live = await page.evaluate(() => ({
      rows: document.querySelectorAll('[data-testid^="combo-row-"]').length,
      status: document.querySelector('[data-testid="tune-status"]')?.textContent ?? "",
    }));
    expect(live.status).toMatch(/running|queued/);
    expect(live.rows).toBeLessThan(5);
    expect(page.url()).toMatch(/job=/);

    await page.waitForFunction(() => /completed/.test(document.querySelector('[data-testid="tune-status"]')?.textContent ?? ""), null, {
      timeout: 180_000,
    });
    const card = page.getByTestId(`best-config-${MODEL}`);
    await card.waitFor();
    expect(await card.getByTestId("best-label").textContent()).toBe("temperature 0.2 · tool_choice auto");
    // The simulator is deterministic, so is the verdict: far better than the poor baseline, in the server's words.
    expect(await card.getByTestId("best-significance").getAttribute("data-verdict")).toBe("better");
    expect(await card.getByTestId("best-title").textContent()).toBe("Best config");
    expect(await card.getByTestId("best-significance-statement").textContent()).toMatch(
      /^better than current settings \(temperature 1\.6 · tool_choice required\): \+\d+\.\d pts \[\+\d+\.\d, \+\d+\.\d\], p [=<] [\d.]+ \(55 cases\)$/,
    );
    expect(await page.locator('[data-testid^="combo-row-"]').count()).toBe(5);
    await page.getByTestId("chart-tune-scores").and(page.locator('[data-drawn="true"]')).waitFor();
    // Halving's rungs: every combo ran the first one.
    expect(await page.getByTestId(`tune-rung-${MODEL}-1`).textContent()).toMatch(/5 combos ran/);

    // A combo's cases: expected against actual.
    const bestRow = page.locator('[data-testid^="combo-row-"].is-best');
    await bestRow.locator('[data-testid^="combo-open-"]').click();
    const drill = page.getByTestId("combo-drilldown");
    await drill.waitFor();
    await poll(() => drill.locator('[data-testid^="drill-trial-"]').count()).toBe(CASES);
    await page.getByTestId("combo-drill-close").click();
    await screenshot(page, "50-param-tune-finished");

    // The tune is in the history list with its best config.
    const history = page.getByTestId("tune-history");
    await poll(() => history.locator('[data-testid^="tune-history-best-"]').first().textContent()).toBe("temperature 0.2 · tool_choice auto");

    await card.getByTestId("best-apply").click();
    await page.waitForURL(/\/tool-eval\/evaluate\/?$/);
    await page.getByTestId("eval-temperature-input").waitFor();
    await poll(() => page.getByTestId("eval-temperature-input").inputValue()).toBe("0.2");
    expect(await page.getByTestId("tool-choice-auto").isChecked()).toBe(true);
    expect(await page.getByTestId("tool-choice-required").isChecked()).toBe(false);
  }, 300_000);

  it("deletes a tune from the history list after the confirm dialog", async () => {
    await page.goto(`${env.stack.url}/tool-eval/param-tune/`);
    const rows = page.locator('[data-testid^="tune-history-row-"]');
    await page.getByTestId("tune-history").waitFor();
    await rows
      .first()
      .waitFor()
      .catch(async (err) => {
        console.log("HISTORY", await page.getByTestId("tune-history").innerHTML());
        throw err;
      });
    expect(await rows.count()).toBe(1);
    await page.locator('[data-testid^="tune-history-delete-"]').first().click();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("tune-history-empty").waitFor();
  });
});
