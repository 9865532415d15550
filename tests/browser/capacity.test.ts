/**
 * The Capacity page as a person uses it in real Chromium, against the simulator's capacity model
 * (`sim-ttft200-tps50-len10-slots4-load200`: 4 batch slots, ITL 20 ms alone, 30 ms at 2, 50 ms at 4 and beyond, so
 * throughput stops growing at 4 in flight, the knee, and with an SLO of ITL p95 ≤ 45 ms the highest level meeting it
 * is 2: `capacityTruth`, src/simulator/capacity.ts; latencies long enough for a loaded machine, as in
 * tests/worker/capacity.test.ts). A small ladder runs live: level rows and curves appear while it runs; the page
 * shows the knee, the SLO limit and the stop exactly as the stored run has them (and those are within one ladder step
 * of the truth); the SLO is drawn on the latency charts and the knee marked; the ladder stops after the SLO broke
 * twice. Then the run is in the page's history, opens there, downloads as CSV and JSON, and is deleted. A second
 * probe is cancelled mid-ladder and keeps the levels that finished. Inline checks keep a bad ladder from being sent.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capacityTruth } from "../../src/simulator/capacity.ts";
import { browserPorts } from "../node/ports.ts";
import { apiCall } from "./browser-api.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

/** Polls for up to 15 s: a loaded machine can take seconds to hydrate a page. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const MODEL = "sim-ttft200-tps50-len10-slots4-load200";
const LADDER = [1, 2, 4, 8, 16];
// ITL p95 measures ~25 ms at 1, ~35 at 2 and ~51 from 4 on a loaded machine (the model: 20, 30, 50; noise only adds):
// a bound of 45 ms sits well between 2 and 4.
const SLO = { ttft_ms: 3000, itl_p95_ms: 45 };
/** Position of a level in the ladder (null = past its end), so "within one step" is a difference of at most 1. */
const step = (level: number | null) => (level === null ? LADDER.length : LADDER.indexOf(level));
/** Tagged copy for the cancel test: the simulator keeps capacity state per exact model id. */
const SLOW_MODEL = "sim-ttft50-tps20-len60-slots4-load100";

describe.skipIf(skipBrowserTests)("capacity probe in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";
  let runId = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(30));
    page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(20_000);
    const email = `capacity-${Date.now()}@example.com`;
    const password = "capacity probe browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await apiCall(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
    const { providers } = await apiCall(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    for (const model_id of [MODEL, SLOW_MODEL]) await apiCall(env.stack.url, token, `/api/v2/providers/${sim.id}/models`, { model_id });
  });

  afterAll(async () => {
    await env?.stop();
  });

  /** The Capacity page with only `model` chosen. */
  async function openWith(model: string) {
    await page.goto(`${env.stack.url}/capacity/`);
    await page.getByTestId(`model-checkbox-local_simulator-${model}`).waitFor();
    // "None" is enabled only when something is selected (a saved form, a simulator capacity model).
    const none = page.getByTestId("select-none");
    if (await none.isEnabled()) await none.click();
    await page.getByTestId(`model-checkbox-local_simulator-${model}`).check();
  }

  it("is in the app's nav and checks the ladder inline before anything is sent", async () => {
    await page.goto(`${env.stack.url}/benchmark/`);
    await page.getByTestId("nav-capacity").click();
    await page.waitForURL(/\/capacity\/?$/);
    await openWith(MODEL);
    const run = page.getByTestId("run-capacity");
    await page.getByTestId("capacity-levels").fill("4, 2");
    await poll(() => page.getByTestId("capacity-levels-error").textContent()).toBe("Levels must increase: 2 comes after 4");
    expect(await run.isDisabled()).toBe(true);
    await page.getByTestId("capacity-levels").fill("1, 2, 500");
    await poll(() => page.getByTestId("capacity-levels-error").textContent()).toBe('"500" is not a whole number from 1 to 128');
    // A preset fixes it; the loop's rate field shows only for the open loop.
    await page.getByTestId("capacity-preset-small").click();
    await poll(() => page.getByTestId("capacity-ladder").textContent()).toMatch(/^4 levels: 1 → 2 → 4 → 8/);
    expect(await page.getByTestId("capacity-rate").count()).toBe(0);
    await page.getByTestId("capacity-loop-open").check();
    await page.getByTestId("capacity-rate").waitFor();
    await page.getByTestId("capacity-loop-closed").check();
    await page.getByTestId("capacity-rate").waitFor({ state: "detached" });
    // The server's estimate (the budget preview) shows before Run.
    await poll(() => page.getByTestId("capacity-estimate").textContent()).toMatch(/at most [\d,]+ requests/);
    await poll(() => run.isDisabled()).toBe(false);
  });

  it("runs a ladder live: rows and curves as levels finish, the knee and SLO limit marked, the stop explained", async () => {
    await openWith(MODEL);
    await page.getByTestId("capacity-levels").fill(LADDER.join(", "));
    await page.getByTestId("capacity-hold").fill("8");
    await page.getByTestId("capacity-slo-ttft").fill(String(SLO.ttft_ms));
    await page.getByTestId("capacity-slo-itl").fill(String(SLO.itl_p95_ms));
    await page.getByTestId("capacity-max-tokens").fill("64");
    await poll(() => page.getByTestId("capacity-estimate").textContent()).toMatch(/requests/);
    await page.getByTestId("run-capacity").click();

    await page.getByTestId("capacity-progress").waitFor();
    await poll(() => page.url()).toMatch(/job=/);
    // The first level's row and curves appear while the ladder is still running.
    await page.getByTestId(`capacity-level-${MODEL}-1`).waitFor({ timeout: 60_000 });
    const live = await page.evaluate(() => ({
      rows: document.querySelectorAll('[data-testid^="capacity-level-sim-"]').length,
      status: document.querySelector('[data-testid="capacity-status"]')?.textContent ?? "",
    }));
    expect(live.status).toMatch(/running|queued/);
    expect(live.rows).toBeLessThan(LADDER.length);
    await page.waitForFunction(() => document.querySelector('[data-testid^="chart-capacity-ttft-"]')?.getAttribute("data-drawn") === "true");

    await page.waitForFunction(() => /completed/.test(document.querySelector('[data-testid="capacity-status"]')?.textContent ?? ""), null, {
      timeout: 240_000,
    });
    // The run this tab shows, as it remembers it for a reload.
    const remembered = await page.evaluate(() => sessionStorage.getItem("studio.capacity.job"));
    runId = (JSON.parse(remembered ?? "{}") as { run_id?: string }).run_id ?? "";
    expect(runId).not.toBe("");

    // The stored run's answer is close to the model's truth (within one ladder step, as the worker test allows).
    const truth = capacityTruth({ ttftMs: 200, tps: 50, tokens: 10, slots: 4, loadPct: 200, levels: LADDER, slo: SLO });
    expect(truth).toMatchObject({ knee_level: 4, max_level_meeting_slo: 2 });
    const stored = (await apiCall(env.stack.url, token, `/api/capacity/history/${runId}`)).targets[0];
    // On failure, say what was measured (level, TTFT p95, ITL p95, aggregate tok/s, E2E p95, SLO met).
    const measured = JSON.stringify({
      knee: stored.knee_level,
      slo_max: stored.max_level_meeting_slo,
      stopped: stored.stopped,
      levels: stored.levels.map((l: any) => [l.level, l.ttft_ms.p95, l.itl_ms.p95, l.aggregate_output_tps, l.e2e_ms.p95, l.slo_met]),
    });
    expect(Math.abs(step(stored.knee_level) - step(truth.knee_level)), measured).toBeLessThanOrEqual(1);
    expect(Math.abs(step(stored.max_level_meeting_slo) - step(truth.max_level_meeting_slo)), measured).toBeLessThanOrEqual(1);

    // The page says exactly what the stored run says: knee, SLO limit, the level marks.
    await poll(() => page.getByTestId(`capacity-knee-${MODEL}`).getAttribute("data-level")).toBe(String(stored.knee_level ?? ""));
    await poll(() => page.getByTestId(`capacity-slo-max-${MODEL}`).getAttribute("data-level")).toBe(String(stored.max_level_meeting_slo ?? ""));
    if (stored.knee_level !== null) {
      await page.getByTestId(`capacity-knee-badge-${MODEL}`).waitFor();
      expect(await page.getByTestId(`capacity-level-${MODEL}-${stored.knee_level}`).getAttribute("class")).toContain("is-knee");
    }
    for (const l of stored.levels as { level: number; slo_met: boolean; concurrency_short: boolean }[]) {
      const row = page.getByTestId(`capacity-level-${MODEL}-${l.level}`);
      expect(await row.getAttribute("data-slo-met")).toBe(String(l.slo_met));
      expect(await row.getAttribute("data-short")).toBe(String(l.concurrency_short));
      // Achieved against requested concurrency, per level.
      expect(await row.locator('[data-col="concurrency"]').textContent()).toMatch(new RegExp(`^${l.level} · \\d`));
    }
    // ITL is past 45 ms from 4 in flight: the SLO broke at two levels in a row and the ladder stopped, before 16.
    expect(stored.stopped?.reason).toBe("slo");
    const stop = page.getByTestId(`capacity-stop-${MODEL}`);
    expect(await stop.getAttribute("data-reason")).toBe("slo");
    expect(await stop.textContent()).toMatch(new RegExp(`stopped at ${stored.stopped.at_level}.*SLO was broken at two levels in a row`));
    expect(await page.getByTestId(`capacity-level-${MODEL}-16`).count()).toBe(0);

    // The charts draw the SLO bound and mark the knee and the SLO limit.
    const ttft = page.getByTestId(`chart-capacity-ttft-${MODEL}`);
    await poll(() => ttft.getAttribute("data-drawn")).toBe("true");
    const series = (await ttft.getAttribute("data-series")) ?? "";
    expect(series).toContain("SLO TTFT ≤ 3000 ms");
    if (stored.knee_level !== null) expect(series).toContain(`knee (${stored.knee_level})`);
    if (stored.max_level_meeting_slo !== null) expect(series).toContain(`max meeting SLO (${stored.max_level_meeting_slo})`);
    expect(await page.getByTestId(`chart-capacity-itl-${MODEL}`).getAttribute("data-series")).toContain("SLO ITL p95 ≤ 45 ms");
    expect(await page.getByTestId(`chart-capacity-goodput-${MODEL}`).getAttribute("data-series")).toContain("Goodput");
    expect(await page.getByTestId(`chart-capacity-throughput-${MODEL}`).getAttribute("data-drawn")).toBe("true");
    await screenshot(page, "capacity-run");
  });

  it("keeps the run in history: open it, download CSV and JSON, delete it", async () => {
    const stored = (await apiCall(env.stack.url, token, `/api/capacity/history/${runId}`)).targets[0];
    const levelsRun = (stored.levels as { level: number }[]).map((l) => l.level);
    await page.goto(`${env.stack.url}/capacity/`);
    const row = page.getByTestId(`capacity-history-row-${runId}`);
    await row.waitFor();
    await poll(() => page.getByTestId(`capacity-history-status-${runId}`).textContent()).toBe("completed");
    expect(await page.getByTestId(`capacity-history-target-${runId}-${MODEL}`).textContent()).toContain(
      `${levelsRun.length} levels · knee ${stored.knee_level ?? "—"} · SLO met up to ${stored.max_level_meeting_slo ?? "—"}`,
    );
    await page.getByTestId(`capacity-history-open-${runId}`).click();
    await row.getByTestId(`capacity-level-${MODEL}-${levelsRun.at(-1)}`).waitFor();
    expect(await row.getByTestId(`capacity-knee-${MODEL}`).getAttribute("data-level")).toBe(String(stored.knee_level ?? ""));
    expect(await row.getByTestId(`capacity-stop-${MODEL}`).getAttribute("data-reason")).toBe("slo");
    // The stored run brings the requests in flight over time.
    const timeline = row.getByTestId(`chart-capacity-timeline-${MODEL}`);
    await timeline.scrollIntoViewIfNeeded();
    await poll(() => timeline.getAttribute("data-drawn")).toBe("true");
    expect(await timeline.getAttribute("data-series")).toBe("In flight");

    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`capacity-export-csv-${runId}`).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await csvDownload.path())!, "utf8")
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toMatch(/^provider_key,model_id,level,/);
    expect(csv).toHaveLength(1 + levelsRun.length); // a header and one row per level run
    expect(csv.slice(1).every((line) => line.includes(MODEL))).toBe(true);

    const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`capacity-export-json-${runId}`).click()]);
    expect(jsonDownload.suggestedFilename()).toMatch(/\.json$/);
    const exported = JSON.parse(readFileSync((await jsonDownload.path())!, "utf8")) as { run: { id: string }; samples: unknown[] };
    expect(exported.run.id).toBe(runId);
    expect(exported.samples).toHaveLength(8 * levelsRun.length);

    await page.getByTestId(`capacity-history-delete-${runId}`).click();
    await page.getByTestId("confirm-ok").click();
    await row.waitFor({ state: "detached" });
    const { runs } = await apiCall(env.stack.url, token, "/api/capacity/history");
    expect(runs.some((r: { id: string }) => r.id === runId)).toBe(false);
  });

  it("cancels a probe mid-ladder and keeps the levels that finished", async () => {
    await openWith(SLOW_MODEL);
    await page.getByTestId("capacity-levels").fill("1, 2, 4, 8");
    await page.getByTestId("capacity-hold-kind").selectOption("seconds");
    await page.getByTestId("capacity-hold").fill("4");
    await page.getByTestId("capacity-slo-ttft").fill("5000");
    await page.getByTestId("capacity-slo-itl").fill("500");
    await poll(() => page.getByTestId("run-capacity").isDisabled()).toBe(false);
    await page.getByTestId("run-capacity").click();
    await page.getByTestId(`capacity-level-${SLOW_MODEL}-1`).waitFor({ timeout: 60_000 });
    await page.getByTestId("cancel-capacity").click();
    await poll(() => page.getByTestId("capacity-status").textContent()).toBe("cancelled");
    // After the stored run is read, the finished level is still there and the ladder never reached 8.
    await page.waitForTimeout(1500);
    expect(await page.getByTestId(`capacity-level-${SLOW_MODEL}-1`).count()).toBe(1);
    expect(await page.getByTestId(`capacity-level-${SLOW_MODEL}-8`).count()).toBe(0);
  });
});
