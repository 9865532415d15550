// Compare tab: pick 2–4 of your recent benchmark runs; per model and tier their p50 figures side by side (computed
// by the API in D1), as grouped bars and as a table, with a link to the same comparison in History.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { ChartCanvas } from "~/components/charts/chart-canvas";
import { ErrorBanner } from "~/components/error-banner";
import { compareRunsChart, leaderLabel } from "~/lib/analytics-charts";
import type { CompareResult } from "~/lib/analytics-types";
import { api } from "~/lib/api-client";
import { fmtCost, fmtDateTime, fmtMs, fmtSpeed, fmtTier } from "~/lib/bench-format";
import { describeError } from "~/lib/http";
import { MAX_COMPARE } from "~/lib/view-url";

interface ListedRun {
  id: string;
  timestamp: string;
  prompt: string;
  status: string;
  config?: { targets?: { model_id: string }[] };
}

export const ComparePanel = component$(() => {
  const runs = useSignal<ListedRun[]>([]);
  const result = useSignal<CompareResult | null>(null);
  const state = useStore({ selected: [] as string[], loading: true, comparing: false, error: "" });

  const loadRuns = $(async () => {
    state.loading = true;
    try {
      runs.value = (await api.get<{ runs: ListedRun[] }>("/api/history?limit=30&offset=0")).runs;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  const compare = $(async () => {
    state.comparing = true;
    try {
      result.value = await api.get<CompareResult>(`/api/analytics/compare?runs=${state.selected.map(encodeURIComponent).join(",")}`);
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.comparing = false;
    }
  });

  useVisibleTask$(() => void loadRuns());

  const toggle = $((id: string) => {
    state.selected = state.selected.includes(id) ? state.selected.filter((x) => x !== id) : [...state.selected, id].slice(-MAX_COMPARE);
  });

  const r = result.value;
  const spec = r ? compareRunsChart(r) : null;
  const can = state.selected.length >= 2 && state.selected.length <= MAX_COMPARE;

  return (
    <div class="an-panel" data-testid="analytics-compare">
      {state.error && <ErrorBanner message={state.error} onAction$={loadRuns} />}
      <div class="card">
        <div class="an-toolbar">
          <span class="muted small">Pick 2–4 of your recent benchmark runs ({state.selected.length} selected).</span>
          <span class="push-right" />
          <button type="button" class="btn btn-primary btn-sm" data-testid="compare-go" disabled={!can || state.comparing} onClick$={compare}>
            {state.comparing ? "Comparing…" : "Compare"}
          </button>
        </div>
        {state.loading ? (
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-row" />
          </div>
        ) : runs.value.length === 0 ? (
          <p class="muted">No benchmark runs yet.</p>
        ) : (
          <ul class="an-run-picks">
            {runs.value.map((run) => (
              <li key={run.id}>
                <label>
                  <input
                    type="checkbox"
                    data-testid={`compare-pick-${run.id}`}
                    checked={state.selected.includes(run.id)}
                    onChange$={() => toggle(run.id)}
                  />{" "}
                  <span class="nowrap">{fmtDateTime(run.timestamp)}</span> · <span class="muted">{run.prompt.slice(0, 80)}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
      {r && (
        <div class="card card-flush" data-testid="compare-result">
          <div class="an-toolbar">
            <span class="push-right" />
            <a class="btn btn-ghost btn-sm" href={`/history/?compare=${r.runs.map((x) => encodeURIComponent(x.id)).join(",")}`}>
              Open in History
            </a>
          </div>
          {spec && <ChartCanvas testId="compare-chart" spec={spec} label="Output speed p50 per model, one bar per run" />}
          <div class="table-wrap">
            <table class="table results-table" data-testid="compare-table">
              <caption class="sr-only">The compared runs' figures per model and tier</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Model</th>
                  <th scope="col" class="num">
                    Context
                  </th>
                  <th scope="col" class="num">
                    TTFT p50
                  </th>
                  <th scope="col" class="num">
                    Output speed p50
                  </th>
                  <th scope="col" class="num">
                    Cost / call
                  </th>
                  <th scope="col" class="num">
                    Calls (failed)
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.runs.flatMap((run, i) =>
                  run.models.map((m) => (
                    <tr key={`${run.id}/${m.provider_key}/${m.model_id}/${m.context_tokens}`}>
                      <td class="nowrap">
                        <a href={`/history/?run=${encodeURIComponent(run.id)}`}>
                          Run {i + 1} · {fmtDateTime(run.timestamp)}
                        </a>
                      </td>
                      <td class="cell-title">{leaderLabel(m, run.models)}</td>
                      <td class="num mono">{fmtTier(m.context_tokens)}</td>
                      <td class="num mono">{fmtMs(m.ttft_p50_ms)}</td>
                      <td class="num mono">{fmtSpeed(m.output_speed_p50_tps)}</td>
                      <td class="num mono">{fmtCost(m.cost_mean_usd)}</td>
                      <td class="num mono">
                        {m.n + m.failures}
                        {m.failures ? ` (${m.failures})` : ""}
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
});
