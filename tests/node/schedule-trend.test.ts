import { describe, expect, it } from "vitest";
import { metricTrends, timingLabel } from "../../src/web/src/lib/schedule-trend.ts";
import type { ScheduleTrend } from "../../src/web/src/lib/schedule-types.ts";

const point = (
  run: string,
  metric: "ttft_p50" | "error_rate",
  value: number,
  baseline: { median: number; low: number; high: number; runs: number } | null,
) => ({
  run_id: run,
  created_at: `2026-12-0${run.slice(1)}T10:00:00.000Z`,
  status: "completed",
  provider_key: "p",
  model_id: "m",
  metric,
  value,
  baseline,
});

describe("schedule trend charts and table", () => {
  const trend: ScheduleTrend = {
    schedule_id: "s",
    band: "median ± …",
    points: [
      point("r1", "ttft_p50", 200, null),
      point("r2", "ttft_p50", 205, null),
      point("r3", "ttft_p50", 600, { median: 202.5, low: 190, high: 215, runs: 2 }),
      point("r1", "error_rate", 0, null),
    ],
    alerts: [{ run_id: "r3", provider_key: "p", model_id: "m", metric: "ttft_p50" } as ScheduleTrend["alerts"][number]],
  };

  it("one entry per metric with values; the band and the alert ride on the model's chart", () => {
    const t = metricTrends(trend);
    expect(t.map((m) => m.metric)).toEqual(["ttft_p50", "error_rate"]);
    const [chart] = t[0]!.charts;
    expect(chart!.series.map((s) => s.label)).toEqual(["m", "Baseline median", "Band low", "Band high", "Alert"]);
    expect(chart!.series[0]!.values).toEqual([200, 205, 600]);
    expect(chart!.series[3]!.values).toEqual([null, null, 215]);
    expect(chart!.series[4]!.values).toEqual([null, null, 600]);
    expect(t[0]!.rows.map((r) => r.alert)).toEqual([false, false, true]);
    expect(t[0]!.rows[2]!.band).toBe("190 – 215 (median 202.5, 2 runs)");
  });

  it("labels timings", () => {
    expect(timingLabel({ interval_hours: 24, cron: null, timezone: "UTC" })).toBe("every day");
    expect(timingLabel({ interval_hours: 6, cron: null, timezone: "UTC" })).toBe("every 6 h");
    expect(timingLabel({ interval_hours: null, cron: "0 3 * * *", timezone: "Europe/Berlin" })).toBe("0 3 * * * (Europe/Berlin)");
  });
});
