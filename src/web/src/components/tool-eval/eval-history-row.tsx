// One stored eval run in Tool Eval History: date, status, suite, model badges with their overall %, the run's
// overall score, actions; opened, it shows the same results view as Evaluate.
import { $, component$, type PropFunction } from "@builder.io/qwik";
import { fmtPct, fmtRelative } from "~/lib/bench-format";
import { passBadge, passText } from "~/lib/eval-tone";
import type { EvalRun, EvalRunDetail } from "~/lib/eval-types";
import { Badge } from "../badge";
import { ExpandToggle, RunStamp } from "../history/run-head";
import { EvalRunView } from "./eval-run-view";

/** Mean of the models' overall % (the original's run-level score), or null when nothing was scored. */
export function runScore(run: EvalRun): number | null {
  const xs = run.summary.map((s) => s.overall_pct).filter((x): x is number => x !== null);
  return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null;
}

export interface EvalHistoryRowProps {
  run: EvalRun;
  detail: EvalRunDetail | null;
  expanded: boolean;
  highlighted: boolean;
  busy: boolean;
  onToggle$: PropFunction<(id: string) => void>;
  onDelete$: PropFunction<(id: string) => Promise<void>>;
}

export const EvalHistoryRow = component$<EvalHistoryRowProps>((props) => {
  const run = props.run;
  const id = run.id;
  const score = runScore(run);
  const passed = run.summary.reduce((n, s) => n + s.cases_passed, 0);
  const cases = run.summary.reduce((n, s) => n + s.cases, 0);
  const active = run.status === "running" || run.status === "pending" || run.status === "queued";
  const byModel = new Map(run.summary.map((s) => [`${s.provider_key}::${s.model_id}`, s]));
  const panelId = `eval-panel-${id}`;

  return (
    <li
      id={`eval-${id}`}
      class={`history-row${props.expanded ? " is-expanded" : ""}${props.highlighted ? " is-highlighted" : ""}`}
      data-testid={`eval-history-row-${id}`}
    >
      <div class="history-summary te-history-summary">
        <ExpandToggle
          expanded={props.expanded}
          controls={panelId}
          testId={`eval-history-open-${id}`}
          what="run"
          onToggle$={$(() => props.onToggle$(id))}
        />

        <div class="history-main">
          <div class="history-line">
            <RunStamp timestamp={run.timestamp} status={run.status} statusTestId={`eval-history-status-${id}`} />
            <span class="muted small">
              {run.scorer} · tool choice {run.tool_choice} · temperature {run.temperature ?? "—"}
            </span>
          </div>
          <p class="history-prompt text-strong" data-testid={`eval-history-suite-${id}`}>
            {run.suite_name}
            <span class="muted small">
              {" "}
              · {run.config.tool_count ?? "?"} tools · {run.config.case_count ?? "?"} cases
            </span>
          </p>
          <ul class="history-models" aria-label="Models and their overall score">
            {run.models.map((m) => {
              const s = byModel.get(`${m.provider_key}::${m.model_id}`);
              return (
                <li key={`${m.provider_key}:${m.model_id}`} class="chip chip-static" title={`${m.provider_key} · ${m.model_id}`}>
                  {s?.model_name ?? m.model_id}
                  {s && (
                    <span class={`te-chip-score mono ${passText(s.cases_passed, s.cases)}`} title={`${s.cases_passed}/${s.cases} cases passed`}>
                      {" "}
                      {fmtPct(s.overall_pct, 0)}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>

        <div class="history-best">
          {score !== null ? (
            <>
              <span class="history-best-value" data-testid={`eval-history-score-${id}`}>
                <Badge tone={passBadge(passed, cases)}>{fmtPct(score)}</Badge>
              </span>
              <span class="muted small">
                overall · {passed}/{cases} passed
              </span>
            </>
          ) : (
            <span class="muted small">{active ? "in progress…" : "—"}</span>
          )}
        </div>

        <div class="history-actions">
          {active && run.job_id && (
            <a class="btn btn-ghost btn-sm" href={`/tool-eval/evaluate/?job=${encodeURIComponent(run.job_id)}`}>
              Live view
            </a>
          )}
          {run.status === "completed" && (
            <a class="btn btn-ghost btn-sm" data-testid={`eval-history-judge-${id}`} href={`/tool-eval/judge/?eval=${encodeURIComponent(id)}`}>
              Judge this run
            </a>
          )}
          <button
            type="button"
            class="btn btn-danger-ghost btn-sm"
            data-testid={`eval-history-delete-${id}`}
            disabled={props.busy || active}
            title={active ? "Cancel the running evaluation before deleting it" : undefined}
            onClick$={() => props.onDelete$(id)}
          >
            {props.busy ? "Deleting…" : "Delete"}
          </button>
        </div>
      </div>

      {props.expanded && (
        <div class="history-detail" id={panelId}>
          {props.detail ? (
            <>
              <p class="muted small">
                {props.detail.results.length} case results
                {run.completed_at ? ` · finished ${fmtRelative(run.completed_at)}` : ""}
              </p>
              <EvalRunView
                evalId={id}
                results={props.detail.results}
                summary={props.detail.summary}
                mode="final"
                paramAdjustments={props.detail.config.param_adjustments}
              />
            </>
          ) : (
            <div class="skeleton-list" aria-hidden="true">
              <span class="skeleton-card" />
            </div>
          )}
        </div>
      )}
    </li>
  );
});
