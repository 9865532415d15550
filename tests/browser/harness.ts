/**
 * Browser-test harness: a fresh local stack (simulator + wrangler dev on a throw-away D1/DO state directory)
 * and Debian's Chromium driven by playwright-core. Screenshots go to test-artifacts/screenshots (not git).
 */

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { applyMigrations, ROOT, type RunningStack, startStack } from "../../scripts/stack.ts";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
export const chromiumPath = CANDIDATES.find((p) => existsSync(p));
export const mustRunBrowserTests = process.env.CI === "true";
/** Locally, without Chromium, browser tests are skipped (with a notice); in CI they are mandatory. */
export const skipBrowserTests = !chromiumPath && !mustRunBrowserTests;
if (skipBrowserTests) console.warn("Chromium not found: browser tests skipped (apt-get install -y chromium)");

export const SCREENSHOTS = path.join(ROOT, "test-artifacts", "screenshots");

export interface BrowserEnv {
  stack: RunningStack;
  browser: Browser;
  /** Stops the app and its simulator, keeping the D1/DO state, and starts them again on these ports. */
  restart(ports: { app: number; simulator: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function startBrowserEnv(ports: { app: number; simulator: number }): Promise<BrowserEnv> {
  if (!chromiumPath) throw new Error("Chromium is required for browser tests (CI=true): apt-get install -y chromium");
  const state = mkdtempSync(path.join(tmpdir(), "llm-bench-e2e-"));
  applyMigrations(state);
  // Kept for restarts: sessions and stored keys must survive them.
  const vars = {
    JWT_SECRET: randomBytes(32).toString("hex"),
    VAULT_MASTER_KEY: randomBytes(32).toString("base64"),
    COOKIE_SECURE: "false",
  };
  const start = (p: { app: number; simulator: number }) =>
    startStack({ port: p.app, simulatorPort: p.simulator, persistTo: state, quiet: true, vars });
  const stack = await start(ports);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const env: BrowserEnv = {
    stack,
    browser,
    async restart(next) {
      await env.stack.stop();
      env.stack = await start(next);
    },
    async stop() {
      await browser.close().catch(() => {});
      await env.stack.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
  return env;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs a fresh user up through the landing page and skips onboarding; leaves the page on /benchmark/. */
export async function signUpInBrowser(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId("tab-signup").click();
  const form = page.getByTestId("signup-form");
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.getByTestId("auth-submit").click();
  await page.waitForURL(/\/onboarding\/?$/);
  await page.getByTestId("onboarding-next").click();
  await page.getByTestId("onboarding-skip").click();
  await page.getByTestId("onboarding-finish").click();
  await page.waitForURL(/\/benchmark\/?/);
}

/** Sets a range or number input the way a person would (Qwik listens for the input event). */
export async function setInputValue(page: Page, testId: string, value: number | string): Promise<void> {
  await page.getByTestId(testId).evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }, value);
}
