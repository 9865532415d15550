import { describe, expect, it } from "vitest";
import { CapacityRequestSchema, type CapacitySample } from "../../src/shared/capacity.ts";
import {
  concurrencyOver,
  concurrencyTimeline,
  inFlightSteps,
  kneeLevel,
  ksExponential,
  lanesFor,
  levelResult,
  maxLevelMeetingSlo,
  poissonArrivals,
  requestsPerStream,
  steadyWindow,
  stopDecision,
  tokensWithin,
} from "../../src/shared/capacity-analysis.ts";

const slo = { ttft_ms: 200, itl_p95_ms: 20 };

function sample(over: Partial<CapacitySample>): CapacitySample {
  return {
    provider_key: "p",
    model_id: "m",
    level: 1,
    stream: 0,
    seq: 0,
    scheduled_at: 0,
    sent_at: 0,
    first_token_at: 100,
    last_token_at: 190,
    ended_at: 200,
    output_tokens: 10,
    input_tokens: 5,
    status: "ok",
    error_class: null,
    error: null,
    ...over,
  };
}

describe("the request", () => {
  const base = { targets: [{ provider_key: "p", model_id: "m" }], slo };
  it("fills the defaults", () => {
    const r = CapacityRequestSchema.parse(base);
    expect(r).toMatchObject({ levels: [1, 2, 4, 8, 16, 32], loop: "closed", context_tier: 0, max_tokens: 256 });
  });
  it.each([
    ["levels not increasing", { levels: [1, 4, 2] }],
    ["a level above 128", { levels: [1, 256] }],
    ["more than 12 levels", { levels: Array.from({ length: 13 }, (_, i) => i + 1) }],
    ["both hold fields", { hold_requests: 10, hold_seconds: 5 }],
    ["open loop without rate", { loop: "open" }],
    ["rate on a closed loop", { rate: 3 }],
    ["an unknown field", { concurrency: 3 }],
  ])("refuses %s", (_what, extra) => {
    expect(CapacityRequestSchema.safeParse({ ...base, ...extra }).success).toBe(false);
  });
});

describe("the ladder", () => {
  it("closed loop: every stream sends the same count, at least one", () => {
    expect(requestsPerStream(1, 20)).toBe(20);
    expect(requestsPerStream(8, 20)).toBe(3); // 24 requests, a multiple of 8
    expect(requestsPerStream(32, 20)).toBe(1);
  });
  it("spreads a level over lanes of at most four streams", () => {
    expect(lanesFor("closed", 1)).toBe(1);
    expect(lanesFor("closed", 8)).toBe(2);
    expect(lanesFor("closed", 128)).toBe(32);
    expect(lanesFor("open", 8)).toBe(4); // the open loop may hold twice the level
  });
});

describe("achieved concurrency from (send, end) intervals", () => {
  it("counts a request ending as another starts once", () => {
    const steps = inFlightSteps([
      { start: 0, end: 10 },
      { start: 10, end: 20 },
    ]);
    expect(steps).toEqual([
      [0, 1],
      [10, 1],
      [20, 0],
    ]);
  });
  it("time-weighted mean and minimum over a window", () => {
    const iv = [
      { start: 0, end: 100 },
      { start: 0, end: 50 },
      { start: 50, end: 100 },
      { start: 25, end: 75 },
    ];
    // 0-25: 2, 25-75: 3, 75-100: 2
    const c = concurrencyOver(iv, 0, 100)!;
    expect(c.mean).toBeCloseTo((2 * 25 + 3 * 50 + 2 * 25) / 100, 10);
    expect(c.min).toBe(2);
    expect(concurrencyOver(iv, 10, 10)).toBeNull();
  });
  it("the steady window leaves out the ramp up and the run out", () => {
    const samples = [sample({ stream: 0, sent_at: 0, ended_at: 100 }), sample({ stream: 1, sent_at: 20, ended_at: 150 })];
    expect(steadyWindow(samples)).toEqual({ start: 20, end: 100 });
  });
  it("downsamples the timeline", () => {
    const iv = Array.from({ length: 50 }, (_, i) => ({ start: i * 10, end: i * 10 + 100 }));
    const tl = concurrencyTimeline(iv, 0, 20);
    expect(tl).toHaveLength(20);
    expect(Math.max(...tl.map((p) => p.in_flight))).toBeLessThanOrEqual(10);
    expect(tl[0]!.t_ms).toBe(0);
  });
});

describe("one level's figures", () => {
  const ctx = { provider_key: "p", model_id: "m", level: 2, loop: "closed" as const, slo };
  it("latency from successes only, errors and 429s apart, goodput under the SLO", () => {
    const samples = [
      sample({ stream: 0, seq: 0, sent_at: 0, first_token_at: 100, last_token_at: 190, ended_at: 200 }),
      sample({ stream: 1, seq: 0, sent_at: 0, first_token_at: 300, last_token_at: 390, ended_at: 400 }), // misses TTFT SLO
      sample({
        stream: 0,
        seq: 1,
        sent_at: 200,
        scheduled_at: 200,
        first_token_at: null,
        last_token_at: null,
        ended_at: 210,
        status: "rate_limited",
        output_tokens: null,
      }),
      sample({
        stream: 0,
        seq: 2,
        sent_at: 210,
        scheduled_at: 210,
        first_token_at: null,
        last_token_at: null,
        ended_at: 220,
        status: "error",
        output_tokens: null,
      }),
    ];
    const r = levelResult(ctx, samples);
    expect(r).toMatchObject({ requests: 4, ok: 2, errors: 1, rate_limited: 1, error_share: 0.25, rate_limited_share: 0.25 });
    expect(r.ttft_ms.p50).toBe(200); // (100 + 300) / 2
    expect(r.itl_ms.p50).toBe(10); // 90 ms over 9 gaps
    expect(r.output_tps_per_request_p50).toBe(100);
    expect(r.duration_s).toBe(0.4);
    // Steady window: stream 1's first send (0) → stream 0's last end (220); only stream 0's 10 tokens fall in it.
    expect(r.aggregate_output_tps).toBe(45.455);
    expect(r.requests_per_s).toBe(5);
    expect(r.goodput_rps).toBe(2.5); // one of the two met TTFT ≤ 200
    expect(r.slo_met).toBe(false);
  });
  it("a level whose streams did not overlap is marked short, not averaged", () => {
    const samples = [
      sample({ stream: 0, sent_at: 0, ended_at: 100 }),
      sample({ stream: 1, sent_at: 100, scheduled_at: 0, first_token_at: 150, last_token_at: 190, ended_at: 200 }),
    ];
    const r = levelResult(ctx, samples);
    expect(r.concurrency_short).toBe(true);
    expect(r.send_skew_ms_p95).toBe(95);
  });
  it("no success: nulls, never zeros", () => {
    const r = levelResult(ctx, [sample({ status: "error", first_token_at: null, last_token_at: null, output_tokens: null })]);
    expect(r.ttft_ms).toEqual({ p50: null, p95: null, p99: null });
    expect(r.aggregate_output_tps).toBeNull();
    expect(r.goodput_rps).toBeNull();
  });
});

describe("throughput in the steady window", () => {
  it("spreads a request's tokens over its first → last token", () => {
    const s = sample({ first_token_at: 100, last_token_at: 200, output_tokens: 10 });
    expect(tokensWithin([s], { start: 0, end: 1000 })).toBe(10);
    expect(tokensWithin([s], { start: 150, end: 1000 })).toBe(5);
    expect(tokensWithin([s], { start: 300, end: 1000 })).toBe(0);
  });
});

describe("across levels", () => {
  it("knee: the level before the first < 10 % throughput gain with latency rising", () => {
    const pts = [
      { level: 1, aggregate_output_tps: 100, e2e_p95_ms: 100 },
      { level: 2, aggregate_output_tps: 190, e2e_p95_ms: 105 },
      { level: 4, aggregate_output_tps: 350, e2e_p95_ms: 115 },
      { level: 8, aggregate_output_tps: 370, e2e_p95_ms: 220 },
      { level: 16, aggregate_output_tps: 372, e2e_p95_ms: 440 },
    ];
    expect(kneeLevel(pts)).toBe(4);
    // Flat throughput with flat latency is noise, not a knee; still growing at the top: no knee yet.
    expect(kneeLevel(pts.slice(0, 3))).toBeNull();
    expect(kneeLevel([pts[0]!, { level: 2, aggregate_output_tps: 102, e2e_p95_ms: 100 }])).toBeNull();
  });
  it("the highest level meeting the SLO", () => {
    expect(
      maxLevelMeetingSlo([
        { level: 1, slo_met: true },
        { level: 2, slo_met: true },
        { level: 4, slo_met: false },
      ]),
    ).toBe(2);
    expect(maxLevelMeetingSlo([{ level: 1, slo_met: false }])).toBeNull();
  });
  it("stops on 429s, errors, two SLO misses in a row, and the budget", () => {
    const ok = { level: 1, slo_met: true, error_share: 0, rate_limited_share: 0 };
    const budget = { spent: { tokens: 0, cost: null }, nextEstimate: null, cap: null };
    expect(stopDecision([ok], budget, 2)).toBeNull();
    expect(stopDecision([ok, { ...ok, level: 2, rate_limited_share: 0.06 }], budget, 4)).toEqual({ at_level: 2, reason: "rate_limited" });
    expect(stopDecision([ok, { ...ok, level: 2, rate_limited_share: 0.05 }], budget, 4)).toBeNull(); // "more than 5 %"
    expect(stopDecision([ok, { ...ok, level: 2, error_share: 0.5 }], budget, 4)).toEqual({ at_level: 2, reason: "errors" });
    const miss = { ...ok, slo_met: false };
    expect(stopDecision([ok, { ...miss, level: 2 }], budget, 4)).toBeNull();
    expect(stopDecision([ok, { ...miss, level: 2 }, { ...miss, level: 4 }], budget, 8)).toEqual({ at_level: 4, reason: "slo" });
    const capped = { spent: { tokens: 900, cost: null }, nextEstimate: { tokens: 200, cost: null }, cap: { max_tokens: 1000 } };
    expect(stopDecision([ok], capped, 2)).toEqual({ at_level: 2, reason: "budget" });
    expect(stopDecision([ok], capped, null)).toBeNull(); // nothing left to run
  });
});

describe("open-loop arrivals", () => {
  it("follow the requested rate: exponential inter-arrival times (KS test) with the right mean", () => {
    const rate = 20; // per second
    const arrivals = poissonArrivals(rate, 1234, { count: 2000 });
    expect(arrivals).toHaveLength(2000);
    const gaps = arrivals.map((t, i) => t - (i ? arrivals[i - 1]! : 0));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(50 * 0.95); // 1000 / 20 ms, within 5 % (the mean's sd is 50/√2000 ≈ 1.1 ms)
    expect(mean).toBeLessThan(50 * 1.05);
    const fit = ksExponential(gaps, rate / 1000);
    expect(fit.p).toBeGreaterThan(0.05);
    // The test can fail: the same gaps against a rate 30 % off are rejected.
    expect(ksExponential(gaps, (rate * 1.3) / 1000).p).toBeLessThan(0.001);
    // Uniform gaps of the same mean are not exponential.
    expect(
      ksExponential(
        gaps.map(() => mean),
        rate / 1000,
      ).p,
    ).toBeLessThan(0.001);
  });
  it("are reproducible from the seed and bounded by the duration", () => {
    expect(poissonArrivals(5, 7, { count: 10 })).toEqual(poissonArrivals(5, 7, { count: 10 }));
    expect(poissonArrivals(5, 7, { count: 10 })).not.toEqual(poissonArrivals(5, 8, { count: 10 }));
    const within = poissonArrivals(50, 3, { durationMs: 2000 });
    expect(within.every((t) => t < 2000)).toBe(true);
    expect(within.length).toBeGreaterThan(60);
    expect(within.length).toBeLessThan(140);
  });
});
