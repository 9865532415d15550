// Trends tab: one line per model (and tier) of a metric over your runs — each point is one run's p50 (or an eval
// run's accuracy) — and the same points as a table with a link to each run.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { ChartCanvas } from "~/components/charts/chart-canvas";
import { ErrorBanner } from "~/components/error-banner";
import { trendChart, trendSeriesLabel } from "~/lib/analytics-charts";
import { type Period, TREND_METRICS, type TrendMetric, type Trends } from "~/lib/analytics-types";
import { api } from "~/lib/api-client";
import { fmtCost, fmtDateTime, fmtMs, fmtPct, fmtSpeed } from "~/lib/bench-format";
import { describeError } from "~/lib/http";
import { PeriodPicker } from "./period-picker";

function fmtValue(metric: TrendMetric, v: number | null): string {
  const unit = TREND_METRICS[metric].unit;
  if (unit === "ms") return fmtMs(v);
  if (unit === "$") return fmtCost(v);
  if (unit === "%") return fmtPct(v);
  return fmtSpeed(v);
}

export const runHref = (kind: "benchmark" | "tool_eval", runId: string) =>
  kind === "benchmark" ? `/history/?run=${encodeURIComponent(runId)}` : `/tool-eval/history/?run=${encodeURIComponent(runId)}`;

export const TrendsPanel = component$(() => {
  const state = useStore({ metric: "tps" as TrendMetric, period: "30d" as Period, models: "", loading: true, error: "" });
  const data = useSignal<Trends | null>(null);

  const load = $(async () => {
    state.loading = true;
    try {
      const models = state.models.trim() ? `&models=${encodeURIComponent(state.models.trim())}` : "";
      data.value = await api.get<Trends>(`/api/analytics/trends?metric=${state.metric}&period=${state.period}${models}`);
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(({ track }) => {
    track(() => state.metric);
    track(() => state.period);
    track(() => state.models);
    void load();
  });

  const t = data.value;
  const spec = t ? trendChart(t) : null;
  const kind = state.metric === "accuracy" ? "tool_eval" : "benchmark";
  const rows = t ? t.series.flatMap((s) => s.points.map((p) => ({ s, p }))).sort((a, b) => b.p.timestamp.localeCompare(a.p.timestamp)) : [];

  return (
    <div class="an-panel" data-testid="analytics-trends">
      <div class="an-toolbar">
        <label class="an-control">
          <span class="label">Metric</span>
          <select data-testid="trends-metric" value={state.metric} onChange$={(_, el) => (state.metric = el.value as TrendMetric)}>
            {(Object.keys(TREND_METRICS) as TrendMetric[]).map((m) => (
              <option key={m} value={m} selected={m === state.metric}>
                {TREND_METRICS[m].label}
              </option>
            ))}
          </select>
        </label>
        <PeriodPicker value={state.period} testId="trends-period" onChange$={(p) => (state.period = p)} />
        <label class="an-control">
          <span class="label">Models</span>
          <input
            type="text"
            data-testid="trends-models"
            placeholder="All (or ids / names, comma-separated)"
            value={state.models}
            onChange$={(_, el) => (state.models = el.value)}
          />
        </label>
      </div>
      <p class="muted small">
        Each point is one run: the p50 of that run's successful calls of the model at one context tier, or an eval run's overall accuracy.
      </p>
      {state.error && <ErrorBanner message={state.error} onAction$={load} />}
      {!t && state.loading ? (
        <div class="skeleton-list" aria-hidden="true">
          <span class="skeleton-card" />
        </div>
      ) : !rows.length ? (
        <div class="card empty-state" data-testid="trends-empty">
          <p class="muted">No runs with this metric in this period.</p>
        </div>
      ) : (
        <div class="card card-flush" aria-busy={state.loading}>
          {spec && <ChartCanvas testId="trends-chart" spec={spec} label={`${TREND_METRICS[state.metric].label} per run over time`} />}
          <div class="table-wrap">
            <table class="table results-table" data-testid="trends-table">
              <caption class="sr-only">Every point of the chart, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Model</th>
                  <th scope="col">Provider</th>
                  <th scope="col" class="num">
                    {TREND_METRICS[state.metric].label}
                  </th>
                  <th scope="col" class="num">
                    {kind === "benchmark" ? "Calls" : "Cases run"}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ s, p }) => (
                  <tr key={`${p.run_id}/${s.provider_key}/${s.model_id}/${s.context_tokens ?? ""}`}>
                    <td class="nowrap">
                      <a href={runHref(kind, p.run_id)}>{fmtDateTime(p.timestamp)}</a>
                    </td>
                    <td class="cell-title">{trendSeriesLabel(s, t!.series)}</td>
                    <td>{s.provider}</td>
                    <td class="num mono">{fmtValue(state.metric, p.value)}</td>
                    <td class="num mono">{p.n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
});
