// Past parameter tunes (GET /api/tool-eval/param-tune/history): open one (its stored answer, the same view as a live
// run), apply its best config to Evaluate, delete it (with the confirm dialog). Refreshes when a tune ends.
import { $, component$, type PropFunction, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import { onLiveEvent } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { answerRows, type TuneRun, type TuneRunDetail } from "~/lib/param-tune-types";
import { showToast, toastError } from "~/lib/toast";
import { Badge } from "../badge";
import { bestCallOf, TuneRunView } from "./tune-run-view";

const ACTIVE = ["pending", "queued", "running"];

function configText(config: Record<string, unknown> | null): string {
  return config
    ? Object.entries(config)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(" · ") || "provider defaults"
    : "—";
}

export const TuneHistory = component$<{ modelNames: Record<string, string>; onApply$: PropFunction<(call: Record<string, unknown>) => void> }>(
  (props) => {
    const runs = useSignal<TuneRun[]>([]);
    const details = useSignal<Record<string, TuneRunDetail>>({});
    const state = useStore({ loading: true, error: "", open: "", busy: "" });

    const load = $(async () => {
      try {
        runs.value = (await api.get<{ runs: TuneRun[] }>("/api/tool-eval/param-tune/history?limit=50")).runs;
        state.error = "";
      } catch (err) {
        state.error = describeError(err).message;
      } finally {
        state.loading = false;
      }
    });

    const readDetail = $(async (id: string): Promise<TuneRunDetail | null> => {
      try {
        const d = await api.get<TuneRunDetail>(`/api/tool-eval/param-tune/history/${encodeURIComponent(id)}`);
        details.value = { ...details.value, [id]: d };
        return d;
      } catch (err) {
        toastError(err);
        return null;
      }
    });

    useVisibleTask$(
      ({ cleanup }) => {
        void load();
        cleanup(onLiveEvent("tune_start", () => void load()));
        // tune_complete comes just before the job's own end: its final status arrives with the job event.
        for (const type of ["job_completed", "job_failed", "job_cancelled"] as const) {
          cleanup(
            onLiveEvent(type, (e) => {
              if (runs.value.some((r) => r.job_id === e.job_id)) void load();
            }),
          );
        }
        cleanup(
          onLiveEvent("tune_complete", (e) => {
            const { [e.tune_id]: _, ...rest } = details.value;
            details.value = rest;
            void load().then(() => {
              if (state.open === e.tune_id) void readDetail(e.tune_id);
            });
          }),
        );
      },
      // The list is below the fold: load it with the page, not when it scrolls into view.
      { strategy: "document-ready" },
    );

    const toggle = $(async (id: string) => {
      if (state.open === id) {
        state.open = "";
        return;
      }
      state.open = id;
      if (!details.value[id]) await readDetail(id);
    });

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

    const remove = $(async (id: string) => {
      const run = runs.value.find((r) => r.id === id);
      if (!run) return;
      const ok = await confirmAction({
        title: "Delete this tune?",
        message: `The ${run.suite_name} tune from ${new Date(run.timestamp).toLocaleString()} and all of its trials are deleted permanently.`,
        confirmLabel: "Delete tune",
      });
      if (!ok) return;
      state.busy = id;
      try {
        await api.del(`/api/tool-eval/param-tune/history/${encodeURIComponent(id)}`);
        runs.value = runs.value.filter((r) => r.id !== id);
        if (state.open === id) state.open = "";
        showToast("success", "Tune deleted.");
      } catch (err) {
        toastError(err);
      } finally {
        state.busy = "";
      }
    });

    return (
      <section class="card tune-history" aria-labelledby="tune-history-heading" data-testid="tune-history">
        <div class="card-head">
          <h2 id="tune-history-heading" class="card-title">
            Past tunes
          </h2>
        </div>
        {state.error && (
          <p class="field-error" role="alert">
            {state.error}
          </p>
        )}
        {state.loading ? (
          <span class="skeleton-row" aria-hidden="true" />
        ) : runs.value.length === 0 ? (
          <p class="muted small" data-testid="tune-history-empty">
            No tunes yet.
          </p>
        ) : (
          <ul class="history-list">
            {runs.value.map((run) => {
              const open = state.open === run.id;
              const detail = details.value[run.id];
              const active = ACTIVE.includes(run.status);
              return (
                <li key={run.id} class={`history-row${open ? " is-expanded" : ""}`} data-testid={`tune-history-row-${run.id}`}>
                  <div class="history-summary tune-history-summary">
                    <button
                      type="button"
                      class="icon-btn"
                      aria-expanded={open}
                      aria-label={open ? "Close tune" : "Open tune"}
                      data-testid={`tune-history-open-${run.id}`}
                      onClick$={() => toggle(run.id)}
                    >
                      {open ? "▾" : "▸"}
                    </button>
                    <div class="history-main">
                      <div class="history-line">
                        <span class="muted small">{new Date(run.timestamp).toLocaleString()}</span>{" "}
                        <Badge tone={run.status === "completed" ? "teal" : active ? "blue" : "grey"} testId={`tune-history-status-${run.id}`}>
                          {run.status}
                        </Badge>{" "}
                        <span class="muted small">
                          {run.strategy} · seed {run.seed} · {run.total_combos} combos · {run.planned_trials} planned calls
                          {run.repeats > 1 && ` · ${run.repeats} repeats`}
                        </span>
                      </div>
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
                    </div>
                    <div class="history-actions">
                      {run.best_config && (
                        <button type="button" class="btn btn-sm" data-testid={`tune-history-apply-${run.id}`} onClick$={() => apply(run.id)}>
                          Apply best config
                        </button>
                      )}
                      <button
                        type="button"
                        class="btn btn-sm btn-danger-ghost"
                        data-testid={`tune-history-delete-${run.id}`}
                        disabled={state.busy === run.id || active}
                        title={active ? "Cancel the running tune before deleting it" : undefined}
                        onClick$={() => remove(run.id)}
                      >
                        Delete
                      </button>
                    </div>
                  </div>
                  {open &&
                    (detail ? (
                      <TuneRunView
                        tuneId={run.id}
                        rows={answerRows(detail.answer)}
                        answer={detail.answer}
                        final={!active}
                        current={null}
                        modelNames={props.modelNames}
                        onApply$={props.onApply$}
                      />
                    ) : (
                      <span class="skeleton-row" aria-hidden="true" />
                    ))}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    );
  },
);
