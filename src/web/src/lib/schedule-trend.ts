// A schedule's trend as charts and table rows: per metric, each model's value per run with the baseline band
// (median ± 3.5 × 1.4826 × MAD of the earlier runs) and the runs that raised an alert. Pure (tested in Node).
import type { ChartSpec, ChartUnit } from "./chart-specs.ts";
import { seriesColor } from "./chart-specs.ts";
import { type AlertMetric, METRIC_LABEL, type ScheduleTrend, type TrendPoint } from "./schedule-types.ts";

const UNIT: Record<AlertMetric, ChartUnit> = { ttft_p50: "ms", output_speed_p50: "tok/s", error_rate: "%", cost_per_run: "$", tool_accuracy: "%" };

export interface TrendRow {
  run_id: string;
  created_at: string;
  model: string;
  value: number;
  band: string;
  alert: boolean;
}

export interface MetricTrend {
  metric: AlertMetric;
  label: string;
  unit: ChartUnit;
  charts: ChartSpec[];
  rows: TrendRow[];
}

const modelOf = (p: TrendPoint) => `${p.provider_key}::${p.model_id}`;
const round = (x: number) => Number(x.toPrecision(4));

/** One entry per metric that has values, charts per model (each with its band and alert markers). */
export function metricTrends(trend: ScheduleTrend): MetricTrend[] {
  const alerted = new Set(trend.alerts.map((a) => `${a.run_id}\u0000${a.provider_key}::${a.model_id}\u0000${a.metric}`));
  const out: MetricTrend[] = [];
  for (const metric of Object.keys(METRIC_LABEL) as AlertMetric[]) {
    const points = trend.points.filter((p) => p.metric === metric);
    if (!points.length) continue;
    const models = [...new Set(points.map(modelOf))];
    const isAlert = (p: TrendPoint) => alerted.has(`${p.run_id}\u0000${modelOf(p)}\u0000${metric}`);
    const charts = models.map((model, i): ChartSpec => {
      const mine = points.filter((p) => modelOf(p) === model);
      return {
        kind: "line",
        labels: mine.map((p) => p.created_at.slice(5, 16).replace("T", " ")),
        series: [
          { label: model.split("::")[1] ?? model, color: seriesColor(i), values: mine.map((p) => round(p.value)) },
          { label: "Baseline median", color: "#94a3b8", values: mine.map((p) => (p.baseline ? round(p.baseline.median) : null)) },
          { label: "Band low", color: "#475569", values: mine.map((p) => (p.baseline ? round(p.baseline.low) : null)) },
          { label: "Band high", color: "#475569", values: mine.map((p) => (p.baseline ? round(p.baseline.high) : null)) },
          { label: "Alert", color: "#ff3b5c", values: mine.map((p) => (isAlert(p) ? round(p.value) : null)) },
        ],
        xTitle: "Scheduled runs, oldest first",
        yTitle: `${METRIC_LABEL[metric]} (${UNIT[metric]})`,
        unit: UNIT[metric],
      };
    });
    const rows = points.map((p) => ({
      run_id: p.run_id,
      created_at: p.created_at,
      model: modelOf(p),
      value: round(p.value),
      band: p.baseline ? `${round(p.baseline.low)} – ${round(p.baseline.high)} (median ${round(p.baseline.median)}, ${p.baseline.runs} runs)` : "—",
      alert: isAlert(p),
    }));
    out.push({ metric, label: METRIC_LABEL[metric], unit: UNIT[metric], charts, rows });
  }
  return out;
}

/** "every 6 h" or "0 3 * * * (Europe/Berlin)". */
export function timingLabel(s: { interval_hours: number | null; cron: string | null; timezone: string }): string {
  if (s.cron) return `${s.cron} (${s.timezone})`;
  const h = s.interval_hours ?? 0;
  if (h === 24) return "every day";
  if (h === 168) return "every week";
  if (h % 24 === 0) return `every ${h / 24} days`;
  return h === 1 ? "every hour" : `every ${h} h`;
}
