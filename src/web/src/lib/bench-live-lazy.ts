// The Benchmark page loads the live-run machinery (bench-live.ts and the live-job store, ~8 KB gz with what they
// import) only once there is a run to show: a job to resume, or a submit. Until then it keeps the model catalog.

import type { JobView } from "../../../shared/jobs.ts";
import { api } from "./api-client";
import type * as BenchLiveModule from "./bench-live";
import { BENCH_JOB_KEY } from "./benchmark-types";
import type { ProviderWithModels } from "./types";

export type BenchLive = typeof BenchLiveModule;

/** sessionStorage key of the benchmark job this tab last showed. */

let loading: Promise<BenchLive> | null = null;
let catalog: readonly ProviderWithModels[] | null = null;
const waiting = new Set<(live: BenchLive) => void>();

export function loadBenchLive(): Promise<BenchLive> {
  loading ??= import("./bench-live").then((live) => {
    if (catalog) live.setModelCatalog(catalog);
    for (const listener of waiting) listener(live);
    waiting.clear();
    return live;
  });
  return loading;
}

/** Calls `listener` with the module once it is loaded (now, if it already is); returns an unsubscribe. */
export function whenBenchLive(listener: (live: BenchLive) => void): () => void {
  if (loading) {
    let off = false;
    void loading.then((live) => off || listener(live));
    return () => (off = true);
  }
  waiting.add(listener);
  return () => waiting.delete(listener);
}

/** Display names for targets known only by key (after a reload). */
export function setModelCatalog(providers: readonly ProviderWithModels[]): void {
  catalog = providers;
  if (loading) void loading.then((live) => live.setModelCatalog(providers));
}

/**
 * resumeBenchJob, loading the machinery only when there may be a job to show: the URL's, this tab's last, or an
 * active benchmark on the server (the same checks resume makes, in that order).
 */
export async function resumeBenchJob(page: RegExp): Promise<void> {
  if (!page.test(location.pathname)) return;
  if (!loading && !new URL(location.href).searchParams.get("job") && !remembered()) {
    try {
      const { jobs } = await api.get<{ jobs: JobView[] }>("/api/jobs?status=pending,queued,running&limit=20");
      if (!jobs.some((j) => j.job_type === "benchmark")) return;
    } catch {
      return; // Nothing to resume.
    }
  }
  await (await loadBenchLive()).resumeBenchJob(page);
}

function remembered(): boolean {
  try {
    return Boolean(sessionStorage.getItem(BENCH_JOB_KEY));
  } catch {
    return false;
  }
}
