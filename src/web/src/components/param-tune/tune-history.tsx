// Past parameter tunes (GET /api/tool-eval/param-tune/history): open one (its stored answer, the same view as a live
// run), apply its best config to Evaluate, delete it (with the confirm dialog). Refreshes when a tune ends.
import { $, component$, type PropFunction, useVisibleTask$ } from "@builder.io/qwik";
import { onLiveEvent } from "~/lib/event-bus";
import { answerRows, type TuneRun, type TuneRunDetail } from "~/lib/param-tune-types";
import { showToast } from "~/lib/toast";
import { isActiveRun, useHistoryList } from "~/lib/use-history-list";
import { HistoryCard, type HistoryKind, HistoryRow } from "../history/history-list";
import { bestCallOf, TuneRunView } from "./tune-run-view";

const KIND: HistoryKind = { name: "tune-history", title: "Past tunes", empty: "No tunes yet.", noun: "tune", summaryClass: "tune-history-summary" };

function configText(config: Record<string, unknown> | null): string {
  return config
    ? Object.entries(config)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(" · ") || "provider defaults"
    : "—";
}

export const TuneHistory = component$<{ modelNames: Record<string, string>; onApply$: PropFunction<(call: Record<string, unknown>) => void> }>(
  (props) => {
    const list = useHistoryList<TuneRun, TuneRunDetail>({
      path: "/api/tool-eval/param-tune/history",
      confirm$: $((run: TuneRun) => ({
        title: "Delete this tune?",
        message: `The ${run.suite_name} tune from ${new Date(run.timestamp).toLocaleString()} and all of its trials are deleted permanently.`,
        confirmLabel: "Delete tune",
      })),
      deleted: "Tune deleted.",
    });
    const { runs, details, load, readDetail, reload } = list;

    useVisibleTask$(
      ({ cleanup }) => {
        cleanup(onLiveEvent("tune_start", () => void load()));
        // tune_complete comes just before the job's own end: its final status arrives with the job event.
        for (const type of ["job_completed", "job_failed", "job_cancelled"] as const) {
          cleanup(
            onLiveEvent(type, (e) => {
              if (runs.value.some((r) => r.job_id === e.job_id)) void load();
            }),
          );
        }
        cleanup(onLiveEvent("tune_complete", (e) => void reload(e.tune_id)));
      },
      { strategy: "document-ready" },
    );

    /** The best combo's call as it ran (resolved), read from the stored answer. */
    const apply = $(async (id: string) => {
      const d = details.value[id] ?? (await readDetail(id));
      if (!d) return;
      const best = d.answer.targets.find((t) => t.model_id === d.answer.best_model_id && t.provider_key === d.answer.best_provider_key);
      const call = best ? bestCallOf(best) : d.best_config;
      if (!call) {
        showToast("error", "This tune has no single best config to apply.");
        return;
      }
      await props.onApply$(call);
    });

    return (
      <HistoryCard list={list} kind={KIND}>
        {runs.value.map((run) => (
          <HistoryRow
            key={run.id}
            list={list}
            kind={KIND}
            run={run}
            when={new Date(run.timestamp).toLocaleString()}
            line={
              <span class="muted small">
                {run.strategy} · seed {run.seed} · {run.total_combos} combos · {run.planned_trials} planned calls
                {run.repeats > 1 && ` · ${run.repeats} repeats`}
              </span>
            }
            actions={
              run.best_config && (
                <button type="button" class="btn btn-sm" data-testid={`tune-history-apply-${run.id}`} onClick$={() => apply(run.id)}>
                  Apply best config
                </button>
              )
            }
            view={(detail) => (
              <TuneRunView
                tuneId={run.id}
                rows={answerRows(detail.answer)}
                answer={detail.answer}
                final={!isActiveRun(run.status)}
                current={null}
                modelNames={props.modelNames}
                onApply$={props.onApply$}
              />
            )}
          >
            <p class="history-prompt text-strong">
              {run.suite_name}
              <span class="muted small">
                {" "}
                · {run.models.map((m) => props.modelNames[`${m.provider_key}::${m.model_id}`] ?? m.model_id).join(", ")}
              </span>
            </p>
            <p class="small">
              Best:{" "}
              <span class="mono" data-testid={`tune-history-best-${run.id}`}>
                {configText(run.best_config)}
              </span>
              {run.best_score !== null && <span class="muted"> · {(run.best_score * 100).toFixed(1)}%</span>}
            </p>
          </HistoryRow>
        ))}
      </HistoryCard>
    );
  },
);
