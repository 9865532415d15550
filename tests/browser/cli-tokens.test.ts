/**
 * Settings → CLI tokens in real Chromium (issue 17): create a named token (shown once, with a copy button), the
 * token works as a Bearer token, the list shows it without the token after a reload, and revoking it makes the
 * deployment refuse it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const me = (baseUrl: string, token: string) => fetch(`${baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });

describe.skipIf(skipBrowserTests)("CLI tokens in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(41));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    await signUpInBrowser(page, env.stack.url, `cli-tokens-${Date.now()}@example.com`, "cli tokens browser pw");
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("creates a token shown once, lists it without the token, and revokes it", async () => {
    await page.goto(`${env.stack.url}/settings/`);
    await page.getByRole("link", { name: "CLI tokens" }).click();
    await page.getByTestId("cli-tokens-panel").waitFor();
    await page.getByTestId("cli-token-name").fill("GitHub Actions");
    await page.getByTestId("cli-token-create").click();
    const value = page.getByTestId("cli-token-value");
    await value.waitFor();
    const token = await value.inputValue();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await page.getByTestId("cli-token-copy").click();
    await page.getByText("Copied").waitFor();
    expect(await page.getByTestId("cli-tokens-panel").textContent()).toContain(`llm-bench login ${env.stack.url}`);
    await screenshot(page, "settings-cli-tokens");
    expect((await me(env.stack.url, token)).status).toBe(200);

    // Shown once: after a reload the list has the token's name and dates, never the token.
    await page.reload();
    const table = page.getByTestId("cli-tokens-table");
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(1);
    expect(await table.textContent()).toContain("GitHub Actions");
    expect(await page.getByTestId("cli-token-status").textContent()).toBe("active");
    expect(await page.content()).not.toContain(token);

    await table.getByRole("button", { name: "Revoke" }).click();
    await page.getByTestId("confirm-ok").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="cli-token-status"]')?.textContent?.startsWith("revoked"));
    const refused = await me(env.stack.url, token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatch(/revoked/);
  });
});
