// /history/: stored benchmark runs — search, expand, compare 2–4, re-run, delete, load more; ?run=<id> opens one.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, Link, useLocation, useNavigate } from "@builder.io/qwik-city";
import { ErrorBanner } from "~/components/error-banner";
import { CompareView } from "~/components/history/compare-view";
import { LoadMoreButton, SearchBox } from "~/components/history/list-controls";
import { RunRow } from "~/components/history/run-row";
import { api } from "~/lib/api-client";
import { submitBenchmark } from "~/lib/bench-live";
import type { BenchmarkRun } from "~/lib/benchmark-types";
import { confirmAction } from "~/lib/confirm";
import { rerunRequest, runMatches, runTargets } from "~/lib/history-utils";
import { ApiError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import { followRunEvents, scrollToRow, useRunList } from "~/lib/use-run-list";

const PAGE_SIZE = 20;
const MAX_COMPARE = 4;

interface HistoryState {
  search: string;
  expanded: string[];
  selected: string[];
  comparing: boolean;
  busy: Record<string, string>;
  highlighted: string;
}

export default component$(() => {
  const loc = useLocation();
  const nav = useNavigate();
  const { runs, list, merge, loadPage } = useRunList<BenchmarkRun>("/api/history", PAGE_SIZE);
  const state = useStore<HistoryState>({
    search: "",
    expanded: [],
    selected: [],
    comparing: false,
    busy: {},
    highlighted: "",
  });

  const refreshRun = $(async (runId: string, where: "start" | "end" = "start") => {
    try {
      const run = await api.get<BenchmarkRun>(`/api/history/${encodeURIComponent(runId)}`);
      await merge([run], where);
      return true;
    } catch {
      return false;
    }
  });

  /** ?run=<id>: expand that run (fetching it when it is not on the first page) and scroll to it. */
  const openFromUrl = $(async () => {
    const runId = new URL(location.href).searchParams.get("run");
    if (!runId) return;
    if (!runs.value.some((r) => r.id === runId)) {
      const ok = await refreshRun(runId);
      if (!ok) {
        showToast("error", "That run no longer exists.");
        return;
      }
    }
    if (!state.expanded.includes(runId)) state.expanded = [...state.expanded, runId];
    state.highlighted = runId;
    scrollToRow(`run-${runId}`);
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

  // Runs after the first page and on in-app navigation to ?run=… (e.g. from the jobs bell).
  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      const loading = track(() => list.loading);
      if (!loading) void openFromUrl();
    },
    { strategy: "document-ready" },
  );

  const toggleExpand = $((id: string) => {
    state.expanded = state.expanded.includes(id) ? state.expanded.filter((x) => x !== id) : [...state.expanded, id];
  });

  const toggleSelect = $((id: string) => {
    if (state.selected.includes(id)) state.selected = state.selected.filter((x) => x !== id);
    else if (state.selected.length < MAX_COMPARE) state.selected = [...state.selected, id];
    if (state.selected.length < 2) state.comparing = false;
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
      state.selected = state.selected.filter((x) => x !== id);
      state.expanded = state.expanded.filter((x) => x !== id);
      if (state.selected.length < 2) state.comparing = false;
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
          <span class="muted small" aria-live="polite">
            {selectedCount === 0 ? "Select 2–4 runs to compare" : `${selectedCount} selected${selectedCount >= MAX_COMPARE ? " (max)" : ""}`}
          </span>
          {selectedCount > 0 && (
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              onClick$={() => {
                state.selected = [];
                state.comparing = false;
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
            onClick$={() => {
              state.comparing = !state.comparing;
              if (state.comparing) {
                requestAnimationFrame(() => document.getElementById("compare")?.scrollIntoView({ behavior: "smooth", block: "start" }));
              }
            }}
          >
            {state.comparing ? "Hide comparison" : `Compare${selectedCount >= 2 ? ` (${selectedCount})` : ""}`}
          </button>
        </div>
      </div>

      <div id="compare" class="compare-anchor">
        {state.comparing && canCompare && <CompareView runs={selectedRuns} onClose$={() => (state.comparing = false)} />}
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
