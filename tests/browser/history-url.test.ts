/**
 * What History shows lives in the address, in real Chromium: a comparison is a history entry (Back returns to the
 * list, Forward reopens it), a reload or a bookmark reopens it, an expanded run and an open case survive a reload,
 * unknown or another account's ids say "not found". And a signed-out visit to an app page goes straight to the
 * landing page: no app shell drawn, no refresh request, nothing in the console.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const FAST = "sim-ttft80-tps150-len200";
const PASSWORD = "history address pw";

async function api(baseUrl: string, token: string, p: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${p}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

async function waitUntil<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A benchmark on the fast simulator model at two context tiers, finished. */
async function benchmarkRun(baseUrl: string, token: string): Promise<string> {
  const { run_id } = await api(baseUrl, token, "/api/benchmark", {
    targets: [{ provider_key: "local_simulator", model_id: FAST }],
    max_tokens: 32,
    context_tiers: [0, 1000],
    runs: 1,
    warmup: false,
    timeout: 30,
  });
  await waitUntil(
    `run ${run_id}`,
    () => api(baseUrl, token, `/api/history/${run_id}`),
    (r) => r.status === "completed",
  );
  return run_id;
}

/**
 * Reports (through `shellSeen`) whether any document of the page ever had the app shell on screen: checked on every
 * DOM change and every frame, so a shell drawn for one frame before a redirect is caught.
 */
async function watchForAppShell(context: BrowserContext, seen: string[]): Promise<void> {
  await context.exposeBinding("__reportAppShell", (_source, where: string) => void seen.push(where));
  await context.addInitScript(() => {
    const w = window as unknown as { __reportAppShell(where: string): void; __shellReported?: boolean };
    const check = () => {
      if (w.__shellReported) return;
      const shell = document.querySelector(".app");
      if (shell && shell.getClientRects().length > 0) {
        w.__shellReported = true;
        w.__reportAppShell(location.pathname);
      }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
    const frame = () => {
      check();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

describe.skipIf(skipBrowserTests)("History's address in a real browser", () => {
  let env: BrowserEnv;
  let context: BrowserContext;
  let page: Page;
  let token = "";
  let runA = "";
  let runB = "";
  let foreignRun = "";
  let evalId = "";
  let caseRow = "";
  const consoleErrors: string[] = [];
  const shellSeen: string[] = [];
  const url = (p: string) => `${env.stack.url}${p}`;
  const search = () => new URL(page.url()).searchParams;
  /** The page follows its address asynchronously (the router reads the page data first): wait for it. */
  const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(4));
    context = await env.browser.newContext({ viewport: { width: 1360, height: 1000 } });
    await watchForAppShell(context, shellSeen);
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    const email = `history-url-${Date.now()}@example.com`;
    await signUpInBrowser(page, env.stack.url, email, PASSWORD);
    ({ access_token: token } = await api(env.stack.url, "", "/api/auth/login", { email, password: PASSWORD }));
    [runA, runB] = [await benchmarkRun(env.stack.url, token), await benchmarkRun(env.stack.url, token)];

    // Another account's run: its id must read as "not found" here, like any unknown id.
    const other = await fetch(url("/api/auth/register"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `other-${Date.now()}@example.com`, password: PASSWORD }),
    }).then((r) => r.json() as Promise<any>);
    foreignRun = await benchmarkRun(env.stack.url, other.access_token);

    // A two-case tool eval, for the case drill-down's address.
    const suite = JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"), "utf8"));
    const { suite_id } = await api(env.stack.url, token, "/api/tool-eval/import", { ...suite, test_cases: suite.test_cases.slice(0, 2) });
    ({ eval_id: evalId } = await api(env.stack.url, token, "/api/tool-eval", {
      suite_id,
      targets: [{ provider_key: "local_simulator", model_id: FAST }],
    }));
    const detail = await waitUntil(
      `eval ${evalId}`,
      () => api(env.stack.url, token, `/api/tool-eval/history/${evalId}`),
      (r) => r.status === "completed",
    );
    caseRow = `eval-row-${FAST}-${detail.results[0].test_case_id}`;
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("Back from a comparison returns to the list it was opened from, Forward reopens it", async () => {
    await page.goto(url(`/history/?run=${runA}`));
    await page.getByTestId(`history-row-${runA}`).waitFor();
    await poll(() => page.getByTestId(`history-expand-${runA}`).getAttribute("aria-expanded")).toBe("true");
    expect(shellSeen).toContain("/history/"); // the watcher sees a shell when there is one
    await page.getByTestId(`history-select-${runA}`).check();
    await page.getByTestId(`history-select-${runB}`).check();
    await page.getByTestId("history-compare").click();
    await page.getByTestId("compare-view").waitFor();
    await poll(() => search().get("compare")?.split(",").sort()).toEqual([runA, runB].sort());
    expect(search().getAll("run")).toEqual([runA]);
    await screenshot(page, "40-history-compare-in-url");

    await page.goBack();
    await page.getByTestId("compare-view").waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe("/history/");
    expect(search().get("compare")).toBeNull();
    await poll(() => search().getAll("run")).toEqual([runA]); // the query the list had is kept
    await page.getByTestId(`history-row-${runB}`).waitFor();

    await page.goForward();
    await page.getByTestId("compare-view").waitFor();
    expect(search().get("compare")).not.toBeNull();
    await page.goBack();
    await page.getByTestId("compare-view").waitFor({ state: "detached" });
  });

  it("reopens a comparison from its address (reload, bookmark) with each run's measured and failed counts", async () => {
    await page.goForward();
    await page.getByTestId("compare-view").waitFor();
    await page.reload();
    await page.getByTestId("compare-view").waitFor();
    expect(await page.getByTestId(`compare-counts-${runA}`).textContent()).toBe("2 measured"); // two tiers × one run
    await poll(() => page.getByTestId(`history-expand-${runA}`).getAttribute("aria-expanded")).toBe("true");

    const bookmark = await context.newPage();
    await bookmark.goto(url(`/history/?compare=${runB},${runA}`));
    await bookmark.getByTestId("compare-view").waitFor();
    await bookmark.getByTestId(`compare-counts-${runB}`).waitFor();
    // Closing a comparison opened from a bookmark cannot go Back to a list: it replaces the address.
    await bookmark.getByTestId("compare-close").click();
    await bookmark.getByTestId("compare-view").waitFor({ state: "detached" });
    await poll(() => new URL(bookmark.url()).search).toBe("");
    await bookmark.close();
  });

  it("keeps an expanded run in the address for a reload, without a history entry per click", async () => {
    await page.goto(url("/history/"));
    await page.getByTestId(`history-row-${runB}`).waitFor();
    const entries = await page.evaluate(() => history.length);
    await page.getByTestId(`history-expand-${runB}`).click();
    await poll(() => search().getAll("run")).toEqual([runB]);
    expect(await page.evaluate(() => history.length)).toBe(entries);
    await page.reload();
    await poll(() => page.getByTestId(`history-expand-${runB}`).getAttribute("aria-expanded")).toBe("true");
  });

  it("says which runs of the address it cannot show: unknown ids and another account's", async () => {
    await page.goto(url(`/history/?compare=${runA},${foreignRun}&run=0123456789abcdef`));
    const notice = page.getByTestId("history-not-found");
    await notice.waitFor();
    const text = (await notice.textContent()) ?? "";
    expect(text).toMatch(/2 runs .* not found/);
    expect(text).toContain(foreignRun.slice(0, 12));
    expect(text).toContain("0123456789ab");
    expect(await page.getByTestId("compare-view").count()).toBe(0);
    await page.getByTestId(`history-row-${runA}`).waitFor(); // the list is still there
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await notice.waitFor({ state: "detached" });
    await poll(() => search().get("compare")).toBeNull();
    expect(search().getAll("run")).toEqual([]);
  });

  it("puts an open case in the address: Back closes it, Forward and a reload reopen it, an unknown one says so", async () => {
    await page.goto(url(`/tool-eval/history/?run=${evalId}`));
    await page.getByTestId(caseRow).click();
    const drill = page.getByTestId("case-drilldown");
    await drill.getByTestId("drill-verdict").waitFor();
    await poll(() => search().get("case")?.startsWith(`${evalId}~`)).toBe(true);
    await page.goBack();
    await poll(() => drill.isVisible()).toBe(false);
    expect(search().get("case")).toBeNull();
    await poll(() => search().get("run")).toBe(evalId);
    await page.goForward();
    await drill.getByTestId("drill-verdict").waitFor();
    await page.reload();
    await drill.getByTestId("drill-verdict").waitFor();
    await screenshot(page, "41-eval-case-in-url");
    await drill.getByTestId("drill-close").click();
    await poll(() => drill.isVisible()).toBe(false);
    await poll(() => search().get("case")).toBeNull();

    await page.goto(url(`/tool-eval/history/?case=${evalId}~nosuchcase~local_simulator~${FAST}`));
    await page.getByTestId("drill-not-found").waitFor();
    await page.goto(url("/tool-eval/history/?run=0123456789abcdef"));
    await page.getByTestId("eval-history-not-found").waitFor();
    // The only errors: the API's 404s for the ids that do not exist.
    expect(consoleErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });

  it("sends a signed-out deep link straight to the landing page: no app shell, no refresh request, no console error", async () => {
    const anonymous = await env.browser.newContext();
    const seen: string[] = [];
    await watchForAppShell(anonymous, seen);
    const visitor = await anonymous.newPage();
    const errors: string[] = [];
    const requested: string[] = [];
    visitor.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    visitor.on("pageerror", (e) => errors.push(e.message));
    visitor.on("request", (r) => requested.push(new URL(r.url()).pathname));
    for (const deepLink of ["/benchmark/", `/history/?compare=${runA},${runB}`, "/onboarding/"]) {
      await visitor.goto(url(deepLink));
      await visitor.waitForURL((u) => new URL(u).pathname === "/");
      await visitor.getByTestId("signup-form").waitFor();
      await visitor.waitForLoadState("networkidle");
    }
    expect(seen).toEqual([]);
    expect(requested.filter((p) => p.startsWith("/api/"))).toEqual([]);
    expect(errors).toEqual([]);
    await anonymous.close();

    // Signed out in this browser (the server cleared the hint): the same, and the landing page asks nothing either.
    await page.goto(url("/benchmark/"));
    await page.getByTestId("logout").click();
    await page.waitForURL((u) => new URL(u).pathname === "/");
    const before = consoleErrors.length;
    shellSeen.length = 0;
    const refreshCalls: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/auth/refresh") refreshCalls.push(r.url());
    });
    await page.goto(url("/history/"));
    await page.waitForURL((u) => new URL(u).pathname === "/");
    await page.getByTestId("signup-form").waitFor();
    await page.waitForLoadState("networkidle");
    expect(shellSeen).toEqual([]);
    expect(refreshCalls).toEqual([]);
    expect(consoleErrors.slice(before)).toEqual([]);
  });
});
