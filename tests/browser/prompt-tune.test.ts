/**
 * The Prompt Tuner as a person uses it in real Chromium: a quick tune of a weak base prompt on a few cases of the
 * smart-home suite, with the simulator's prompt writer as meta-model and its keyword-sensitive tool-caller
 * (sim-tunable) as target; prompt cards arrive live, the Best Prompt card states the server's verdict, the prompt
 * is kept in the library and applied to Evaluate's system prompt. Plus the form's inline limits.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, setInputValue, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const SUITE = JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"), "utf8")) as {
  name: string;
  test_cases: unknown[];
};
const CASES = 16;
const SUITE_NAME = "Smart Home (16 cases)";
const WEAK_BASE = "You are an assistant with tools. Be creative.";
const WRITER = "local_simulator::sim-writer-ttft200-tps400";
const TUNABLE = "sim-tunable";
const VERDICTS = ["better", "not_distinguishable", "insufficient_evidence"];

async function api(baseUrl: string, token: string, p: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

describe.skipIf(skipBrowserTests)("prompt tuner in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let suiteId = "";
  let token = "";
  let chosen = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(9));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const email = `prompt-tune-${Date.now()}@example.com`;
    const password = "prompt tuner browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await api(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
    const imported = await api(env.stack.url, token, "/api/tool-eval/import", {
      ...SUITE,
      name: SUITE_NAME,
      test_cases: SUITE.test_cases.slice(0, CASES),
    });
    suiteId = imported.suite_id;
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("refuses out-of-range limits inline and keeps Run disabled until they are fixed", async () => {
    await page.goto(`${env.stack.url}/tool-eval/prompt-tune/`);
    await page.getByTestId("pt-suite-select").waitFor();
    await page.getByTestId("pt-suite-select").selectOption(suiteId);
    const run = page.getByTestId("run-prompt-tune");
    await expect.poll(() => run.isDisabled(), { timeout: 10_000 }).toBe(false);
    // Quick mode runs one generation: the field is disabled.
    expect(await page.getByTestId("pt-generations").isDisabled()).toBe(true);

    await setInputValue(page, "pt-population", 2);
    expect(await page.getByTestId("pt-population-error").textContent()).toMatch(/Population size must be a whole number from 3 to 20/);
    expect(await run.isDisabled()).toBe(true);
    expect(await page.getByTestId("pt-run-blocked").textContent()).toMatch(/Fix the marked field/);

    await setInputValue(page, "pt-selection-ratio", 0.9);
    expect(await page.getByTestId("pt-selection-ratio-error").textContent()).toMatch(/from 0.2 to 0.8/);
    await page.getByTestId("pt-mode-card-evolutionary").click();
    expect(await page.getByTestId("pt-generations").isDisabled()).toBe(false);
    await setInputValue(page, "pt-generations", 11);
    expect(await page.getByTestId("pt-generations-error").textContent()).toMatch(/from 1 to 10/);
    expect(await page.getByTestId("pt-run-blocked").textContent()).toMatch(/Fix the marked fields/);

    await setInputValue(page, "pt-population", 5);
    await setInputValue(page, "pt-selection-ratio", 0.4);
    await setInputValue(page, "pt-generations", 3);
    await page.getByTestId("pt-mode-card-quick").click();
    await expect.poll(() => run.isDisabled(), { timeout: 10_000 }).toBe(false);
    expect(await page.getByTestId("pt-population-error").count()).toBe(0);
  });

  it("runs a quick tune live, states the verdict, saves the prompt and applies it to Evaluate", async () => {
    await page.goto(`${env.stack.url}/tool-eval/prompt-tune/`);
    await page.getByTestId("pt-suite-select").waitFor();
    await page.getByTestId("pt-suite-select").selectOption(suiteId);
    await page.getByTestId("pt-mode-card-quick").click();
    // The simulator's prompt writer is preselected as the meta-model, and sim-tunable as the target.
    expect(await page.getByTestId("pt-meta-model").inputValue()).toBe(WRITER);
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${TUNABLE}`).check();
    await page.getByTestId("pt-base-prompt").fill(WEAK_BASE);
    await setInputValue(page, "pt-population", 5);
    await setInputValue(page, "pt-selection-ratio", 0.4);
    // At the providers' default temperature sim-tunable errs often enough for the prompts to differ.
    await setInputValue(page, "pt-temperature", 1);
    // The estimate follows the inputs: the base and 5 prompts on every case, plus one meta-model call.
    await expect.poll(() => page.getByTestId("pt-estimate-calls").textContent(), { timeout: 10_000 }).toBe(String(6 * CASES + 1));
    expect(await page.getByTestId("pt-estimate").textContent()).toMatch(/An estimate/);

    await page.getByTestId("run-prompt-tune").click();
    await page.getByTestId("pt-progress").waitFor();
    // Prompt cards arrive while the tune runs, before any answer.
    await page.waitForSelector('[data-testid^="pt-card-g1p"]');
    const live = await page.evaluate(() => ({
      cards: document.querySelectorAll('[data-testid^="pt-card-g1p"]').length,
      status: document.querySelector('[data-testid="pt-status"]')?.textContent ?? "",
      answer: document.querySelectorAll('[data-testid="best-prompt"]').length,
    }));
    expect(live.status).toMatch(/running/i);
    expect(live.cards).toBeGreaterThan(0);
    expect(live.answer).toBe(0);
    expect(page.url()).toMatch(/job=/);
    await page.waitForFunction(() => document.querySelector('[data-testid^="pt-card-score-g1p"]')?.textContent?.includes("%"));

    await page.waitForFunction(() => /completed/i.test(document.querySelector('[data-testid="pt-status"]')?.textContent ?? ""), null, {
      timeout: 120_000,
    });
    const card = page.getByTestId("best-prompt");
    await card.waitFor({ timeout: 20_000 });
    const verdict = (await card.getAttribute("data-verdict")) ?? "";
    expect(VERDICTS).toContain(verdict);
    expect(await page.locator('[data-testid^="pt-card-g1p"]').count()).toBe(5);
    // The significance statement is the server's, word for word.
    const [tune] = (await api(env.stack.url, token, "/api/tool-eval/prompt-tune/history")).runs;
    const detail = await api(env.stack.url, token, `/api/tool-eval/prompt-tune/history/${tune.id}`);
    expect(detail.base_prompt).toBe(WEAK_BASE);
    expect(detail.answer.significance.verdict).toBe(verdict);
    expect(await card.getByTestId("best-prompt-significance-statement").textContent()).toBe(detail.answer.significance.statement);
    const title = (await card.getByTestId("best-prompt-title").textContent()) ?? "";
    if (verdict !== "better") expect(title).not.toBe("Best prompt"); // an unproven top score is not called the best
    // A tie names every tied prompt and applies the one picked (a written one here, not the base).
    if ((await card.getAttribute("data-tie")) === "true") await card.locator('[data-testid^="best-prompt-pick-g"]').first().check();
    await page.waitForSelector('[data-testid="pt-trend-chart"][data-drawn="true"]');
    await screenshot(page, "51-prompt-tune-finished");
    // Every card shows its final score, the base prompt's too.
    expect(await page.getByTestId("pt-card-score-base").textContent()).toMatch(/%$/);

    chosen = (await card.getByTestId("best-prompt-text").textContent()) ?? "";
    expect(chosen.length).toBeGreaterThan(20);
    expect(chosen).not.toBe(WEAK_BASE);

    await card.getByTestId("best-prompt-save").click();
    expect(await card.getByTestId("best-prompt-saved").textContent()).toMatch(
      /Saved as “Prompt Tune \(Smart Home \(16 cases\)\) prompt 1\.\d: score/,
    );
    // The history lists the tune with its best prompt.
    await page.locator('[data-testid^="pt-history-row-"]').first().waitFor();

    await card.getByTestId("best-prompt-apply").click();
    await page.waitForURL(/\/tool-eval\/evaluate\/?$/);
    await page.getByTestId("prompt-tab-global").click();
    await expect.poll(() => page.getByTestId("system-prompt-input").inputValue(), { timeout: 10_000 }).toBe(chosen);
  });

  it("keeps the prompt in the library and lists the tune in History", async () => {
    await page.goto(`${env.stack.url}/tool-eval/prompt-tune/`);
    const row = page.locator('[data-testid^="pt-history-row-"]').first();
    await row.waitFor();
    expect(await row.locator('[data-testid^="pt-history-status-"]').textContent()).toBe("completed");
    await row.locator('[data-testid^="pt-history-open-"]').click();
    await row.locator('[data-testid$="-timeline"]').waitFor();
    expect(await row.locator('[data-testid^="pt-card-g1p"]').count()).toBe(5);
    expect(await row.getByTestId("pt-card-score-base").textContent()).toMatch(/%$/);
    const library = await api(env.stack.url, token, "/api/config/prompts");
    const saved = Object.values(library as Record<string, { category: string; prompt: string }>).filter((p) => p.category === "prompt_tune");
    expect(saved.map((p) => p.prompt)).toEqual([chosen]);
  });
});
