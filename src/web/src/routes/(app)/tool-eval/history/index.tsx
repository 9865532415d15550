// /tool-eval/history/: stored eval runs — search, open (summary, cases, drill-down, export), delete, load more.
// What it shows is in the address (`lib/view-url.ts`): `?run=<id>` (repeated) opens runs (the jobs bell links here
// once an eval finished), `?case=` a case's drill-down (in its run, opened with it); unknown ids are reported.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, Link } from "@builder.io/qwik-city";
import { ExportButton } from "~/components/analytics/export-button";
import { ErrorBanner } from "~/components/error-banner";
import { LoadMoreButton, SearchBox } from "~/components/history/list-controls";
import { NotFoundNotice } from "~/components/history/not-found-notice";
import { EvalHistoryRow } from "~/components/tool-eval/eval-history-row";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import type { EvalRun, EvalRunDetail } from "~/lib/eval-types";
import { matchesTerms } from "~/lib/history-utils";
import { ApiError } from "~/lib/http";
import { useAppLocation, useAppNavigate } from "~/lib/router-context";
import { showToast, toastError } from "~/lib/toast";
import { followRunEvents, scrollToRow, useRunList } from "~/lib/use-run-list";
import { currentSearch, replaceView } from "~/lib/view-nav";
import { readCaseRef, readHistoryView, withCase, withHistoryView } from "~/lib/view-url";

const PAGE_SIZE = 50;

/** Every whitespace-separated term must appear in the suite name, a model id/name, the scorer or the status. */
function evalMatches(run: EvalRun, query: string): boolean {
  const models = [...run.models.map((m) => `${m.provider_key} ${m.model_id}`), ...run.summary.map((s) => s.model_name)];
  return matchesTerms([run.suite_name, run.scorer, run.status, ...models], query);
}

/** Counts `applyUrl` calls: a slow one (it reads runs) must not undo what a newer address shows. An object: the
 * optimizer moves each `$` closure into a module of its own, which may change a property but not a binding. */
const applyTurn = { count: 0 };

const here = () => `${location.pathname}${location.search}`;

export default component$(() => {
  const loc = useAppLocation();
  const nav = useAppNavigate();
  const { runs, list, merge, loadPage } = useRunList<EvalRun>("/api/tool-eval/history", PAGE_SIZE);
  const details = useSignal<Record<string, EvalRunDetail>>({});
  const state = useStore({
    search: "",
    expanded: [] as string[],
    busy: "",
    highlighted: "",
    /** Ids in the address that the API does not know (or not for this account). */
    missing: [] as string[],
    /** The query last shown: the router also wakes the page without a new one (its first navigation). */
    applied: null as string | null,
  });

  /** Reads one run with its results; the list entry is refreshed from it too. "missing": the API does not know it. */
  const loadDetail = $(async (id: string): Promise<"ok" | "missing" | "failed"> => {
    try {
      const run = await api.get<EvalRunDetail>(`/api/tool-eval/history/${encodeURIComponent(id)}`);
      details.value = { ...details.value, [id]: run };
      const { results: _, ...listed } = run;
      await merge([listed], "start");
      return "ok";
    } catch (err) {
      return err instanceof ApiError && (err.status === 404 || err.status === 400) ? "missing" : "failed";
    }
  });

  /** Shows what the address says: the opened runs (and the run of an opened case), read with their results. */
  const applyUrl = $(async () => {
    const search = currentSearch(loc);
    if (search.toString() === state.applied) return;
    state.applied = search.toString();
    const turn = ++applyTurn.count;
    const caseRun = readCaseRef(search)?.evalId;
    const wanted = [...new Set([...readHistoryView(search).expanded, ...(caseRun ? [caseRun] : [])])];
    const unread = wanted.filter((id) => !details.value[id]);
    const outcomes = await Promise.all(unread.map((id) => loadDetail(id)));
    if (turn !== applyTurn.count) return; // a newer address is being shown
    const missing = unread.filter((_, i) => outcomes[i] === "missing");
    if (outcomes.includes("failed")) showToast("error", "Could not load an evaluation from this address. Try reloading.");
    const shown = wanted.filter((id) => details.value[id]);
    const opened = shown.filter((id) => !state.expanded.includes(id));
    state.expanded = shown;
    state.missing = missing;
    // Opened by the address (a link from the jobs bell, a bookmark): bring the first one into view.
    if (opened.length) {
      state.highlighted = opened[0]!;
      scrollToRow(`eval-${opened[0]}`);
    }
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
      if (!loading) void applyUrl();
    },
    { strategy: "document-ready" },
  );

  /** Opening or closing a run is a change in place (no history entry); the address keeps it for reloads. */
  const toggle = $(async (id: string) => {
    const closing = state.expanded.includes(id);
    state.expanded = closing ? state.expanded.filter((x) => x !== id) : [...state.expanded, id];
    let next = withHistoryView(here(), { expanded: state.expanded });
    if (closing && readCaseRef(currentSearch(loc))?.evalId === id) next = withCase(next, null);
    await replaceView(nav, next); // the address change reads the run (applyUrl)
  });

  const dismissMissing = $(async () => {
    const gone = state.missing;
    state.missing = [];
    let next = withHistoryView(here(), { expanded: readHistoryView(currentSearch(loc)).expanded.filter((id) => !gone.includes(id)) });
    const caseRun = readCaseRef(currentSearch(loc))?.evalId;
    if (caseRun && gone.includes(caseRun)) next = withCase(next, null);
    await replaceView(nav, next);
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
      if (state.expanded.includes(id)) {
        state.expanded = state.expanded.filter((x) => x !== id);
        let next = withHistoryView(here(), { expanded: state.expanded });
        if (readCaseRef(currentSearch(loc))?.evalId === id) next = withCase(next, null);
        await replaceView(nav, next);
      }
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
        <div class="btn-row">
          <span class="muted small" aria-live="polite">
            {visible.length} of {all.length} runs
          </span>
          <ExportButton
            path="/api/export/tool-eval?period=all"
            filename="tool_eval_history.csv"
            label="Export summaries CSV"
            title="Every eval run's per-model summary (tool, parameter and overall accuracy, cases) as CSV"
            testId="eval-history-export"
          />
        </div>
      </div>

      {state.missing.length > 0 && (
        <NotFoundNotice what="evaluation" ids={state.missing} testId="eval-history-not-found" onDismiss$={dismissMissing} />
      )}

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
