// Results of the attached run: stat cards, failures, charts, the sortable table and CSV export.
import { component$ } from "@builder.io/qwik";
import { resultsFilename, resultsToCsv } from "~/lib/bench-csv";
import type { BenchLiveState } from "~/lib/bench-live";
import { summarize } from "~/lib/bench-stats";
import { downloadText } from "~/lib/csv";
import { ParamAdjustmentsNote } from "../param-adjustments-note";
import { AggregatesTable } from "./aggregates-table";
import { FailureBanner } from "./failure-banner";
import { ResultCharts } from "./result-charts";
import { StatCards } from "./stat-cards";

export const RunResults = component$<{ live: BenchLiveState }>(({ live }) => {
  const summary = summarize(live.results, live.aggregates);
  const hasAny = live.results.length > 0 || live.aggregates.length > 0;
  const final = live.final;

  return (
    <section class="run-results" aria-labelledby="results-heading">
      <div class="section-head">
        <div>
          <h2 id="results-heading">Results</h2>
          <p class="muted small">
            {!hasAny
              ? "Results appear here as each run finishes."
              : final
                ? "Final — aggregated by the server."
                : "Live — aggregated in your browser as runs arrive."}
          </p>
        </div>
        {hasAny && (
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            data-testid="export-csv"
            onClick$={() => downloadText(resultsFilename(live.runId), resultsToCsv(live.results))}
          >
            <svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true">
              <path
                d="M12 4v11m0 0-4-4m4 4 4-4M5 19h14"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                stroke-linejoin="round"
              />
            </svg>
            Export CSV
          </button>
        )}
      </div>

      <ParamAdjustmentsNote models={live.paramAdjustments} testId="param-adjustments" />
      {hasAny ? (
        <>
          <StatCards summary={summary} />
          <FailureBanner results={live.results} />
          <ResultCharts aggregates={live.aggregates} models={live.targets} />
          <div class="card card-flush">
            <AggregatesTable
              aggregates={live.aggregates}
              results={live.results}
              testId="results-table"
              rowTestIds
              caption="Benchmark results per model and context tier"
            />
          </div>
        </>
      ) : (
        <div class="card results-empty">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
          </div>
        </div>
      )}
    </section>
  );
});
