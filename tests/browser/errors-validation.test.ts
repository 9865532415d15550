/**
 * Issue 12 items 5 and 6 in real Chromium: an out-of-range value gets its message next to the field and nothing is
 * sent (Benchmark, Tool Eval, Settings); a failing provider shows its error class, provider and host, the
 * provider's message and a hint, in the Benchmark live view, History and Tool Eval.
 */
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, setInputValue, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const FAST = "sim-ttft80-tps150-len200"; // one of the simulator models every new account gets
const BAD_KEY = "sim-fault401-tagbrowsererr";
const DEAD_HOST = "127.0.0.1:1";

async function api(baseUrl: string, token: string, p: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

describe.skipIf(skipBrowserTests)("validation messages and actionable errors in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let suiteId = "";
  /** Every write the page sends to the API, to prove an invalid form sends nothing. */
  const writes: string[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(4));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    page.on("request", (r: Request) => {
      if (r.method() !== "GET" && new URL(r.url()).pathname.startsWith("/api/") && !r.url().includes("/api/auth/")) {
        writes.push(`${r.method()} ${new URL(r.url()).pathname}`);
      }
    });
    const email = `errors-${Date.now()}@example.com`;
    const password = "errors browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    const { access_token: token } = await api(env.stack.url, "", "/api/auth/login", { email, password });
    const { providers } = await api(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    await api(env.stack.url, token, `/api/v2/providers/${sim.id}/models`, { model_id: BAD_KEY });
    // A server that is not running: nothing listens on port 1.
    const dead = await api(env.stack.url, token, "/api/v2/providers", {
      provider_key: "offline",
      display_name: "Offline server",
      api_base: `http://${DEAD_HOST}/v1`,
      is_local: true,
    });
    await api(env.stack.url, token, `/api/v2/providers/${dead.provider.id}/models`, { model_id: "any-model" });
    const suite = await api(env.stack.url, token, "/api/tool-suites", {
      name: "Errors suite",
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }],
    });
    suiteId = suite.suite_id;
    await api(env.stack.url, token, `/api/tool-suites/${suiteId}/cases`, { prompt: "Weather in Paris?", expected_tool: "get_weather" });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("Benchmark: runs 99999 and timeout −5 get their messages, Run stays disabled, nothing is sent", async () => {
    await page.goto(`${env.stack.url}/benchmark/`);
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).check();
    writes.length = 0;

    await setInputValue(page, "runs-input", 99999);
    await page.getByTestId("runs-input-error").waitFor();
    expect(await page.getByTestId("runs-input-error").textContent()).toMatch(/Runs per model must be a whole number from 1 to 20/);
    expect(await page.getByTestId("runs-input").inputValue()).toBe("99999"); // kept as typed, not changed to 20
    await setInputValue(page, "timeout-input", -5);
    expect(await page.getByTestId("timeout-input-error").textContent()).toMatch(/Timeout must be a whole number from 10 to 600/);
    expect(await page.getByTestId("run-benchmark").isDisabled()).toBe(true);
    expect(await page.getByTestId("run-blocked").textContent()).toMatch(/Fix the marked fields/);
    await page.getByTestId("run-benchmark").evaluate((b) => (b as HTMLButtonElement).click()); // a click on it does nothing
    await screenshot(page, "50-benchmark-out-of-range");

    await setInputValue(page, "runs-input", 2);
    await setInputValue(page, "timeout-input", 30);
    expect(await page.getByTestId("runs-input-error").count()).toBe(0);
    expect(await page.getByTestId("run-benchmark").isEnabled()).toBe(true);
    expect(writes.filter((w) => w.startsWith("POST /api/benchmark"))).toEqual([]);
  });

  it("Settings: max tokens 99999999 gets its message and is not saved", async () => {
    await page.goto(`${env.stack.url}/settings/general/`);
    const form = page.getByTestId("defaults-form");
    await form.waitFor();
    writes.length = 0;
    await page.getByTestId("defaults-max-tokens").fill("99999999");
    await form.locator('button[type="submit"]').click();
    await page.getByTestId("defaults-max-tokens-error").waitFor();
    expect(await page.getByTestId("defaults-max-tokens-error").textContent()).toMatch(/Max output tokens must be a whole number from 1 to 128,000/);
    expect(writes).toEqual([]);
  });

  it("Tool Eval: a timeout of −5 gets its message and the evaluation cannot start", async () => {
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId(`model-checkbox-local_simulator-${FAST}`).check();
    await page.getByTestId("suite-select").selectOption(suiteId);
    writes.length = 0;
    await setInputValue(page, "eval-timeout-input", -5);
    expect(await page.getByTestId("eval-timeout-input-error").textContent()).toMatch(/from 10 to 600/);
    expect(await page.getByTestId("run-eval").isDisabled()).toBe(true);
    await setInputValue(page, "eval-timeout-input", 60);
    expect(await page.getByTestId("run-eval").isEnabled()).toBe(true);
    expect(writes).toEqual([]);
  });

  it("Benchmark: a dead server and a bad key each show class, provider · host, message and hint, live and in History", async () => {
    await page.goto(`${env.stack.url}/benchmark/`);
    await page.getByTestId("model-checkbox-offline-any-model").waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId("model-checkbox-offline-any-model").check();
    await page.getByTestId(`model-checkbox-local_simulator-${BAD_KEY}`).check();
    await setInputValue(page, "runs-input", 1);
    await page.getByTestId("run-benchmark").click();
    const banner = page.getByTestId("all-failed-banner");
    await banner.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="all-failed-banner"] .call-failure').length >= 2);
    const text = (await banner.textContent()) ?? "";
    expect(text).toContain("Could not connect");
    expect(text).toContain(`Offline server · ${DEAD_HOST}`);
    expect(text).toContain(`Is the server up at ${DEAD_HOST}?`);
    expect(text).toContain("Authentication failed");
    expect(text).toMatch(/HTTP 401: Incorrect API key/);
    expect(text).toContain("Check the API key for Local simulator in Settings → Keys");
    expect(text).not.toMatch(/Error: ?Error:|^Error:/);
    await screenshot(page, "51-benchmark-failures");

    await page.goto(`${env.stack.url}/history/`);
    const row = page.locator('[data-testid^="history-row-"]').first();
    await row.waitFor();
    const runId = ((await row.getAttribute("data-testid")) ?? "").replace("history-row-", "");
    await page.getByTestId(`history-expand-${runId}`).click();
    const failures = page.getByTestId(`history-failures-${runId}`);
    await failures.waitFor();
    const listed = (await failures.textContent()) ?? "";
    expect(listed).toMatch(/2 failed runs/);
    expect(listed).toContain("Could not connect");
    expect(listed).toContain("HTTP 401: Incorrect API key");
    expect(listed).toContain(`Is the server up at ${DEAD_HOST}?`);
    await screenshot(page, "52-history-failures");
  });

  it("Tool Eval: a case on a dead server shows its class and hint in the results and the case detail", async () => {
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.getByTestId("model-checkbox-offline-any-model").waitFor();
    await page.getByTestId("select-none").click();
    await page.getByTestId("model-checkbox-offline-any-model").check();
    await page.getByTestId("suite-select").selectOption(suiteId);
    await setInputValue(page, "eval-timeout-input", 60);
    await page.getByTestId("run-eval").click();
    const failures = page.getByTestId("eval-failures");
    await failures.waitFor({ timeout: 30_000 });
    const text = (await failures.textContent()) ?? "";
    expect(text).toContain("Could not connect");
    expect(text).toContain(`Offline server · ${DEAD_HOST}`);
    expect(text).toContain(`Is the server up at ${DEAD_HOST}?`);
    const row = page.locator('[data-testid^="eval-row-any-model-"]').first();
    expect(await row.getByTestId("eval-actual").textContent()).toBe("error: Could not connect");
    await row.locator("button").first().click();
    const detail = page.getByTestId("drill-failure");
    await detail.waitFor();
    expect(await page.getByTestId("drill-failure-hint").textContent()).toContain(`Is the server up at ${DEAD_HOST}?`);
    await screenshot(page, "53-tool-eval-failure");
  });
});
