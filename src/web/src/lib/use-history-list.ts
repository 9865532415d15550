// The past-runs list of a live-job page (Param Tuner, Prompt Tuner, Capacity): the newest 50 runs of one kind, a
// run opened (its stored detail, read once and kept), a run deleted after the confirm dialog. Each list keeps its
// own rows, actions and refresh events (the kinds' events differ); the markup they share is
// components/history/history-list.tsx. (Benchmark and Tool Eval History page by offset instead: use-run-list.ts.)
import { $, type QRL, type Signal, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "./api-client";
import { type ConfirmRequest, confirmAction } from "./confirm";
import { describeError } from "./http";
import { showToast, toastError } from "./toast";

export interface HistoryListState {
  loading: boolean;
  /** Why the list could not be read. */
  error: string;
  /** The opened run's id ("" = none). */
  open: string;
  /** The run being deleted. */
  busy: string;
  /** Why a run's read or delete failed, when the list says so itself (`inlineErrors`). */
  rowError: string;
}

export interface HistoryListOptions<Run> {
  /** The kind's history endpoint: `?limit=50` lists, `/<id>` reads (GET) and deletes (DELETE) one run. */
  path: string;
  /** The confirm dialog before a delete. */
  confirm$: QRL<(run: Run) => Partial<ConfirmRequest> & { message: string }>;
  /** The toast once a run is deleted. */
  deleted: string;
  /** A run's failed read or delete: the list's own error line (the Prompt Tuner's) rather than a toast. */
  inlineErrors?: boolean;
}

export interface HistoryList<Run, Detail> {
  /** Plain objects (each read replaces the array), so rows re-render from values. */
  runs: Signal<Run[]>;
  details: Signal<Record<string, Detail>>;
  state: HistoryListState;
  load: QRL<() => Promise<void>>;
  /** Reads one run's detail into `details`; null when it failed (already reported). */
  readDetail: QRL<(id: string) => Promise<Detail | null>>;
  /** A run got its final answer: its kept detail is dropped, the list read again, and the detail too if it is open. */
  reload: QRL<(id: string) => Promise<void>>;
  toggle: QRL<(id: string) => Promise<void>>;
  remove: QRL<(id: string) => Promise<void>>;
}

/** Statuses of a run whose job is still going: it cannot be deleted, and it is shown as not final. */
const ACTIVE = ["pending", "queued", "running"];

export function isActiveRun(status: string): boolean {
  return ACTIVE.includes(status);
}

export function useHistoryList<Run extends { id: string }, Detail>(options: HistoryListOptions<Run>): HistoryList<Run, Detail> {
  const { path, confirm$, deleted, inlineErrors = false } = options;
  const runs = useSignal<Run[]>([]);
  const details = useSignal<Record<string, Detail>>({});
  const state = useStore<HistoryListState>({ loading: true, error: "", open: "", busy: "", rowError: "" });

  const fail = $((err: unknown) => {
    if (inlineErrors) state.rowError = describeError(err).message;
    else toastError(err);
  });

  const load = $(async () => {
    try {
      runs.value = (await api.get<{ runs: Run[] }>(`${path}?limit=50`)).runs;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  const readDetail = $(async (id: string): Promise<Detail | null> => {
    try {
      const d = await api.get<Detail>(`${path}/${encodeURIComponent(id)}`);
      details.value = { ...details.value, [id]: d };
      state.rowError = "";
      return d;
    } catch (err) {
      await fail(err);
      return null;
    }
  });

  const reload = $(async (id: string) => {
    const { [id]: _, ...rest } = details.value;
    details.value = rest;
    await load();
    if (state.open === id) void readDetail(id);
  });

  const toggle = $(async (id: string) => {
    if (state.open === id) {
      state.open = "";
      return;
    }
    state.open = id;
    if (!details.value[id]) await readDetail(id);
  });

  const remove = $(async (id: string) => {
    const run = runs.value.find((r) => r.id === id);
    if (!run) return;
    if (!(await confirmAction(await confirm$(run)))) return;
    state.busy = id;
    try {
      await api.del(`${path}/${encodeURIComponent(id)}`);
      runs.value = runs.value.filter((r) => r.id !== id);
      if (state.open === id) state.open = "";
      state.rowError = "";
      showToast("success", deleted);
    } catch (err) {
      await fail(err);
    } finally {
      state.busy = "";
    }
  });

  useVisibleTask$(
    () => {
      void load();
    },
    // The list is below the fold: load it with the page, not when it scrolls into view.
    { strategy: "document-ready" },
  );

  return { runs, details, state, load, readDetail, reload, toggle, remove };
}
