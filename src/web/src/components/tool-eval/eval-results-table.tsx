// Per-case results (model, prompt, expected, actual green/red, hops, score %), filterable by model and failures;
// a row opens the case's drill-down.
import { component$, type PropFunction, useSignal } from "@builder.io/qwik";
import { fmtPct } from "~/lib/bench-format";
import { type EvalResult, resultKey } from "~/lib/eval-types";
import { errorClassLabel } from "../../../../shared/call-errors.ts";

export interface EvalResultsTableProps {
  results: EvalResult[];
  /** "provider_key::model_id" to show one model only, or "". */
  focus: string;
  onFocus$: PropFunction<(key: string) => void>;
  onOpen$: PropFunction<(key: string) => void>;
}

const PAGE = 200;

export function expectedLabel(r: Pick<EvalResult, "expected_tool" | "should_call_tool">): string {
  if (r.expected_tool === null) return r.should_call_tool ? "any tool" : "no call";
  return Array.isArray(r.expected_tool) ? r.expected_tool.join(" | ") : r.expected_tool;
}

export function actualLabel(r: EvalResult): string {
  if (!r.success) return `error: ${errorClassLabel(r.error_class)}`;
  if (r.actual_chain?.length) return r.actual_chain.map((c) => c.name).join(" → ");
  if (!r.actual_calls.length) return "no call";
  return r.actual_calls.map((c) => c.name).join(", ");
}

export const EvalResultsTable = component$<EvalResultsTableProps>((props) => {
  const failedOnly = useSignal(false);
  const shown = useSignal(PAGE);
  const models = [...new Map(props.results.map((r) => [`${r.provider_key}::${r.model_id}`, r.model_name])).entries()];
  const rows = props.results.filter((r) => (!props.focus || `${r.provider_key}::${r.model_id}` === props.focus) && (!failedOnly.value || !r.passed));
  const visible = rows.slice(0, shown.value);

  return (
    <div class="card card-flush">
      <div class="te-table-tools">
        <select
          aria-label="Show the cases of"
          class="template-select"
          data-testid="eval-results-filter"
          value={props.focus}
          onChange$={(_, el) => props.onFocus$(el.value)}
        >
          <option value="">All models</option>
          {models.map(([k, name]) => (
            <option key={k} value={k}>
              {name}
            </option>
          ))}
        </select>
        <label class="te-check small">
          <input
            type="checkbox"
            checked={failedOnly.value}
            data-testid="eval-results-failed-only"
            onChange$={(_, el) => (failedOnly.value = el.checked)}
          />
          Not passed only
        </label>
        <span class="muted small push-right" aria-live="polite" data-testid="eval-results-count">
          {rows.length} of {props.results.length} results
        </span>
      </div>
      <div class="table-wrap te-results-scroll">
        <table class="table results-table te-results" data-testid="eval-results-table">
          <caption class="sr-only">Results per case and model; open a row for the details</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Prompt</th>
              <th scope="col">Expected</th>
              <th scope="col">Actual</th>
              <th scope="col" class="num" title="Rounds the model used (multi-turn cases loop with mock tool results)">
                Hops
              </th>
              <th scope="col" class="num">
                Score
              </th>
            </tr>
          </thead>
          <tbody>
            {visible.map((r) => {
              const k = resultKey(r);
              const toolOk = r.success && r.tool_selection_score === 1;
              const score = r.overall_score === null ? null : r.overall_score * 100;
              return (
                <tr
                  key={k}
                  class={`te-row${r.passed ? "" : " is-miss"}${r.success ? "" : " row-failed"}`}
                  data-testid={`eval-row-${r.model_id}-${r.test_case_id}`}
                  data-passed={String(r.passed)}
                  onClick$={() => props.onOpen$(k)}
                >
                  <td class="te-model small">{r.model_name}</td>
                  <td class="te-prompt">
                    <button type="button" class="link-btn" title="Show the details of this case" onClick$={() => props.onOpen$(k)}>
                      {r.prompt.length > 90 ? `${r.prompt.slice(0, 90)}…` : r.prompt}
                    </button>
                  </td>
                  <td class="mono small">{expectedLabel(r)}</td>
                  <td class={`mono small ${toolOk ? "text-ok" : "text-danger"}`} data-testid="eval-actual">
                    {actualLabel(r)}
                  </td>
                  <td class="num mono">{r.rounds ?? "—"}</td>
                  <td class={`num mono cell-strong ${r.passed ? "text-ok" : score !== null && score > 0 ? "text-amber" : "text-danger"}`}>
                    {fmtPct(score, 0)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length > visible.length && (
        <div class="load-more">
          <button type="button" class="btn btn-ghost btn-sm" onClick$={() => (shown.value += PAGE)}>
            Show {Math.min(PAGE, rows.length - visible.length)} more
          </button>
        </div>
      )}
      {props.results.length > 0 && rows.length === 0 && <p class="muted small te-empty">No results match the filter.</p>}
    </div>
  );
});
