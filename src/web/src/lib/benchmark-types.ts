// Benchmark shapes of /api/benchmark and /api/history. A result row, the live events and the job view come from
// src/shared (events.ts, jobs.ts), the statistics from src/shared/metrics.ts.
import type { BenchmarkResult, ModelParamAdjustments, ServerEvent } from "../../../shared/events.ts";
import type { JobStatus, runStatusOf } from "../../../shared/jobs.ts";
import type { AggregatedField, Confidence, Distribution } from "../../../shared/metrics.ts";

export type { Confidence, Distribution } from "../../../shared/metrics.ts";
export { AGGREGATED_FIELDS, type AggregatedField } from "../../../shared/metrics.ts";
export type { BenchmarkResult };

export interface Aggregate {
  provider_key: string;
  provider: string;
  model_id: string;
  model: string;
  context_tokens: number;
  n: number;
  failures: number;
  confidence: Confidence;
  stats: Record<AggregatedField, Distribution | null>;
}

/** A target with names for display (benchmark_init.data.targets). */
export type BenchTarget = Extract<ServerEvent, { type: "benchmark_init" }>["data"]["targets"][number];

export type BenchTargetRef = Pick<BenchTarget, "provider_key" | "model_id">;

export type RunStatus = ReturnType<typeof runStatusOf>;

export interface BenchmarkRunConfig {
  targets?: BenchTargetRef[];
  prompt?: string;
  max_tokens?: number;
  temperature?: number | null;
  context_tiers?: number[];
  runs?: number;
  warmup?: boolean;
  timeout_s?: number;
  /** Absent on runs stored before the option existed (they were sent without a prefix). */
  unique_prefix?: boolean;
  /** What the provider parameter registry changed per model (absent on older runs). */
  param_adjustments?: ModelParamAdjustments;
  [k: string]: unknown;
}

export interface BenchmarkRun {
  id: string;
  job_id: string | null;
  status: RunStatus | (string & {});
  timestamp: string;
  completed_at: string | null;
  prompt: string;
  max_tokens: number;
  temperature: number | null;
  runs: number;
  warmup: boolean;
  context_tiers: number[];
  metadata: { source: string };
  config: BenchmarkRunConfig;
  results: BenchmarkResult[];
  aggregates: Aggregate[];
}

export interface BenchmarkRequest {
  targets: BenchTargetRef[];
  prompt?: string;
  max_tokens: number;
  temperature: number;
  context_tiers: number[];
  runs: number;
  warmup: boolean;
  unique_prefix?: boolean;
  timeout: number;
  provider_params?: Record<string, unknown>;
}

export interface BenchmarkSubmitted {
  job_id: string;
  run_id: string;
  status: "submitted";
  job_status: JobStatus;
  /** The same list the `param_adjustments` event carries. */
  param_adjustments?: ModelParamAdjustments;
}

export interface RateLimitInfo {
  limit: number;
  remaining: number;
  window: string;
  resets_at: string | null;
}

/** Where the page keeps the running benchmark job id across reloads (sessionStorage). */
export const BENCH_JOB_KEY = "studio.benchmark.job";
