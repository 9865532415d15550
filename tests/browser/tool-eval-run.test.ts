/**
 * A tool-calling evaluation as a person runs it in real Chromium: the smart-home suite on two simulator models
 * that score differently, results arriving live (and surviving a reload), a case's drill-down with every score
 * part and the raw exchange, JSON and CSV export, the run in Tool Eval History, and cancelling a slow model.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, SCREENSHOTS, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

interface SuiteCase {
  prompt: string;
  expected_tool: string | null;
  expected_params?: Record<string, unknown>;
  multi_turn?: boolean;
}
const SUITE = JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"), "utf8")) as {
  name: string;
  test_cases: SuiteCase[];
};
const CASES = SUITE.test_cases.length;
const MULTI_TURN_PROMPT = SUITE.test_cases.find((c) => c.multi_turn)!.prompt;

/** Imports the smart-home suite as a person does: the Suites page's file input, then the new row. */
async function importSmartHomeSuite(page: Page, baseUrl: string): Promise<string> {
  await page.goto(`${baseUrl}/tool-eval/`);
  await page.getByTestId("suite-import-file").setInputFiles(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"));
  const row = page.getByTestId("suite-row").filter({ hasText: SUITE.name });
  await row.waitFor();
  expect(await row.getByTestId("suite-case-count").textContent()).toBe(String(CASES));
  return (await row.getAttribute("data-suite-id"))!;
}

async function api(baseUrl: string, token: string, p: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

describe.skipIf(skipBrowserTests)("tool-calling evaluation in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let suiteId = "";
  let evalId = "";
  // A model scripted with every right answer, one that always calls the first tool, and a slow one to cancel.
  const scriptId = `smarthome${Date.now()}`;
  const GOOD = `sim-ttft80-tps2000-script${scriptId}`;
  const WEAK = "sim-ttft80-tps2000-tagweak";
  const SLOW = "sim-ttft4000-tagslow";
  const status = () => page.getByTestId("eval-status").textContent();

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(3));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(20_000);
    const email = `eval-${Date.now()}@example.com`;
    const password = "tool eval browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    const { access_token: token } = await api(env.stack.url, "", "/api/auth/login", { email, password });
    suiteId = await importSmartHomeSuite(page, env.stack.url);
    const replies = SUITE.test_cases.flatMap((c) => [
      { tool_calls: [{ name: c.expected_tool, arguments: c.expected_params ?? {} }] },
      ...(c.multi_turn ? [{ content: "Done." }] : []), // multi-turn cases continue until a text reply
    ]);
    const scripted = await fetch(`${env.stack.simulator.url}/__sim/scripts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: scriptId, replies }),
    });
    expect(scripted.status).toBe(200);
    const { providers } = await api(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    for (const model_id of [GOOD, WEAK, SLOW]) await api(env.stack.url, token, `/api/v2/providers/${sim.id}/models`, { model_id });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("runs the suite on two models with results arriving live, and carries on after a reload", async () => {
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.getByTestId(`model-checkbox-local_simulator-${GOOD}`).waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${GOOD}`).check();
    await page.getByTestId(`model-checkbox-local_simulator-${WEAK}`).check();
    await page.getByTestId("suite-select").selectOption(suiteId);
    expect(await page.getByTestId("suite-select").locator("option:checked").textContent()).toMatch(/Smart Home Assistant — 10 tools, 55 cases/);
    await page.getByTestId("tool-choice-auto").check();
    await page.getByTestId("prompt-tab-global").click();
    await page.getByTestId("system-prompt-input").fill("You run a smart home. Call exactly one tool.");
    await page.getByTestId("run-eval").click();

    await page.getByTestId("eval-progress").waitFor();
    await page.waitForSelector('[data-testid^="eval-row-"]');
    // Rows arrive while the job is still running, not only at the end.
    const snapshot = await page.evaluate(() => ({
      rows: document.querySelectorAll('[data-testid^="eval-row-"]').length,
      status: document.querySelector('[data-testid="eval-status"]')?.textContent ?? "",
      eta: document.querySelector('[data-testid="eval-eta"]')?.textContent ?? "",
    }));
    expect(snapshot.status).toMatch(/running/i);
    expect(snapshot.rows).toBeGreaterThan(0);
    expect(snapshot.rows).toBeLessThan(2 * CASES);
    expect(snapshot.eta).toMatch(/ETA/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="eval-row-"]').length >= 5);
    await screenshot(page, "30-tool-eval-running");
    expect(page.url()).toMatch(/job=/);

    await page.reload();
    await page.getByTestId("eval-progress").waitFor();
    await page.waitForFunction(() => /completed/i.test(document.querySelector('[data-testid="eval-status"]')?.textContent ?? ""), null, {
      timeout: 90_000,
    });
    expect(await status()).toMatch(/completed/i);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="eval-row-"]').length === n, 2 * CASES);
    // The form was remembered across the reload.
    expect(await page.getByTestId("suite-select").inputValue()).toBe(suiteId);
    expect(await page.getByTestId(`model-checkbox-local_simulator-${WEAK}`).isChecked()).toBe(true);
  });

  it("summarises per model: the scripted model scores higher than the one that always calls the first tool", async () => {
    const overall = async (model: string) => parseFloat((await page.getByTestId(`eval-summary-overall-${model}`).textContent()) ?? "NaN");
    const good = await overall(GOOD);
    const weak = await overall(WEAK);
    expect(good).toBeGreaterThan(90);
    expect(weak).toBeLessThan(40);
    expect(await page.getByTestId(`eval-summary-row-${GOOD}`).textContent()).toMatch(/55\/55|5\d\/55/);
    // The weak model calls a real tool, just the wrong one: the taxonomy says so; the scripted model has no errors.
    const errorTable = page.getByTestId("eval-error-table");
    await errorTable.waitFor();
    const reasoningRow = errorTable.locator("tr", { hasText: "invalid_reasoning" });
    expect(await reasoningRow.locator("td").nth(1).textContent()).toBe("—"); // columns follow the summary: good, then weak
    expect(Number(await reasoningRow.locator("td").nth(2).textContent())).toBeGreaterThan(10);
    // Green/red actual column: the weak model's get_weather case is red, the good model's green.
    const weakMiss = page.locator(`[data-testid^="eval-row-${WEAK}-"][data-passed="false"]`).first();
    expect(await weakMiss.getByTestId("eval-actual").getAttribute("class")).toContain("text-danger");
    const goodHit = page.locator(`[data-testid^="eval-row-${GOOD}-"][data-passed="true"]`).first();
    expect(await goodHit.getByTestId("eval-actual").getAttribute("class")).toContain("text-ok");
    await page.getByTestId("eval-results-filter").selectOption(`local_simulator::${WEAK}`);
    expect(await page.getByTestId("eval-results-count").textContent()).toContain(`${CASES} of ${2 * CASES}`);
    await page.getByTestId("eval-results-filter").selectOption("");
    await screenshot(page, "31-tool-eval-results");
  });

  it("drills into a multi-turn case: expected vs actual, every score part, the chain and the raw exchange", async () => {
    await page
      .locator(`[data-testid^="eval-row-${GOOD}-"]`, { hasText: MULTI_TURN_PROMPT.slice(0, 40) })
      .locator("button")
      .click();
    const drill = page.getByTestId("case-drilldown");
    await drill.waitFor();
    expect(await drill.getByTestId("drill-expected").textContent()).toContain("schedule_event");
    expect(await drill.getByTestId("drill-actual").textContent()).toContain("schedule_event");
    expect(await drill.getByTestId("drill-verdict").textContent()).toBe("PASSED");
    const scores = (await drill.getByTestId("drill-scores").textContent()) ?? "";
    for (const part of ["Tool selection", "Param accuracy", "Overall", "Irrelevance", "Format"]) expect(scores).toContain(part);
    expect(await drill.getByTestId("drill-call-parts").textContent()).toMatch(/classic scorer/);
    const chain = (await drill.getByTestId("drill-chain").textContent()) ?? "";
    expect(chain).toContain("schedule_event");
    expect(chain).toMatch(/Efficiency/);
    await drill.getByTestId("drill-raw-request").locator("summary").click();
    await drill.getByTestId("drill-raw-response").locator("summary").click();
    const rawRequest = (await drill.getByTestId("drill-raw-request").textContent()) ?? "";
    expect(rawRequest).toContain("You run a smart home. Call exactly one tool.");
    expect(rawRequest).toContain(MULTI_TURN_PROMPT);
    expect(await drill.getByTestId("drill-raw-response").textContent()).toContain("schedule_event");
    await screenshot(page, "32-tool-eval-drilldown");
    await drill.screenshot({ path: path.join(SCREENSHOTS, "32b-tool-eval-drilldown-dialog.png") });
    await drill.getByTestId("drill-close").click();
    await drill.waitFor({ state: "hidden" });
  });

  it("exports the run as JSON (from the API) and CSV (one row per case and model)", async () => {
    const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("eval-export-json").click()]);
    const run = JSON.parse(readFileSync((await json.path())!, "utf8"));
    evalId = run.id;
    expect(run.suite_name).toBe(SUITE.name);
    expect(run.results).toHaveLength(2 * CASES);
    expect(run.summary).toHaveLength(2);
    expect(run.results[0].raw_request).toBeTruthy();
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("eval-export-csv").click()]);
    expect(csvDownload.suggestedFilename()).toBe(`tool-eval-${evalId.slice(0, 8)}.csv`);
    const lines = readFileSync((await csvDownload.path())!, "utf8")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^model,provider_key,model_id,test_case_id,category,prompt,expected_tool,expected_params,actual_tool/);
    expect(lines).toHaveLength(1 + 2 * CASES);
    expect(lines.filter((l) => l.includes(WEAK))).toHaveLength(CASES);
    expect(lines.filter((l) => l.includes(WEAK)).every((l) => l.includes(",get_time,"))).toBe(true); // it always calls the first tool
  });

  it("cancels an evaluation on a slow model", async () => {
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.getByTestId("dismiss-run").click();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${SLOW}`).check();
    await page.getByTestId("run-eval").click();
    await page.waitForFunction(() => /running/i.test(document.querySelector('[data-testid="eval-status"]')?.textContent ?? ""));
    await page.getByTestId("cancel-eval").click();
    await page.waitForFunction(() => /cancel/i.test(document.querySelector('[data-testid="eval-status"]')?.textContent ?? ""), null, {
      timeout: 10_000,
    });
    await screenshot(page, "33-tool-eval-cancelled");
    // The bell links the finished eval to its History entry.
    await page.getByTestId("jobs-bell").click();
    const link = page.getByTestId("jobs-panel").locator(`a[href*="/tool-eval/"]`).first();
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(/\/tool-eval\/(history\/\?run=|evaluate\/\?job=)/);
    await page.keyboard.press("Escape");
  });

  it("finds both runs in History, opens the completed one, searches, and deletes the cancelled one", async () => {
    await page.goto(`${env.stack.url}/tool-eval/history/`);
    const row = page.getByTestId(`eval-history-row-${evalId}`);
    await row.waitFor();
    expect(await page.getByTestId(`eval-history-status-${evalId}`).textContent()).toBe("completed");
    expect(await page.getByTestId(`eval-history-suite-${evalId}`).textContent()).toContain(SUITE.name);
    expect(await page.getByTestId(`eval-history-score-${evalId}`).textContent()).toMatch(/\d+(\.\d)?%/);
    expect(await row.locator(".history-models li").count()).toBe(2);
    await page.getByTestId(`eval-history-open-${evalId}`).click();
    await row.getByTestId(`eval-summary-row-${GOOD}`).waitFor();
    await row.locator(`[data-testid^="eval-row-${WEAK}-"]`).first().waitFor();
    await screenshot(page, "34-tool-eval-history");

    const statuses = await page.locator('[data-testid^="eval-history-status-"]').allTextContents();
    expect(statuses.sort()).toEqual(["cancelled", "completed"]);
    await page.getByTestId("eval-history-search").fill("tagslow");
    const rows = page.locator('[data-testid^="eval-history-row-"]');
    await expect.poll(() => rows.count()).toBe(1);
    const cancelledRow = page.locator('[data-testid^="eval-history-row-"]').first();
    const cancelledId = ((await cancelledRow.getAttribute("data-testid")) ?? "").replace("eval-history-row-", "");
    expect(cancelledId).not.toBe(evalId);
    await page.getByTestId(`eval-history-delete-${cancelledId}`).click();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId(`eval-history-row-${cancelledId}`).waitFor({ state: "detached" });
    await page.getByTestId("eval-history-search").fill("");
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId(`eval-history-row-${evalId}`).waitFor();
  });

  it("the newcomer's demo: sim-careful scores clearly above sim-sloppy on the example suite, and a miss says why", async () => {
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.getByTestId("model-checkbox-local_simulator-sim-careful").waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId("model-checkbox-local_simulator-sim-careful").check();
    await page.getByTestId("model-checkbox-local_simulator-sim-sloppy").check();
    await page.getByTestId("suite-select").selectOption(suiteId);
    await page.getByTestId("tool-choice-auto").check();
    await page.getByTestId("prompt-tab-global").click();
    await page.getByTestId("system-prompt-input").fill("");
    await page.getByTestId("run-eval").click();
    await page.getByTestId("eval-progress").waitFor();
    await page.waitForFunction(() => /completed/i.test(document.querySelector('[data-testid="eval-status"]')?.textContent ?? ""), null, {
      timeout: 90_000,
    });
    const overall = async (model: string) => parseFloat((await page.getByTestId(`eval-summary-overall-${model}`).textContent()) ?? "NaN");
    const careful = await overall("sim-careful");
    const sloppy = await overall("sim-sloppy");
    // Documented profiles (src/simulator/README.md): careful ~90 % of cases right, sloppy ~60 %.
    expect(careful).toBeGreaterThan(85);
    expect(careful - sloppy).toBeGreaterThan(8);
    await screenshot(page, "36-example-suite-careful-vs-sloppy");

    // A sloppy miss, opened: expected and actual differ and the verdict says it failed.
    await page.locator('[data-testid^="eval-row-sim-sloppy-"][data-passed="false"]').first().locator("button").click();
    const drill = page.getByTestId("case-drilldown");
    await drill.waitFor();
    expect(await drill.getByTestId("drill-verdict").textContent()).toBe("NOT PASSED");
    const expected = (await drill.getByTestId("drill-expected").textContent()) ?? "";
    const actual = (await drill.getByTestId("drill-actual").textContent()) ?? "";
    expect(actual).not.toBe(expected);
    await screenshot(page, "37-example-suite-sloppy-miss");
    await drill.getByTestId("drill-close").click();
  });
});
