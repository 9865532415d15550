// /tool-eval/history/: stored eval runs — search, open (summary, cases, drill-down, export), delete, load more;
// ?run=<id> opens one (the jobs bell links here once an eval finished).
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, Link, useLocation } from "@builder.io/qwik-city";
import { ErrorBanner } from "~/components/error-banner";
import { LoadMoreButton, SearchBox } from "~/components/history/list-controls";
import { EvalHistoryRow } from "~/components/tool-eval/eval-history-row";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import type { EvalRun, EvalRunDetail } from "~/lib/eval-types";
import { matchesTerms } from "~/lib/history-utils";
import { showToast, toastError } from "~/lib/toast";
import { followRunEvents, scrollToRow, useRunList } from "~/lib/use-run-list";

const PAGE_SIZE = 50;

/** Every whitespace-separated term must appear in the suite name, a model id/name, the scorer or the status. */
function evalMatches(run: EvalRun, query: string): boolean {
  const models = [...run.models.map((m) => `${m.provider_key} ${m.model_id}`), ...run.summary.map((s) => s.model_name)];
  return matchesTerms([run.suite_name, run.scorer, run.status, ...models], query);
}

export default component$(() => {
  const loc = useLocation();
  const { runs, list, merge, loadPage } = useRunList<EvalRun>("/api/tool-eval/history", PAGE_SIZE);
  const details = useSignal<Record<string, EvalRunDetail>>({});
  const state = useStore({
    search: "",
    expanded: [] as string[],
    busy: "",
    highlighted: "",
  });

  /** Reads one run with its results; the list entry is refreshed from it too. */
  const loadDetail = $(async (id: string) => {
    try {
      const run = await api.get<EvalRunDetail>(`/api/tool-eval/history/${encodeURIComponent(id)}`);
      details.value = { ...details.value, [id]: run };
      const { results: _, ...listed } = run;
      await merge([listed], "start");
      return true;
    } catch {
      return false;
    }
  });

  const openFromUrl = $(async () => {
    const id = new URL(location.href).searchParams.get("run");
    if (!id) return;
    if (!(await loadDetail(id))) {
      showToast("error", "That evaluation no longer exists.");
      return;
    }
    if (!state.expanded.includes(id)) state.expanded = [...state.expanded, id];
    state.highlighted = id;
    scrollToRow(`eval-${id}`);
  });

  useVisibleTask$(
    async ({ cleanup }) => {
      // New evals appear at the top; finished ones refresh.
      cleanup(
        followRunEvents(
          "tool_eval_init",
          () => runs.value,
          (id) => void loadDetail(id),
        ),
      );
      await loadPage(false);
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      const loading = track(() => list.loading);
      if (!loading) void openFromUrl();
    },
    { strategy: "document-ready" },
  );

  const toggle = $(async (id: string) => {
    if (state.expanded.includes(id)) {
      state.expanded = state.expanded.filter((x) => x !== id);
      return;
    }
    state.expanded = [...state.expanded, id];
    if (!details.value[id] && !(await loadDetail(id))) showToast("error", "Could not load that evaluation.");
  });

  const remove = $(async (id: string) => {
    const run = runs.value.find((r) => r.id === id);
    if (!run) return;
    const ok = await confirmAction({
      title: "Delete this evaluation?",
      message: `The ${run.suite_name} run from ${new Date(run.timestamp).toLocaleString()} and all of its case results are deleted permanently.`,
      confirmLabel: "Delete run",
    });
    if (!ok) return;
    state.busy = id;
    try {
      await api.del(`/api/tool-eval/history/${encodeURIComponent(id)}`);
      runs.value = runs.value.filter((r) => r.id !== id);
      state.expanded = state.expanded.filter((x) => x !== id);
      showToast("success", "Evaluation deleted.");
    } catch (err) {
      toastError(err);
    } finally {
      state.busy = "";
    }
  });

  const all = runs.value;
  const visible = all.filter((r) => evalMatches(r, state.search));

  return (
    <section class="page history-page te-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Eval history</h1>
          <p class="page-lede">Every tool-calling evaluation you have run: reopen the scores and cases, export or clean up.</p>
        </div>
      </header>

      <div class="history-toolbar">
        <SearchBox
          value={state.search}
          placeholder="Filter by suite, model or scorer…"
          label="Filter evaluations by suite, model or scorer"
          testId="eval-history-search"
          onInput$={(value) => (state.search = value)}
        />
        <span class="muted small" aria-live="polite">
          {visible.length} of {all.length} runs
        </span>
      </div>

      {list.error && <ErrorBanner message={list.error} onAction$={() => loadPage(false)} />}

      {list.loading ? (
        <div class="card">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
            <span class="skeleton-card" />
          </div>
        </div>
      ) : all.length === 0 && !list.error ? (
        <div class="card empty-state" data-testid="eval-history-empty">
          <h2 class="card-title">No evaluations yet</h2>
          <p class="muted">Evaluations you run are stored here automatically.</p>
          <Link href="/tool-eval/evaluate/" class="btn btn-primary">
            Run an evaluation
          </Link>
        </div>
      ) : (
        <>
          {visible.length === 0 && <p class="muted history-no-match">No evaluations match “{state.search}”.</p>}
          <ul class="history-list" aria-label="Evaluation runs">
            {visible.map((run) => (
              <EvalHistoryRow
                key={run.id}
                run={run}
                detail={details.value[run.id] ?? null}
                expanded={state.expanded.includes(run.id)}
                highlighted={state.highlighted === run.id}
                busy={state.busy === run.id}
                onToggle$={toggle}
                onDelete$={remove}
              />
            ))}
          </ul>
          {list.hasMore && <LoadMoreButton loading={list.loadingMore} testId="eval-history-load-more" onClick$={() => loadPage(true)} />}
        </>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "History · Tool Eval" };
