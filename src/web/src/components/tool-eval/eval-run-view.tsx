// An eval run's results, live or stored: per-model summary and breakdowns, per-case table, drill-down, and export
// (JSON from the API, CSV built here). Used by Evaluate and History. The open case is in the address
// (`?case=`, lib/view-url.ts): opening one is a history entry, so Back closes it and a reload or bookmark reopens it.

import { $, component$, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import { ShareButton } from "~/components/share/share-button";
import { api } from "~/lib/api-client";
import { downloadText } from "~/lib/csv";
import { evalFilename, evalResultsToCsv } from "~/lib/eval-csv";
import { type EvalResult, type EvalRunDetail, type EvalSummary, resultKey } from "~/lib/eval-types";
import { useAppLocation, useAppNavigate } from "~/lib/router-context";
import { toastError } from "~/lib/toast";
import { closeView, currentSearch, openView } from "~/lib/view-nav";
import { type CaseRef, readCaseRef, withCase } from "~/lib/view-url";
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

const caseKey = (ref: CaseRef) => resultKey({ test_case_id: ref.testCaseId, provider_key: ref.providerKey, model_id: ref.modelId });
const here = () => `${location.pathname}${location.search}`;

export const EvalRunView = component$<EvalRunViewProps>((props) => {
  const loc = useAppLocation();
  const nav = useAppNavigate();
  const focus = useSignal("");
  /** The case the address opens in this run (another run's case is that run's view's). */
  const openKey = useSignal<string | null>(null);
  const exporting = useSignal(false);
  const hasAny = props.results.length > 0;
  const open = openKey.value ? (props.results.find((r) => resultKey(r) === openKey.value) ?? null) : null;
  // Named by the address but not in the results; a live run may still deliver it.
  const missing = openKey.value !== null && !open && props.mode === "final";

  /** The run and `case` parameter last shown: the router also wakes this without a new address. */
  const shown = useSignal<string | null>(null);
  useVisibleTask$(({ track }) => {
    track(() => loc.url.href);
    const evalId = track(() => props.evalId); // after a reload, a live run's id arrives with its job
    const param = currentSearch(loc).get("case");
    if (`${evalId}|${param}` === shown.value) return;
    shown.value = `${evalId}|${param}`;
    const ref = readCaseRef(currentSearch(loc));
    openKey.value = ref && evalId && ref.evalId === evalId ? caseKey(ref) : null;
  });

  const openCase = $(async (key: string) => {
    const r = props.results.find((x) => resultKey(x) === key);
    if (!r) return;
    openKey.value = key;
    if (!props.evalId) return; // before the run has an id (just submitted): shown, not addressable yet
    await openView(nav, withCase(here(), { evalId: props.evalId, testCaseId: r.test_case_id, providerKey: r.provider_key, modelId: r.model_id }));
  });

  const closeCase = $(async () => {
    openKey.value = null;
    await closeView(nav, withCase(here(), null));
  });

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
            {props.mode === "final" && props.evalId && (
              <ShareButton resourceType="tool_eval_run" resourceId={props.evalId} what="this eval run" testId="eval-share" />
            )}
          </div>
        )}
      </div>

      <ParamAdjustmentsNote models={props.paramAdjustments} testId="eval-param-adjustments" />
      {hasAny ? (
        <>
          <EvalFailures results={props.results} />
          <EvalSummaryTable summary={props.summary} focus={focus.value} onFocus$={(k: string) => (focus.value = k)} />
          <EvalResultsTable results={props.results} focus={focus.value} onFocus$={(k: string) => (focus.value = k)} onOpen$={openCase} />
        </>
      ) : (
        <div class="card results-empty">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
          </div>
        </div>
      )}
      <CaseDrilldown result={open} missing={missing} evalId={props.evalId} onClose$={closeCase} />
    </section>
  );
});
