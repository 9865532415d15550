/**
 * Schedules as a person uses them in real Chromium: create a schedule with the form (the cron helper shows the next
 * five runs), "Run now", find the run in History, then, after a slowdown injected in the simulator
 * (`/__sim/drift`), see the regression alert arrive in the alerts bell and on the schedule's trend.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, setInputValue, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const MODEL = "sim-ttft150-tps900-len12";
const POLL = { timeout: 30_000 };
const PORTS = browserPorts(22);

async function api(baseUrl: string, token: string, p: string, body?: unknown, method?: string) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(skipBrowserTests)("schedules in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";
  let scheduleId = "";
  const sim = `http://127.0.0.1:${PORTS.simulator}`;

  beforeAll(async () => {
    env = await startBrowserEnv(PORTS);
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const email = `schedules-${Date.now()}@example.com`;
    const password = "schedules browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await api(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
    const { providers } = await api(env.stack.url, token, "/api/v2/providers");
    const local = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    await api(env.stack.url, token, `/api/v2/providers/${local.id}/models`, { model_id: MODEL });
  });

  afterAll(async () => {
    await fetch(`${sim}/__sim/drift`, { method: "DELETE" }).catch(() => {});
    await env?.stop();
  });

  /** Waits until the schedule's last run has ended and been recorded (the outcome path writes last_status). */
  const lastRunRecorded = (jobId: string) =>
    until("the scheduled run to be recorded", async () => {
      const s = await api(env.stack.url, token, `/api/schedules/${scheduleId}`);
      return s.last_job_id === jobId && s.last_status === "completed" ? s : null;
    });

  it("creates a schedule with the form; the cron helper shows the next five runs", async () => {
    await page.goto(`${env.stack.url}/schedules/`);
    await page.getByTestId("schedules-empty").waitFor();
    await page.getByTestId("schedule-new").click();
    await page.getByTestId("schedule-name").fill("Nightly speed watch");
    await page.getByTestId(`schedule-model-${MODEL}`).check();
    await setInputValue(page, "schedule-min-baseline", 3);
    await page.getByTestId("schedule-mode").selectOption("cron");
    await page.getByTestId("schedule-cron").fill("30 2 * * *");
    await page.getByTestId("schedule-timezone").fill("Europe/Berlin");
    // The helper follows the inputs (the server computes the runs): five runs, each 02:30 in Berlin (00:30 or 01:30 UTC).
    await page.waitForFunction(
      () => {
        const items = Array.from(document.querySelectorAll('[data-testid="schedule-preview"] li'), (li) => li.textContent ?? "");
        return items.length === 5 && items.every((t) => /(00|01):30 UTC/.test(t));
      },
      null,
      POLL,
    );
    await page.getByTestId("schedule-save").click();
    await page.getByTestId("schedules-table").waitFor();
    const { schedules } = await api(env.stack.url, token, "/api/schedules");
    expect(schedules).toHaveLength(1);
    scheduleId = schedules[0].id;
    expect(schedules[0]).toMatchObject({ cron: "30 2 * * *", timezone: "Europe/Berlin", kind: "benchmark" });
    expect(schedules[0].alerts.min_baseline_runs).toBe(3);
    await screenshot(page, "schedules-list");
  });

  it("Run now submits an ordinary job whose run shows in History", async () => {
    await page.getByTestId(`schedule-run-${scheduleId}`).click();
    const job = await until("the run to be submitted", async () => (await api(env.stack.url, token, `/api/schedules/${scheduleId}`)).last_job_id);
    const s = await lastRunRecorded(job);
    await page.goto(`${env.stack.url}/history/`);
    await page.getByTestId(`history-row-${s.last_run_id}`).waitFor(POLL);
  });

  it("a slowdown injected after a baseline raises an alert in the bell and on the trend", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await api(env.stack.url, token, `/api/schedules/${scheduleId}/trigger`, {});
      await lastRunRecorded(r.job_id);
    }
    await page.goto(`${env.stack.url}/schedules/?id=${scheduleId}`);
    await page.getByTestId("schedule-trend").waitFor();
    expect(await page.getByTestId("alerts-bell").getAttribute("data-count")).toBe("0");

    const drifted = await fetch(`${sim}/__sim/drift`, { method: "PUT", body: JSON.stringify({ model: MODEL, ttft_add_ms: 600 }) });
    expect(drifted.status).toBe(200);
    await page.getByTestId(`schedule-run-${scheduleId}`).click();
    // The alert arrives live: the bell's count goes to 1 without a reload.
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts-bell"]')?.getAttribute("data-count") === "1", null, {
      timeout: 60_000,
    });
    await page.getByTestId("alerts-bell").click();
    const item = page.locator('[data-testid^="alert-"][data-metric="ttft_p50"]').first();
    await item.waitFor();
    expect(await item.textContent()).toContain("TTFT p50");

    await page.getByTestId("trend-view-table").click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="trend-table-ttft_p50"] tr[data-alert="1"]').length === 1, null, POLL);
    expect(await page.getByTestId("schedule-alerts").textContent()).toContain("Mann–Whitney");
    await screenshot(page, "schedules-alert");

    // Acknowledged from the bell: the count goes back to 0.
    await page.getByTestId("alerts-bell").click();
    await page.getByTestId("alerts-ack-all").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts-bell"]')?.getAttribute("data-count") === "0", null, POLL);
  });
});
