// Leaderboard tab: benchmark figures per model and context tier (p50 TTFT, p50 output speed, cost, runs) or tool-eval
// accuracy per scorer, over a period; a bar chart and the full table, and the table as CSV from the API.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { ChartCanvas } from "~/components/charts/chart-canvas";
import { ErrorBanner } from "~/components/error-banner";
import { benchmarkLeaderChart, evalLeaderChart, leaderLabel } from "~/lib/analytics-charts";
import type { BenchmarkLeader, EvalLeader, Leaderboard, Period } from "~/lib/analytics-types";
import { api } from "~/lib/api-client";
import { fmtCost, fmtDateTime, fmtMs, fmtPct, fmtSpeed, fmtTier } from "~/lib/bench-format";
import type { SuiteListItem } from "~/lib/eval-types";
import { describeError } from "~/lib/http";
import { leaderboardShareId } from "~/lib/share-types";
import { ShareButton } from "../share/share-button";
import { ExportButton } from "./export-button";
import { PeriodPicker } from "./period-picker";

type BoardType = "benchmark" | "tool_eval";

const BenchmarkTable = component$<{ rows: BenchmarkLeader[] }>(({ rows }) => (
  <div class="table-wrap">
    <table class="table results-table" data-testid="leaderboard-table">
      <caption class="sr-only">Benchmark leaderboard, fastest p50 output speed first</caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            #
          </th>
          <th scope="col">Model</th>
          <th scope="col">Provider</th>
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
            Runs
          </th>
          <th scope="col" class="num">
            Calls (failed)
          </th>
          <th scope="col">Last run</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.provider_key}/${r.model_id}/${r.context_tokens}`} data-model={r.model_id}>
            <td class="num mono">{i + 1}</td>
            <td class="cell-title">{leaderLabel(r, rows)}</td>
            <td>{r.provider}</td>
            <td class="num mono">{fmtTier(r.context_tokens)}</td>
            <td class="num mono" data-col="ttft">
              {fmtMs(r.ttft_p50_ms)}
            </td>
            <td class="num mono" data-col="speed">
              {fmtSpeed(r.output_speed_p50_tps)}
            </td>
            <td class="num mono" data-col="cost">
              {fmtCost(r.cost_mean_usd)}
            </td>
            <td class="num mono" data-col="runs">
              {r.runs}
            </td>
            <td class="num mono">
              {r.n + r.failures}
              {r.failures ? ` (${r.failures})` : ""}
            </td>
            <td class="nowrap">{fmtDateTime(r.last_run)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
));

const EvalTable = component$<{ scorer: string; rows: EvalLeader[] }>(({ scorer, rows }) => (
  <div class="table-wrap">
    <table class="table results-table" data-testid={`eval-leaderboard-${scorer}`}>
      <caption class="sr-only">Tool-eval leaderboard for the {scorer} scorer, most accurate first</caption>
      <thead>
        <tr>
          <th scope="col" class="num">
            #
          </th>
          <th scope="col">Model</th>
          <th scope="col">Provider</th>
          <th scope="col" class="num">
            Tool
          </th>
          <th scope="col" class="num">
            Params
          </th>
          <th scope="col" class="num">
            Overall
          </th>
          <th scope="col" class="num">
            Evals
          </th>
          <th scope="col" class="num">
            Cases
          </th>
          <th scope="col">Last eval</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.provider_key}/${r.model_id}`} data-model={r.model_id}>
            <td class="num mono">{i + 1}</td>
            <td class="cell-title">{r.model}</td>
            <td>{r.provider}</td>
            <td class="num mono">{fmtPct(r.tool_accuracy_pct)}</td>
            <td class="num mono">{fmtPct(r.param_accuracy_pct)}</td>
            <td class="num mono" data-col="overall">
              {fmtPct(r.overall_pct)}
            </td>
            <td class="num mono">{r.evals}</td>
            <td class="num mono">{r.cases}</td>
            <td class="nowrap">{fmtDateTime(r.last_eval)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
));

export const LeaderboardPanel = component$(() => {
  const state = useStore({ type: "benchmark" as BoardType, period: "30d" as Period, suiteId: "", loading: true, error: "" });
  const board = useSignal<Leaderboard | null>(null);
  const suites = useSignal<SuiteListItem[]>([]);
  /** The query both the table and its CSV use; the suite filter applies to tool evals only. */
  const query = () =>
    `type=${state.type}&period=${state.period}${state.type === "tool_eval" && state.suiteId ? `&suite_id=${encodeURIComponent(state.suiteId)}` : ""}`;

  const load = $(async () => {
    state.loading = true;
    try {
      const type = state.type;
      const suite = type === "tool_eval" && state.suiteId ? `&suite_id=${encodeURIComponent(state.suiteId)}` : "";
      board.value = await api.get<Leaderboard>(`/api/analytics/leaderboard?type=${type}&period=${state.period}${suite}`);
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(({ track }) => {
    track(() => state.type);
    track(() => state.period);
    track(() => state.suiteId);
    void load();
  });

  useVisibleTask$(async ({ track }) => {
    if (track(() => state.type) !== "tool_eval" || suites.value.length) return;
    try {
      suites.value = (await api.get<{ suites: SuiteListItem[] }>("/api/tool-suites")).suites;
    } catch {
      suites.value = []; // the filter is optional: the board still shows every suite
    }
  });

  const b = board.value;
  const shown = b && b.type === state.type ? b : null;
  const scorers = shown?.type === "tool_eval" ? [...new Set(shown.rows.map((r) => r.scorer))] : [];

  return (
    <div class="an-panel" data-testid="analytics-leaderboard">
      <div class="an-toolbar">
        <fieldset class="an-seg" aria-label="Leaderboard">
          {(
            [
              ["benchmark", "Benchmark"],
              ["tool_eval", "Tool eval"],
            ] as const
          ).map(([t, label]) => (
            <button
              key={t}
              type="button"
              aria-pressed={state.type === t}
              class={`btn btn-sm ${state.type === t ? "btn-primary" : "btn-ghost"}`}
              data-testid={`leaderboard-type-${t}`}
              onClick$={() => (state.type = t)}
            >
              {label}
            </button>
          ))}
        </fieldset>
        <PeriodPicker value={state.period} testId="leaderboard-period" onChange$={(p) => (state.period = p)} />
        {state.type === "tool_eval" && (
          <label class="an-control">
            <span class="label">Suite</span>
            <select data-testid="leaderboard-suite" value={state.suiteId} onChange$={(_, el) => (state.suiteId = el.value)}>
              <option value="" selected={!state.suiteId}>
                All suites
              </option>
              {suites.value.map((x) => (
                <option key={x.id} value={x.id} selected={x.id === state.suiteId}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span class="push-right" />
        <ExportButton
          path={`/api/export/leaderboard?${query()}`}
          filename={`leaderboard_${state.type}_${state.period}.csv`}
          testId="leaderboard-export"
        />
        <ShareButton
          resourceType="leaderboard"
          resourceId={leaderboardShareId(state.type, state.period, state.type === "tool_eval" && state.suiteId ? state.suiteId : null)}
          what="this leaderboard"
          testId="leaderboard-share"
        />
      </div>
      <p class="muted small">
        {state.type === "benchmark"
          ? "Per model and context tier, over successful measured calls of your runs (warm-ups left out). Sorted by p50 output speed: a sort order, not a verdict — see a run's statistics before naming a winner."
          : "Per scorer (scores of different scorers are never mixed): the mean of each eval run's accuracy, as each run's summary shows it."}
      </p>
      {state.error && <ErrorBanner message={state.error} onAction$={load} />}
      {state.loading && !shown ? (
        <div class="skeleton-list" aria-hidden="true">
          <span class="skeleton-card" />
        </div>
      ) : !shown || shown.rows.length === 0 ? (
        <div class="card empty-state" data-testid="leaderboard-empty">
          <p class="muted">No {state.type === "benchmark" ? "benchmark runs" : "tool evals"} in this period.</p>
        </div>
      ) : shown.type === "benchmark" ? (
        <div class="card card-flush" aria-busy={state.loading}>
          {benchmarkLeaderChart(shown.rows) && (
            <ChartCanvas
              testId="leaderboard-chart"
              spec={benchmarkLeaderChart(shown.rows)!}
              label="Output speed p50 per model, fastest first"
              height={Math.max(160, Math.min(shown.rows.length, 15) * 30 + 60)}
            />
          )}
          <BenchmarkTable rows={shown.rows} />
        </div>
      ) : (
        scorers.map((scorer) => {
          const rows = shown.rows.filter((r) => r.scorer === scorer);
          const spec = evalLeaderChart(rows);
          return (
            <div key={scorer} class="card card-flush">
              <h3 class="te-subtitle">Scorer: {scorer}</h3>
              {spec && (
                <ChartCanvas
                  testId={`eval-leaderboard-chart-${scorer}`}
                  spec={spec}
                  label={`Overall accuracy per model (${scorer} scorer)`}
                  height={Math.max(140, Math.min(rows.length, 15) * 30 + 60)}
                />
              )}
              <EvalTable scorer={scorer} rows={rows} />
            </div>
          );
        })
      )}
    </div>
  );
});
