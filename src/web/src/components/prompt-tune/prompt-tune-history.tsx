// Past prompt tunes (GET /api/tool-eval/prompt-tune/history): open one (its stored answer, the same view as a live
// run), apply its best prompt to Evaluate, delete it (with the confirm dialog). Refreshes when a tune starts or ends.
import { $, component$, type PropFunction, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import { onLiveEvent } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import type { PromptTuneRun, PromptTuneRunDetail } from "~/lib/prompt-tune-types";
import { showToast } from "~/lib/toast";
import { Badge } from "../badge";
import { pct } from "./best-prompt-card";
import { PromptTuneRunView } from "./prompt-tune-run-view";

const ACTIVE = ["pending", "queued", "running"];

export interface PromptTuneHistoryProps {
  modelNames: Record<string, string>;
  onApply$: PropFunction<(prompt: string) => void>;
  /** Changes when the page's own tune got its final answer: the list is read again (its status and best prompt). */
  refreshKey: string;
}

export const PromptTuneHistory = component$<PromptTuneHistoryProps>((props) => {
  const runs = useSignal<PromptTuneRun[]>([]);
  const details = useSignal<Record<string, PromptTuneRunDetail>>({});
  const state = useStore({ loading: true, error: "", open: "", busy: "", rowError: "" });

  const load = $(async () => {
    try {
      runs.value = (await api.get<{ runs: PromptTuneRun[] }>("/api/tool-eval/prompt-tune/history?limit=50")).runs;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  const readDetail = $(async (id: string): Promise<PromptTuneRunDetail | null> => {
    try {
      const d = await api.get<PromptTuneRunDetail>(`/api/tool-eval/prompt-tune/history/${encodeURIComponent(id)}`);
      details.value = { ...details.value, [id]: d };
      state.rowError = "";
      return d;
    } catch (err) {
      state.rowError = describeError(err).message;
      return null;
    }
  });

  useVisibleTask$(
    ({ cleanup }) => {
      void load();
      cleanup(onLiveEvent("tune_start", (e) => e.tuner === "prompt" && void load()));
      cleanup(
        onLiveEvent("tune_complete", (e) => {
          if (e.tuner !== "prompt") return;
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

  useVisibleTask$(
    ({ track }) => {
      if (track(() => props.refreshKey)) void load();
    },
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

  const apply = $(async (run: PromptTuneRun) => {
    if (!run.best_prompt) {
      showToast("error", "This tune has no single best prompt to apply; open it and pick one.");
      return;
    }
    await props.onApply$(run.best_prompt);
  });

  const remove = $(async (id: string) => {
    const run = runs.value.find((r) => r.id === id);
    if (!run) return;
    const ok = await confirmAction({
      title: "Delete this prompt tune?",
      message: `The ${run.suite_name} tune from ${new Date(run.timestamp).toLocaleString()}, its prompts and trials are deleted permanently.`,
      confirmLabel: "Delete tune",
    });
    if (!ok) return;
    state.busy = id;
    try {
      await api.del(`/api/tool-eval/prompt-tune/history/${encodeURIComponent(id)}`);
      runs.value = runs.value.filter((r) => r.id !== id);
      if (state.open === id) state.open = "";
      state.rowError = "";
      showToast("success", "Prompt tune deleted.");
    } catch (err) {
      state.rowError = describeError(err).message;
    } finally {
      state.busy = "";
    }
  });

  const name = (m: { provider_key: string; model_id: string }) => props.modelNames[`${m.provider_key}::${m.model_id}`] ?? m.model_id;

  return (
    <section class="card pt-history" aria-labelledby="pt-history-heading" data-testid="pt-history">
      <div class="card-head">
        <h2 id="pt-history-heading" class="card-title">
          Past prompt tunes
        </h2>
      </div>
      {(state.error || state.rowError) && (
        <p class="field-error" role="alert" data-testid="pt-history-error">
          {state.error || state.rowError}
        </p>
      )}
      {state.loading ? (
        <span class="skeleton-row" aria-hidden="true" />
      ) : runs.value.length === 0 ? (
        <p class="muted small" data-testid="pt-history-empty">
          No prompt tunes yet.
        </p>
      ) : (
        <ul class="history-list">
          {runs.value.map((run) => {
            const open = state.open === run.id;
            const detail = details.value[run.id];
            const active = ACTIVE.includes(run.status);
            return (
              <li key={run.id} class={`history-row${open ? " is-expanded" : ""}`} data-testid={`pt-history-row-${run.id}`}>
                <div class="history-summary pt-history-summary">
                  <button
                    type="button"
                    class="icon-btn"
                    aria-expanded={open}
                    aria-label={open ? "Close tune" : "Open tune"}
                    data-testid={`pt-history-open-${run.id}`}
                    onClick$={() => toggle(run.id)}
                  >
                    {open ? "▾" : "▸"}
                  </button>
                  <div class="history-main">
                    <div class="history-line">
                      <span class="muted small">{new Date(run.timestamp).toLocaleString()}</span>{" "}
                      <Badge tone={run.status === "completed" ? "teal" : active ? "blue" : "grey"} testId={`pt-history-status-${run.id}`}>
                        {run.status}
                      </Badge>{" "}
                      <span class="muted small">
                        {run.mode} · {run.total_prompts} prompts · written by {name(run.meta_model)}
                        {run.duration_s !== null && ` · ${Math.round(run.duration_s)} s`}
                      </span>
                    </div>
                    <p class="history-prompt text-strong">
                      {run.suite_name}
                      <span class="muted small"> · {run.models.map(name).join(", ")}</span>
                    </p>
                    <p class="small pt-history-best" data-testid={`pt-history-best-${run.id}`}>
                      Best: {run.best_prompt ? <span class="muted">{run.best_prompt.slice(0, 140)}</span> : <span class="muted">no single best</span>}
                      {run.best_score !== null && <span class="muted"> · {pct(run.best_score)}</span>}
                    </p>
                  </div>
                  <div class="history-actions">
                    {run.best_prompt && (
                      <button type="button" class="btn btn-sm" data-testid={`pt-history-apply-${run.id}`} onClick$={() => apply(run)}>
                        Apply best prompt
                      </button>
                    )}
                    <button
                      type="button"
                      class="btn btn-sm btn-danger-ghost"
                      data-testid={`pt-history-delete-${run.id}`}
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
                    <PromptTuneRunView
                      tuneId={run.id}
                      items={[]}
                      answer={detail.answer}
                      final={!active}
                      running={false}
                      mode={detail.config.mode ?? null}
                      generations={detail.config.generations ?? detail.answer.generations.length}
                      targets={detail.models}
                      basePrompt={detail.base_prompt}
                      modelNames={props.modelNames}
                      onApply$={props.onApply$}
                      testId={`pt-history-best-prompt-${run.id}`}
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
});
