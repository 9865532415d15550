// /tool-eval/history/: stored eval runs — search, open (summary, cases, drill-down, export), delete, load more;
// ?run=<id> opens one (the jobs bell links here once an eval finished).
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { Link, useLocation, type DocumentHead } from "@builder.io/qwik-city";
import { ErrorBanner } from "~/components/error-banner";
import { EvalHistoryRow } from "~/components/tool-eval/eval-history-row";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import type { EvalRun, EvalRunDetail } from "~/lib/eval-types";
import { onLiveEvent } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";

const PAGE_SIZE = 50;

/** Every whitespace-separated term must appear in the suite name, a model id/name, the scorer or the status. */
function evalMatches(run: EvalRun, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return true;
  const text = [run.suite_name, run.scorer, run.status, ...run.models.map((m) => `${m.provider_key} ${m.model_id}`), ...run.summary.map((s) => s.model_name)]
    .join(" ")
    .toLowerCase();
  return terms.every((t) => text.includes(t));
}

export default component$(() => {
  const loc = useLocation();
  const runs = useSignal<EvalRun[]>([]);
  const details = useSignal<Record<string, EvalRunDetail>>({});
  const state = useStore({
    loading: true,
    loadingMore: false,
    error: "",
    hasMore: false,
    search: "",
    expanded: [] as string[],
    busy: "",
    highlighted: "",
  });

  const loadPage = $(async (more: boolean) => {
    if (more) state.loadingMore = true;
    try {
      const offset = more ? runs.value.length : 0;
      const res = await api.get<{ runs: EvalRun[] }>(`/api/tool-eval/history?limit=${PAGE_SIZE}&offset=${offset}`);
      const known = new Set(runs.value.map((r) => r.id));
      runs.value = more ? [...runs.value, ...res.runs.filter((r) => !known.has(r.id))] : res.runs;
      state.hasMore = res.runs.length === PAGE_SIZE;
      state.error = "";
    } catch (err) {
      if (more) toastError(err);
      else state.error = describeError(err).message;
    } finally {
      state.loading = false;
      state.loadingMore = false;
    }
  });

  /** Reads one run with its results; the list entry is refreshed from it too. */
  const loadDetail = $(async (id: string) => {
    try {
      const run = await api.get<EvalRunDetail>(`/api/tool-eval/history/${encodeURIComponent(id)}`);
      details.value = { ...details.value, [id]: run };
      const { results: _, ...listed } = run;
      runs.value = runs.value.some((r) => r.id === id) ? runs.value.map((r) => (r.id === id ? listed : r)) : [listed, ...runs.value];
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
    requestAnimationFrame(() => document.getElementById(`eval-${id}`)?.scrollIntoView({ behavior: "smooth", block: "start" }));
  });

  useVisibleTask$(
    async ({ cleanup }) => {
      // New evals appear at the top; finished ones refresh.
      cleanup(
        onLiveEvent("tool_eval_init", (e) => {
          const id = (e.data as { eval_id?: string } | undefined)?.eval_id;
          if (id) void loadDetail(id);
        }),
      );
      for (const type of ["job_completed", "job_failed", "job_cancelled"]) {
        cleanup(
          onLiveEvent(type, (e) => {
            const run = runs.value.find((r) => r.job_id === e.job_id);
            if (run) setTimeout(() => void loadDetail(run.id), 300);
          }),
        );
      }
      await loadPage(false);
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      const loading = track(() => state.loading);
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
        <div class="search-box">
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d="m20 20-4.5-4.5M17 10.5a6.5 6.5 0 1 1-13 0 6.5 6.5 0 0 1 13 0Z" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
          <input
            type="search"
            placeholder="Filter by suite, model or scorer…"
            aria-label="Filter evaluations by suite, model or scorer"
            value={state.search}
            data-testid="eval-history-search"
            onInput$={(_, el) => (state.search = el.value)}
          />
        </div>
        <span class="muted small" aria-live="polite">
          {visible.length} of {all.length} runs
        </span>
      </div>

      {state.error && (
        <ErrorBanner message={state.error} onAction$={() => loadPage(false)} />
      )}

      {state.loading ? (
        <div class="card">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
            <span class="skeleton-card" />
          </div>
        </div>
      ) : all.length === 0 && !state.error ? (
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
          {state.hasMore && (
            <div class="load-more">
              <button type="button" class="btn btn-ghost" data-testid="eval-history-load-more" disabled={state.loadingMore} onClick$={() => loadPage(true)}>
                {state.loadingMore ? "Loading…" : "Load more"}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "History · Tool Eval" };
