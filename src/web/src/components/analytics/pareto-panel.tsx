// Pareto tab: per (provider, model, parameters) your own speed, accuracy and cost; a scatter of two of them with the
// non-dominated front (over the two plotted objectives, marked by the API) in lime, filterable by suite and period.
// Clicking a point (or its row) shows the runs behind it, each linking to History or eval history.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { Badge } from "~/components/badge";
import { ChartCanvas } from "~/components/charts/chart-canvas";
import { ErrorBanner } from "~/components/error-banner";
import { PARETO_VIEWS, type ParetoViewKey, paretoChart, paretoLabel } from "~/lib/analytics-charts";
import type { ParetoPoint, ParetoView, Period } from "~/lib/analytics-types";
import { api } from "~/lib/api-client";
import { fmtCost, fmtDateTime, fmtPct, fmtSpeed } from "~/lib/bench-format";
import type { SuiteListItem } from "~/lib/eval-types";
import { describeError } from "~/lib/http";
import { PeriodPicker } from "./period-picker";
import { runHref } from "./trends-panel";

/** History opens every run given as `?run=` (repeated); eval history the same. */
export function runsHref(point: ParetoPoint, kind: "benchmark" | "tool_eval"): string {
  const ids = point.runs.filter((r) => r.kind === kind).map((r) => `run=${encodeURIComponent(r.run_id)}`);
  return `${kind === "benchmark" ? "/history/" : "/tool-eval/history/"}?${ids.join("&")}`;
}

function paramsText(params: Record<string, unknown>): string {
  const t = params.temperature;
  const extra = params.provider_params && typeof params.provider_params === "object" ? (params.provider_params as Record<string, unknown>) : {};
  const parts = [
    `temperature ${t === null || t === undefined ? "default" : String(t)}`,
    ...Object.entries(extra).map(([k, v]) => `${k} ${JSON.stringify(v)}`),
  ];
  return parts.join(", ");
}

const RunsBehind = component$<{ point: ParetoPoint; label: string }>(({ point, label }) => {
  const bench = point.runs.filter((r) => r.kind === "benchmark");
  const evals = point.runs.filter((r) => r.kind === "tool_eval");
  return (
    <div class="card" id="pareto-runs" data-testid="pareto-runs">
      <h3 class="card-title">Runs behind “{label}”</h3>
      <p class="muted small">{paramsText(point.params)}</p>
      <div class="an-runs-cols">
        <div>
          <p class="label">
            Benchmark runs ({point.benchmark_runs}){bench.length < point.benchmark_runs ? `, newest ${bench.length}` : ""}
          </p>
          {bench.length ? (
            <>
              <ul class="an-run-links">
                {bench.map((r) => (
                  <li key={r.run_id}>
                    <a href={runHref("benchmark", r.run_id)} data-testid={`pareto-run-${r.run_id}`}>
                      {fmtDateTime(r.timestamp)}
                    </a>
                  </li>
                ))}
              </ul>
              {bench.length > 1 && (
                <a class="btn btn-ghost btn-sm" href={runsHref(point, "benchmark")}>
                  Open all in History
                </a>
              )}
            </>
          ) : (
            <p class="muted small">None: no speed or cost for this point.</p>
          )}
        </div>
        <div>
          <p class="label">
            Tool evals ({point.eval_runs}){evals.length < point.eval_runs ? `, newest ${evals.length}` : ""}
          </p>
          {evals.length ? (
            <>
              <ul class="an-run-links">
                {evals.map((r) => (
                  <li key={r.run_id}>
                    <a href={runHref("tool_eval", r.run_id)} data-testid={`pareto-run-${r.run_id}`}>
                      {fmtDateTime(r.timestamp)}
                    </a>
                  </li>
                ))}
              </ul>
              {evals.length > 1 && (
                <a class="btn btn-ghost btn-sm" href={runsHref(point, "tool_eval")}>
                  Open all in eval history
                </a>
              )}
            </>
          ) : (
            <p class="muted small">None: no accuracy for this point.</p>
          )}
        </div>
      </div>
    </div>
  );
});

export const ParetoPanel = component$(() => {
  const state = useStore({ view: "accuracy-cost" as ParetoViewKey, period: "all" as Period, suiteId: "", selected: "", loading: true, error: "" });
  const data = useSignal<ParetoView | null>(null);
  const suites = useSignal<SuiteListItem[]>([]);

  const load = $(async () => {
    state.loading = true;
    try {
      const { x, y } = PARETO_VIEWS[state.view];
      const suite = state.suiteId ? `&suite_id=${encodeURIComponent(state.suiteId)}` : "";
      data.value = await api.get<ParetoView>(`/api/analytics/pareto?period=${state.period}&axes=${x},${y}${suite}`);
      if (!data.value.points.some((p) => p.key === state.selected)) state.selected = "";
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(async () => {
    try {
      suites.value = (await api.get<{ suites: SuiteListItem[] }>("/api/tool-suites")).suites;
    } catch {
      suites.value = []; // the filter is optional; the view still works over every suite
    }
  });

  useVisibleTask$(({ track }) => {
    track(() => state.view);
    track(() => state.period);
    track(() => state.suiteId);
    void load();
  });

  const pick = $((key: string) => {
    state.selected = key;
    requestAnimationFrame(() => document.getElementById("pareto-runs")?.scrollIntoView({ behavior: "smooth", block: "nearest" }));
  });

  const d = data.value;
  const points = d?.points ?? [];
  const spec = d ? paretoChart(points, state.view) : null;
  const { x, y } = PARETO_VIEWS[state.view];
  const selected = points.find((p) => p.key === state.selected);

  return (
    <div class="an-panel" data-testid="analytics-pareto">
      <div class="an-toolbar">
        <label class="an-control">
          <span class="label">Plot</span>
          <select data-testid="pareto-view" value={state.view} onChange$={(_, el) => (state.view = el.value as ParetoViewKey)}>
            {(Object.keys(PARETO_VIEWS) as ParetoViewKey[]).map((k) => (
              <option key={k} value={k} selected={k === state.view}>
                {PARETO_VIEWS[k].label}
              </option>
            ))}
          </select>
        </label>
        <PeriodPicker value={state.period} testId="pareto-period" onChange$={(p) => (state.period = p)} />
        <label class="an-control">
          <span class="label">Suite (accuracy)</span>
          <select data-testid="pareto-suite" value={state.suiteId} onChange$={(_, el) => (state.suiteId = el.value)}>
            <option value="" selected={!state.suiteId}>
              All suites
            </option>
            {suites.value.map((s) => (
              <option key={s.id} value={s.id} selected={s.id === state.suiteId}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="muted small">
        One point per provider, model and sampling parameters, from your own runs: speed is the p50 output speed and cost the mean cost per call of
        its benchmark calls, accuracy the mean overall accuracy of its tool evals. Lime points are on the front: no other point is at least as good on
        both plotted objectives and better on one. A point without one of them is left off the chart but listed below. Click a point to see its runs.
      </p>
      {state.error && <ErrorBanner message={state.error} onAction$={load} />}
      {!d && state.loading ? (
        <div class="skeleton-list" aria-hidden="true">
          <span class="skeleton-card" />
        </div>
      ) : !points.length ? (
        <div class="card empty-state" data-testid="pareto-empty">
          <p class="muted">No runs in this period. Run a benchmark and a tool eval of the same models to see them here.</p>
        </div>
      ) : (
        <>
          <div class="card card-flush" aria-busy={state.loading}>
            {spec ? (
              <ChartCanvas
                testId="pareto-chart"
                spec={spec}
                label={`${PARETO_VIEWS[state.view].label}: your models, the front highlighted`}
                height={340}
                onPick$={pick}
              />
            ) : (
              <p class="muted an-note" data-testid="pareto-no-plot">
                No point has both {x} and {y} yet: {x === "accuracy" || y === "accuracy" ? "run a tool eval of the benchmarked models" : "add prices"}
                .
              </p>
            )}
            <div class="table-wrap">
              <table class="table results-table" data-testid="pareto-table">
                <caption class="sr-only">Every point: front first</caption>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Parameters</th>
                    <th scope="col" class="num">
                      Speed p50
                    </th>
                    <th scope="col" class="num">
                      Accuracy
                    </th>
                    <th scope="col" class="num">
                      Cost / call
                    </th>
                    <th scope="col">Front</th>
                    <th scope="col">Runs</th>
                  </tr>
                </thead>
                <tbody>
                  {points.map((p) => (
                    <tr key={p.key} class={p.key === state.selected ? "is-selected" : undefined} data-front={p.front ? "true" : "false"}>
                      <td class="cell-title">
                        {paretoLabel(p, points)}
                        <div class="muted small">{p.provider}</div>
                      </td>
                      <td class="small">{paramsText(p.params)}</td>
                      <td class="num mono">{fmtSpeed(p.speed)}</td>
                      <td class="num mono">{fmtPct(p.accuracy)}</td>
                      <td class="num mono">{fmtCost(p.cost)}</td>
                      <td>
                        {p.front ? (
                          <Badge tone="lime">front</Badge>
                        ) : p.complete ? (
                          <Badge tone="grey">dominated</Badge>
                        ) : (
                          <span class="muted small">incomplete</span>
                        )}
                      </td>
                      <td class="nowrap">
                        {p.benchmark_runs > 0 ? (
                          <a href={runsHref(p, "benchmark")} data-testid="pareto-row-bench">
                            {p.benchmark_runs} bench
                          </a>
                        ) : (
                          <span class="muted">0 bench</span>
                        )}
                        {" · "}
                        {p.eval_runs > 0 ? (
                          <a href={runsHref(p, "tool_eval")} data-testid="pareto-row-evals">
                            {p.eval_runs} eval
                          </a>
                        ) : (
                          <span class="muted">0 eval</span>
                        )}
                        {" · "}
                        <button type="button" class="link-btn" data-testid="pareto-row-runs" onClick$={() => pick(p.key)}>
                          list
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          {selected && <RunsBehind point={selected} label={paretoLabel(selected, points)} />}
        </>
      )}
    </div>
  );
});
