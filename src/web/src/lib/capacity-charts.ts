// Chart descriptions for the Capacity page (plain data: chart.js loads lazily in ChartCanvas). One column of charts
// per target, all on the same x axis (the ladder's concurrency levels, evenly spaced), so targets read side by side:
// TTFT and ITL percentiles with the SLO drawn as a dashed line, aggregate output speed, and requests/s beside goodput.
// The knee is a triangle on the curve, the highest level meeting the SLO a star. Levels not measured (yet, or
// after a stop) are gaps. Every number drawn is also in the level table under the charts.

import type { CapacityTargetView } from "./capacity-live-fold.ts";
import type { CapacityLevelResult, CapacitySlo } from "./capacity-types.ts";
import type { ChartSeries, ChartSpec } from "./chart-specs.ts";

const P50 = "#bfff00";
const P95 = "#5aa9ff";
const P99 = "#c084fc";
const SLO = "#ff6b84";
const KNEE = "#ffb627";
const MET = "#2dd4bf";

/** The x axis: the planned ladder and every measured level, lowest first. */
export function ladderOf(planned: readonly number[], targets: readonly Pick<CapacityTargetView, "levels">[]): number[] {
  return [...new Set([...planned, ...targets.flatMap((t) => t.levels.map((l) => l.level))])].sort((a, b) => a - b);
}

const finite = (v: number | null | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** One value per ladder level (null where the level has no figure). */
function valuesAt(
  ladder: readonly number[],
  levels: readonly CapacityLevelResult[],
  pick: (l: CapacityLevelResult) => number | null,
): (number | null)[] {
  const byLevel = new Map(levels.map((l) => [l.level, l]));
  return ladder.map((n) => {
    const l = byLevel.get(n);
    return l ? finite(pick(l)) : null;
  });
}

/** A marker at `level` on `values` (the curve's own value there), or nothing when the level has no value. */
function marker(
  label: string,
  color: string,
  style: ChartSeries["pointStyle"],
  ladder: readonly number[],
  values: readonly (number | null)[],
  level: number | null,
): ChartSeries[] {
  if (level === null) return [];
  const i = ladder.indexOf(level);
  if (i < 0 || values[i] === null || values[i] === undefined) return [];
  return [{ label, color, values: ladder.map((_, j) => (j === i ? values[i]! : null)), showLine: false, radius: 9, pointStyle: style }];
}

/** The horizontal SLO line across the whole ladder. */
function sloLine(label: string, ladder: readonly number[], value: number): ChartSeries {
  return { label, color: SLO, values: ladder.map(() => value), dash: [6, 4], radius: 0 };
}

function markers(target: CapacityTargetView, ladder: readonly number[], on: readonly (number | null)[]): ChartSeries[] {
  return [
    ...marker(`knee (${target.knee_level})`, KNEE, "triangle", ladder, on, target.knee_level),
    ...marker(`max meeting SLO (${target.max_level_meeting_slo})`, MET, "star", ladder, on, target.max_level_meeting_slo),
  ];
}

const hasValues = (series: readonly ChartSeries[]) => series.some((s) => s.values?.some((v) => v !== null));

/** TTFT or ITL p50/p95/p99 against concurrency, with the SLO's bound (TTFT; ITL's bound is on p95). */
export function latencyChart(
  target: CapacityTargetView,
  ladder: readonly number[],
  metric: "ttft" | "itl",
  slo: CapacitySlo | null,
): ChartSpec | null {
  const field = metric === "ttft" ? "ttft_ms" : "itl_ms";
  const name = metric === "ttft" ? "TTFT" : "ITL";
  const curves: ChartSeries[] = (["p50", "p95", "p99"] as const).map((p, i) => ({
    label: `${name} ${p}`,
    color: [P50, P95, P99][i]!,
    values: valuesAt(ladder, target.levels, (l) => l[field][p]),
  }));
  if (!hasValues(curves)) return null;
  const bound = slo ? (metric === "ttft" ? slo.ttft_ms : slo.itl_p95_ms) : null;
  return {
    kind: "line",
    labels: ladder.map(String),
    series: [
      ...curves,
      ...(bound !== null ? [sloLine(metric === "ttft" ? `SLO TTFT ≤ ${bound} ms` : `SLO ITL p95 ≤ ${bound} ms`, ladder, bound)] : []),
      ...markers(target, ladder, curves[1]!.values!),
    ],
    xTitle: "Concurrency (requests in flight)",
    yTitle: `${name} (ms)`,
    unit: "ms",
  };
}

/** Aggregate output tokens/s across all requests in flight, against concurrency. */
export function throughputChart(target: CapacityTargetView, ladder: readonly number[]): ChartSpec | null {
  const values = valuesAt(ladder, target.levels, (l) => l.aggregate_output_tps);
  if (!values.some((v) => v !== null)) return null;
  return {
    kind: "line",
    labels: ladder.map(String),
    series: [{ label: "Aggregate output (tok/s)", color: P50, values }, ...markers(target, ladder, values)],
    xTitle: "Concurrency (requests in flight)",
    yTitle: "Aggregate output (tok/s)",
    unit: "tok/s",
  };
}

/** Requests/s completed and goodput (requests/s that met the SLO) against concurrency. */
export function goodputChart(target: CapacityTargetView, ladder: readonly number[]): ChartSpec | null {
  const rps = valuesAt(ladder, target.levels, (l) => l.requests_per_s);
  const good = valuesAt(ladder, target.levels, (l) => l.goodput_rps);
  if (!rps.some((v) => v !== null) && !good.some((v) => v !== null)) return null;
  return {
    kind: "line",
    labels: ladder.map(String),
    series: [
      { label: "Requests/s", color: P95, values: rps },
      { label: "Goodput (req/s meeting the SLO)", color: MET, values: good },
      ...markers(target, ladder, good),
    ],
    xTitle: "Concurrency (requests in flight)",
    yTitle: "Requests per second",
    unit: "req/s",
  };
}

/** Requested against achieved concurrency per level (mean and minimum), so a short level shows as a gap. */
export function concurrencyChart(target: CapacityTargetView, ladder: readonly number[]): ChartSpec | null {
  const mean = valuesAt(ladder, target.levels, (l) => l.achieved_concurrency_mean);
  if (!mean.some((v) => v !== null)) return null;
  return {
    kind: "line",
    labels: ladder.map(String),
    series: [
      { label: "Requested", color: "#94a3b8", values: ladder.map((n) => n), dash: [4, 4], radius: 0 },
      { label: "Achieved (mean)", color: P50, values: mean },
      { label: "Achieved (min)", color: P95, values: valuesAt(ladder, target.levels, (l) => l.achieved_concurrency_min) },
    ],
    xTitle: "Requested concurrency",
    yTitle: "Requests in flight",
    unit: "count",
  };
}

/**
 * Requests in flight over the probe's time (stored runs: the server's downsampled timeline), so the concurrency
 * achieved at each moment reads against the ladder's steps.
 */
export function timelineChart(target: CapacityTargetView): ChartSpec | null {
  if (target.timeline.length < 2) return null;
  return {
    kind: "line",
    labels: target.timeline.map((p) => (p.t_ms / 1000).toFixed(1)),
    series: [{ label: "In flight", color: P50, values: target.timeline.map((p) => p.in_flight), radius: 0 }],
    xTitle: "Seconds since the first send",
    yTitle: "Requests in flight",
    unit: "count",
  };
}
