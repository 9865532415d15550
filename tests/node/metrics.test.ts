import { describe, expect, it } from "vitest";
import { aggregate, blendedPrice, confidence, costUsd, distribution, percentile, runMetrics } from "../../src/shared/metrics.ts";

const base = {
  t0: 1000,
  firstEventAt: 1050, // a role-only delta
  firstOutputAt: 1300,
  firstAnswerAt: 1500, // reasoning came first
  lastOutputAt: 2300,
  finishAt: 2300,
  endAt: 2350,
  outputTokens: 101,
  inputTokens: 2000,
  tokenSource: "provider" as const,
};

describe("one run (metrics.md)", () => {
  it("computes every field from the observed timestamps", () => {
    const m = runMetrics(base, { inputPerMtok: 3, outputPerMtok: 15 });
    expect(m.ttfb_ms).toBe(50);
    expect(m.ttft_ms).toBe(300);
    expect(m.ttfa_ms).toBe(500);
    expect(m.total_ms).toBe(1350);
    expect(m.output_speed_tps).toBeCloseTo(100, 10); // (101 − 1) / 1.000 s: TTFT excluded
    expect(m.e2e_tps).toBeCloseTo(101 / 1.35, 10); // TTFT included
    expect(m.itl_ms).toBeCloseTo(10, 10);
    expect(m.prefill_tps).toBeCloseTo(2000 / 0.3, 10);
    expect(m.cost_usd).toBeCloseTo((2000 * 3 + 101 * 15) / 1e6, 12);
    expect(m.token_source).toBe("provider");
  });

  it("ends the decode span at the finish event, so a counted-but-unstreamed stop token has its own gap (docs/metrics.md)", () => {
    // 8 tokens streamed 20 ms apart from t_first = 1100; the engine decodes at 50 tok/s (ITL 20 ms) either way.
    const streamed = { ...base, firstOutputAt: 1100, firstAnswerAt: 1100, lastOutputAt: 1100 + 7 * 20, endAt: 1300 };
    // llama-server: usage counts the stop token (9), whose finish event arrives one gap after the last token.
    const counted = runMetrics({ ...streamed, outputTokens: 9, finishAt: 1100 + 8 * 20 }, { inputPerMtok: null, outputPerMtok: null });
    expect(counted.output_speed_tps).toBeCloseTo(50, 10);
    expect(counted.itl_ms).toBeCloseTo(20, 10);
    // Engines that count only what they stream (8): the finish follows the last token at once.
    const uncounted = runMetrics({ ...streamed, outputTokens: 8, finishAt: 1100 + 7 * 20 }, { inputPerMtok: null, outputPerMtok: null });
    expect(uncounted.output_speed_tps).toBeCloseTo(50, 10);
    expect(uncounted.itl_ms).toBeCloseTo(20, 10);
    // No finish event at all (a stream without finish_reason): the span ends at the last output-bearing event.
    expect(runMetrics({ ...streamed, outputTokens: 8, finishAt: null }, { inputPerMtok: null, outputPerMtok: null }).output_speed_tps).toBeCloseTo(
      50,
      10,
    );
  });

  it("leaves output speed and ITL null for fewer than 2 tokens or a zero span", () => {
    expect(runMetrics({ ...base, outputTokens: 1 }, { inputPerMtok: null, outputPerMtok: null }).output_speed_tps).toBeNull();
    const sameInstant = runMetrics({ ...base, lastOutputAt: 1300, finishAt: 1300 }, { inputPerMtok: 1, outputPerMtok: 1 });
    expect(sameInstant.output_speed_tps).toBeNull();
    expect(sameInstant.itl_ms).toBeNull();
  });

  it("reports unknown prices as null cost, never 0, and no TTFT when nothing was output", () => {
    expect(costUsd(10, 10, { inputPerMtok: null, outputPerMtok: 2 })).toBeNull();
    const empty = runMetrics(
      { ...base, firstOutputAt: null, firstAnswerAt: null, lastOutputAt: null, finishAt: null, outputTokens: 0 },
      { inputPerMtok: 1, outputPerMtok: 1 },
    );
    expect(empty.ttft_ms).toBeNull();
    expect(empty.ttfa_ms).toBeNull();
    expect(empty.prefill_tps).toBeNull();
    expect(blendedPrice({ inputPerMtok: 3, outputPerMtok: 15 })).toBe(6);
  });
});

describe("aggregates", () => {
  it("uses linear interpolation between closest ranks", () => {
    const xs = [1, 2, 3, 4];
    expect(percentile(xs, 0.5)).toBeCloseTo(2.5);
    expect(percentile(xs, 0.9)).toBeCloseTo(3.7);
    expect(percentile(xs, 0.95)).toBeCloseTo(3.85);
    expect(percentile(xs, 0.99)).toBeCloseTo(3.97);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it("computes sample standard deviation, CV and outliers (kept, only counted)", () => {
    const d = distribution([2, 4, 4, 4, 5, 5, 7, 9])!;
    expect(d.mean).toBe(5);
    expect(d.stddev).toBeCloseTo(2.13809, 4); // n − 1
    expect(d.cv_pct).toBeCloseTo(42.7618, 3);
    const o = distribution([1, 2, 3, 4, 100])!;
    expect(o.outliers).toBe(1);
    expect(o.max).toBe(100);
    expect(distribution([1, 2, 100])!.outliers).toBe(0); // needs n ≥ 4
    expect(distribution([null, undefined])).toBeNull();
  });

  it("rates confidence from output-speed CV and n", () => {
    expect(confidence(distribution([100, 101, 99]))).toBe("high");
    expect(confidence(distribution([100, 101]))).toBe("medium"); // n < 3
    expect(confidence(distribution([100]))).toBe("low");
    expect(confidence(distribution([50, 100, 150]))).toBe("low"); // CV 50 %
    expect(confidence(distribution([80, 100, 120]))).toBe("medium"); // CV 20 %
  });

  it("aggregates successful runs and counts failures", () => {
    const a = aggregate([
      { success: true, ttft_ms: 100, output_speed_tps: 50 },
      { success: true, ttft_ms: 120, output_speed_tps: 52 },
      { success: false, ttft_ms: null },
    ]);
    expect(a.n).toBe(2);
    expect(a.failures).toBe(1);
    expect(a.stats.ttft_ms!.p50).toBe(110);
    expect(a.stats.cost_usd).toBeNull();
  });
});
