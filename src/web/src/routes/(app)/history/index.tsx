// /history/: stored benchmark runs — search, expand, compare 2–4, re-run, delete, load more. What it shows is in the
// address (`lib/view-url.ts`): `?run=<id>` (repeated) expands runs, `?compare=a,b` opens the comparison, so Back,
// Forward, reload and bookmarks show the same; ids it cannot read are reported as not found.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, Link } from "@builder.io/qwik-city";
import { ExportButton } from "~/components/analytics/export-button";
import { ErrorBanner } from "~/components/error-banner";
import { CompareView } from "~/components/history/compare-view";
import { LoadMoreButton, SearchBox } from "~/components/history/list-controls";
import { NotFoundNotice } from "~/components/history/not-found-notice";
import { RunRow } from "~/components/history/run-row";
import { api } from "~/lib/api-client";
import { submitBenchmark } from "~/lib/bench-live";
import type { BenchmarkRun } from "~/lib/benchmark-types";
import { confirmAction } from "~/lib/confirm";
import { rerunRequest, runMatches, runTargets } from "~/lib/history-utils";
import { ApiError } from "~/lib/http";
import { useAppLocation, useAppNavigate } from "~/lib/router-context";
import { showToast, toastError } from "~/lib/toast";
import { followRunEvents, scrollToRow, useRunList } from "~/lib/use-run-list";
import { closeView, currentSearch, openView, replaceView } from "~/lib/view-nav";
import { MAX_COMPARE, readHistoryView, withHistoryView } from "~/lib/view-url";

const PAGE_SIZE = 20;

interface HistoryState {
  search: string;
  expanded: string[];
  selected: string[];
  comparing: boolean;
  busy: Record<string, string>;
  highlighted: string;
  /** Ids in the address that the API does not know (or not for this account). */
  missing: string[];
  /** The query last shown: the router also wakes the page without a new one (its first navigation). */
  applied: string | null;
}

/** Counts `applyUrl` calls: a slow one (it reads runs) must not undo what a newer address shows. An object: the
 * optimizer moves each `$` closure into a module of its own, which may change a property but not a binding. */
const applyTurn = { count: 0 };

const here = () => `${location.pathname}${location.search}`;

const scrollToCompare = () => requestAnimationFrame(() => document.getElementById("compare")?.scrollIntoView({ behavior: "smooth", block: "start" }));

export default component$(() => {
  const loc = useAppLocation();
  const nav = useAppNavigate();
  const { runs, list, merge, loadPage } = useRunList<BenchmarkRun>("/api/history", PAGE_SIZE);
  const state = useStore<HistoryState>({
    search: "",
    expanded: [],
    selected: [],
    comparing: false,
    busy: {},
    highlighted: "",
    missing: [],
    applied: null,
  });

  /** Reads one run again (or for the first time) into the list: "missing" when the API does not know it. */
  const refreshRun = $(async (runId: string, where: "start" | "end" = "start"): Promise<"ok" | "missing" | "failed"> => {
    try {
      const run = await api.get<BenchmarkRun>(`/api/history/${encodeURIComponent(runId)}`);
      await merge([run], where);
      return "ok";
    } catch (err) {
      return err instanceof ApiError && (err.status === 404 || err.status === 400) ? "missing" : "failed";
    }
  });

  /** Shows what the address says: expanded runs and the comparison, reading runs that are not on the loaded pages. */
  const applyUrl = $(async () => {
    const search = currentSearch(loc);
    if (search.toString() === state.applied) return;
    state.applied = search.toString();
    const turn = ++applyTurn.count;
    const view = readHistoryView(search);
    const wanted = [...new Set([...view.expanded, ...view.compare])];
    const missing: string[] = [];
    const unread = wanted.filter((id) => !runs.value.some((r) => r.id === id));
    const outcomes = await Promise.all(unread.map((id) => refreshRun(id)));
    if (turn !== applyTurn.count) return; // a newer address is being shown
    unread.forEach((id, i) => {
      if (outcomes[i] === "missing") missing.push(id);
      else if (outcomes[i] === "failed") showToast("error", "Could not load a run from this address. Try reloading.");
    });
    const known = (id: string) => runs.value.some((r) => r.id === id);
    const opened = view.expanded.filter(known).filter((id) => !state.expanded.includes(id));
    state.expanded = view.expanded.filter(known);
    state.missing = missing;
    const compared = view.compare.filter(known);
    if (compared.length >= 2) {
      const newlyShown = !state.comparing || compared.join() !== state.selected.join();
      state.selected = compared;
      state.comparing = true;
      if (newlyShown) scrollToCompare();
    } else {
      state.comparing = false;
    }
    // Opened by the address (a link from the jobs bell, a bookmark): bring the first one into view.
    if (opened.length && !state.comparing) {
      state.highlighted = opened[0]!;
      scrollToRow(`run-${opened[0]}`);
    }
  });

  useVisibleTask$(
    async ({ cleanup }) => {
      // New runs appear at the top; finished ones refresh their status and aggregates.
      cleanup(
        followRunEvents(
          "benchmark_init",
          () => runs.value,
          (id) => void refreshRun(id),
        ),
      );
      await loadPage(false);
    },
    { strategy: "document-ready" },
  );

  // After the first page, and whenever the address changes (a click here, Back/Forward, a link from the jobs bell).
  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      const loading = track(() => list.loading);
      if (!loading) void applyUrl();
    },
    { strategy: "document-ready" },
  );

  /** Expanding is a change in place (no history entry); the address keeps it for reloads and bookmarks. */
  const toggleExpand = $(async (id: string) => {
    state.expanded = state.expanded.includes(id) ? state.expanded.filter((x) => x !== id) : [...state.expanded, id];
    await replaceView(nav, withHistoryView(here(), { expanded: state.expanded }));
  });

  /** Opening the comparison is a new history entry: Back returns to the list. */
  const openCompare = $(async () => {
    state.comparing = true;
    scrollToCompare();
    await openView(nav, withHistoryView(here(), { compare: state.selected }));
  });

  const closeCompare = $(async () => {
    state.comparing = false;
    await closeView(nav, withHistoryView(here(), { compare: [] }));
  });

  /** While comparing, the comparison follows the selection (in place); below two runs it closes. */
  const selectionChanged = $(async () => {
    if (!state.comparing) return;
    if (state.selected.length >= 2) await replaceView(nav, withHistoryView(here(), { compare: state.selected }));
    else await closeCompare();
  });

  const toggleSelect = $(async (id: string) => {
    if (state.selected.includes(id)) state.selected = state.selected.filter((x) => x !== id);
    else if (state.selected.length < MAX_COMPARE) state.selected = [...state.selected, id];
    await selectionChanged();
  });

  const dismissMissing = $(async () => {
    const gone = state.missing;
    state.missing = [];
    const view = readHistoryView(currentSearch(loc));
    await replaceView(
      nav,
      withHistoryView(here(), {
        expanded: view.expanded.filter((id) => !gone.includes(id)),
        compare: view.compare.filter((id) => !gone.includes(id)),
      }),
    );
  });

  const rerun = $(async (id: string) => {
    const run = runs.value.find((r) => r.id === id);
    if (!run) return;
    state.busy = { ...state.busy, [id]: "rerun" };
    try {
      const res = await submitBenchmark(rerunRequest(run), runTargets(run));
      await nav(`/benchmark/?job=${encodeURIComponent(res.job_id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) showToast("error", err.message);
      else toastError(err);
    } finally {
      const { [id]: _, ...rest } = state.busy;
      state.busy = rest;
    }
  });

  const remove = $(async (id: string) => {
    const run = runs.value.find((r) => r.id === id);
    if (!run) return;
    const ok = await confirmAction({
      title: "Delete this run?",
      message: `The run from ${new Date(run.timestamp).toLocaleString()} and all of its results are deleted permanently.`,
      confirmLabel: "Delete run",
    });
    if (!ok) return;
    state.busy = { ...state.busy, [id]: "delete" };
    try {
      await api.del(`/api/history/${encodeURIComponent(id)}`);
      runs.value = runs.value.filter((r) => r.id !== id);
      const wasExpanded = state.expanded.includes(id);
      state.selected = state.selected.filter((x) => x !== id);
      state.expanded = state.expanded.filter((x) => x !== id);
      if (state.comparing) await selectionChanged();
      if (wasExpanded) await replaceView(nav, withHistoryView(here(), { expanded: state.expanded }));
      showToast("success", "Run deleted.");
    } catch (err) {
      toastError(err);
    } finally {
      const { [id]: _, ...rest } = state.busy;
      state.busy = rest;
    }
  });

  const all = runs.value;
  const visible = all.filter((r) => runMatches(r, state.search));
  const selectedRuns = state.selected.map((id) => all.find((r) => r.id === id)).filter((r): r is BenchmarkRun => Boolean(r));
  const selectedCount = selectedRuns.length;
  const canCompare = selectedCount >= 2 && selectedCount <= MAX_COMPARE;

  return (
    <section class="page history-page">
      <header class="page-header">
        <div>
          <h1>History</h1>
          <p class="page-lede">Every benchmark you have run: reopen results, compare runs side by side, re-run or clean up.</p>
        </div>
      </header>

      <div class="history-toolbar">
        <SearchBox
          value={state.search}
          placeholder="Filter by prompt or model…"
          label="Filter runs by prompt or model"
          testId="history-search"
          onInput$={(value) => (state.search = value)}
        />
        <div class="btn-row">
          <ExportButton
            path="/api/export/history"
            filename="benchmark_history.csv"
            label="Export history CSV"
            title="Every measured call of your benchmark runs (newest 10,000) as CSV"
            testId="history-export"
          />
          <span class="muted small" aria-live="polite">
            {selectedCount === 0 ? "Select 2–4 runs to compare" : `${selectedCount} selected${selectedCount >= MAX_COMPARE ? " (max)" : ""}`}
          </span>
          {selectedCount > 0 && (
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              onClick$={async () => {
                state.selected = [];
                if (state.comparing) await closeCompare();
              }}
            >
              Clear
            </button>
          )}
          <button
            type="button"
            class="btn btn-primary btn-sm"
            data-testid="history-compare"
            disabled={!canCompare}
            aria-pressed={state.comparing}
            onClick$={() => (state.comparing ? closeCompare() : openCompare())}
          >
            {state.comparing ? "Hide comparison" : `Compare${selectedCount >= 2 ? ` (${selectedCount})` : ""}`}
          </button>
        </div>
      </div>

      {state.missing.length > 0 && <NotFoundNotice what="run" ids={state.missing} testId="history-not-found" onDismiss$={dismissMissing} />}

      <div id="compare" class="compare-anchor">
        {state.comparing && canCompare && <CompareView runs={selectedRuns} onClose$={closeCompare} />}
      </div>

      {list.error && <ErrorBanner message={list.error} onAction$={() => loadPage(false)} />}

      {list.loading ? (
        <div class="card">
          <div class="skeleton-list" aria-hidden="true">
            <span class="skeleton-card" />
            <span class="skeleton-card" />
            <span class="skeleton-card" />
          </div>
        </div>
      ) : all.length === 0 && !list.error ? (
        <div class="card empty-state" data-testid="history-empty">
          <h2 class="card-title">No runs yet</h2>
          <p class="muted">Benchmarks you run are stored here automatically.</p>
          <Link href="/benchmark/" class="btn btn-primary">
            Run a benchmark
          </Link>
        </div>
      ) : (
        <>
          {visible.length === 0 && (
            <p class="muted history-no-match">
              No runs match “{state.search}”{list.hasMore ? " on the loaded pages — load more to search further." : "."}
            </p>
          )}
          <ul class="history-list" aria-label="Benchmark runs">
            {visible.map((run) => (
              <RunRow
                key={run.id}
                run={run}
                expanded={state.expanded.includes(run.id)}
                selected={state.selected.includes(run.id)}
                selectDisabled={selectedCount >= MAX_COMPARE}
                busy={state.busy[run.id] ?? null}
                highlighted={state.highlighted === run.id}
                onToggleExpand$={toggleExpand}
                onToggleSelect$={toggleSelect}
                onRerun$={rerun}
                onDelete$={remove}
              />
            ))}
          </ul>
          {list.hasMore && <LoadMoreButton loading={list.loadingMore} testId="history-load-more" onClick$={() => loadPage(true)} />}
        </>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "History" };
