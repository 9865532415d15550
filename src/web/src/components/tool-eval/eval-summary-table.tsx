// Per-model summary (tool %, param %, overall %, irrelevance %, cases, latency) and, below it, the category
// breakdown and the error taxonomy side by side. Clicking a model filters the results table to it.
import { component$, type PropFunction } from "@builder.io/qwik";
import { fmtMs, fmtPct } from "~/lib/bench-format";
import { passText } from "~/lib/eval-tone";
import type { EvalSummary } from "~/lib/eval-types";

export interface EvalSummaryTableProps {
  summary: EvalSummary[];
  /** "provider_key::model_id" of the model the results are filtered to, or "". */
  focus: string;
  onFocus$: PropFunction<(key: string) => void>;
}

const key = (s: EvalSummary) => `${s.provider_key}::${s.model_id}`;

interface BreakdownTableProps {
  title: string;
  testId: string;
  labelHeader: string;
  labels: string[];
  monoLabels?: boolean;
  models: EvalSummary[];
  cell: (model: EvalSummary, label: string) => { text: string; title?: string };
}

/** One row per label (a category, an error type), one column per model. An inline component: `cell` is a plain function. */
const BreakdownTable = (props: BreakdownTableProps) => (
  <div class="card card-flush">
    <h3 class="te-subtitle">{props.title}</h3>
    <div class="table-wrap">
      <table class="table results-table" data-testid={props.testId}>
        <thead>
          <tr>
            <th scope="col">{props.labelHeader}</th>
            {props.models.map((s) => (
              <th key={key(s)} scope="col" class="num">
                {s.model_name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.labels.map((label) => (
            <tr key={label}>
              <td class={props.monoLabels ? "mono" : undefined}>{label}</td>
              {props.models.map((s) => {
                const c = props.cell(s, label);
                return (
                  <td key={key(s)} class="num mono" title={c.title}>
                    {c.text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </div>
);

export const EvalSummaryTable = component$<EvalSummaryTableProps>(({ summary, focus, onFocus$ }) => {
  const best = Math.max(...summary.map((s) => s.overall_pct ?? -1));
  const categories = [...new Set(summary.flatMap((s) => Object.keys(s.category_breakdown)))].sort();
  const errors = [...new Set(summary.flatMap((s) => Object.keys(s.error_type_counts)))].sort();

  return (
    <>
      <div class="card card-flush">
        <div class="table-wrap">
          <table class="table results-table te-summary" data-testid="eval-summary">
            <caption class="sr-only">Scores per model</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" class="num" title="Right tool chosen (mean over cases that ran)">
                  Tool %
                </th>
                <th scope="col" class="num" title="Parameter accuracy (mean over cases whose parameters are scored)">
                  Param %
                </th>
                <th scope="col" class="num" title="Overall score (mean over cases that ran); its colour is the share of cases passed">
                  Overall %
                </th>
                <th scope="col" class="num" title="Cases where no call is right: share the model correctly abstained on">
                  Irrelevance %
                </th>
                <th scope="col" class="num" title="Passed / cases (failed calls)">
                  Cases
                </th>
                <th scope="col" class="num" title="Per-call latency, median and 95th percentile">
                  Latency p50 / p95
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.map((s) => {
                const k = key(s);
                return (
                  <tr key={k} class={focus === k ? "is-focused" : ""} data-testid={`eval-summary-row-${s.model_id}`}>
                    <td class="cell-model">
                      <div class="te-model-cell">
                        <button
                          type="button"
                          class="link-btn cell-title"
                          aria-pressed={focus === k}
                          title={focus === k ? "Show every model's cases" : "Show only this model's cases"}
                          onClick$={() => onFocus$(focus === k ? "" : k)}
                        >
                          {s.model_name}
                        </button>
                        <span class="muted small mono">{s.provider_key}</span>
                      </div>
                    </td>
                    <td class="num mono">{fmtPct(s.tool_accuracy_pct)}</td>
                    <td class="num mono">{fmtPct(s.param_accuracy_pct)}</td>
                    <td
                      class={`num mono cell-strong ${passText(s.cases_passed, s.cases)}${s.overall_pct === best && summary.length > 1 ? " cell-best" : ""}`}
                      data-testid={`eval-summary-overall-${s.model_id}`}
                    >
                      {fmtPct(s.overall_pct)}
                    </td>
                    <td class="num mono" title={s.irrelevance_cases ? `${s.irrelevance_cases} no-call cases` : "No no-call cases in this suite"}>
                      {fmtPct(s.irrelevance_pct)}
                    </td>
                    <td class={`num mono ${passText(s.cases_passed, s.cases)}`} data-testid={`eval-summary-cases-${s.model_id}`}>
                      {s.cases_passed}/{s.cases}
                      {s.failures > 0 && <span class="text-danger"> ({s.failures} failed)</span>}
                    </td>
                    <td class="num mono">
                      {fmtMs(s.latency_p50_ms)} / {fmtMs(s.latency_p95_ms)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>

      {(categories.length > 1 || errors.length > 0) && (
        <div class="te-breakdowns">
          {categories.length > 1 && (
            <BreakdownTable
              title="By category"
              testId="eval-category-table"
              labelHeader="Category"
              labels={categories}
              models={summary}
              cell={(s, c) => {
                const v = s.category_breakdown[c];
                return v
                  ? { text: `${v.passed}/${v.cases} · ${fmtPct(v.overall_pct, 0)}`, title: `${v.passed} of ${v.cases} passed` }
                  : { text: "—" };
              }}
            />
          )}
          {errors.length > 0 && (
            <BreakdownTable
              title="Error taxonomy"
              testId="eval-error-table"
              labelHeader="Error type"
              monoLabels
              labels={errors}
              models={summary}
              cell={(s, e) => ({ text: String(s.error_type_counts[e] ?? "—") })}
            />
          )}
        </div>
      )}
    </>
  );
});
