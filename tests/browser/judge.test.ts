/**
 * The LLM judge as a person uses it in real Chromium: an eval run in History, "Judge this run", the report with
 * its grades, per-model reports, the calibration panel (kappa and the confusion table against the automated
 * scorer) and the per-case verdicts, then an override that the panel counts. A running report is followed live
 * from its job's WebSocket events (progress and verdicts arrive without a reload or a poll; Cancel stops it), and
 * the form starts from the judge defaults saved on the account.
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
const MODEL = "sim-sloppy-ttft5-tps2000";
const JUDGE = "sim-judge-ttft5-tps2000";
/** A judge slow enough to watch: about half a second per case, one case at a time (it shares the simulator). */
const SLOW_JUDGE = "sim-judge-ttft500-tps2000";
const POLL = { timeout: 30_000 };
const REPORT_READ = /\/api\/tool-eval\/judge\/reports\/[0-9a-f]+$/;

async function api(baseUrl: string, token: string, p: string, body?: unknown, method?: string) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

describe.skipIf(skipBrowserTests)("the judge in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";
  let evalId = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(20));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const email = `judge-${Date.now()}@example.com`;
    const password = "judge browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await api(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
    const suiteId = (await api(env.stack.url, token, "/api/tool-eval/import", { ...SUITE, test_cases: SUITE.test_cases.slice(10, 22) })).suite_id;
    const { providers } = await api(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    for (const model_id of [MODEL, JUDGE, SLOW_JUDGE]) await api(env.stack.url, token, `/api/v2/providers/${sim.id}/models`, { model_id });
    evalId = (
      await api(env.stack.url, token, "/api/tool-eval", {
        suite_id: suiteId,
        targets: [{ provider_key: "local_simulator", model_id: MODEL }],
        tool_choice: "auto",
      })
    ).eval_id;
    const deadline = Date.now() + 60_000;
    while ((await api(env.stack.url, token, `/api/tool-eval/history/${evalId}`)).status !== "completed") {
      if (Date.now() > deadline) throw new Error("the eval never completed");
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("judges an eval run from History and shows the report with its calibration panel", async () => {
    await page.goto(`${env.stack.url}/tool-eval/history/`);
    await page.getByTestId(`eval-history-judge-${evalId}`).click();
    await page.waitForURL(/\/tool-eval\/judge\/\?eval=/);
    await page.waitForFunction(
      (id) => (document.querySelector('[data-testid="judge-eval-select"]') as HTMLSelectElement | null)?.value === id,
      evalId,
      POLL,
    );
    // A model that names itself a judge is preselected (the catalogue's sim-judge); this test uses its fast one.
    await page.waitForFunction(
      () => /judge/.test((document.querySelector('[data-testid="judge-model-select"]') as HTMLSelectElement | null)?.value ?? ""),
      null,
      POLL,
    );
    await page.getByTestId("judge-model-select").selectOption(`local_simulator::${JUDGE}`);
    await screenshot(page, "70-judge-form");
    await page.getByTestId("judge-submit").click();
    await page.waitForURL(/\/tool-eval\/judge\/\?id=/);
    await page.getByTestId("judge-report").waitFor();
    // The page follows the run's events: it ends completed with a letter grade.
    await page.waitForFunction(
      () => /^[A-F][+-]?$/.test(document.querySelector('[data-testid="judge-report-grade"]')?.textContent?.trim() ?? ""),
      null,
      POLL,
    );

    const reportId = new URL(page.url()).searchParams.get("id")!;
    const report = await api(env.stack.url, token, `/api/tool-eval/judge/reports/${reportId}`);
    expect(report.status).toBe("completed");
    expect(await page.getByTestId("judge-report-grade").textContent()).toBe(report.overall_grade);
    await page.getByTestId(`judge-model-report-${MODEL}`).waitFor();
    expect(await page.getByTestId(`judge-model-report-${MODEL}`).textContent()).toContain(report.reports[0].cross_case_analysis);

    // The calibration panel: kappa and the confusion table, as the API computed them.
    const cal = report.calibration.judge_vs_scorer;
    const panel = page.getByTestId("judge-calibration");
    expect(await panel.textContent()).toContain(`κ = ${cal.kappa === null ? "n/a" : cal.kappa.toFixed(2)}`);
    for (const [i, row] of cal.labels.entries())
      for (const [j, col] of cal.labels.entries())
        expect(await page.getByTestId(`judge-kappa-scorer-cell-${row}-${col}`).textContent()).toBe(String(cal.table[i][j]));
    expect(await page.getByTestId("judge-verdicts").locator("tbody tr").count()).toBe(report.verdicts.length);
    await screenshot(page, "71-judge-report-calibration");

    // Override the first verdict: stored and counted, the panel says so.
    const first = report.verdicts[0];
    await page.getByTestId(`judge-override-${first.id}`).selectOption(first.verdict === "pass" ? "fail" : "pass");
    await page.waitForFunction(
      () => /^1 overrides/.test(document.querySelector('[data-testid="judge-override-count"]')?.textContent ?? ""),
      null,
      POLL,
    );
    await page.getByTestId("judge-kappa-overrides").waitFor();

    // Back to the list: the report with its grade, and a judge card with one label.
    await page.getByTestId("judge-back").click();
    await page.getByTestId(`judge-report-row-${reportId}`).waitFor();
    expect(await page.getByTestId(`judge-report-row-${reportId}`).textContent()).toContain(report.overall_grade);
    await page.getByTestId("judge-cards").waitFor();
    expect(await page.getByTestId("judge-cards").textContent()).toContain(JUDGE);
  });

  it("compares two runs of the same model: each case judged in both orders, wins and ties beside the sign test", async () => {
    const { suite_id } = await api(env.stack.url, token, `/api/tool-eval/history/${evalId}`);
    const second = (
      await api(env.stack.url, token, "/api/tool-eval", {
        suite_id,
        targets: [{ provider_key: "local_simulator", model_id: MODEL }],
        tool_choice: "auto",
      })
    ).eval_id;
    const deadline = Date.now() + 60_000;
    while ((await api(env.stack.url, token, `/api/tool-eval/history/${second}`)).status !== "completed") {
      if (Date.now() > deadline) throw new Error("the second eval never completed");
      await new Promise((r) => setTimeout(r, 250));
    }
    await page.goto(`${env.stack.url}/tool-eval/judge/?eval=${evalId}`);
    await page.waitForFunction(
      (id) => (document.querySelector('[data-testid="judge-eval-select"]') as HTMLSelectElement | null)?.value === id,
      evalId,
      POLL,
    );
    await page.getByTestId("judge-model-select").selectOption(`local_simulator::${JUDGE}`);
    await page.getByTestId("judge-run-b-select").selectOption(second);
    await page.getByTestId("judge-compare-submit").click();
    await page.waitForURL(/\/tool-eval\/judge\/\?id=/);
    await page.getByTestId("judge-compare-summary").waitFor();
    const reportId = new URL(page.url()).searchParams.get("id")!;
    // The simulator is deterministic: the same answers twice, so every case is a tie.
    await page.waitForFunction(() => document.querySelector('[data-testid="judge-ties"]')?.textContent === "12", null, POLL);
    const report = await api(env.stack.url, token, `/api/tool-eval/judge/reports/${reportId}`);
    expect(report).toMatchObject({ mode: "comparative", wins_a: 0, wins_b: 0, ties: 12, sign_test_p: 1 });
    expect(await page.getByTestId("judge-wins-a").textContent()).toBe("0");
    expect(await page.getByTestId("judge-verdicts").locator("tbody tr").count()).toBe(12);
    await screenshot(page, "72-judge-compare");
  });

  /** Opens the judge form on the first eval run with `judge` chosen, and returns the report ids read from then on. */
  async function openForm(judge: string) {
    await page.goto(`${env.stack.url}/tool-eval/judge/?eval=${evalId}`);
    await page.waitForFunction(
      (id) => (document.querySelector('[data-testid="judge-eval-select"]') as HTMLSelectElement | null)?.value === id,
      evalId,
      POLL,
    );
    await page.getByTestId("judge-model-select").selectOption(`local_simulator::${judge}`);
    const reads: number[] = [];
    page.on("request", (r) => {
      if (r.method() === "GET" && REPORT_READ.test(new URL(r.url()).pathname)) reads.push(Date.now());
    });
    // Gone after a reload: proves the page updated in place.
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    return reads;
  }

  const verdictRows = () => page.getByTestId("judge-verdicts").locator("tbody tr").count();
  const rowsAtLeast = (n: number) =>
    page.waitForFunction((k) => document.querySelectorAll('[data-testid="judge-verdicts"] tbody tr').length >= k, n, POLL);

  it("follows a running judge live: progress and each verdict arrive from the socket, without a reload or a poll", async () => {
    const reads = await openForm(SLOW_JUDGE);
    await page.getByTestId("judge-submit").click();
    await page.waitForURL(/\/tool-eval\/judge\/\?id=/);
    const reportId = new URL(page.url()).searchParams.get("id")!;
    await page.getByTestId("judge-progress").waitFor();
    expect(await page.getByTestId("judge-status").textContent()).toBe("running");
    await page.getByTestId("judge-calibration-pending").waitFor();

    // Verdicts come one by one (about 0.5 s each) while the report is not read again.
    await rowsAtLeast(1);
    const firstAt = Date.now();
    const readsAtFirst = reads.length;
    const before = await verdictRows();
    expect(before).toBeLessThan(12);
    await rowsAtLeast(before + 3);
    const during = await verdictRows();
    expect(during).toBeLessThan(12);
    expect(Date.now() - firstAt).toBeGreaterThan(1000); // long enough for the old one-second poll to have read it
    expect(reads.length, "the running report was read again while verdicts arrived").toBe(readsAtFirst);
    // The job's own progress: its percentage and "Judge <model>: k/12".
    await page.waitForFunction(
      () => /^\s*·\s*[1-9]\d?%$/.test(document.querySelector('[data-testid="judge-progress-pct"]')?.textContent ?? ""),
      null,
      POLL,
    );
    expect(await page.getByTestId("judge-progress-detail").textContent()).toMatch(/Judge .+: \d+\/12/);
    await screenshot(page, "73-judge-live");

    // The end: completed with the server's grade, the calibration panel, every verdict — still the same document.
    await page.waitForFunction(() => document.querySelector('[data-testid="judge-status"]')?.textContent === "completed", null, POLL);
    await page.waitForFunction(
      () => /^[A-F][+-]?$/.test(document.querySelector('[data-testid="judge-report-grade"]')?.textContent?.trim() ?? ""),
      null,
      POLL,
    );
    await page.getByTestId("judge-calibration").waitFor();
    const report = await api(env.stack.url, token, `/api/tool-eval/judge/reports/${reportId}`);
    expect(report).toMatchObject({ status: "completed", judge_model: SLOW_JUDGE });
    expect(await page.getByTestId("judge-report-grade").textContent()).toBe(report.overall_grade);
    expect(await verdictRows()).toBe(report.verdicts.length);
    for (const v of report.verdicts) expect(await page.getByTestId(`judge-verdict-${v.id}`).textContent()).toContain(v.verdict);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    // Opened, then read once more when the judge finished (and by the live job's final read): never polled.
    expect(reads.length).toBeLessThanOrEqual(4);
  });

  it("cancels a running judge from the page: the status says so and the verdicts given so far stay", async () => {
    await openForm(SLOW_JUDGE);
    await page.getByTestId("judge-submit").click();
    await page.waitForURL(/\/tool-eval\/judge\/\?id=/);
    const reportId = new URL(page.url()).searchParams.get("id")!;
    await rowsAtLeast(2);
    await page.getByTestId("cancel-judge").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="judge-status"]')?.textContent === "cancelled", null, POLL);
    expect(await page.getByTestId("cancel-judge").count()).toBe(0);
    // The server's report agrees, and the page ends showing exactly its verdicts.
    const deadline = Date.now() + 30_000;
    let report = await api(env.stack.url, token, `/api/tool-eval/judge/reports/${reportId}`);
    while (report.status !== "cancelled" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      report = await api(env.stack.url, token, `/api/tool-eval/judge/reports/${reportId}`);
    }
    expect(report.status).toBe("cancelled");
    expect(report.verdicts.length).toBeGreaterThanOrEqual(2);
    expect(report.verdicts.length).toBeLessThan(12);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="judge-verdicts"] tbody tr').length === n,
      report.verdicts.length,
      POLL,
    );
    expect(await page.getByTestId("judge-report").textContent()).toContain("cancelled");
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await screenshot(page, "74-judge-cancelled");
    await page.getByTestId("judge-back").click();
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid="judge-report-status-${id}"]`)?.textContent?.trim() === "cancelled",
      reportId,
      POLL,
    );
  });

  it("starts the form from the judge defaults saved in the settings, and sends what it shows", async () => {
    // The saved judge must differ from the one the page picks without defaults (the first model named "judge").
    const { models } = await api(env.stack.url, token, "/api/v2/models");
    const unsaved = models.find((m: { model_id: string }) => m.model_id.includes("judge"));
    const saved = [SLOW_JUDGE, JUDGE].find((m) => m !== unsaved.model_id)!;
    // A bare model id, as the API accepts it: the page finds it among the user's models.
    await api(
      env.stack.url,
      token,
      "/api/settings/phase10",
      { judge: { model_id: saved, custom_instructions: "Units matter.", mode: "live_inline" } },
      "PUT",
    );
    await page.goto(`${env.stack.url}/tool-eval/judge/?eval=${evalId}`);
    await page.waitForFunction(
      (key) => (document.querySelector('[data-testid="judge-model-select"]') as HTMLSelectElement | null)?.value === key,
      `local_simulator::${saved}`,
      POLL,
    );
    expect(await page.locator("#judge-instructions").inputValue()).toBe("Units matter.");
    const note = await page.getByTestId("judge-defaults-note").textContent();
    expect(note).toContain("judge model and custom instructions come from your saved judge defaults");
    expect(note).toContain("live inline");
    await screenshot(page, "75-judge-saved-defaults");

    await page.getByTestId("judge-submit").click();
    await page.waitForURL(/\/tool-eval\/judge\/\?id=/);
    const reportId = new URL(page.url()).searchParams.get("id")!;
    const report = await api(env.stack.url, token, `/api/tool-eval/judge/reports/${reportId}`);
    expect(report).toMatchObject({ judge_model: saved, custom_instructions: "Units matter.", mode: "post_eval" });
    if (report.status === "running") await api(env.stack.url, token, "/api/tool-eval/judge/cancel", { job_id: report.job_id }).catch(() => null);
  });
});
