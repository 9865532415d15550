/**
 * Analytics, exports and the settings backup in real Chromium: seed benchmark runs and a tool eval on the simulator
 * (through the API), read the leaderboard table against the API, download its CSV, read trends and a compare of two
 * runs, open the Pareto view and click a point on the canvas through to its run in History, download the history and
 * tool-eval CSVs, and dry-run a settings backup in Settings → Backup (a bad
 * file refused, a changed one listed, then restored).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const PASSWORD = "analytics browser pw";
/** An accurate, dear caller; a sloppy, cheap one; a sloppy, dear one (dominated on accuracy vs cost). */
const MODELS = [
  { model_id: "sim-careful-ttft20-tps2000", input_cost_per_mtok: 2, output_cost_per_mtok: 8 },
  { model_id: "sim-sloppy-ttft20-tps800", input_cost_per_mtok: 0.1, output_cost_per_mtok: 0.2 },
  { model_id: "sim-sloppy-ttft40-tps400", input_cost_per_mtok: 20, output_cost_per_mtok: 40 },
];
const POLL = { timeout: 20_000 };

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

/** RFC 4180 enough for our files: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === "," || ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      cell = "";
      if (ch === "\n") {
        rows.push(row);
        row = [];
      }
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe.skipIf(skipBrowserTests)("analytics in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";
  const benchRuns: string[] = [];
  let evalId = "";
  const url = (p: string) => `${env.stack.url}${p}`;

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(24));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(20_000);
    const email = `analytics-${Date.now()}@example.com`;
    await signUpInBrowser(page, env.stack.url, email, PASSWORD);
    token = (await api(env.stack.url, "", "/api/auth/login", { email, password: PASSWORD })).access_token;
    const { providers } = await api(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    for (const m of MODELS) await api(env.stack.url, token, `/api/v2/providers/${sim.id}/models`, m);
    const targets = MODELS.map((m) => ({ provider_key: "local_simulator", model_id: m.model_id }));

    // Two benchmark runs and one eval of the same models at the same temperature: one Pareto point per model.
    for (let i = 0; i < 2; i++) {
      const { run_id } = await api(env.stack.url, token, "/api/benchmark", {
        targets,
        max_tokens: 32,
        temperature: 0,
        context_tiers: [0],
        runs: 2,
        warmup: false,
        timeout: 30,
      });
      await waitUntil(
        `run ${run_id}`,
        () => api(env.stack.url, token, `/api/history/${run_id}`),
        (r) => r.status === "completed",
      );
      benchRuns.push(run_id);
    }
    const suite = JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json"), "utf8"));
    const { suite_id } = await api(env.stack.url, token, "/api/tool-eval/import", { ...suite, test_cases: suite.test_cases.slice(10, 16) });
    ({ eval_id: evalId } = await api(env.stack.url, token, "/api/tool-eval", { suite_id, targets, temperature: 0 }));
    await waitUntil(
      `eval ${evalId}`,
      () => api(env.stack.url, token, `/api/tool-eval/history/${evalId}`),
      (r) => r.status === "completed",
    );
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("shows the benchmark and tool-eval leaderboards as tables with the API's figures", async () => {
    const board = await api(env.stack.url, token, "/api/analytics/leaderboard?type=benchmark&period=30d");
    expect(board.rows).toHaveLength(MODELS.length);
    await page.goto(url("/analytics/"));
    const rows = page.getByTestId("leaderboard-table").locator("tbody tr");
    await expect.poll(() => rows.count(), POLL).toBe(MODELS.length);
    for (let i = 0; i < board.rows.length; i++) {
      const row = rows.nth(i);
      expect(await row.getAttribute("data-model")).toBe(board.rows[i].model_id);
      expect(await row.locator('[data-col="runs"]').textContent()).toBe("2");
      const shown = Number((await row.locator('[data-col="speed"]').textContent())!.replace(/[^\d.]/g, ""));
      expect(Math.abs(shown - board.rows[i].output_speed_p50_tps)).toBeLessThanOrEqual(Math.max(1, board.rows[i].output_speed_p50_tps * 0.01));
    }
    // Fastest first, and a price known for every model.
    const speeds = board.rows.map((r: { output_speed_p50_tps: number }) => r.output_speed_p50_tps);
    expect([...speeds].sort((a, b) => b - a)).toEqual(speeds);
    expect(await rows.nth(0).locator('[data-col="cost"]').textContent()).toMatch(/^\$/);
    await page.waitForFunction(() => document.querySelector('[data-testid="leaderboard-chart"]')?.getAttribute("data-drawn") === "true", null, POLL);
    await screenshot(page, "analytics-leaderboard");

    await page.getByTestId("leaderboard-type-tool_eval").click();
    const evalBoard = await api(env.stack.url, token, "/api/analytics/leaderboard?type=tool_eval&period=30d");
    const scorer = evalBoard.rows[0].scorer;
    const evalRows = page.getByTestId(`eval-leaderboard-${scorer}`).locator("tbody tr");
    await expect.poll(() => evalRows.count(), POLL).toBe(MODELS.length);
    expect(await evalRows.nth(0).locator('[data-col="overall"]').textContent()).toBe(`${evalBoard.rows[0].overall_pct.toFixed(1)}%`);
  });

  it("exports the leaderboard as CSV: the file has the table's rows", async () => {
    await page.getByTestId("leaderboard-type-benchmark").click();
    await page.getByTestId("leaderboard-table").waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("leaderboard-export").click()]);
    expect(download.suggestedFilename()).toBe("leaderboard_benchmark_30d.csv");
    const csv = parseCsv(readFileSync((await download.path())!, "utf8"));
    const header = csv[0]!;
    expect(header.slice(0, 3)).toEqual(["rank", "provider_key", "provider"]);
    const board = await api(env.stack.url, token, "/api/analytics/leaderboard?type=benchmark&period=30d");
    expect(csv.slice(1).map((r) => r[header.indexOf("model_id")])).toEqual(board.rows.map((r: { model_id: string }) => r.model_id));
    expect(csv.slice(1).map((r) => Number(r[header.indexOf("runs")]))).toEqual([2, 2, 2]);
  });

  it("draws trends and compares two runs, each also as a table", async () => {
    await page.getByTestId("analytics-tab-trends").click();
    const trends = await api(env.stack.url, token, "/api/analytics/trends?metric=tps&period=30d");
    const points = trends.series.reduce((n: number, s: { points: unknown[] }) => n + s.points.length, 0);
    expect(points).toBe(2 * MODELS.length); // a point per run and model
    await expect.poll(() => page.getByTestId("trends-table").locator("tbody tr").count(), POLL).toBe(points);
    await page.waitForFunction(() => document.querySelector('[data-testid="trends-chart"]')?.getAttribute("data-drawn") === "true", null, POLL);

    await page.getByTestId("analytics-tab-compare").click();
    for (const id of benchRuns) await page.getByTestId(`compare-pick-${id}`).check();
    await page.getByTestId("compare-go").click();
    const rows = page.getByTestId("compare-table").locator("tbody tr");
    await expect.poll(() => rows.count(), POLL).toBe(benchRuns.length * MODELS.length);
    await page.waitForFunction(() => document.querySelector('[data-testid="compare-chart"]')?.getAttribute("data-drawn") === "true", null, POLL);
    await screenshot(page, "analytics-compare");
  });

  it("opens the Pareto view, and a click on a point of the front leads to its run in History", async () => {
    await page.getByTestId("analytics-tab-pareto").click();
    await page.waitForURL(/tab=pareto/);
    const view = await api(env.stack.url, token, "/api/analytics/pareto?period=all&axes=cost,accuracy");
    // One point per model: its speed and cost from the benchmarks and its accuracy from the eval joined.
    expect(view.points).toHaveLength(MODELS.length);
    for (const p of view.points) {
      expect(p.benchmark_runs).toBe(2);
      expect(p.eval_runs).toBe(1);
    }
    const front = view.points.filter((p: { front: boolean }) => p.front);
    expect(front.length).toBeGreaterThan(0);
    expect(front.length).toBeLessThan(MODELS.length); // the sloppy, dear caller is dominated

    const rows = page.getByTestId("pareto-table").locator("tbody tr");
    await expect.poll(() => rows.count(), POLL).toBe(MODELS.length);
    expect(await page.getByTestId("pareto-table").locator('tbody tr[data-front="true"]').count()).toBe(front.length);
    await page.waitForFunction(() => document.querySelector('[data-testid="pareto-chart"]')?.getAttribute("data-points"), null, POLL);
    await screenshot(page, "analytics-pareto");

    const target = front[0];
    const drawn = JSON.parse((await page.getByTestId("pareto-chart").getAttribute("data-points"))!) as { id: string; x: number; y: number }[];
    const at = drawn.find((d) => d.id === target.key)!;
    expect(at).toBeTruthy();
    await page
      .getByTestId("pareto-chart")
      .locator("canvas")
      .click({ position: { x: at.x, y: at.y } });
    const behind = page.getByTestId("pareto-runs");
    await behind.waitFor();
    expect(await behind.textContent()).toContain(target.model);
    const newest = target.runs.find((r: { kind: string }) => r.kind === "benchmark").run_id;
    expect(benchRuns).toContain(newest);
    expect(await behind.getByTestId(`pareto-run-${evalId}`).count()).toBe(1);

    await behind.getByTestId(`pareto-run-${newest}`).click();
    await page.waitForURL(new RegExp(`/history/\\?run=${newest}`));
    const row = page.getByTestId(`history-row-${newest}`);
    await row.waitFor();
    await expect.poll(() => row.getAttribute("class"), POLL).toContain("is-expanded");
    expect(await row.textContent()).toContain(target.model);
  });

  it("exports the benchmark history as CSV from History: one row per measured call", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("history-export").click()]);
    expect(download.suggestedFilename()).toBe("benchmark_history.csv");
    const csv = parseCsv(readFileSync((await download.path())!, "utf8"));
    const header = csv[0]!;
    const body = csv.slice(1);
    expect(body).toHaveLength(2 * MODELS.length * 2); // 2 runs × 3 models × 2 measured calls
    expect(new Set(body.map((r) => r[header.indexOf("run_id")]))).toEqual(new Set(benchRuns));
  });

  it("exports the tool-eval summaries as CSV from eval history: a row per eval run and model", async () => {
    await page.goto(url("/tool-eval/history/"));
    await page.getByTestId(`eval-history-row-${evalId}`).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("eval-history-export").click()]);
    expect(download.suggestedFilename()).toBe("tool_eval_history.csv");
    const csv = parseCsv(readFileSync((await download.path())!, "utf8"));
    const header = csv[0]!;
    expect(csv.slice(1).map((r) => r[header.indexOf("eval_id")])).toEqual(MODELS.map(() => evalId));
    expect(new Set(csv.slice(1).map((r) => r[header.indexOf("model_id")]))).toEqual(new Set(MODELS.map((m) => m.model_id)));
  });

  it("dry-runs a settings backup in Settings → Backup: a bad file is refused, a changed one is listed, then restored", async () => {
    await page.goto(url("/settings/backup/"));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("backup-download").click()]);
    expect(download.suggestedFilename()).toMatch(/^benchmark-settings-\d{4}-\d{2}-\d{2}\.json$/);
    const backup = JSON.parse(readFileSync((await download.path())!, "utf8"));
    expect(backup.format).toBe("llm-benchmark-studio/settings");
    expect(JSON.stringify(backup)).not.toMatch(/api_key"|sk-/);

    const dir = tmpdir();
    const notJson = path.join(dir, `not-a-backup-${Date.now()}.json`);
    writeFileSync(notJson, "this is not json");
    await page.getByTestId("backup-file").setInputFiles(notJson);
    await expect.poll(() => page.getByTestId("backup-error").textContent(), POLL).toContain("is not a JSON file");

    const wrongVersion = path.join(dir, `wrong-version-${Date.now()}.json`);
    writeFileSync(wrongVersion, JSON.stringify({ ...backup, version: 99 }));
    await page.getByTestId("backup-file").setInputFiles(wrongVersion);
    await expect.poll(() => page.getByTestId("backup-error").textContent(), POLL).toContain("can't be restored");
    expect(await page.getByTestId("backup-restore").count()).toBe(0);

    const changed = structuredClone(backup);
    changed.sections.prompt_templates = [
      ...(changed.sections.prompt_templates ?? []),
      { key: "from_backup", label: "From a backup", category: "test", prompt: "=SUM(1,2) and a prompt" },
    ];
    const sim = changed.sections.providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    sim.models.find((m: { model_id: string }) => m.model_id === MODELS[0]!.model_id).display_name = "Careful (restored)";
    const file = path.join(dir, `changed-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(changed));
    await page.getByTestId("backup-file").setInputFiles(file);
    const plan = page.getByTestId("backup-plan");
    await plan.waitFor();
    expect(await page.getByTestId("backup-error").count()).toBe(0);
    expect(await page.getByTestId("backup-prompt_templates-added").textContent()).toBe("1 added");
    expect(await page.getByTestId("backup-providers-updated").textContent()).toBe("1 updated");
    expect(await plan.textContent()).toContain("from_backup");
    await screenshot(page, "settings-backup-dry-run");
    // A dry run changes nothing.
    const before = await api(env.stack.url, token, "/api/export/settings");
    expect(before.sections.prompt_templates.some((t: { key: string }) => t.key === "from_backup")).toBe(false);

    await page.getByTestId("backup-restore").click();
    await expect.poll(() => page.getByTestId("backup-restored-message").textContent(), POLL).toMatch(/Restored: \d+ change/);
    const after = await api(env.stack.url, token, "/api/export/settings");
    expect(after.sections.prompt_templates.some((t: { key: string }) => t.key === "from_backup")).toBe(true);
  });
});
