/**
 * The foundation, as a person uses it in real Chromium: sign up, onboarding, store a key (badge shown, key
 * never shown), add a provider and a priced model, log out, log back in.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const SECRET = "sk-proj-BrowserSecretKey0123456789abcdTAIL";
const EMAIL = `e2e-${Date.now()}@example.com`;
const PASSWORD = "browser test password";

describe.skipIf(skipBrowserTests)("foundation in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(0));
    page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await env?.stop();
  });

  const url = (path: string) => `${env.stack.url}${path}`;

  it("signs up and is taken to onboarding", async () => {
    await page.goto(url("/"));
    await page.getByTestId("tab-signup").click();
    const form = page.getByTestId("signup-form");
    await form.locator('input[name="email"]').fill(EMAIL);
    await form.locator('input[name="password"]').fill(PASSWORD);
    await screenshot(page, "01-landing-signup");
    await form.getByTestId("auth-submit").click();
    await page.waitForURL(/\/onboarding\/?$/);
    await page.getByTestId("onboarding-step-1").waitFor();
    await expect(page.getByTestId("onboarding-step-1").textContent()).resolves.toMatch(/simulator/i);
    await screenshot(page, "02-onboarding");
  });

  it("goes through onboarding into the app, with a live connection", async () => {
    await page.getByTestId("onboarding-next").click();
    await page.getByTestId("onboarding-step-2").waitFor();
    await page.getByTestId("onboarding-skip").click();
    await page.getByTestId("onboarding-step-3").waitFor();
    await page.getByTestId("onboarding-finish").click();
    await page.waitForURL(/\/benchmark\/?$/);
    await expect(page.getByTestId("user-email").textContent()).resolves.toContain(EMAIL);
    await expect(page.getByTestId("admin-badge").count()).resolves.toBe(1); // first account is admin
    await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
    await screenshot(page, "03-benchmark-placeholder");
  });

  it("stores a key: the badge changes, the key itself is never shown", async () => {
    // Header tabs navigate in-app (the page is not reloaded), mark the current tab, and show Admin to an admin.
    await expect(page.getByTestId("nav-admin").isVisible()).resolves.toBe(true);
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByTestId("nav-settings").click();
    await page.waitForURL(/\/settings\//);
    await page.locator('[data-testid="nav-settings"][aria-current="page"]').waitFor();
    await expect(page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
    await page.goto(url("/settings/keys/"));
    const badge = page.getByTestId("key-badge-openai");
    await expect(badge.textContent()).resolves.toMatch(/NOT SET/i);
    await expect(page.getByTestId("key-badge-local_simulator").textContent()).resolves.toMatch(/NO KEY NEEDED/i);
    await page.getByTestId("key-input-openai").fill(SECRET);
    await page.getByTestId("key-save-openai").click();
    await page.waitForFunction(() => /YOUR KEY/i.test(document.querySelector('[data-testid="key-badge-openai"]')?.textContent ?? ""));
    await expect(page.getByTestId("key-last4-openai").textContent()).resolves.toContain("TAIL");
    await expect(page.getByTestId("key-input-openai").inputValue()).resolves.toBe("");
    const html = await page.content();
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain("BrowserSecretKey");
    await screenshot(page, "04-keys");
    // A reload reads the state back from the server, still without the key.
    await page.reload();
    await page.waitForFunction(() => /YOUR KEY/i.test(document.querySelector('[data-testid="key-badge-openai"]')?.textContent ?? ""));
    expect(await page.content()).not.toContain("BrowserSecretKey");
  });

  it("adds a provider and a model with custom prices", async () => {
    await page.goto(url("/settings/providers/"));
    const form = page.getByTestId("add-provider-form");
    await form.waitFor();
    await form.locator('input[name="display_name"]').fill("My Lab Server");
    // Qwik resumes handlers lazily: wait for the key to be auto-derived before overriding it.
    const keyInput = form.locator('input[name="provider_key"]');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="add-provider-form"] input[name="provider_key"]') as HTMLInputElement | null)?.value !== "",
    );
    await keyInput.fill("my_lab");
    await form.locator('input[name="api_base"]').fill("http://127.0.0.1:9999/v1");
    await form.getByTestId("provider-save").click();
    const card = page.getByTestId("provider-card-my_lab");
    await card.waitFor();
    const toggle = page.getByTestId("provider-models-toggle-my_lab");
    if (await toggle.count()) {
      const expanded = await toggle.getAttribute("aria-expanded");
      if (expanded !== "true") await toggle.click();
    }
    await page.getByTestId("add-model-my_lab").click();
    const modelForm = page.getByTestId("add-model-form-my_lab");
    await modelForm.locator('input[name="model_id"]').fill("lab-model-7b");
    await modelForm.locator('input[name="input_cost_per_mtok"]').fill("0.25");
    await modelForm.locator('input[name="output_cost_per_mtok"]').fill("1.5");
    await modelForm.getByTestId("model-save").click();
    const row = page.getByTestId("model-row-lab-model-7b");
    await row.waitFor();
    const text = (await row.textContent()) ?? "";
    expect(text).toContain("0.25");
    expect(text).toContain("1.5");
    await screenshot(page, "05-providers");
  });

  it("logs out and back in, and everything it configured is still there", async () => {
    await page.getByTestId("logout").click();
    await page.waitForURL((u) => new URL(u).pathname === "/");
    // Signed out: an app page sends the visitor back to the landing page.
    await page.goto(url("/settings/keys/"));
    await page.waitForURL((u) => new URL(u).pathname === "/");
    await page.getByTestId("tab-login").click();
    const form = page.getByTestId("login-form");
    await form.locator('input[name="email"]').fill(EMAIL);
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.getByTestId("auth-submit").click();
    await page.waitForURL(/\/benchmark\/?$/); // onboarding is done, so no wizard this time
    await page.goto(url("/settings/keys/"));
    await page.waitForFunction(() => /YOUR KEY/i.test(document.querySelector('[data-testid="key-badge-openai"]')?.textContent ?? ""));
    await page.goto(url("/settings/providers/"));
    await page.getByTestId("provider-card-my_lab").waitFor();
    await screenshot(page, "06-after-login");
    // Signed out, no page asks for a refresh (the session hint is gone), so nothing is logged at all.
    expect(consoleErrors.filter((e) => !/favicon/i.test(e))).toEqual([]);
  });

  it("the landing page offers a signed-in visitor the way back, and runs no code for a new one", async () => {
    await page.goto(url("/"));
    await page.getByTestId("continue-to-app").click();
    await page.waitForURL(/\/benchmark\/?$/);
    await expect(page.getByTestId("user-email").textContent()).resolves.toContain(EMAIL);

    // A first-time visitor (no session hint) gets the static page: no session probe, no code beyond the Qwik loader.
    const fresh = await env.browser.newPage();
    const fetched: string[] = [];
    fresh.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    await fresh.goto(url("/"));
    await fresh.getByTestId("signup-form").waitFor();
    await fresh.waitForLoadState("networkidle");
    expect(fetched.filter((p) => p.startsWith("/api/"))).toEqual([]);
    expect(fetched.filter((p) => p.startsWith("/build/")).length).toBeLessThanOrEqual(1);
    // Its first interaction loads what it needs: a bad email is rejected by the form's own code.
    await fresh.getByTestId("signup-form").locator('input[name="email"]').fill("not-an-email");
    await fresh.getByTestId("signup-form").locator('input[name="password"]').fill(PASSWORD);
    await fresh.getByTestId("auth-submit").click();
    await fresh.locator("#auth-email-error").waitFor();
    await fresh.close();
  });

  it("a second account is not an admin: no badge, and the Admin tab stays hidden", async () => {
    const context = await env.browser.newContext(); // its own cookies: a separate person
    const other = await context.newPage();
    await signUpInBrowser(other, env.stack.url, `second-${Date.now()}@example.com`, PASSWORD);
    await other.getByTestId("user-email").waitFor();
    await other.getByTestId("nav-history").waitFor(); // the other tabs show
    await expect(other.getByTestId("admin-badge").count()).resolves.toBe(0);
    await expect(other.getByTestId("nav-admin").isVisible()).resolves.toBe(false);
    await context.close();
  });
});
