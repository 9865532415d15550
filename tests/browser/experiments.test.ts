/**
 * Experiments as a person uses them in real Chromium: create one on a suite, run an eval linked to it from the
 * Evaluate page (the experiment preselected by "Run an eval"), see it become the baseline and the best, "Run best",
 * and read the timeline as a chart and as a table with each delta's significance label.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const SUITE = JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"), "utf8")) as {
  name: string;
  test_cases: unknown[];
};
const MODEL = "sim-careful-ttft20-tps2000";
const POLL = { timeout: 15_000 };

async function api(baseUrl: string, token: string, p: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

describe.skipIf(skipBrowserTests)("experiments in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";
  let suiteId = "";
  let experimentId = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(13));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const email = `experiments-${Date.now()}@example.com`;
    const password = "experiments browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await api(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
    // Ten cases of the smart-home suite keep each eval to a few seconds.
    suiteId = (await api(env.stack.url, token, "/api/tool-eval/import", { ...SUITE, test_cases: SUITE.test_cases.slice(10, 20) })).suite_id;
    const { providers } = await api(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    await api(env.stack.url, token, `/api/v2/providers/${sim.id}/models`, { model_id: MODEL });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("creates an experiment on a suite from the Experiments tab", async () => {
    await page.goto(`${env.stack.url}/tool-eval/experiments/`);
    await page.getByTestId("experiments-empty").waitFor();
    await page.getByTestId("experiment-name-input").fill("Careful caller on smart home");
    await page.getByTestId("experiment-suite-select").selectOption(suiteId);
    await page.getByTestId("experiment-create-submit").click();
    await page.getByTestId("experiment-detail").waitFor();
    expect(await page.getByTestId("experiment-name").textContent()).toContain("Careful caller on smart home");
    experimentId = new URL(page.url()).searchParams.get("id") ?? "";
    expect(experimentId).toMatch(/^[0-9a-f]{32}$/);
    await page.getByTestId("timeline-empty").waitFor();
    expect(await page.getByTestId("experiment-run-best").isDisabled()).toBe(true);
  });

  it("runs an eval linked to it from Evaluate, which becomes its baseline and best", async () => {
    await page.getByTestId("experiment-run-eval").click();
    await page.waitForURL(/\/tool-eval\/evaluate\//);
    await page.getByTestId(`model-checkbox-local_simulator-${MODEL}`).waitFor();
    await page.waitForFunction(
      (id) => (document.querySelector('[data-testid="experiment-picker"]') as HTMLSelectElement | null)?.value === id,
      experimentId,
      POLL,
    );
    expect(await page.getByTestId("suite-select").inputValue()).toBe(suiteId);
    await screenshot(page, "59-evaluate-experiment-picker");
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${MODEL}`).check();
    await page.getByTestId("tool-choice-auto").check();
    await page.getByTestId("run-eval").click();
    await page.getByTestId("eval-progress").waitFor();
    await page.waitForFunction(() => /completed/i.test(document.querySelector('[data-testid="eval-status"]')?.textContent ?? ""), null, {
      timeout: 60_000,
    });

    await page.goto(`${env.stack.url}/tool-eval/experiments/?id=${experimentId}`);
    await page.getByTestId("experiment-detail").waitFor();
    // The outcome path records the run just after the job ends; the page follows it live.
    await page.waitForFunction(
      () => /\d+\.\d%/.test(document.querySelector('[data-testid="experiment-best"] .stat-value')?.textContent ?? ""),
      null,
      POLL,
    );
    const baseline = await page.getByTestId("experiment-baseline").locator(".stat-value").textContent();
    expect(baseline).toMatch(/\d+\.\d%/);
    expect(await page.getByTestId("experiment-best").textContent()).toContain(MODEL);
  });

  it("'Run best' submits the best config as a new linked eval, and the timeline shows both with their labels", async () => {
    await page.getByTestId("experiment-run-best").click();
    // The timeline follows: two scored runs, drawn by chart.js once loaded.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const t = await api(env.stack.url, token, `/api/experiments/${experimentId}/timeline`);
      if (t.entries.length === 2 && t.entries.every((e: { status: string }) => e.status === "completed")) break;
      if (Date.now() > deadline) throw new Error(`the run-best eval never completed: ${JSON.stringify(t.entries)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.reload();
    const chart = page.getByTestId("experiment-timeline-chart");
    await chart.waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="experiment-timeline-chart"]')?.getAttribute("data-drawn") === "true",
      null,
      POLL,
    );
    await screenshot(page, "60-experiment-timeline-chart");

    await page.getByTestId("timeline-view-table").click();
    const rows = page.getByTestId("experiment-timeline-table").locator("tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain("baseline");
    // The same config on the same cases: the simulator is deterministic, so a tie, labelled as not significant.
    const second = rows.nth(1);
    expect(await second.textContent()).toContain("0.0 pts");
    expect(await second.locator('[data-testid^="timeline-significance-"]').textContent()).toBe("not significant");
    await screenshot(page, "61-experiment-timeline-table");
  });

  it("archives it: gone from the list, back with 'Show archived'", async () => {
    await page.getByTestId("experiment-archive").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="experiment-archive"]')?.textContent === "Unarchive", null, POLL);
    await page.getByTestId("experiments-back").click();
    await page.getByTestId("experiments-empty").waitFor();
    await page.getByTestId("experiments-show-archived").check();
    await page.getByTestId(`experiment-row-${experimentId}`).waitFor();
  });
});
