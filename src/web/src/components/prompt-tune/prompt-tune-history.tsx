// Past prompt tunes (GET /api/tool-eval/prompt-tune/history): open one (its stored answer, the same view as a live
// run), apply its best prompt to Evaluate, delete it (with the confirm dialog). Refreshes when a tune starts or ends.
import { $, component$, type PropFunction, useVisibleTask$ } from "@builder.io/qwik";
import { onLiveEvent } from "~/lib/event-bus";
import type { PromptTuneRun, PromptTuneRunDetail } from "~/lib/prompt-tune-types";
import { showToast } from "~/lib/toast";
import { isActiveRun, useHistoryList } from "~/lib/use-history-list";
import { HistoryCard, type HistoryKind, HistoryRow } from "../history/history-list";
import { pct } from "./best-prompt-card";
import { PromptTuneRunView } from "./prompt-tune-run-view";

const KIND: HistoryKind = {
  name: "pt-history",
  title: "Past prompt tunes",
  empty: "No prompt tunes yet.",
  noun: "tune",
  summaryClass: "pt-history-summary",
};

export interface PromptTuneHistoryProps {
  modelNames: Record<string, string>;
  onApply$: PropFunction<(prompt: string) => void>;
  /** Changes when the page's own tune got its final answer: the list is read again (its status and best prompt). */
  refreshKey: string;
}

export const PromptTuneHistory = component$<PromptTuneHistoryProps>((props) => {
  const list = useHistoryList<PromptTuneRun, PromptTuneRunDetail>({
    path: "/api/tool-eval/prompt-tune/history",
    confirm$: $((run: PromptTuneRun) => ({
      title: "Delete this prompt tune?",
      message: `The ${run.suite_name} tune from ${new Date(run.timestamp).toLocaleString()}, its prompts and trials are deleted permanently.`,
      confirmLabel: "Delete tune",
    })),
    deleted: "Prompt tune deleted.",
    // Its failures show in the list's own error line (pt-history-error), not as toasts.
    inlineErrors: true,
  });
  const { runs, load, reload } = list;

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onLiveEvent("tune_start", (e) => e.tuner === "prompt" && void load()));
      cleanup(onLiveEvent("tune_complete", (e) => e.tuner === "prompt" && void reload(e.tune_id)));
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      if (track(() => props.refreshKey)) void load();
    },
    { strategy: "document-ready" },
  );

  const apply = $(async (run: PromptTuneRun) => {
    if (!run.best_prompt) {
      showToast("error", "This tune has no single best prompt to apply; open it and pick one.");
      return;
    }
    await props.onApply$(run.best_prompt);
  });

  const name = (m: { provider_key: string; model_id: string }) => props.modelNames[`${m.provider_key}::${m.model_id}`] ?? m.model_id;

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
              {run.mode} · {run.total_prompts} prompts · written by {name(run.meta_model)}
              {run.duration_s !== null && ` · ${Math.round(run.duration_s)} s`}
            </span>
          }
          actions={
            run.best_prompt && (
              <button type="button" class="btn btn-sm" data-testid={`pt-history-apply-${run.id}`} onClick$={() => apply(run)}>
                Apply best prompt
              </button>
            )
          }
          view={(detail) => (
            <PromptTuneRunView
              tuneId={run.id}
              items={[]}
              answer={detail.answer}
              final={!isActiveRun(run.status)}
              running={false}
              mode={detail.config.mode ?? null}
              generations={detail.config.generations ?? detail.answer.generations.length}
              targets={detail.models}
              basePrompt={detail.base_prompt}
              modelNames={props.modelNames}
              onApply$={props.onApply$}
              testId={`pt-history-best-prompt-${run.id}`}
            />
          )}
        >
          <p class="history-prompt text-strong">
            {run.suite_name}
            <span class="muted small"> · {run.models.map(name).join(", ")}</span>
          </p>
          <p class="small pt-history-best" data-testid={`pt-history-best-${run.id}`}>
            Best: {run.best_prompt ? <span class="muted">{run.best_prompt.slice(0, 140)}</span> : <span class="muted">no single best</span>}
            {run.best_score !== null && <span class="muted"> · {pct(run.best_score)}</span>}
          </p>
        </HistoryRow>
      ))}
    </HistoryCard>
  );
});
