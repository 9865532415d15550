// Live state of the benchmark on /benchmark/ (submit, attach after a reload, events, cancel, ETA): the shared
// live-job machinery (live-job-store.ts) told the benchmark's endpoints, events and how its results fold in.
import type { ProviderProgress } from "./bench-progress";
import { aggregateResults, resultKey } from "./bench-stats";
import type { Aggregate, BenchmarkRequest, BenchmarkRun, BenchmarkSubmitted, BenchResult, BenchTarget } from "./benchmark-types";
import { isTerminalPhase, phaseFromJobStatus, type LivePhase } from "./live-job";
import { BENCH_JOB_KEY } from "./bench-live-lazy";
import { copyLiveCore, createLiveJob, type LiveJobState } from "./live-job-store";

export type { ProviderProgress };

export type BenchPhase = LivePhase;
export { isTerminalPhase, phaseFromJobStatus };

interface BenchExtras {
  runs: number;
  tiers: number[];
  maxTokens: number | null;
  warmup: boolean;
  /** Client-side until the job finished, then the server's (`final`). */
  aggregates: Aggregate[];
}

export type BenchLiveState = LiveJobState<BenchResult, BenchExtras>;

const sortedTiers = (tiers: readonly number[]) => [...tiers].sort((a, b) => a - b);

const live = createLiveJob<BenchResult, BenchExtras, BenchmarkRun>({
  storageKey: BENCH_JOB_KEY,
  noun: "benchmark",
  jobTypes: ["benchmark", "scheduled_benchmark"],
  wrongJobType: "That job is not a speed benchmark.",
  runIdParam: "run_id",
  cancelPath: "/api/benchmark/cancel",
  runPath: (runId) => `/api/history/${encodeURIComponent(runId)}`,
  events: { init: "benchmark_init", progress: "benchmark_progress", result: "benchmark_result" },
  etaSamples: 5,
  emptyExtras: () => ({ runs: 1, tiers: [0], maxTokens: null, warmup: false, aggregates: [] }),
  resultKey,
  namesOf: (r) => ({ display_name: r.model, provider: r.provider }),
  timing: (r, cur) =>
    r.type !== "result"
      ? null
      : {
          reportedMs: r.total_ms,
          sameCall: !!cur && cur.model_id === r.model_id && cur.run === r.run && cur.tier === r.context_tokens,
        },
  fromRun: (run, state) => ({
    // Warm-up runs (run 0) are not shown.
    results: (run.results ?? []).filter((r) => r.type === "skipped" || r.run > 0),
    targets: run.config?.targets?.length ? run.config.targets : null,
    extras: {
      runs: run.runs || state.runs,
      tiers: run.context_tiers?.length ? sortedTiers(run.context_tiers) : state.tiers,
      maxTokens: run.max_tokens ?? state.maxTokens,
      warmup: run.warmup ?? state.warmup,
    },
    finalExtras: { aggregates: run.aggregates ?? [] },
    timestamp: run.timestamp,
    completedAt: run.completed_at,
  }),
  fromInit: (data, state) => {
    const d = data as { run_id?: string; targets?: BenchTarget[]; runs?: number; context_tiers?: number[]; max_tokens?: number };
    return {
      runId: d.run_id,
      targets: d.targets ?? [],
      extras: {
        runs: d.runs ?? state.runs,
        tiers: d.context_tiers?.length ? sortedTiers(d.context_tiers) : state.tiers,
        maxTokens: d.max_tokens ?? state.maxTokens,
      },
    };
  },
  fromProgress: (data) => {
    const d = data as { model: string; model_id: string; run: number; runs: number; context_tokens: number };
    return { model: d.model, model_id: d.model_id, run: d.run, runs: d.runs, tier: d.context_tokens, startedAt: Date.now() };
  },
  progressInput: (state, results) => ({ results, runs: state.runs, tiers: state.tiers }),
  liveExtras: (results) => ({ aggregates: aggregateResults(results) }),
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
    },
  }));
}
