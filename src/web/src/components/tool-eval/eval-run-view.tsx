// An eval run's results, live or stored: per-model summary and breakdowns, per-case table, drill-down, and export
// (JSON from the API, CSV built here). Used by Evaluate and History.
import { $, component$, useSignal } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { downloadText } from "~/lib/csv";
import { evalFilename, evalResultsToCsv } from "~/lib/eval-csv";
import { type EvalResult, type EvalRunDetail, type EvalSummary, resultKey } from "~/lib/eval-types";
import { toastError } from "~/lib/toast";
import type { ModelParamAdjustments } from "../../../../shared/events.ts";
import { ParamAdjustmentsNote } from "../param-adjustments-note";
import { CaseDrilldown } from "./case-drilldown";
import { EvalFailures } from "./eval-failures";
import { EvalResultsTable } from "./eval-results-table";
import { EvalSummaryTable } from "./eval-summary-table";

export interface EvalRunViewProps {
  evalId: string | null;
  results: EvalResult[];
  summary: EvalSummary[];
  /** "live" while the job runs, "final" once the stored results are shown. */
  mode: "live" | "final";
  /** What the provider parameter registry changed per model before the run. */
  paramAdjustments?: ModelParamAdjustments;
}

export const EvalRunView = component$<EvalRunViewProps>((props) => {
  const focus = useSignal("");
  const openKey = useSignal<string | null>(null);
  const exporting = useSignal(false);
  const hasAny = props.results.length > 0;
  const open = openKey.value ? (props.results.find((r) => resultKey(r) === openKey.value) ?? null) : null;

  const exportJson = $(async () => {
    if (!props.evalId) return;
    exporting.value = true;
    try {
      const run = await api.get<EvalRunDetail>(`/api/export/eval/${encodeURIComponent(props.evalId)}`);
      downloadText(evalFilename(props.evalId, "json"), JSON.stringify(run, null, 2), "application/json");
    } catch (err) {
      toastError(err);
    } finally {
      exporting.value = false;
    }
  });

  return (
    <section class="run-results te-run" aria-labelledby="eval-results-heading" data-testid="eval-run-view">
      <div class="section-head">
        <div>
          <h2 id="eval-results-heading">Results</h2>
          <p class="muted small">
            {!hasAny
              ? "Results appear here as each case finishes."
              : props.mode === "final"
                ? "Final — as stored. Open a case for every score part and the raw exchange."
                : "Live — summarised in your browser as cases arrive."}
          </p>
        </div>
        {hasAny && (
          <div class="btn-row">
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              data-testid="eval-export-json"
              disabled={!props.evalId || exporting.value}
              onClick$={exportJson}
            >
              Export JSON
            </button>
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              data-testid="eval-export-csv"
              onClick$={() => downloadText(evalFilename(props.evalId, "csv"), evalResultsToCsv(props.results))}
            >
              Export CSV
            </button>
          </div>
        )}
      </div>

      <ParamAdjustmentsNote models={props.paramAdjustments} testId="eval-param-adjustments" />
      {hasAny ? (
        <>
          <EvalFailures results={props.results} />
          <EvalSummaryTable summary={props.summary} focus={focus.value} onFocus$={(k: string) => (focus.value = k)} />
          <EvalResultsTable
            results={props.results}
            focus={focus.value}
            onFocus$={(k: string) => (focus.value = k)}
            onOpen$={(k: string) => (openKey.value = k)}
          />
        </>
      ) : (
        <div class="card results-empty">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
          </div>
        </div>
      )}
      <CaseDrilldown result={open} evalId={props.evalId} onClose$={() => (openKey.value = null)} />
    </section>
  );
});
