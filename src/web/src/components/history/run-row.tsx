// One stored run in History: summary line (status, tiers, models, best speed), actions, expandable aggregates.

import { $, component$, type PropFunction } from "@builder.io/qwik";
import { ShareButton } from "~/components/share/share-button";
import { resultsFilename, resultsToCsv } from "~/lib/bench-csv";
import { fmtDateTime, fmtRelative, fmtSpeed } from "~/lib/bench-format";
import { bestOutputSpeed, summarize } from "~/lib/bench-stats";
import type { BenchmarkRun } from "~/lib/benchmark-types";
import { downloadText } from "~/lib/csv";
import { isRunActive, runTargets, tiersLabel } from "~/lib/history-utils";
import { Badge } from "../badge";
import { AggregatesTable } from "../benchmark/aggregates-table";
import { ParamAdjustmentsNote } from "../param-adjustments-note";
import { RunFailures } from "./run-failures";
import { ExpandToggle, RunStamp } from "./run-head";

export interface RunRowProps {
  run: BenchmarkRun;
  expanded: boolean;
  selected: boolean;
  selectDisabled: boolean;
  busy: string | null;
  highlighted: boolean;
  onToggleExpand$: PropFunction<(id: string) => void>;
  onToggleSelect$: PropFunction<(id: string) => void>;
  onRerun$: PropFunction<(id: string) => Promise<void>>;
  onDelete$: PropFunction<(id: string) => Promise<void>>;
}

export const RunRow = component$<RunRowProps>((props) => {
  const run = props.run;
  const id = run.id;
  const targets = runTargets(run);
  const best = bestOutputSpeed(run.aggregates);
  const bestModel = run.aggregates.find((a) => a.stats.output_speed_tps?.p50 === best)?.model ?? "";
  const summary = summarize(run.results, run.aggregates);
  const active = isRunActive(run);
  const stress = run.context_tiers.length > 1;
  const panelId = `run-panel-${id}`;
  const shownModels = targets.slice(0, 6);
  const moreModels = targets.length - shownModels.length;
  const promptText = run.prompt.length > 180 ? `${run.prompt.slice(0, 180)}…` : run.prompt;

  return (
    <li
      id={`run-${id}`}
      class={`history-row${props.expanded ? " is-expanded" : ""}${props.selected ? " is-selected" : ""}${props.highlighted ? " is-highlighted" : ""}`}
      data-testid={`history-row-${id}`}
    >
      <div class="history-summary">
        <input
          type="checkbox"
          class="history-check"
          checked={props.selected}
          disabled={props.selectDisabled && !props.selected}
          aria-label={`Select run from ${fmtDateTime(run.timestamp)} for comparison`}
          data-testid={`history-select-${id}`}
          onChange$={() => props.onToggleSelect$(id)}
        />
        <ExpandToggle
          expanded={props.expanded}
          controls={panelId}
          testId={`history-expand-${id}`}
          what="run"
          onToggle$={$(() => props.onToggleExpand$(id))}
        />

        <div class="history-main">
          <div class="history-line">
            <RunStamp timestamp={run.timestamp} status={run.status} statusTestId={`history-status-${id}`} />
            <Badge tone={stress ? "amber" : "outline"} title={stress ? "Stress test: several context tiers" : "Context tier"}>
              {tiersLabel(run.context_tiers)}
            </Badge>
            <span class="muted small">
              {run.runs} run{run.runs === 1 ? "" : "s"} · {run.max_tokens} max tokens
            </span>
          </div>
          <p class="history-prompt" title={run.prompt}>
            {promptText}
          </p>
          <ul class="history-models" aria-label="Models">
            {shownModels.map((t) => (
              <li key={`${t.provider_key}:${t.model_id}`} class="chip chip-static" title={`${t.provider} · ${t.model_id}`}>
                {t.display_name}
              </li>
            ))}
            {moreModels > 0 && <li class="chip chip-static muted">+{moreModels} more</li>}
          </ul>
        </div>

        <div class="history-best">
          {best !== null ? (
            <>
              <span class="history-best-value">
                {fmtSpeed(best)}
                <span class="stat-unit"> tok/s</span>
              </span>
              <span class="muted small history-best-model" title={bestModel}>
                best · {bestModel}
              </span>
            </>
          ) : (
            <span class="muted small">{active ? "in progress…" : summary.failures ? "no successful run" : "—"}</span>
          )}
        </div>

        <div class="history-actions">
          {active && run.job_id && (
            <a class="btn btn-ghost btn-sm" href={`/benchmark/?job=${encodeURIComponent(run.job_id)}`}>
              Live view
            </a>
          )}
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            data-testid={`history-rerun-${id}`}
            disabled={props.busy !== null || targets.length === 0}
            onClick$={() => props.onRerun$(id)}
          >
            {props.busy === "rerun" ? "Starting…" : "Re-run"}
          </button>
          <button
            type="button"
            class="btn btn-danger-ghost btn-sm"
            data-testid={`history-delete-${id}`}
            disabled={props.busy !== null || active}
            title={active ? "Cancel the running benchmark before deleting it" : undefined}
            onClick$={() => props.onDelete$(id)}
          >
            {props.busy === "delete" ? "Deleting…" : "Delete"}
          </button>
        </div>
      </div>

      {props.expanded && (
        <div class="history-detail" id={panelId}>
          <div class="history-detail-head">
            <p class="muted small">
              Temperature {run.temperature ?? "—"} · warm-up {run.warmup ? "on" : "off"}
              {typeof run.config?.unique_prefix === "boolean" ? ` · unique prefix ${run.config.unique_prefix ? "on" : "off"}` : ""} · source{" "}
              {run.metadata?.source ?? "manual"}
              {run.completed_at ? ` · finished ${fmtRelative(run.completed_at)}` : ""} · {summary.measuredRuns} measured run
              {summary.measuredRuns === 1 ? "" : "s"}, {summary.failures} failed
            </p>
            <div class="btn-row">
              {run.job_id && (
                <a class="btn btn-ghost btn-sm" href={`/benchmark/?job=${encodeURIComponent(run.job_id)}`}>
                  Open in Benchmark
                </a>
              )}
              {run.results.length > 0 && (
                <button
                  type="button"
                  class="btn btn-ghost btn-sm"
                  onClick$={() => downloadText(resultsFilename(run.id, new Date(run.timestamp)), resultsToCsv(run.results))}
                >
                  Export CSV
                </button>
              )}
              {!active && <ShareButton resourceType="benchmark_run" resourceId={id} what="this benchmark run" testId={`history-share-${id}`} />}
            </div>
          </div>
          <ParamAdjustmentsNote models={run.config?.param_adjustments} testId={`history-params-${id}`} />
          <RunFailures results={run.results} runId={id} />
          {run.aggregates.length > 0 || run.results.some((r) => r.type === "skipped") ? (
            <div class="card card-flush">
              <AggregatesTable
                aggregates={run.aggregates}
                results={run.results}
                caption={`Per-model results of the run from ${fmtDateTime(run.timestamp)}`}
              />
            </div>
          ) : (
            <p class="muted">{active ? "No results yet — the run is still in progress." : "This run has no results."}</p>
          )}
        </div>
      )}
    </li>
  );
});
