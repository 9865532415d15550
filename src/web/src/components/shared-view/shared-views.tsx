// The read-only views of a share, one per resource type, fed by GET /api/shared/{token} (or …/shares/{id}/view).
// They reuse the app's tables where the data has the same shape; nothing here can change anything.
import { $, component$, useSignal } from "@builder.io/qwik";
import { AggregatesTable } from "~/components/benchmark/aggregates-table";
import { EvalResultsTable } from "~/components/tool-eval/eval-results-table";
import { EvalSummaryTable } from "~/components/tool-eval/eval-summary-table";
import { fmtCost, fmtDateTime, fmtMs, fmtPct, fmtSpeed, fmtTier } from "~/lib/bench-format";
import type { Aggregate, BenchmarkResult } from "~/lib/benchmark-types";
import type { EvalResult, EvalSummary } from "~/lib/eval-types";

type Params = Record<string, unknown> | null;

export interface SharedBenchmarkRun {
  status: string;
  timestamp: string;
  completed_at: string | null;
  prompt: string;
  max_tokens: number;
  temperature: number | null;
  runs: number;
  warmup: boolean;
  context_tiers: number[];
  config: { timeout_s: number | null; unique_prefix: boolean; provider_params: Params };
  results: BenchmarkResult[];
  aggregates: Aggregate[];
}
export interface SharedToolEvalRun {
  suite_name: string;
  status: string;
  scorer: string;
  temperature: number | null;
  tool_choice: string;
  timestamp: string;
  models: Array<{ provider_key: string; model_id: string }>;
  config: { tool_count: number; case_count: number; max_tokens: number | null; suite_system_prompt: string | null; provider_params: Params };
  summary: EvalSummary[];
  results: EvalResult[];
}
export interface SharedLeaderboard {
  type: "benchmark" | "tool_eval";
  period: string;
  suite_name: string | null;
  rows: Array<Record<string, string | number | null>>;
}
export interface SharedExperiment {
  name: string;
  description: string;
  suite_name: string;
  baseline_score: number | null;
  best: {
    score: number;
    source: string | null;
    config: {
      targets: Array<{ provider_key: string; model_id: string }>;
      temperature: number;
      tool_choice: string;
      provider_params: Params;
      scorer: string;
    } | null;
  } | null;
  entries: Array<{
    type: string;
    status: string;
    timestamp: string;
    score: number | null;
    delta: number | null;
    is_baseline: boolean;
    is_best: boolean;
    config_summary: string;
    significance_label: string | null;
  }>;
}

const paramsText = (p: Params) =>
  p && Object.keys(p).length
    ? Object.entries(p)
        .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
        .join(", ")
    : "provider defaults";

export const SharedBenchmarkView = component$<{ view: SharedBenchmarkRun }>(({ view }) => (
  <div class="shared-body" data-testid="shared-benchmark">
    <dl class="shared-facts">
      <div>
        <dt>Status</dt>
        <dd>{view.status}</dd>
      </div>
      <div>
        <dt>Ran</dt>
        <dd>{fmtDateTime(view.timestamp)}</dd>
      </div>
      <div>
        <dt>Runs per model</dt>
        <dd>
          {view.runs}
          {view.warmup ? " + warm-up" : ""}
        </dd>
      </div>
      <div>
        <dt>Max tokens</dt>
        <dd>{view.max_tokens}</dd>
      </div>
      <div>
        <dt>Temperature</dt>
        <dd>{view.temperature ?? "—"}</dd>
      </div>
      <div>
        <dt>Context tiers</dt>
        <dd>{view.context_tiers.map(fmtTier).join(", ")}</dd>
      </div>
      <div>
        <dt>Parameters</dt>
        <dd class="mono small">{paramsText(view.config.provider_params)}</dd>
      </div>
    </dl>
    <h2 class="subheading">Prompt</h2>
    <pre class="shared-prompt">{view.prompt}</pre>
    <h2 class="subheading">Results</h2>
    {view.aggregates.length ? (
      <div class="card card-flush">
        <AggregatesTable
          aggregates={view.aggregates}
          results={view.results}
          caption="Per-model results of the shared run"
          testId="shared-aggregates"
        />
      </div>
    ) : (
      <p class="muted">This run has no measured results.</p>
    )}
    {view.results.some((r) => !r.success) && (
      <ul class="shared-failures small">
        {view.results
          .filter((r) => !r.success)
          .map((r, i) => (
            <li key={i}>
              {r.provider} · <span class="mono">{r.model_id}</span>: {r.error_class} {r.error_hint ? `— ${r.error_hint}` : ""}
            </li>
          ))}
      </ul>
    )}
  </div>
));

export const SharedToolEvalView = component$<{ view: SharedToolEvalRun }>(({ view }) => {
  const focus = useSignal("");
  return (
    <div class="shared-body" data-testid="shared-tool-eval">
      <dl class="shared-facts">
        <div>
          <dt>Suite</dt>
          <dd>{view.suite_name}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{view.status}</dd>
        </div>
        <div>
          <dt>Ran</dt>
          <dd>{fmtDateTime(view.timestamp)}</dd>
        </div>
        <div>
          <dt>Scorer</dt>
          <dd>{view.scorer}</dd>
        </div>
        <div>
          <dt>Cases × tools</dt>
          <dd>
            {view.config.case_count} × {view.config.tool_count}
          </dd>
        </div>
        <div>
          <dt>Tool choice · temperature</dt>
          <dd>
            {view.tool_choice} · {view.temperature ?? "—"}
          </dd>
        </div>
        <div>
          <dt>Parameters</dt>
          <dd class="mono small">{paramsText(view.config.provider_params)}</dd>
        </div>
      </dl>
      <EvalSummaryTable summary={view.summary} focus={focus.value} onFocus$={(k: string) => (focus.value = k)} />
      <EvalResultsTable results={view.results} focus={focus.value} onFocus$={(k: string) => (focus.value = k)} onOpen$={$(() => {})} />
    </div>
  );
});

const PERIOD_TEXT: Record<string, string> = { "7d": "last 7 days", "30d": "last 30 days", "90d": "last 90 days", all: "all time" };

export const SharedLeaderboardView = component$<{ view: SharedLeaderboard }>(({ view }) => (
  <div class="shared-body" data-testid="shared-leaderboard">
    <p class="muted">
      {view.type === "benchmark" ? "Speed" : "Tool-calling accuracy"}
      {view.suite_name ? ` on ${view.suite_name}` : ""} · {PERIOD_TEXT[view.period] ?? view.period} · figures as of now
    </p>
    {view.rows.length === 0 ? (
      <p class="muted">No runs in this period.</p>
    ) : (
      <div class="table-wrap card card-flush">
        <table class="table">
          <thead>
            {view.type === "benchmark" ? (
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Provider</th>
                <th scope="col">Context</th>
                <th scope="col">p50 TTFT</th>
                <th scope="col">p50 speed</th>
                <th scope="col">Cost / call</th>
                <th scope="col">Calls</th>
              </tr>
            ) : (
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Provider</th>
                <th scope="col">Scorer</th>
                <th scope="col">Tool</th>
                <th scope="col">Params</th>
                <th scope="col">Overall</th>
                <th scope="col">Cases</th>
              </tr>
            )}
          </thead>
          <tbody>
            {view.rows.map((r, i) =>
              view.type === "benchmark" ? (
                <tr key={i} data-testid="shared-leader-row">
                  <td class="cell-title">{r.model}</td>
                  <td>{r.provider}</td>
                  <td>{fmtTier(Number(r.context_tokens ?? 0))}</td>
                  <td>{fmtMs(r.ttft_p50_ms as number | null)}</td>
                  <td>{fmtSpeed(r.output_speed_p50_tps as number | null)}</td>
                  <td>{fmtCost(r.cost_mean_usd as number | null)}</td>
                  <td>{r.n}</td>
                </tr>
              ) : (
                <tr key={i} data-testid="shared-leader-row">
                  <td class="cell-title">{r.model}</td>
                  <td>{r.provider}</td>
                  <td>{r.scorer}</td>
                  <td>{fmtPct(r.tool_accuracy_pct as number | null)}</td>
                  <td>{fmtPct(r.param_accuracy_pct as number | null)}</td>
                  <td>{fmtPct(r.overall_pct as number | null)}</td>
                  <td>{r.cases}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    )}
  </div>
));

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const signed = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${(x * 100).toFixed(1)} pts`);

export const SharedExperimentView = component$<{ view: SharedExperiment }>(({ view }) => (
  <div class="shared-body" data-testid="shared-experiment">
    {view.description && <p>{view.description}</p>}
    <dl class="shared-facts">
      <div>
        <dt>Suite</dt>
        <dd>{view.suite_name}</dd>
      </div>
      <div>
        <dt>Baseline</dt>
        <dd>{pct(view.baseline_score)}</dd>
      </div>
      <div>
        <dt>Best</dt>
        <dd>
          {view.best ? pct(view.best.score) : "—"}
          {view.best?.source ? ` (${view.best.source})` : ""}
        </dd>
      </div>
      {view.best?.config && (
        <div>
          <dt>Best config</dt>
          <dd class="mono small">
            {view.best.config.targets.map((t) => `${t.provider_key}/${t.model_id}`).join(", ")} · temp={view.best.config.temperature} · tool_choice=
            {view.best.config.tool_choice} · {paramsText(view.best.config.provider_params)}
          </dd>
        </div>
      )}
    </dl>
    <div class="table-wrap card card-flush">
      <table class="table" data-testid="shared-timeline">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Run</th>
            <th scope="col">Score</th>
            <th scope="col">Δ vs baseline</th>
            <th scope="col">Significance</th>
            <th scope="col">Config</th>
          </tr>
        </thead>
        <tbody>
          {view.entries.map((e, i) => (
            <tr key={i}>
              <td>{fmtDateTime(e.timestamp)}</td>
              <td>
                {e.type}
                {e.is_baseline ? " · baseline" : ""}
                {e.is_best ? " · best" : ""} <span class="muted small">{e.status}</span>
              </td>
              <td>{pct(e.score)}</td>
              <td>{e.is_baseline ? "—" : signed(e.delta)}</td>
              <td>{e.significance_label ?? "—"}</td>
              <td class="mono small">{e.config_summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </div>
));
