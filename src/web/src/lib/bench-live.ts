// Live state of the benchmark on /benchmark/ (submit, attach after a reload, events, cancel, ETA): the shared
// live-job shell (live-job-store.ts) told the benchmark's endpoints and its fold (benchmark-live-fold.ts).

import type { ProviderProgress } from "./bench-progress";
import { type BenchLiveState, benchmarkLive, sortedTiers } from "./benchmark-live-fold.ts";
import { BENCH_JOB_KEY, type BenchmarkRequest, type BenchmarkSubmitted, type BenchTarget } from "./benchmark-types";
import { isTerminalPhase, type LivePhase, phaseFromJobStatus } from "./live-job";
import { copyLiveCore } from "./live-job-reducer.ts";
import { createLiveJob } from "./live-job-store";

export type { BenchLiveState, ProviderProgress };

export type BenchPhase = LivePhase;
export { isTerminalPhase, phaseFromJobStatus };

const live = createLiveJob(benchmarkLive, {
  storageKey: BENCH_JOB_KEY,
  wrongJobType: "That job is not a speed benchmark.",
  cancelPath: "/api/benchmark/cancel",
  runPath: (runId) => `/api/history/${encodeURIComponent(runId)}`,
});

/** A plain copy for the page's signal (every update swaps the whole object). */
export function copyBenchLive(s: BenchLiveState): BenchLiveState {
  return { ...copyLiveCore(s), tiers: [...s.tiers], aggregates: s.aggregates.slice() };
}

export const getBenchLive = live.get;
export const onBenchLive = live.subscribe;
/** Display names for targets known only by key (after a reload). */
export const setModelCatalog = live.setCatalog;
/** Shows the URL's job, else this tab's last, else any active benchmark (while the page matching the regex is shown). */
export const resumeBenchJob = live.resume;
/** Forgets the current job (e.g. before configuring a new run). */
export const resetBenchLive = live.reset;
export const attachJob = live.attach;
export const cancelBenchmark = live.cancel;

/** Starts a benchmark; the previous run's view is cleared first so nothing stale shows while submitting. */
export function submitBenchmark(request: BenchmarkRequest, targets: BenchTarget[]): Promise<BenchmarkSubmitted> {
  return live.submit<BenchmarkSubmitted>("/api/benchmark", request, (res) => ({
    runId: res.run_id,
    jobStatus: res.job_status,
    targets,
    extras: {
      runs: request.runs,
      tiers: sortedTiers([...new Set(request.context_tiers)]),
      maxTokens: request.max_tokens,
      warmup: request.warmup,
      paramAdjustments: res.param_adjustments ?? [],
    },
  }));
}
