/**
 * Model discovery and provider health in real Chromium (issue 16): on Settings → Providers a user lists the
 * simulator's models from its own /v1/models, adds one with a click (it joins the provider's models, and the list
 * says "Added"), checks provider health on Settings, and sees the compact check before a run on Benchmark.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { apiCall, waitUntil } from "./browser-api.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

/** Listed by the simulator's /v1/models, not in the catalogue, so not added at sign-up. */
const DISCOVERED = "sim-ttft300-tps60-len120";

describe.skipIf(skipBrowserTests)("model discovery and health in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(27));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const email = `discover-${Date.now()}@example.com`;
    const password = "discovery browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await apiCall(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
  });

  afterAll(async () => {
    await env?.stop();
  });

  const simModels = async () => {
    const { providers } = await apiCall(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    return (await apiCall(env.stack.url, token, `/api/v2/providers/${sim.id}/models`)).models.map(
      (m: { model_id: string }) => m.model_id,
    ) as string[];
  };

  it("discovers the simulator's models and adds one with a click", async () => {
    expect(await simModels()).not.toContain(DISCOVERED);
    await page.goto(`${env.stack.url}/settings/providers/`);
    await page.getByTestId("provider-models-toggle-local_simulator").click();
    await page.getByTestId("discover-btn-local_simulator").click();
    const row = page.getByTestId(`discovered-${DISCOVERED}`);
    await row.waitFor();
    // Catalogue models the account already has are marked, not offered again.
    expect(await page.getByTestId("discovered-sim-ttft80-tps150-len200").textContent()).toContain("Added");
    await screenshot(page, "i16-discover-models");
    await page.getByTestId(`discover-add-${DISCOVERED}`).click();
    await page.getByTestId(`model-row-${DISCOVERED}`).waitFor();
    await waitUntil("the added row marked", async () => (await row.textContent())?.includes("Added"));
    expect(await simModels()).toContain(DISCOVERED);
  });

  it("checks provider health on Settings and before a run on Benchmark", async () => {
    await page.getByTestId("health-panel").getByTestId("health-check").click();
    const sim = page.getByTestId("health-row-local_simulator");
    await sim.waitFor();
    expect(await sim.textContent()).toMatch(/up.*\d+ ms/);

    await page.goto(`${env.stack.url}/benchmark/`);
    await page.getByTestId("health-compact").getByTestId("health-check").click();
    const chip = page.getByTestId("health-local_simulator");
    await chip.waitFor();
    expect(await chip.textContent()).toMatch(/\d+ ms/);
  });
});
