// Chart descriptions for the Analytics page (plain data: chart.js loads lazily in ChartCanvas). Each chart's
// numbers are also in the table beside it.
import type { BenchmarkLeader, CompareResult, EvalLeader, ParetoAxis, ParetoPoint, TrendMetric, Trends } from "./analytics-types.ts";
import { TREND_METRICS } from "./analytics-types.ts";
import { fmtDateTime, fmtTier } from "./bench-format.ts";
import type { ChartSpec, ChartUnit } from "./chart-specs.ts";
import { seriesColor } from "./chart-specs.ts";
import { modelColors, modelIdentity } from "./model-colors.ts";

const CHART_ROWS = 15;

/** "model @ 8K" when a model was measured at several tiers, else the model's name. */
export function leaderLabel(row: BenchmarkLeader, rows: readonly BenchmarkLeader[]): string {
  const tiers = rows.filter((r) => r.provider_key === row.provider_key && r.model_id === row.model_id).length;
  const sameName = rows.some((r) => r.model === row.model && r.provider_key !== row.provider_key);
  const name = sameName ? `${row.model} (${row.provider})` : row.model;
  return tiers > 1 ? `${name} @ ${fmtTier(row.context_tokens)}` : name;
}

/** Output speed p50 per model (and tier), fastest first: the API's order. */
export function benchmarkLeaderChart(rows: readonly BenchmarkLeader[]): ChartSpec | null {
  const shown = rows.filter((r) => r.output_speed_p50_tps !== null).slice(0, CHART_ROWS);
  if (!shown.length) return null;
  return {
    kind: "hbar",
    labels: shown.map((r) => leaderLabel(r, rows)),
    series: [{ label: "Output speed p50 (tok/s)", color: "", values: shown.map((r) => r.output_speed_p50_tps) }],
    xTitle: "Output speed p50 (tok/s)",
    yTitle: "",
    unit: "tok/s",
  };
}

/** Overall accuracy per model for one scorer, most accurate first. */
export function evalLeaderChart(rows: readonly EvalLeader[]): ChartSpec | null {
  const shown = rows.filter((r) => r.overall_pct !== null).slice(0, CHART_ROWS);
  if (!shown.length) return null;
  return {
    kind: "hbar",
    labels: shown.map((r) => r.model),
    series: [{ label: "Overall accuracy (%)", color: "", values: shown.map((r) => r.overall_pct) }],
    xTitle: "Overall accuracy (%)",
    yTitle: "",
    unit: "%",
  };
}

export function trendSeriesLabel(s: Trends["series"][number], all: Trends["series"]): string {
  const tiers = all.filter((o) => o.provider_key === s.provider_key && o.model_id === s.model_id).length;
  return tiers > 1 && s.context_tokens !== null ? `${s.model} @ ${fmtTier(s.context_tokens)}` : s.model;
}

export function trendUnit(metric: TrendMetric): ChartUnit {
  const unit = TREND_METRICS[metric].unit;
  return unit;
}

/** One line per series over the union of its runs' times (gaps where a series has no run). */
export function trendChart(trends: Trends): ChartSpec | null {
  const times = [...new Set(trends.series.flatMap((s) => s.points.map((p) => p.timestamp)))].sort();
  if (!times.length) return null;
  const colors = modelColors(trends.series.map(modelIdentity));
  const series = trends.series.map((s, i) => {
    const byTime = new Map(s.points.map((p) => [p.timestamp, p.value]));
    const tierOfMany = trends.series.filter((o) => modelIdentity(o) === modelIdentity(s)).length > 1;
    return {
      label: trendSeriesLabel(s, trends.series),
      color: tierOfMany ? seriesColor(i) : (colors.get(modelIdentity(s)) ?? seriesColor(i)),
      values: times.map((t) => byTime.get(t) ?? null),
    };
  });
  const m = TREND_METRICS[trends.metric];
  return { kind: "line", labels: times.map(fmtDateTime), series, xTitle: "Run", yTitle: `${m.label} (${m.unit})`, unit: trendUnit(trends.metric) };
}

/** Grouped bars: one group per model (and tier), one bar per run, output speed p50. */
export function compareRunsChart(result: CompareResult): ChartSpec | null {
  const all = result.runs.flatMap((r) => r.models);
  const groupKey = (m: BenchmarkLeader) => `${modelIdentity(m)}\u0000${m.context_tokens}`;
  const groups = [...new Map(all.map((m) => [groupKey(m), m])).values()];
  if (!groups.length) return null;
  const series = result.runs.map((run, i) => {
    const byKey = new Map(run.models.map((m) => [groupKey(m), m.output_speed_p50_tps]));
    return {
      label: `Run ${i + 1} · ${fmtDateTime(run.timestamp)}`,
      color: seriesColor(i),
      values: groups.map((g) => byKey.get(groupKey(g)) ?? null),
    };
  });
  return { kind: "bar", labels: groups.map((g) => leaderLabel(g, groups)), series, xTitle: "", yTitle: "Output speed p50 (tok/s)", unit: "tok/s" };
}

export const PARETO_VIEWS = {
  "accuracy-cost": { x: "cost", y: "accuracy", label: "Accuracy vs cost" },
  "speed-cost": { x: "cost", y: "speed", label: "Speed vs cost" },
  "speed-accuracy": { x: "accuracy", y: "speed", label: "Speed vs accuracy" },
} as const satisfies Record<string, { x: ParetoAxis; y: ParetoAxis; label: string }>;
export type ParetoViewKey = keyof typeof PARETO_VIEWS;

export const AXIS_TEXT: Record<ParetoAxis, { title: string; unit: ChartUnit }> = {
  speed: { title: "Output speed p50 (tok/s) — higher is better", unit: "tok/s" },
  accuracy: { title: "Tool-eval accuracy (%) — higher is better", unit: "%" },
  cost: { title: "Cost per call (USD) — lower is better", unit: "$" },
};

/** A point's short name: the model, plus what sets it apart from other points of the same model. */
export function paretoLabel(p: ParetoPoint, all: readonly ParetoPoint[]): string {
  const same = all.filter((o) => o.model_id === p.model_id);
  const providers = new Set(same.map((o) => o.provider_key)).size;
  let label = providers > 1 ? `${p.model} (${p.provider})` : p.model;
  if (same.length > providers) {
    const t = p.params.temperature;
    label += ` · T=${t === null || t === undefined ? "default" : t}`;
    const extra = p.params.provider_params;
    if (extra && typeof extra === "object" && Object.keys(extra).length) label += ` · ${JSON.stringify(extra)}`;
  }
  return label;
}

/** The user's points on two of the axes: the non-dominated front in lime and larger, the rest muted. */
export function paretoChart(points: readonly ParetoPoint[], view: ParetoViewKey): ChartSpec | null {
  const { x, y } = PARETO_VIEWS[view];
  const plotted = points.filter((p) => p[x] !== null && p[y] !== null);
  if (!plotted.length) return null;
  const toPoint = (p: ParetoPoint) => ({ x: p[x] as number, y: p[y] as number, label: paretoLabel(p, points), id: p.key });
  return {
    kind: "scatter",
    labels: [],
    series: [
      { label: "On the front", color: "#bfff00", radius: 8, points: plotted.filter((p) => p.front).map(toPoint) },
      { label: "Dominated or incomplete", color: "#6b7383", radius: 5, points: plotted.filter((p) => !p.front).map(toPoint) },
    ],
    xTitle: AXIS_TEXT[x].title,
    yTitle: AXIS_TEXT[y].title,
    unit: AXIS_TEXT[y].unit,
    xUnit: AXIS_TEXT[x].unit,
  };
}
