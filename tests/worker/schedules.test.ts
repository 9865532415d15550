/**
 * Schedules end to end: the API (validation, owner scoping, the original's body), firing through the owner's hub
 * timer (workerd's alarm control, no real waiting) → queue → consumer → the one job path → History, a missed run
 * running once, and regression alerts from an injected slowdown in the simulator (`/__sim/drift`), with the
 * webhook delivered, signed, and retried (the simulator's `/__sim/webhooks/<id>` receiver refuses the first tries).
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import smartHome from "../fixtures/examples/smart_home_suite.json";
import { waitForJob } from "./fixtures.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, waitForJobEvent } from "./sockets.ts";

const SIM = env.SIMULATOR_BASE_URL;
const PROVIDER = "sched_sim";
// Profiles only this file uses, so the drift it injects slows no other test's model.
const STEADY = "sim-ttft120-tps900-len12";
const DRIFTING = "sim-ttft121-tps900-len12";
const target = (model_id: string) => ({ provider_key: PROVIDER, model_id });

type Account = Awaited<ReturnType<typeof signUp>>;

async function setUp(): Promise<Account> {
  const a = await signUp();
  const p = await call("/api/v2/providers", {
    token: a.token,
    body: { provider_key: PROVIDER, display_name: "Schedule simulator", api_base: `${SIM}/v1`, is_local: true },
  });
  expect(p.status, p.text).toBe(201);
  for (const model_id of [STEADY, DRIFTING]) {
    const m = await call(`/api/v2/providers/${p.json.provider.id}/models`, {
      token: a.token,
      body: { model_id, display_name: model_id, context_window: 8192, input_cost_per_mtok: 1, output_cost_per_mtok: 2 },
    });
    expect(m.status, m.text).toBe(201);
  }
  return a;
}

const benchConfig = (model: string, runs = 5) => ({
  targets: [target(model)],
  prompt: "Say something short.",
  max_tokens: 32,
  runs,
  warmup: false,
});

async function createSchedule(token: string, body: Record<string, unknown>) {
  const r = await call("/api/schedules", { token, body });
  expect(r.status, r.text).toBe(201);
  return r.json;
}

async function scheduleWhen(token: string, id: string, ready: (s: any) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(`/api/schedules/${id}`, { token });
    expect(r.status, r.text).toBe(200);
    if (ready(r.json)) return r.json;
    if (Date.now() > deadline) throw new Error(`schedule ${id} never reached the expected state: ${r.text}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Run now, to the job's end and the outcome path's bookkeeping (the schedule's last status). */
async function runNow(token: string, id: string) {
  const r = await call(`/api/schedules/${id}/trigger`, { token, method: "POST" });
  expect(r.status, r.text).toBe(200);
  expect(await waitForJob(token, r.json.job_id, 60_000)).toBe("done");
  await scheduleWhen(token, id, (s) => s.last_job_id === r.json.job_id && s.last_status === "completed");
  return r.json as { job_id: string; run_id: string; eval_id?: string };
}

async function drift(model: string, body: Record<string, unknown> | null) {
  const res = body
    ? await fetch(`${SIM}/__sim/drift`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ model, ...body }) })
    : await fetch(`${SIM}/__sim/drift?model=${model}`, { method: "DELETE" });
  expect(res.status).toBe(200);
}

afterAll(async () => {
  await drift(DRIFTING, null);
});

describe("schedules API", () => {
  it("creates, lists, reads, edits, disables and deletes; other users get 404", async () => {
    const a = await setUp();
    const created = await createSchedule(a.token, {
      name: "Nightly",
      kind: "benchmark",
      config: benchConfig(STEADY),
      cron: "0 3 * * *",
      timezone: "Europe/Berlin",
    });
    const s = created.schedule;
    expect(s).toMatchObject({
      name: "Nightly",
      kind: "benchmark",
      cron: "0 3 * * *",
      timezone: "Europe/Berlin",
      interval_hours: null,
      enabled: true,
    });
    expect(s.models).toEqual([`${PROVIDER}::${STEADY}`]);
    // 03:00 in Berlin is 01:00 or 02:00 UTC, and in the future
    expect(["01:00", "02:00"]).toContain(s.next_run.slice(11, 16));
    expect(Date.parse(s.next_run)).toBeGreaterThan(Date.now());
    // The config is stored as the benchmark route would take it (defaults filled in).
    expect(s.config).toMatchObject({ max_tokens: 32, runs: 5, warmup: false, context_tiers: [0] });

    const list = await call("/api/schedules", { token: a.token });
    expect(list.json.schedules.map((x: any) => x.id)).toEqual([created.id]);

    const edited = await call(`/api/schedules/${created.id}`, { token: a.token, method: "PUT", body: { interval_hours: 6 } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json.schedule).toMatchObject({ interval_hours: 6, cron: null });
    const hours = (Date.parse(edited.json.schedule.next_run) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(5.9);
    expect(hours).toBeLessThanOrEqual(6);

    const off = await call(`/api/schedules/${created.id}/disable`, { token: a.token, method: "POST" });
    expect(off.json).toMatchObject({ enabled: false, next_run: null });
    const on = await call(`/api/schedules/${created.id}/enable`, { token: a.token, method: "POST" });
    expect(on.json.enabled).toBe(true);
    expect(Date.parse(on.json.next_run)).toBeGreaterThan(Date.now());

    const b = await signUp();
    for (const [method, path, body] of [
      ["GET", `/api/schedules/${created.id}`, undefined],
      ["PUT", `/api/schedules/${created.id}`, { name: "mine" }],
      ["POST", `/api/schedules/${created.id}/trigger`, undefined],
      ["GET", `/api/schedules/${created.id}/trend`, undefined],
      ["DELETE", `/api/schedules/${created.id}`, undefined],
    ] as const) {
      expectEnvelope(await call(path, { token: b.token, method, ...(body ? { body } : {}) }), 404, "not_found");
    }
    expect((await call("/api/schedules", { token: b.token })).json.schedules).toEqual([]);

    expect((await call(`/api/schedules/${created.id}`, { token: a.token, method: "DELETE" })).status).toBe(200);
    expectEnvelope(await call(`/api/schedules/${created.id}`, { token: a.token }), 404);
  });

  it("accepts the original's benchmark-only body and a tool-eval config; refuses bad bodies with 400", async () => {
    const a = await setUp();
    const legacy = await createSchedule(a.token, {
      name: "Old style",
      prompt: "Write a haiku",
      models: [STEADY],
      max_tokens: 64,
      temperature: 0.5,
      interval_hours: 24,
    });
    expect(legacy.schedule).toMatchObject({ kind: "benchmark", interval_hours: 24 });
    expect(legacy.schedule.config).toMatchObject({ models: [STEADY], prompt: "Write a haiku", runs: 1, warmup: false, context_tiers: [0] });

    const bad = [
      { name: "x", config: benchConfig(STEADY) }, // no timing
      { name: "x", config: benchConfig(STEADY), interval_hours: 0 },
      { name: "x", config: benchConfig(STEADY), interval_hours: 721 },
      { name: "x", config: benchConfig(STEADY), interval_hours: 2, cron: "0 * * * *" },
      { name: "x", config: benchConfig(STEADY), cron: "*/5 * * * *" },
      { name: "x", config: benchConfig(STEADY), cron: "0 3 * * *", timezone: "Mars/Olympus" },
      { name: "x", config: { ...benchConfig(STEADY), runs: 0 }, interval_hours: 2 },
      { name: "x", config: { prompt: "no targets" }, interval_hours: 2 },
      { name: "x", kind: "tool_eval", config: { targets: [target(STEADY)] }, interval_hours: 2 }, // no suite_id
      { name: "x", kind: "tool_eval", models: [STEADY], interval_hours: 2 },
      { name: "x", config: benchConfig(STEADY), models: [STEADY], interval_hours: 2 },
      { name: "x", config: benchConfig(STEADY), interval_hours: 2, alerts: { thresholds: { ttft_p50_pct: -1 } } },
      { name: "", config: benchConfig(STEADY), interval_hours: 2 },
    ];
    for (const body of bad) {
      const r = await call("/api/schedules", { token: a.token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expectEnvelope(r, 400);
    }
    const preview = await call("/api/schedules/next-runs?cron=30%209%20*%20*%201-5&timezone=America/New_York", { token: a.token });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.runs).toHaveLength(5);
    for (const run of preview.json.runs) expect(["13:30", "14:30"]).toContain(run.slice(11, 16));
    expectEnvelope(await call("/api/schedules/next-runs?cron=nope", { token: a.token }), 400);
  });
});

describe("firing through the hub's timer", () => {
  it("the due timer submits one ordinary benchmark job; a run missed while the hub slept runs once", async () => {
    const a = await setUp();
    const created = await createSchedule(a.token, { name: "Hourly", config: benchConfig(STEADY, 1), interval_hours: 1 });
    const hub = env.USER_HUB.getByName(a.user.id);
    const timers = await hub.pendingTimers();
    expect(timers.filter((t) => t.kind === "schedule_due").map((t) => t.due_at)).toEqual([Date.parse(created.schedule.next_run)]);

    // The hub "slept" through three slots: the schedule's anchor and next run are moved 3½ hours into the past.
    const anchor = new Date(Date.now() - 3.5 * 3_600_000).toISOString();
    const missed = new Date(Date.parse(anchor) + 3_600_000).toISOString();
    await env.DB.prepare("UPDATE schedules SET anchor_at = ?, next_run_at = ? WHERE id = ?").bind(anchor, missed, created.id).run();
    await hub.armSchedule(a.user.id, created.id, Date.parse(missed));
    expect(await runDurableObjectAlarm(hub)).toBe(true);

    const fired = await scheduleWhen(a.token, created.id, (s) => s.last_job_id !== null);
    expect(await waitForJob(a.token, fired.last_job_id, 60_000)).toBe("done");
    // One run for the three missed slots; the next is the next slot on the grid after now.
    const next = Date.parse(fired.next_run);
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect((next - Date.parse(anchor)) % 3_600_000).toBe(0);
    const again = await hub.pendingTimers();
    expect(again.filter((t) => t.kind === "schedule_due").map((t) => t.due_at)).toEqual([next]);
    // A second alarm right away finds nothing due: no burst.
    await runDurableObjectAlarm(hub);

    const jobs = await call("/api/jobs?limit=20", { token: a.token });
    const scheduled = jobs.json.jobs.filter((j: any) => j.params?.schedule_id === created.id);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ job_type: "benchmark", status: "done" });
    // In History like any run, marked as the schedule's.
    const history = await call(`/api/history/${fired.last_run_id}`, { token: a.token });
    expect(history.status, history.text).toBe(200);
    expect(history.json.metadata).toEqual({ source: "schedule", schedule_id: created.id });
    await scheduleWhen(a.token, created.id, (s) => s.last_status === "completed");
  }, 90_000);

  it("a disabled or deleted schedule's timer is cleared; a refused run is 'skipped' with its reason", async () => {
    const a = await setUp();
    const created = await createSchedule(a.token, { name: "Soon gone", config: benchConfig(STEADY, 1), interval_hours: 2 });
    const hub = env.USER_HUB.getByName(a.user.id);
    await call(`/api/schedules/${created.id}/disable`, { token: a.token, method: "POST" });
    expect((await hub.pendingTimers()).filter((t) => t.kind === "schedule_due")).toEqual([]);
    await call(`/api/schedules/${created.id}/enable`, { token: a.token, method: "POST" });
    expect((await hub.pendingTimers()).filter((t) => t.kind === "schedule_due")).toHaveLength(1);

    // The model is deleted after the schedule was made: run now is refused (404), recorded on the schedule.
    const models = await call("/api/v2/models", { token: a.token });
    const model = models.json.models.find((m: any) => m.model_id === STEADY);
    expect((await call(`/api/v2/models/${model.id}`, { token: a.token, method: "DELETE" })).status).toBe(200);
    const refused = await call(`/api/schedules/${created.id}/trigger`, { token: a.token, method: "POST" });
    expect([400, 404]).toContain(refused.status);
    const after = (await call(`/api/schedules/${created.id}`, { token: a.token })).json;
    expect(after.last_status).toBe("skipped");
    expect(after.last_error).toBeTruthy();

    await call(`/api/schedules/${created.id}`, { token: a.token, method: "DELETE" });
    expect((await hub.pendingTimers()).filter((t) => t.kind === "schedule_due")).toEqual([]);
  }, 60_000);
});

async function hmacHex(secret: string, text: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

describe("regression alerts", () => {
  it("noise within the band raises nothing; an injected slowdown and new build raise a TTFT alert, live and by a signed, retried webhook", async () => {
    const a = await setUp();
    await drift(DRIFTING, null);
    const inbox = `sched-${crypto.randomUUID().slice(0, 8)}`;
    const configured = await fetch(`${SIM}/__sim/webhooks/${inbox}`, { method: "PUT", body: JSON.stringify({ fail_first: 2 }) });
    expect(configured.status).toBe(200);
    const secret = "a-webhook-secret-for-the-test";
    const created = await createSchedule(a.token, {
      name: "Drift watch",
      config: benchConfig(DRIFTING, 5),
      interval_hours: 24,
      alerts: {
        min_baseline_runs: 3,
        // Tolerant on the metrics the loopback's jitter moves, strict enough on TTFT to see +400 ms.
        thresholds: { ttft_p50_pct: 25, output_speed_p50_pct: 95, error_rate_pts: 50, cost_per_run_pct: 50 },
        webhook_url: `${SIM}/__sim/webhooks/${inbox}`,
        webhook_secret: secret,
      },
    });
    expect(created.schedule.alerts).toMatchObject({ webhook_secret_set: true, min_baseline_runs: 3 });
    expect(JSON.stringify(created)).not.toContain(secret);

    for (let i = 0; i < 4; i++) await runNow(a.token, created.id); // 3 baseline runs, then one more at the same speed
    const quiet = await call("/api/alerts", { token: a.token });
    expect(quiet.json).toEqual({ alerts: [], unacknowledged: 0 });

    const socket = await openSocket(a.token);
    await drift(DRIFTING, { ttft_add_ms: 400, system_fingerprint: "fp_new_build" });
    const r = await call(`/api/schedules/${created.id}/trigger`, { token: a.token, method: "POST" });
    expect(r.status, r.text).toBe(200);
    const event = await waitForJobEvent(socket, "schedule_alert", r.json.job_id, 60_000);
    expect(event.alert).toMatchObject({
      schedule_id: created.id,
      run_id: r.json.run_id,
      metric: "ttft_p50",
      model_id: DRIFTING,
      cause: "model_version_changed",
    });
    expect(event.alert.value - event.alert.baseline_value).toBeGreaterThan(300);
    expect(event.alert.cause_detail).toContain("fp_new_build");
    await drift(DRIFTING, null);

    const listed = await call("/api/alerts?status=unacknowledged", { token: a.token });
    expect(listed.json.unacknowledged).toBe(1);
    const [alert] = listed.json.alerts;
    expect(alert).toMatchObject({ test: "mann_whitney", threshold: 25, acknowledged_at: null });
    expect(alert.evidence.p_value).toBeLessThan(0.05);
    expect(alert.change_pct).toBeGreaterThan(25);

    // The webhook: refused twice by the receiver, delivered on the third attempt (1 s, then 2 s later), signed.
    const deadline = Date.now() + 30_000;
    let deliveries: any[] = [];
    while (Date.now() < deadline) {
      deliveries = ((await (await fetch(`${SIM}/__sim/webhooks/${inbox}`)).json()) as any).deliveries;
      if (deliveries.some((d) => d.answered === 200)) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(deliveries.map((d) => d.answered)).toEqual([500, 500, 200]);
    expect(deliveries[1].received_at - deliveries[0].received_at).toBeGreaterThanOrEqual(900);
    for (const d of deliveries) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(d.headers["x-studio-signature"]) ?? [];
      expect(v1).toBe(await hmacHex(secret, `${t}.${d.body}`));
      expect(JSON.parse(d.body)).toMatchObject({ type: "schedule_alert", alert: { id: alert.id, metric: "ttft_p50" } });
    }
    const delivered = await (async () => {
      for (let i = 0; i < 100; i++) {
        const x = (await call("/api/alerts", { token: a.token })).json.alerts[0];
        if (x.webhook_status === "delivered") return x;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error("the alert never showed its webhook as delivered");
    })();
    expect(delivered).toMatchObject({ webhook_attempts: 3, webhook_last_error: null });

    // The trend: each run's TTFT with the band of the runs before it; the alert on it.
    const trend = await call(`/api/schedules/${created.id}/trend`, { token: a.token });
    expect(trend.status, trend.text).toBe(200);
    const ttft = trend.json.points.filter((p: any) => p.metric === "ttft_p50");
    expect(ttft).toHaveLength(5);
    const last = ttft[4];
    expect(last.run_id).toBe(r.json.run_id);
    expect(last.value).toBeGreaterThan(last.baseline.high);
    expect(trend.json.alerts.map((x: any) => x.id)).toEqual([alert.id]);

    const ack = await call(`/api/alerts/${alert.id}/acknowledge`, { token: a.token, method: "POST" });
    expect(ack.json.acknowledged_at).toBeTruthy();
    expect((await call("/api/alerts?status=unacknowledged", { token: a.token })).json.unacknowledged).toBe(0);
    const other = await signUp();
    expectEnvelope(await call(`/api/alerts/${alert.id}/acknowledge`, { token: other.token, method: "POST" }), 404);
    expect((await call("/api/alerts", { token: other.token })).json.alerts).toEqual([]);
    socket.ws.close();
  }, 180_000);
});

describe("tool-eval schedules", () => {
  it("a scheduled tool eval is an ordinary tool_eval job on the schedule; its trend has tool accuracy and error rate", async () => {
    const a = await setUp();
    const imported = await call("/api/tool-eval/import", { token: a.token, body: { ...smartHome, test_cases: smartHome.test_cases.slice(10, 16) } });
    expect(imported.status, imported.text).toBe(201);
    const created = await createSchedule(a.token, {
      name: "Tools weekly",
      kind: "tool_eval",
      config: { suite_id: imported.json.suite_id, targets: [target(STEADY)], tool_choice: "auto", max_tokens: 64 },
      cron: "0 7 * * 1",
      timezone: "America/New_York",
    });
    expect(created.schedule).toMatchObject({ kind: "tool_eval", cron: "0 7 * * 1" });
    // Another user's suite is not a valid config for this user: 404 like the eval route.
    const b = await signUp();
    expectEnvelope(await call(`/api/schedules/${created.id}/trigger`, { token: b.token, method: "POST" }), 404);

    const r = await call(`/api/schedules/${created.id}/trigger`, { token: a.token, method: "POST" });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ message: "Tool eval triggered" });
    expect(await waitForJob(a.token, r.json.job_id, 60_000)).toBe("done");
    await scheduleWhen(a.token, created.id, (s) => s.last_status === "completed" && s.last_run_id === r.json.eval_id);
    const job = (await call(`/api/jobs/${r.json.job_id}`, { token: a.token })).json;
    expect(job).toMatchObject({ job_type: "tool_eval", params: { schedule_id: created.id, eval_id: r.json.eval_id } });
    const history = await call(`/api/tool-eval/history/${r.json.eval_id}`, { token: a.token });
    expect(history.status, history.text).toBe(200);

    const trend = (await call(`/api/schedules/${created.id}/trend`, { token: a.token })).json;
    const metrics = [...new Set(trend.points.map((p: any) => p.metric))].sort();
    // The model has a price, so each case's usage-based cost makes a cost-per-case point too.
    expect(metrics).toEqual(["cost_per_run", "error_rate", "tool_accuracy"]);
    const accuracy = trend.points.find((p: any) => p.metric === "tool_accuracy");
    expect(accuracy.value).toBeGreaterThanOrEqual(0);
    expect(accuracy.value).toBeLessThanOrEqual(100);
  }, 90_000);
});

describe("tool-eval schedules: cost and build causes", () => {
  /** An account with one priced model (ids only this test uses), a 6-case suite, and a daily eval schedule of it. */
  async function toolSchedule(modelId: string) {
    const a = await signUp();
    const p = await call("/api/v2/providers", {
      token: a.token,
      body: { provider_key: PROVIDER, display_name: "Schedule simulator", api_base: `${SIM}/v1`, is_local: true },
    });
    expect(p.status, p.text).toBe(201);
    const m = await call(`/api/v2/providers/${p.json.provider.id}/models`, {
      token: a.token,
      body: { model_id: modelId, display_name: modelId, context_window: 8192, input_cost_per_mtok: 1, output_cost_per_mtok: 2 },
    });
    expect(m.status, m.text).toBe(201);
    const imported = await call("/api/tool-eval/import", { token: a.token, body: { ...smartHome, test_cases: smartHome.test_cases.slice(10, 16) } });
    expect(imported.status, imported.text).toBe(201);
    const created = await createSchedule(a.token, {
      name: "Tools daily",
      kind: "tool_eval",
      config: { suite_id: imported.json.suite_id, targets: [target(modelId)], tool_choice: "auto", max_tokens: 64 },
      interval_hours: 24,
      alerts: { min_baseline_runs: 3, thresholds: { cost_per_run_pct: 20, error_rate_pts: 50, tool_accuracy_pts: 50 } },
    });
    for (let i = 0; i < 3; i++) await runNow(a.token, created.id);
    expect((await call("/api/alerts", { token: a.token })).json.alerts).toEqual([]);
    return { a, scheduleId: created.id as string, modelRowId: m.json.model.id as string };
  }

  /** The stored cost, tokens and served-by of each case of an eval run, straight from D1. */
  async function storedCases(evalId: string) {
    const { results } = await env.DB.prepare(
      "SELECT cost_usd, input_tokens, output_tokens, served_model, system_fingerprint FROM tool_eval_results WHERE eval_run_id = ?",
    )
      .bind(evalId)
      .all<{
        cost_usd: number | null;
        input_tokens: number | null;
        output_tokens: number | null;
        served_model: string | null;
        system_fingerprint: string | null;
      }>();
    return results;
  }

  it("a new build (another system_fingerprint, wordier) raises a cost alert naming the fingerprint change", async () => {
    const MODEL = "sim-ttft122-tps900-len12";
    await drift(MODEL, null);
    const { a, scheduleId } = await toolSchedule(MODEL);
    await drift(MODEL, { system_fingerprint: "fp_tools_v2", output_tokens_add: 1000 });
    try {
      const r = await runNow(a.token, scheduleId);
      const evalId = r.eval_id!;
      const cases = await storedCases(evalId);
      expect(cases.length).toBe(6);
      for (const c of cases) {
        expect(c).toMatchObject({ served_model: MODEL, system_fingerprint: "fp_tools_v2" });
        expect(c.output_tokens).toBeGreaterThanOrEqual(1000);
        // Usage-based cost at the model's price (1 and 2 USD per million tokens).
        expect(c.cost_usd).toBeCloseTo((c.input_tokens! * 1 + c.output_tokens! * 2) / 1e6, 12);
      }
      const alerts = (await call("/api/alerts", { token: a.token })).json.alerts;
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        schedule_id: scheduleId,
        run_id: evalId,
        metric: "cost_per_run",
        model_id: MODEL,
        cause: "model_version_changed",
      });
      expect(alerts[0].cause_detail).toContain("fp_tools_v2");
      expect(alerts[0].cause_detail).toContain("fp_simulator");
    } finally {
      await drift(MODEL, null);
    }
  }, 180_000);

  it("a price rise at the same usage raises a cost alert naming the price change", async () => {
    const MODEL = "sim-ttft123-tps900-len12";
    await drift(MODEL, null);
    const { a, scheduleId, modelRowId } = await toolSchedule(MODEL);
    const priced = await call(`/api/v2/models/${modelRowId}`, {
      token: a.token,
      method: "PUT",
      body: { input_cost_per_mtok: 3, output_cost_per_mtok: 6 },
    });
    expect(priced.status, priced.text).toBe(200);
    const r = await runNow(a.token, scheduleId);
    const evalId = r.eval_id!;
    for (const c of await storedCases(evalId)) {
      expect(c).toMatchObject({ served_model: MODEL, system_fingerprint: "fp_simulator" });
      expect(c.cost_usd).toBeCloseTo((c.input_tokens! * 3 + c.output_tokens! * 6) / 1e6, 12);
    }
    const alerts = (await call("/api/alerts", { token: a.token })).json.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ run_id: evalId, metric: "cost_per_run", model_id: MODEL, cause: "price_changed" });
    expect(alerts[0].value / alerts[0].baseline_value).toBeCloseTo(3, 6);
  }, 180_000);
});
