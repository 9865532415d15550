// How a benchmark's events and stored run fold into its live job (pure; the fold itself is live-job-reducer.ts).
import type { BenchmarkResult, ModelParamAdjustments } from "../../../shared/events.ts";
import { aggregateResults, resultKey } from "./bench-stats.ts";
import type { Aggregate, BenchmarkRun } from "./benchmark-types.ts";
import type { LiveJobKind, LiveJobState } from "./live-job-reducer.ts";

export interface BenchExtras {
  runs: number;
  tiers: number[];
  maxTokens: number | null;
  warmup: boolean;
  /** Client-side until the job finished, then the server's (`final`). */
  aggregates: Aggregate[];
  /** What the provider parameter registry changed per model before the run. */
  paramAdjustments: ModelParamAdjustments;
}

export type BenchLiveState = LiveJobState<BenchmarkResult, BenchExtras>;

export const sortedTiers = (tiers: readonly number[]) => [...tiers].sort((a, b) => a - b);

export const benchmarkLive: LiveJobKind<BenchmarkResult, BenchExtras, BenchmarkRun> = {
  noun: "benchmark",
  jobTypes: ["benchmark", "scheduled_benchmark"],
  runIdParam: "run_id",
  eventTypes: ["benchmark_init", "benchmark_progress", "benchmark_result", "param_adjustments"],
  read(event) {
    switch (event.type) {
      case "benchmark_init": {
        const d = event.data;
        return {
          kind: "init",
          runId: d.run_id,
          targets: d.targets,
          extras: { runs: d.runs, maxTokens: d.max_tokens, ...(d.context_tiers.length ? { tiers: sortedTiers(d.context_tiers) } : {}) },
        };
      }
      case "benchmark_progress": {
        const d = event.data;
        return {
          kind: "progress",
          providerKey: d.provider_key,
          call: { model: d.model, model_id: d.model_id, run: d.run, runs: d.runs, tier: d.context_tokens },
        };
      }
      case "benchmark_result":
        return { kind: "result", result: event.data };
      case "param_adjustments":
        return { kind: "extras", extras: { paramAdjustments: event.models } };
      default:
        return null;
    }
  },
  etaSamples: 5,
  emptyExtras: () => ({ runs: 1, tiers: [0], maxTokens: null, warmup: false, aggregates: [], paramAdjustments: [] }),
  resultKey,
  namesOf: (r) => ({ display_name: r.model, provider: r.provider }),
  timing: (r, cur) =>
    r.type !== "result"
      ? null
      : {
          reportedMs: r.total_ms,
          sameCall: !!cur && cur.model_id === r.model_id && cur.run === r.run && cur.tier === r.context_tokens,
        },
  fromRun: (run, extras) => ({
    // Warm-up runs (run 0) are not shown.
    results: (run.results ?? []).filter((r) => r.type === "skipped" || r.run > 0),
    targets: run.config?.targets?.length ? run.config.targets : null,
    extras: {
      runs: run.runs || extras.runs,
      tiers: run.context_tiers?.length ? sortedTiers(run.context_tiers) : extras.tiers,
      maxTokens: run.max_tokens ?? extras.maxTokens,
      warmup: run.warmup ?? extras.warmup,
      paramAdjustments: run.config?.param_adjustments ?? extras.paramAdjustments,
    },
    finalExtras: { aggregates: run.aggregates ?? [] },
    timestamp: run.timestamp,
    completedAt: run.completed_at,
  }),
  progressInput: (extras, results) => ({ results, runs: extras.runs, tiers: extras.tiers }),
  liveExtras: (results) => ({ aggregates: aggregateResults(results) }),
};
