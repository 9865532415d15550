/**
 * The admin console in real Chromium (issue 16): the first account is the admin; it raises another user's
 * concurrency limit on the Limits tab and cancels that user's running benchmark (a deliberately slow simulator
 * model) from the Jobs tab. Both land in the API's state and in the audit log; every tab renders against the API.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPorts } from "../node/ports.ts";
import { apiCall, waitUntil } from "./browser-api.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

/** 2 tokens/s for up to 400 tokens: still running minutes later, so the cancel has something to stop. */
const SLOW_MODEL = "sim-ttft50-tps2-len400";

describe.skipIf(skipBrowserTests)("admin console in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let adminToken = "";
  let user = { id: "", email: "", token: "" };
  let jobId = "";

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(26));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const adminEmail = `admin-${Date.now()}@example.com`;
    const password = "admin console browser pw";
    await signUpInBrowser(page, env.stack.url, adminEmail, password); // the first account: admin
    adminToken = (await apiCall(env.stack.url, "", "/api/auth/login", { email: adminEmail, password })).access_token;

    const email = `worker-${Date.now()}@example.com`;
    const session = await apiCall(env.stack.url, "", "/api/auth/register", { email, password: "a user's own browser pw" });
    user = { id: session.user.id, email, token: session.access_token };
    expect(session.user.role).toBe("user");
    const { providers } = await apiCall(env.stack.url, user.token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    await apiCall(env.stack.url, user.token, `/api/v2/providers/${sim.id}/models`, { model_id: SLOW_MODEL });
    const run = await apiCall(env.stack.url, user.token, "/api/benchmark", {
      targets: [{ provider_key: "local_simulator", model_id: SLOW_MODEL }],
      runs: 1,
      warmup: false,
      max_tokens: 400,
    });
    jobId = run.job_id;
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("shows the admin tab and every admin tab renders from the API", async () => {
    await page.goto(`${env.stack.url}/admin/`);
    await page.getByTestId("admin-page").waitFor();
    // Each tab shows what the API holds: the accounts, audit entries, live figures, the log and key forms.
    const noError = async (tab: string) => expect(await page.locator('[role="tabpanel"] .inline-error').count(), tab).toBe(0);
    await page.getByTestId(`admin-user-${user.email}`).waitFor();
    await noError("users");
    await page.getByTestId("admin-tab-audit").click();
    await page.getByTestId("audit-row").first().waitFor(); // sign-ups and logins are audited
    await noError("audit");
    await page.getByTestId("admin-tab-system").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stats-users"] .stat-value')?.textContent === "2");
    await noError("system");
    await page.getByTestId("admin-tab-logs").click();
    await page.getByTestId("logs-level").waitFor();
    await noError("logs");
    await page.getByTestId("admin-tab-shared-keys").click();
    await page.getByTestId("shared-provider").waitFor();
    await noError("shared-keys");
    await page.getByTestId("admin-tab-limits").click();
    await page.getByTestId("limits-user").waitFor();
    await page.getByTestId("admin-tab-jobs").click();
    await page.getByTestId("admin-jobs").waitFor();
    await noError("jobs");
  });

  it("changes the user's concurrency limit on the Limits tab", async () => {
    await page.getByTestId("admin-tab-limits").click();
    await page.getByTestId("limits-user").selectOption(user.id);
    await page.waitForFunction(() => (document.querySelector('[data-testid="limit-max_concurrent"]') as HTMLInputElement | null)?.value !== "");
    await page.getByTestId("limit-max_concurrent").fill("4");
    await page.getByTestId("limit-benchmarks_per_hour").fill("37");
    await page.getByTestId("limits-save").click();
    const limits = await waitUntil("the saved limits", async () => {
      const l = await apiCall(env.stack.url, adminToken, `/api/admin/users/${user.id}/rate-limit`);
      return l.max_concurrent === 4 ? l : null;
    });
    expect(limits).toMatchObject({ max_concurrent: 4, benchmarks_per_hour: 37 });
    // The user sees the new limit as their own.
    expect(await apiCall(env.stack.url, user.token, "/api/user/rate-limit")).toMatchObject({ limit: 37 });
    const audit = await apiCall(env.stack.url, adminToken, "/api/admin/audit?action=admin_rate_limit");
    expect(audit.entries.some((e: { resource_id: string }) => e.resource_id === user.id)).toBe(true);
  });

  it("cancels the user's running job from the Jobs tab", async () => {
    await waitUntil("the job running", async () => (await apiCall(env.stack.url, user.token, `/api/jobs/${jobId}`)).status === "running");
    await page.getByTestId("admin-tab-jobs").click();
    const row = page.getByTestId(`admin-job-${jobId}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(user.email);
    await screenshot(page, "i16-admin-jobs");
    await page.getByTestId(`admin-cancel-${jobId}`).click();
    await page.getByTestId("confirm-ok").click();
    const job = await waitUntil("the job cancelled", async () => {
      const j = await apiCall(env.stack.url, user.token, `/api/jobs/${jobId}`);
      return j.status === "cancelled" ? j : null;
    });
    expect(job.status).toBe("cancelled");
    await row.waitFor({ state: "detached" });
    const audit = await apiCall(env.stack.url, adminToken, "/api/admin/audit?action=admin_job_cancel");
    expect(audit.entries.some((e: { resource_id: string }) => e.resource_id === jobId)).toBe(true);
  });
});
