/**
 * The capacity probe end to end against the simulator's capacity model (slots<n>, load<pct>, rps<n>): API → hub →
 * queue → consumer → lanes (Durable Objects) → simulator → D1 → sockets. The model's truth (capacityTruth) says
 * where the knee, the SLO limit and the 429s are; the probe must find them within one ladder step.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { capacityTruth } from "../../src/simulator/capacity.ts";
import worker from "../../src/worker/index.ts";
import { JOBS_QUEUE } from "../../src/worker/queue/messages.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { settledRun } from "./job-kind-fixtures.ts";
import { openSocket, waitForJobEvent as waitFor } from "./sockets.ts";

const SIM = "local_simulator";
const tag = () => crypto.randomUUID().replaceAll("-", "").slice(0, 10);

async function userWith(...models: string[]) {
  const u = await signUp();
  const sim = (await call("/api/v2/providers", { token: u.token })).json.providers.find((p: any) => p.provider_key === SIM);
  for (const m of models) expect((await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: m } })).status).toBe(201);
  return u;
}

async function probe(token: string, body: Record<string, unknown>) {
  const s = await openSocket(token);
  const r = await call("/api/capacity", { token, body });
  expect(r.status, r.text).toBe(200);
  return { s, jobId: r.json.job_id as string, runId: r.json.run_id as string };
}

/** Position of a level in the ladder (so "within one step" is a difference of at most 1). */
const step = (levels: number[], level: number | null) => (level === null ? levels.length : levels.indexOf(level));

describe("capacity probe against the simulator's capacity model", () => {
  // 4 slots, α = 200 %: ITL 20 ms alone, 30 ms at 2, 50 ms at 4 and beyond; 10 tokens, TTFT 200 ms alone.
  // Latencies are long enough that the test machine's own overhead (a few ms per event) stays small beside them.
  const params = { ttftMs: 200, tps: 50, tokens: 10, slots: 4, loadPct: 200 };
  const levels = [1, 2, 4, 8];
  const slo = { ttft_ms: 3000, itl_p95_ms: 40 };

  it("finds the knee and the SLO limit within one ladder step, at the requested concurrency", async () => {
    const model = `sim-ttft200-tps50-len10-slots4-load200-tag${tag()}`;
    const u = await userWith(model);
    const { s, jobId, runId } = await probe(u.token, {
      targets: [{ provider_key: SIM, model_id: model }],
      levels,
      hold_requests: 8,
      slo,
      max_tokens: 64,
    });
    await waitFor(s, "job_completed", jobId, 60_000);
    const truth = capacityTruth({ ...params, levels, slo });
    expect(truth).toMatchObject({ knee_level: 4, max_level_meeting_slo: 2 });

    const run = await settledRun(u.token, `/api/capacity/history/${runId}`);
    expect(run.status).toBe("completed");
    const t = run.targets[0];
    expect(t.levels.map((l: any) => l.level)).toEqual(levels);
    expect(Math.abs(step(levels, t.knee_level) - step(levels, truth.knee_level))).toBeLessThanOrEqual(1);
    expect(Math.abs(step(levels, t.max_level_meeting_slo) - step(levels, truth.max_level_meeting_slo))).toBeLessThanOrEqual(1);
    for (const l of t.levels) {
      expect(l).toMatchObject({ requests: 8, ok: 8, errors: 0, rate_limited: 0, concurrency_short: false });
      // Achieved concurrency (from the real send/end intervals, over the steady window) within 10 % of requested.
      expect(Math.abs(l.achieved_concurrency_mean - l.level) / l.level).toBeLessThanOrEqual(0.1);
    }
    // Throughput grows up to the slots, then stays flat while latency doubles (the queue).
    const at = (lv: number) => t.levels.find((l: any) => l.level === lv);
    expect(at(4).aggregate_output_tps).toBeGreaterThan(at(1).aggregate_output_tps * 1.4);
    expect(at(8).aggregate_output_tps).toBeLessThan(at(4).aggregate_output_tps * 1.15);
    expect(at(8).e2e_ms.p95).toBeGreaterThan(at(4).e2e_ms.p95 * 1.5);
    // ITL follows the model's load factor, measured client-side per metrics.md.
    expect(at(1).itl_ms.p50).toBeGreaterThan(19);
    expect(at(1).itl_ms.p50).toBeLessThan(23);
    expect(at(4).itl_ms.p50).toBeGreaterThan(45);
    // The live events said the same: one capacity_level per level, then the summary.
    const levelEvents = s.messages.filter((m) => m.type === "capacity_level" && m.job_id === jobId);
    expect(levelEvents.map((m) => m.data.level)).toEqual(levels);
    const summary = s.messages.find((m) => m.type === "capacity_summary" && m.job_id === jobId);
    expect(summary.data).toMatchObject({ run_id: runId, knee_level: t.knee_level, max_level_meeting_slo: t.max_level_meeting_slo });
    expect(t.timeline.length).toBeGreaterThan(10);
    expect(Math.max(...t.timeline.map((p: any) => p.in_flight))).toBeGreaterThan(6);

    // Exports: CSV per level (formula-safe writer), JSON with every raw sample, each stored once.
    const csv = await call(`/api/capacity/history/${runId}/export?format=csv`, { token: u.token });
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toMatch(/^provider_key,model_id,level,requested_concurrency,achieved_concurrency_mean/);
    expect(lines).toHaveLength(1 + levels.length);
    const json = await call(`/api/capacity/history/${runId}/export?format=json`, { token: u.token });
    expect(json.json.samples).toHaveLength(8 * levels.length);
    const keys = json.json.samples.map((x: any) => `${x.level}:${x.stream}:${x.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const x of json.json.samples) expect(x.first_token_at).toBeGreaterThan(x.sent_at);
    s.ws.close(1000);
  }, 90_000);

  it("stops at the level whose request rate passes the model's 429 limit", async () => {
    // Each request takes ~340 ms: a closed loop of L sends ~2.9·L requests/s; the limit is 8 per second.
    const model = `sim-ttft300-tps100-len5-rps8-tag${tag()}`;
    const u = await userWith(model);
    const ladder = [1, 2, 4, 8];
    const { s, jobId, runId } = await probe(u.token, {
      targets: [{ provider_key: SIM, model_id: model }],
      levels: ladder,
      hold_seconds: 2,
      slo: { ttft_ms: 5000, itl_p95_ms: 1000 },
      max_tokens: 16,
    });
    await waitFor(s, "job_completed", jobId, 60_000);
    const truth = capacityTruth({
      ttftMs: 300,
      tps: 100,
      tokens: 5,
      slots: 1_000_000,
      loadPct: 0,
      levels: ladder,
      slo: { ttft_ms: 5000, itl_p95_ms: 1000 },
      rps: 8,
    });
    expect(truth.first_rate_limited_level).toBe(4);
    const run = await settledRun(u.token, `/api/capacity/history/${runId}`);
    const t = run.targets[0];
    expect(t.stopped).toEqual({ at_level: truth.first_rate_limited_level, reason: "rate_limited" });
    expect(t.levels.map((l: any) => l.level)).toEqual([1, 2, 4]); // nothing ran after the stop
    expect(t.levels[2].rate_limited_share).toBeGreaterThan(0.05);
    expect(t.levels[0].rate_limited).toBe(0);
    // 429s are kept apart from latency: the level's TTFT comes from its successes only.
    expect(t.levels[2].ttft_ms.p50).toBeGreaterThan(290);
    const stopped = s.messages.find((m) => m.type === "capacity_stopped" && m.job_id === jobId);
    expect(stopped.data).toMatchObject({ at_level: 4, reason: "rate_limited" });
    s.ws.close(1000);
  }, 60_000);

  it("cancel mid-ladder keeps the finished levels and says where it stopped", async () => {
    const model = `sim-ttft300-tps100-len10-tag${tag()}`;
    const u = await userWith(model);
    const { s, jobId, runId } = await probe(u.token, {
      targets: [{ provider_key: SIM, model_id: model }],
      levels: [1, 2, 4, 8],
      hold_requests: 4,
      slo: { ttft_ms: 5000, itl_p95_ms: 1000 },
    });
    await waitFor(s, "capacity_level", jobId, 30_000);
    expect((await call(`/api/capacity/${jobId}/cancel`, { token: u.token, method: "POST" })).status).toBe(200);
    await waitFor(s, "job_cancelled", jobId);
    const run = await settledRun(u.token, `/api/capacity/history/${runId}`);
    expect(run.status).toBe("cancelled");
    const t = run.targets[0];
    expect(t.levels.length).toBeGreaterThanOrEqual(1);
    expect(t.levels.length).toBeLessThan(4);
    expect(t.levels[0]).toMatchObject({ level: 1, requests: 4, ok: 4 });
    expect(t.stopped).toEqual({ at_level: [1, 2, 4, 8][t.levels.length], reason: "cancelled" });
    const stopped = await waitFor(s, "capacity_stopped", jobId);
    expect(stopped.data.reason).toBe("cancelled");
    s.ws.close(1000);
  }, 60_000);

  it("stops before a level that would take the token budget past its cap", async () => {
    const model = `sim-ttft5-tps1000-len5-tag${tag()}`;
    const u = await userWith(model);
    const body = {
      targets: [{ provider_key: SIM, model_id: model }],
      levels: [1, 2, 4],
      hold_requests: 4,
      max_tokens: 16,
      slo: { ttft_ms: 5000, itl_p95_ms: 1000 },
    };
    // The budget fits the first level's estimate (an upper bound: output at max_tokens) but not two levels.
    const first = (await call("/api/capacity/estimate", { token: u.token, body: { ...body, levels: [1] } })).json;
    const cap = first.input_tokens + first.output_tokens + 10;
    const { s, jobId, runId } = await probe(u.token, { ...body, budget: { max_tokens: cap } });
    await waitFor(s, "job_completed", jobId, 30_000);
    const t = (await settledRun(u.token, `/api/capacity/history/${runId}`)).targets[0];
    expect(t.levels.map((l: any) => l.level)).toEqual([1]);
    expect(t.stopped).toEqual({ at_level: 2, reason: "budget" });
    s.ws.close(1000);
  }, 30_000);

  it("an open loop sends the planned Poisson arrivals on time", async () => {
    const model = `sim-ttft20-tps1000-len5-tag${tag()}`;
    const u = await userWith(model);
    const { s, jobId, runId } = await probe(u.token, {
      targets: [{ provider_key: SIM, model_id: model }],
      levels: [1, 2],
      loop: "open",
      rate: 20,
      hold_requests: 20,
      seed: 7,
      slo: { ttft_ms: 5000, itl_p95_ms: 1000 },
    });
    await waitFor(s, "job_completed", jobId, 60_000);
    const json = (await call(`/api/capacity/history/${runId}/export?format=json`, { token: u.token })).json;
    const t = json.run.targets[0];
    expect(t.levels.map((l: any) => [l.level, l.requests, l.ok])).toEqual([
      [1, 20, 20],
      [2, 20, 20],
    ]);
    // Sends follow the schedule: the typical skew is small (the p95, timer and SDK set-up on a shared test machine,
    // is reported as measured, not asserted).
    for (const l of t.levels) {
      const skews = json.samples.filter((x: any) => x.level === l.level).map((x: any) => Math.abs(x.sent_at - x.scheduled_at));
      skews.sort((a: number, b: number) => a - b);
      expect(skews[Math.floor(skews.length / 2)]).toBeLessThan(60);
      expect(l.send_skew_ms_p95).toBeGreaterThanOrEqual(skews[Math.floor(skews.length / 2)]);
    }
    // Level 2 arrives twice as fast: its 20 arrivals span about half the time of level 1's.
    const span = (lv: number) => {
      const xs = json.samples.filter((x: any) => x.level === lv).map((x: any) => x.scheduled_at);
      return Math.max(...xs) - Math.min(...xs);
    };
    expect(span(2)).toBeLessThan(span(1));
    s.ws.close(1000);
  }, 60_000);

  it("a redelivered group adds no level and no sample", async () => {
    const model = `sim-ttft10-tps1000-len5-tag${tag()}`;
    const u = await userWith(model);
    const { s, jobId, runId } = await probe(u.token, {
      targets: [{ provider_key: SIM, model_id: model }],
      levels: [1, 2],
      hold_requests: 4,
      slo: { ttft_ms: 5000, itl_p95_ms: 1000 },
    });
    await waitFor(s, "job_completed", jobId, 30_000);
    const before = await env.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM capacity_levels WHERE run_id = ?1) AS levels, (SELECT COUNT(*) FROM capacity_samples WHERE run_id = ?1) AS samples",
    )
      .bind(runId)
      .first<{ levels: number; samples: number }>();
    expect(before).toEqual({ levels: 2, samples: 8 });
    const batch = createMessageBatch(JOBS_QUEUE, [
      {
        id: "again",
        timestamp: new Date(),
        attempts: 2,
        body: { kind: "job_group", job_id: jobId, user_id: u.user.id, group_key: "capacity", attempt: 1 },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["again"]);
    const after = await env.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM capacity_levels WHERE run_id = ?1) AS levels, (SELECT COUNT(*) FROM capacity_samples WHERE run_id = ?1) AS samples",
    )
      .bind(runId)
      .first();
    expect(after).toEqual(before);
    s.ws.close(1000);
  }, 30_000);
});

describe("capacity probe: requests and ownership", () => {
  const base = (model: string) => ({ targets: [{ provider_key: SIM, model_id: model }], slo: { ttft_ms: 500, itl_p95_ms: 50 } });

  it.each([
    ["levels not increasing", { levels: [1, 8, 4] }, "levels"],
    ["a level above 128", { levels: [1, 129] }, "levels.1"],
    ["both hold fields", { hold_requests: 5, hold_seconds: 5 }, "hold_seconds"],
    ["an open loop without a rate", { loop: "open" }, "rate"],
    ["no SLO", { slo: undefined }, "slo"],
  ])("refuses %s with a 400 naming the field", async (_what, extra, path) => {
    const model = `sim-ttft1-tag${tag()}`;
    const u = await userWith(model);
    for (const url of ["/api/capacity", "/api/capacity/estimate"]) {
      const r = await call(url, { token: u.token, body: { ...base(model), ...extra } });
      expectEnvelope(r, 400, "validation_failed");
      expect(r.json.details.map((d: any) => d.path)).toContain(path);
    }
  });

  it("refuses a model the user does not have", async () => {
    const u = await userWith();
    const r = await call("/api/capacity", { token: u.token, body: base("sim-not-added") });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it("estimates before the run: requests per the ladder, tokens, cost", async () => {
    const model = `sim-ttft1-tag${tag()}`;
    const u = await userWith(model);
    const r = await call("/api/capacity/estimate", {
      token: u.token,
      body: { ...base(model), levels: [1, 2, 8], hold_requests: 4, max_tokens: 100 },
    });
    expect(r.status, r.text).toBe(200);
    // Closed loop: max(4, L) rounded up to a multiple of L → 4 + 4 + 8.
    expect(r.json.requests).toBe(16);
    expect(r.json.output_tokens).toBe(1600);
    expect(r.json.input_tokens).toBeGreaterThan(16 * 10);
    expect(r.json).toHaveProperty("cost_usd");
  });

  it("another user's probe is a 404 everywhere", async () => {
    const model = `sim-ttft5-tps1000-len3-tag${tag()}`;
    const owner = await userWith(model);
    const { s, jobId, runId } = await probe(owner.token, { ...base(model), levels: [1], hold_requests: 1 });
    await waitFor(s, "job_completed", jobId);
    s.ws.close(1000);
    const other = await userWith();
    for (const path of [
      `/api/capacity/history/${runId}`,
      `/api/capacity/history/${runId}/export?format=csv`,
      `/api/capacity/history/${runId}/export?format=json`,
    ]) {
      expectEnvelope(await call(path, { token: other.token }), 404, "not_found");
    }
    expectEnvelope(await call(`/api/capacity/history/${runId}`, { token: other.token, method: "DELETE" }), 404, "not_found");
    expectEnvelope(await call(`/api/capacity/${jobId}/cancel`, { token: other.token, method: "POST" }), 404, "not_found");
    expect((await call("/api/capacity/history", { token: other.token })).json.runs).toEqual([]);
    // The owner sees it, and may delete it.
    expect((await call("/api/capacity/history", { token: owner.token })).json.runs.map((r: any) => r.id)).toEqual([runId]);
    expect((await call(`/api/capacity/history/${runId}`, { token: owner.token, method: "DELETE" })).status).toBe(200);
    expectEnvelope(await call(`/api/capacity/history/${runId}`, { token: owner.token }), 404, "not_found");
  });
});
