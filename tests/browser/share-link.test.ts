/**
 * Sharing in real Chromium (issue 16): the owner shares a benchmark run from History as a link; the link opens in
 * a fresh browser context (no sign-in, no cookies) and shows the run's results, and nothing of the owner's
 * account; Settings → Shares counts the opening; once revoked, the same link shows the not-found view. A
 * leaderboard view is shared from Settings → Shares the same way.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { apiCall, waitUntil } from "./browser-api.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const MODEL = "sim-ttft80-tps150-len200";

describe.skipIf(skipBrowserTests)("share links in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";
  let email = "";
  let runId = "";
  let link = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(28));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    email = `sharer-${Date.now()}@example.com`;
    const password = "share link browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await apiCall(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
    const run = await apiCall(env.stack.url, token, "/api/benchmark", {
      targets: [{ provider_key: "local_simulator", model_id: MODEL }],
      runs: 1,
      warmup: false,
      max_tokens: 16,
      prompt: "A prompt worth sharing.",
    });
    runId = run.run_id;
    await waitUntil("the run to finish", async () => (await apiCall(env.stack.url, token, `/api/jobs/${run.job_id}`)).status === "done");
  });

  afterAll(async () => {
    await env?.stop();
  });

  const openAnonymously = async (url: string) => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const anon = await context.newPage();
    anon.setDefaultTimeout(20_000);
    await anon.goto(url);
    return { anon, close: () => context.close() };
  };

  it("shares a run from History as a link that opens without signing in", async () => {
    await page.goto(`${env.stack.url}/history/`);
    await page.getByTestId(`history-expand-${runId}`).click();
    await page.getByTestId(`history-share-${runId}-open`).click();
    await page.getByTestId(`history-share-${runId}-create`).click();
    const url = page.getByTestId(`history-share-${runId}-url`);
    await url.waitFor();
    link = await url.inputValue();
    expect(link).toMatch(new RegExp(`^${env.stack.url}/shared/#[A-Za-z0-9_-]{43}$`));
    await screenshot(page, "i16-share-dialog");

    const { anon, close } = await openAnonymously(link);
    try {
      await anon.getByTestId("shared-view").waitFor();
      expect(await anon.getByTestId("shared-title").textContent()).toMatch(/^Benchmark · 1 model · /);
      const body = (await anon.getByTestId("shared-view").textContent()) ?? "";
      expect(body).toContain("Sim fast (80 ms, 150 tok/s)"); // the model's row in the results table
      expect(body).toContain("A prompt worth sharing.");
      expect(body).not.toContain(email);
      expect(body).not.toContain(runId);
      expect(await anon.getByTestId("shared-aggregates").count()).toBe(1);
      expect(anon.url()).not.toMatch(/\/$|\/\?/); // not sent to the landing page
      await screenshot(anon, "i16-shared-view");
    } finally {
      await close();
    }
  });

  it("Settings → Shares counts the opening; a revoked link shows the not-found view", async () => {
    await page.goto(`${env.stack.url}/settings/shares/`);
    const table = page.getByTestId("shares-table");
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(1);
    expect(await table.getByTestId("share-opens").textContent()).toMatch(/^1×/);
    await table.getByRole("button", { name: "Revoke" }).click();
    await page.getByTestId("confirm-ok").click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="shares-table"]'));

    const { anon, close } = await openAnonymously(link);
    try {
      await anon.getByTestId("shared-not-found").waitFor();
      expect(await anon.getByTestId("shared-view").count()).toBe(0);
    } finally {
      await close();
    }
  });

  it("shares a speed leaderboard from Settings → Shares: the link shows the per-model figures", async () => {
    await page.goto(`${env.stack.url}/settings/shares/`);
    await page.getByTestId("leaderboard-share").waitFor();
    await page.locator("#lb-share-period").selectOption("all");
    await page.getByTestId("leaderboard-share-open").click();
    await page.getByTestId("leaderboard-share-create").click();
    const url = page.getByTestId("leaderboard-share-url");
    await url.waitFor();
    const { anon, close } = await openAnonymously(await url.inputValue());
    try {
      await anon.getByTestId("shared-leaderboard").waitFor();
      expect(await anon.getByTestId("shared-title").textContent()).toBe("Speed leaderboard · all time");
      expect(await anon.getByTestId("shared-leader-row").count()).toBe(1);
      expect(await anon.getByTestId("shared-leader-row").textContent()).toContain("Sim fast (80 ms, 150 tok/s)");
    } finally {
      await close();
    }
  });
});
