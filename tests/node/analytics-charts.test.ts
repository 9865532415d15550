/**
 * The Analytics page's chart descriptions (src/web/src/lib/analytics-charts.ts): the Pareto scatter plots exactly
 * the points that have both plotted values, the front apart from the rest, each point named by its key for the
 * click-through; trend lines line up runs by time with gaps; labels tell tiers and parameters apart.
 */
import { describe, expect, it } from "vitest";
import { benchmarkLeaderChart, leaderLabel, paretoChart, paretoLabel, trendChart } from "../../src/web/src/lib/analytics-charts.ts";
import type { BenchmarkLeader, ParetoPoint, Trends } from "../../src/web/src/lib/analytics-types.ts";

const point = (over: Partial<ParetoPoint>): ParetoPoint => ({
  key: "k",
  provider_key: "p",
  model_id: "m",
  provider: "P",
  model: "M",
  params: { temperature: 0, provider_params: {} },
  speed: null,
  accuracy: null,
  cost: null,
  speed_calls: 0,
  accuracy_cases: 0,
  benchmark_runs: 0,
  eval_runs: 0,
  front: false,
  complete: false,
  dominated_by: [],
  runs: [],
  ...over,
});

const leader = (over: Partial<BenchmarkLeader>): BenchmarkLeader => ({
  provider_key: "p",
  provider: "P",
  model_id: "m",
  model: "M",
  context_tokens: 0,
  n: 3,
  failures: 0,
  runs: 1,
  ttft_p50_ms: 100,
  output_speed_p50_tps: 50,
  e2e_p50_tps: 40,
  cost_mean_usd: null,
  cost_total_usd: null,
  last_run: "2026-12-01T00:00:00.000Z",
  ...over,
});

describe("Pareto scatter", () => {
  const points = [
    point({ key: "a", model_id: "a", model: "A", accuracy: 90, cost: 0.002, speed: 100, front: true, complete: true }),
    point({ key: "b", model_id: "b", model: "B", accuracy: 60, cost: 0.0001, speed: 300, front: true, complete: true }),
    point({ key: "c", model_id: "c", model: "C", accuracy: 60, cost: 0.003, speed: 50, complete: true, dominated_by: ["a", "b"] }),
    point({ key: "d", model_id: "d", model: "D", accuracy: null, cost: 0.001, speed: 80 }),
  ];

  it("plots the points having both values: the front as its own series, each point with its key", () => {
    const spec = paretoChart(points, "accuracy-cost")!;
    expect(spec.kind).toBe("scatter");
    expect(spec.series.map((s) => s.points!.map((p) => p.id))).toEqual([["a", "b"], ["c"]]);
    expect(spec.series[0]!.points![0]).toMatchObject({ x: 0.002, y: 90, label: "A" });
    expect(spec.unit).toBe("%");
    expect(spec.xUnit).toBe("$");
  });

  it("uses the chosen pair of axes, so a point missing accuracy appears on speed vs cost", () => {
    const spec = paretoChart(points, "speed-cost")!;
    expect(spec.series.flatMap((s) => s.points!.map((p) => p.id)).sort()).toEqual(["a", "b", "c", "d"]);
    expect(spec.series.flatMap((s) => s.points!).find((p) => p.id === "d")).toMatchObject({ x: 0.001, y: 80 });
  });

  it("has nothing to draw when no point has both values", () => {
    expect(paretoChart([points[3]!], "accuracy-cost")).toBeNull();
  });

  it("names two points of one model by their parameters", () => {
    const hot = point({ key: "h", params: { temperature: 1, provider_params: { top_p: 0.5 } } });
    const cold = point({ key: "c" });
    expect(paretoLabel(hot, [hot, cold])).toBe('M · T=1 · {"top_p":0.5}');
    expect(paretoLabel(cold, [hot, cold])).toBe("M · T=0");
    expect(paretoLabel(cold, [cold])).toBe("M");
  });
});

describe("trend lines", () => {
  it("line up every series on the union of run times, with gaps where a series has no run", () => {
    const trends: Trends = {
      metric: "tps",
      period: "30d",
      series: [
        {
          provider_key: "p",
          provider: "P",
          model_id: "a",
          model: "A",
          context_tokens: 0,
          points: [
            { run_id: "r1", timestamp: "2026-12-01T00:00:00.000Z", value: 10, n: 3 },
            { run_id: "r3", timestamp: "2026-12-03T00:00:00.000Z", value: 12, n: 3 },
          ],
        },
        {
          provider_key: "p",
          provider: "P",
          model_id: "b",
          model: "B",
          context_tokens: 0,
          points: [{ run_id: "r2", timestamp: "2026-12-02T00:00:00.000Z", value: 20, n: 3 }],
        },
      ],
    };
    const spec = trendChart(trends)!;
    expect(spec.kind).toBe("line");
    expect(spec.labels).toHaveLength(3);
    expect(spec.series.map((s) => s.values)).toEqual([
      [10, null, 12],
      [null, 20, null],
    ]);
    expect(spec.unit).toBe("tok/s");
  });
});

describe("benchmark leaderboard chart", () => {
  it("keeps the API's order, leaves out rows without a speed, and names tiers when a model has several", () => {
    const rows = [
      leader({ model_id: "a", model: "A", context_tokens: 0, output_speed_p50_tps: 90 }),
      leader({ model_id: "a", model: "A", context_tokens: 8000, output_speed_p50_tps: 70 }),
      leader({ model_id: "b", model: "B", output_speed_p50_tps: null }),
    ];
    const spec = benchmarkLeaderChart(rows)!;
    expect(spec.series[0]!.values).toEqual([90, 70]);
    expect(spec.labels).toEqual([leaderLabel(rows[0]!, rows), leaderLabel(rows[1]!, rows)]);
    expect(spec.labels[0]).toMatch(/^A @ /);
    expect(leaderLabel(rows[2]!, rows)).toBe("B");
  });
});
