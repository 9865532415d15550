// A page of stored runs (benchmark History, Tool Eval History): first page, "Load more" by offset, merging single
// runs read again, and keeping the list fresh from live events. Each page keeps its own rows, detail and actions.
import { $, useSignal, useStore } from "@builder.io/qwik";
import { api } from "./api-client";
import { onLiveEvent } from "./event-bus";
import { mergeById } from "./history-utils";
import { describeError } from "./http";
import { toastError } from "./toast";

export interface RunListState {
  loading: boolean;
  loadingMore: boolean;
  /** Why the first page failed (a failed "Load more" only toasts). */
  error: string;
  hasMore: boolean;
}

interface ListedRun {
  id: string;
  job_id: string | null;
}

/**
 * Reads `listPath?limit=…&offset=…` pages (`{ runs }`). `runs` holds plain objects (each update replaces the array)
 * so rows always re-render from values.
 */
export function useRunList<T extends ListedRun>(listPath: string, pageSize: number) {
  const runs = useSignal<T[]>([]);
  const list = useStore<RunListState>({ loading: true, loadingMore: false, error: "", hasMore: false });

  const merge = $((incoming: T[], where: "start" | "end") => {
    runs.value = mergeById(runs.value, incoming, where);
  });

  const loadPage = $(async (more: boolean) => {
    if (more) list.loadingMore = true;
    try {
      const offset = more ? runs.value.length : 0;
      const res = await api.get<{ runs: T[] }>(`${listPath}?limit=${pageSize}&offset=${offset}`);
      runs.value = more ? mergeById(runs.value, res.runs, "end") : res.runs;
      list.hasMore = res.runs.length === pageSize;
      list.error = "";
    } catch (err) {
      if (more) toastError(err);
      else list.error = describeError(err).message;
    } finally {
      list.loading = false;
      list.loadingMore = false;
    }
  });

  return { runs, list, merge, loadPage };
}

/**
 * New runs appear (their job's init event names the run) and listed runs whose job ended are read again:
 * `refresh(id)` for both. Returns the unsubscribe.
 */
export function followRunEvents(
  initEvent: "benchmark_init" | "tool_eval_init",
  runs: () => readonly ListedRun[],
  refresh: (id: string) => void,
): () => void {
  const stops = [
    onLiveEvent(initEvent, (e) => {
      const id = e.type === "benchmark_init" ? e.data.run_id : e.data.eval_id;
      if (id) refresh(id);
    }),
    ...(["job_completed", "job_failed", "job_cancelled"] as const).map((type) =>
      onLiveEvent(type, (e) => {
        const run = runs().find((r) => r.job_id === e.job_id);
        // A moment later, so the stored run has its final status.
        if (run) setTimeout(() => refresh(run.id), 300);
      }),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

/** Scrolls the list row with element id `elementId` into view (after the expand rendered). */
export function scrollToRow(elementId: string): void {
  requestAnimationFrame(() => document.getElementById(elementId)?.scrollIntoView({ behavior: "smooth", block: "start" }));
}
