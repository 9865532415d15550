// Plain, serialisable chart descriptions built from aggregates (no chart.js here: it loads lazily).

import { fmtTier } from "./bench-format";
import type { Aggregate, AggregatedField } from "./benchmark-types";

export type ChartKind = "hbar" | "bar" | "line" | "scatter";
export type ChartUnit = "tok/s" | "ms";

export interface ChartPoint {
  x: number;
  y: number;
  label: string;
}

export interface ChartSeries {
  label: string;
  color: string;
  values?: (number | null)[];
  points?: ChartPoint[];
}

export interface ChartSpec {
  kind: ChartKind;
  labels: string[];
  series: ChartSeries[];
  xTitle: string;
  yTitle: string;
  /** Unit of the value axis (the y axis for scatter). */
  unit: ChartUnit;
  xUnit?: ChartUnit;
}

/** Distinct, readable on the dark surface; lime first. */
export const SERIES_COLORS = ["#bfff00", "#5aa9ff", "#2dd4bf", "#ffb627", "#c084fc", "#ff6b84", "#f472b6", "#94a3b8", "#4ade80", "#fb923c"];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

export interface ModelRef {
  key: string;
  label: string;
}

const modelKey = (a: { provider_key: string; model_id: string }) => `${a.provider_key}\u0000${a.model_id}`;

/** Models in first-seen order with a short label (provider added when two models share a name). */
export function modelsOf(aggregates: readonly Aggregate[]): ModelRef[] {
  const seen = new Map<string, Aggregate>();
  for (const a of aggregates) if (!seen.has(modelKey(a))) seen.set(modelKey(a), a);
  const names = [...seen.values()].map((a) => a.model);
  return [...seen.entries()].map(([key, a]) => ({
    key,
    label: names.filter((n) => n === a.model).length > 1 ? `${a.model} (${a.provider})` : a.model,
  }));
}

function p50(a: Aggregate | undefined, field: AggregatedField): number | null {
  const v = a?.stats[field]?.p50;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** One tier: horizontal bars per model (sorted best first). Several tiers: one line per model over the tiers. */
export function metricChart(aggregates: readonly Aggregate[], field: "output_speed_tps" | "ttft_ms"): ChartSpec | null {
  const unit: ChartUnit = field === "ttft_ms" ? "ms" : "tok/s";
  const title = field === "ttft_ms" ? "TTFT p50 (ms)" : "Output speed p50 (tok/s)";
  const models = modelsOf(aggregates);
  const tiers = [...new Set(aggregates.map((a) => a.context_tokens))].sort((a, b) => a - b);
  const lookup = new Map(aggregates.map((a) => [`${modelKey(a)}\u0000${a.context_tokens}`, a]));
  if (!models.length) return null;

  if (tiers.length <= 1) {
    const tier = tiers[0] ?? 0;
    const rows = models
      .map((m, i) => ({ label: m.label, value: p50(lookup.get(`${m.key}\u0000${tier}`), field), color: seriesColor(i) }))
      .filter((r) => r.value !== null)
      .sort((a, b) => (field === "ttft_ms" ? a.value! - b.value! : b.value! - a.value!));
    if (!rows.length) return null;
    return {
      kind: "hbar",
      labels: rows.map((r) => r.label),
      series: [{ label: title, color: "", values: rows.map((r) => r.value) }],
      xTitle: title,
      yTitle: "",
      unit,
    };
  }

  const series = models.map((m, i) => ({
    label: m.label,
    color: seriesColor(i),
    values: tiers.map((t) => p50(lookup.get(`${m.key}\u0000${t}`), field)),
  }));
  if (!series.some((s) => s.values.some((v) => v !== null))) return null;
  return { kind: "line", labels: tiers.map(fmtTier), series, xTitle: "Context (tokens)", yTitle: title, unit };
}

/** Speed (y) against TTFT (x): one series per model, one point per tier. */
export function scatterChart(aggregates: readonly Aggregate[]): ChartSpec | null {
  const models = modelsOf(aggregates);
  const series = models
    .map((m, i) => ({
      label: m.label,
      color: seriesColor(i),
      points: aggregates
        .filter((a) => modelKey(a) === m.key)
        .flatMap((a) => {
          const x = p50(a, "ttft_ms");
          const y = p50(a, "output_speed_tps");
          return x !== null && y !== null ? [{ x, y, label: `${fmtTier(a.context_tokens)} ctx` }] : [];
        }),
    }))
    .filter((s) => s.points.length);
  if (!series.length) return null;
  return {
    kind: "scatter",
    labels: [],
    series,
    xTitle: "TTFT p50 (ms) — lower is better",
    yTitle: "Output speed p50 (tok/s) — higher is better",
    unit: "tok/s",
    xUnit: "ms",
  };
}

/** History compare: grouped bars, one group per model, one bar per run. */
export function compareChart(
  runs: readonly { label: string; aggregates: readonly Aggregate[] }[],
  field: "output_speed_tps" | "ttft_ms",
): ChartSpec | null {
  const unit: ChartUnit = field === "ttft_ms" ? "ms" : "tok/s";
  const title = field === "ttft_ms" ? "TTFT p50 (ms)" : "Output speed p50 (tok/s)";
  const all = runs.flatMap((r) => r.aggregates);
  const models = modelsOf(all);
  if (!models.length) return null;
  const series = runs.map((run, i) => ({
    label: run.label,
    color: seriesColor(i),
    values: models.map((m) => {
      // Several tiers in one run: compare at the smallest tier measured for that model.
      const mine = run.aggregates.filter((a) => modelKey(a) === m.key).sort((a, b) => a.context_tokens - b.context_tokens);
      return p50(mine[0], field);
    }),
  }));
  if (!series.some((s) => s.values.some((v) => v !== null))) return null;
  return { kind: "bar", labels: models.map((m) => m.label), series, xTitle: "", yTitle: title, unit };
}
