import { describe, expect, it } from "vitest";
import { detectRegressions, likelyCause, type ModelRunFigures } from "../../src/shared/regression-alerts.ts";
import { createRng } from "../../src/shared/stats/random.ts";

const THRESHOLDS = { ttft_p50_pct: 25, output_speed_p50_pct: 20, error_rate_pts: 10, cost_per_run_pct: 20, tool_accuracy_pts: 5 };

function run(id: string, over: Partial<ModelRunFigures> = {}): ModelRunFigures {
  return {
    run_id: id,
    provider_key: "p",
    model_id: "m",
    attempts: 5,
    failures: 0,
    rate_limited: 0,
    ttft_ms: [200, 205, 198, 202, 201],
    output_speed_tps: [80, 81, 79, 80, 82],
    tool_scores: [],
    cost_per_run: 0.001,
    tokens_per_run: 150,
    served: ["m|fp_a"],
    ...over,
  };
}

/** Five samples around `center` with ±`spread` uniform noise (seeded). */
function noisy(rng: () => number, center: number, spread: number) {
  return Array.from({ length: 5 }, () => center + (rng() * 2 - 1) * spread);
}

describe("detectRegressions", () => {
  it("noise within the band raises nothing, over many seeded runs", () => {
    const rng = createRng(7);
    let alerts = 0;
    for (let trial = 0; trial < 200; trial++) {
      const baseline = Array.from({ length: 10 }, (_, i) => run(`b${i}`, { ttft_ms: noisy(rng, 200, 20), output_speed_tps: noisy(rng, 80, 8) }));
      const now = run("now", { ttft_ms: noisy(rng, 200, 20), output_speed_tps: noisy(rng, 80, 8) });
      alerts += detectRegressions([now], baseline, { thresholds: THRESHOLDS, minBaselineRuns: 3 }).length;
    }
    expect(alerts).toBe(0); // ±10 % noise never passes a 25 % / 20 % threshold
  });

  it("a slowdown beyond the threshold and the noise is a TTFT alert (Mann–Whitney on the samples)", () => {
    const baseline = Array.from({ length: 5 }, (_, i) => run(`b${i}`));
    const [finding, ...rest] = detectRegressions([run("now", { ttft_ms: [400, 410, 395, 405, 402] })], baseline, {
      thresholds: THRESHOLDS,
      minBaselineRuns: 3,
    });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ metric: "ttft_p50", test: "mann_whitney", cause: "shift_beyond_noise", threshold: 25 });
    expect(finding!.change_pct).toBeGreaterThan(90);
    expect(finding!.check.p_value).toBeLessThan(0.05);
  });

  it("a change beyond the threshold but inside a noisy baseline's spread is not an alert", () => {
    const rng = createRng(3);
    // A baseline that swings from 100 to 400 ms: +30 % on a few samples is within its noise.
    const baseline = Array.from({ length: 6 }, (_, i) => run(`b${i}`, { ttft_ms: noisy(rng, 250, 150) }));
    const now = run("now", { ttft_ms: [330, 120, 390, 250, 340] });
    expect(detectRegressions([now], baseline, { thresholds: THRESHOLDS, minBaselineRuns: 3 }).filter((f) => f.metric === "ttft_p50")).toEqual([]);
  });

  it("an improvement is never an alert, and too short a history judges nothing", () => {
    const baseline = Array.from({ length: 5 }, (_, i) => run(`b${i}`));
    expect(detectRegressions([run("now", { ttft_ms: [50, 52, 51, 49, 50] })], baseline, { thresholds: THRESHOLDS, minBaselineRuns: 3 })).toEqual([]);
    expect(
      detectRegressions([run("now", { ttft_ms: [900, 910, 905, 902, 901] })], baseline.slice(0, 2), { thresholds: THRESHOLDS, minBaselineRuns: 3 }),
    ).toEqual([]);
  });

  it("one sample per run uses the median/MAD band on the runs' values", () => {
    const baseline = [200, 210, 190, 205, 195].map((t, i) => run(`b${i}`, { ttft_ms: [t], output_speed_tps: [80] }));
    const [finding] = detectRegressions([run("now", { ttft_ms: [320], output_speed_tps: [80] })], baseline, {
      thresholds: THRESHOLDS,
      minBaselineRuns: 5,
    });
    expect(finding).toMatchObject({ metric: "ttft_p50", test: "median_mad" });
    expect(finding!.check.robust_z).toBeGreaterThan(3.5);
  });

  it("error rate in points; a surge of 429s is named as the cause", () => {
    const baseline = Array.from({ length: 5 }, (_, i) => run(`b${i}`));
    const now = run("now", { failures: 3, rate_limited: 3, ttft_ms: [200, 201], output_speed_tps: [80, 80] });
    const findings = detectRegressions([now], baseline, { thresholds: THRESHOLDS, minBaselineRuns: 3 });
    const errors = findings.find((f) => f.metric === "error_rate");
    expect(errors).toMatchObject({ test: "median_mad", cause: "rate_limit_surge", change_pct: 60 });
    expect(errors!.cause_detail).toContain("3 of 5 calls were refused with 429");
  });

  it("cost up with the same tokens is a price change; a new fingerprint is a model version change", () => {
    const baseline = Array.from({ length: 5 }, (_, i) => run(`b${i}`));
    const [cost] = detectRegressions([run("now", { cost_per_run: 0.0015 })], baseline, { thresholds: THRESHOLDS, minBaselineRuns: 3 });
    expect(cost).toMatchObject({ metric: "cost_per_run", cause: "price_changed" });
    expect(likelyCause("ttft_p50", run("now", { served: ["m|fp_b"] }), baseline)).toMatchObject({ cause: "model_version_changed" });
    expect(likelyCause("cost_per_run", run("now", { tokens_per_run: 300 }), baseline).cause).toBe("shift_beyond_noise");
  });

  it("tool accuracy drops in points, tested on the per-case scores", () => {
    const cases = (pass: number) => Array.from({ length: 20 }, (_, i) => (i < pass ? 100 : 0));
    const baseline = Array.from({ length: 4 }, (_, i) =>
      run(`b${i}`, { ttft_ms: [], output_speed_tps: [], cost_per_run: null, tool_scores: cases(18) }),
    );
    const findings = detectRegressions([run("now", { ttft_ms: [], output_speed_tps: [], cost_per_run: null, tool_scores: cases(9) })], baseline, {
      thresholds: THRESHOLDS,
      minBaselineRuns: 3,
    });
    expect(findings.map((f) => [f.metric, f.test])).toEqual([["tool_accuracy", "mann_whitney"]]);
    expect(findings[0]!.change_pct).toBeCloseTo(-45, 6);
  });
});
