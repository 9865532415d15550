// Plain, serialisable chart descriptions built from aggregates (no chart.js here: it loads lazily).

import { fmtTier } from "./bench-format.ts";
import type { Aggregate, AggregatedField } from "./benchmark-types.ts";
import { type ModelIdentity, modelColors, modelIdentity } from "./model-colors.ts";

export type ChartKind = "hbar" | "bar" | "line" | "scatter";
export type ChartUnit = "tok/s" | "ms" | "%" | "$" | "req/s" | "count";

export interface ChartPoint {
  x: number;
  y: number;
  label: string;
  /** Given on charts whose points can be clicked (ChartCanvas `onPick$` receives it). */
  id?: string;
}

export interface ChartSeries {
  label: string;
  color: string;
  values?: (number | null)[];
  points?: ChartPoint[];
  /** Point size (scatter default 6, line default 4; 0 hides the points). */
  radius?: number;
  /** Line charts: a reference line or marker rather than data (dashed: e.g. [6, 4]; no line: markers only). */
  dash?: number[];
  showLine?: boolean;
  pointStyle?: "circle" | "triangle" | "rectRot" | "star" | "crossRot";
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

/** Distinct, readable on the dark surface; lime first. Series that are not models (History's compared runs). */
export const SERIES_COLORS = ["#bfff00", "#5aa9ff", "#2dd4bf", "#ffb627", "#c084fc", "#ff6b84", "#f472b6", "#94a3b8", "#4ade80", "#fb923c"];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/** Colour per model of a chart: keyed by identity among the chart's models and `peers` (the run's targets). */
function colorsFor(models: readonly ModelRef[], peers: readonly ModelIdentity[]): Map<string, string> {
  return modelColors([...models.map((m) => m.key), ...peers.map(modelIdentity)]);
}

export interface ModelRef {
  key: string;
  label: string;
}

const modelKey = modelIdentity;

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

/**
 * One tier: horizontal bars per model (sorted best first). Several tiers: one line per model over the tiers, in the
 * model's colour; `peers` are every model of the run, so a model's colour does not depend on which results arrived.
 */
export function metricChart(
  aggregates: readonly Aggregate[],
  field: "output_speed_tps" | "ttft_ms",
  peers: readonly ModelIdentity[] = [],
): ChartSpec | null {
  const unit: ChartUnit = field === "ttft_ms" ? "ms" : "tok/s";
  const title = field === "ttft_ms" ? "TTFT p50 (ms)" : "Output speed p50 (tok/s)";
  const models = modelsOf(aggregates);
  const tiers = [...new Set(aggregates.map((a) => a.context_tokens))].sort((a, b) => a - b);
  const lookup = new Map(aggregates.map((a) => [`${modelKey(a)}\u0000${a.context_tokens}`, a]));
  if (!models.length) return null;
  const colors = colorsFor(models, peers);

  if (tiers.length <= 1) {
    const tier = tiers[0] ?? 0;
    const rows = models
      .map((m) => ({ label: m.label, value: p50(lookup.get(`${m.key}\u0000${tier}`), field), color: colors.get(m.key)! }))
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

  const series = models.map((m) => ({
    label: m.label,
    color: colors.get(m.key)!,
    values: tiers.map((t) => p50(lookup.get(`${m.key}\u0000${t}`), field)),
  }));
  if (!series.some((s) => s.values.some((v) => v !== null))) return null;
  return { kind: "line", labels: tiers.map(fmtTier), series, xTitle: "Context (tokens)", yTitle: title, unit };
}

/** Speed (y) against TTFT (x): one series per model in its colour (see `metricChart`), one point per tier. */
export function scatterChart(aggregates: readonly Aggregate[], peers: readonly ModelIdentity[] = []): ChartSpec | null {
  const models = modelsOf(aggregates);
  const colors = colorsFor(models, peers);
  const series = models
    .map((m) => ({
      label: m.label,
      color: colors.get(m.key)!,
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

/**
 * History compare: grouped bars, one group per model and context tier ("model @ 8K" once any run has several
 * tiers, so no tier is folded into another), one bar per run.
 */
export function compareChart(
  runs: readonly { label: string; aggregates: readonly Aggregate[] }[],
  field: "output_speed_tps" | "ttft_ms",
): ChartSpec | null {
  const unit: ChartUnit = field === "ttft_ms" ? "ms" : "tok/s";
  const title = field === "ttft_ms" ? "TTFT p50 (ms)" : "Output speed p50 (tok/s)";
  const all = runs.flatMap((r) => r.aggregates);
  const models = modelsOf(all);
  if (!models.length) return null;
  const tiers = [...new Set(all.map((a) => a.context_tokens))].sort((a, b) => a - b);
  const byTier = tiers.length > 1;
  const groups = models.flatMap((m) =>
    tiers
      .filter((t) => all.some((a) => modelKey(a) === m.key && a.context_tokens === t))
      .map((t) => ({ key: `${m.key}\u0000${t}`, label: byTier ? `${m.label} @ ${fmtTier(t)}` : m.label })),
  );
  const series = runs.map((run, i) => {
    const lookup = new Map(run.aggregates.map((a) => [`${modelKey(a)}\u0000${a.context_tokens}`, a]));
    return { label: run.label, color: seriesColor(i), values: groups.map((g) => p50(lookup.get(g.key), field)) };
  });
  if (!series.some((s) => s.values.some((v) => v !== null))) return null;
  return {
    kind: "bar",
    labels: groups.map((g) => g.label),
    series,
    xTitle: byTier ? "Model @ context tier" : "",
    yTitle: title,
    unit,
  };
}
