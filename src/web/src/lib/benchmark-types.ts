// Benchmark and job shapes returned by /api/benchmark, /api/history, /api/jobs and the live events.

export type JobType =
  | "benchmark"
  | "tool_eval"
  | "param_tune"
  | "prompt_tune"
  | "judge"
  | "judge_compare"
  | "scheduled_benchmark"
  | (string & {});

export type JobStatusValue = "pending" | "queued" | "running" | "done" | "failed" | "cancelled" | "interrupted";

export interface JobView {
  id: string;
  job_type: JobType;
  status: JobStatusValue;
  progress_pct: number;
  progress_detail: string;
  params: { run_id?: string; models?: number; providers?: number; runs?: number; tiers?: number; [k: string]: unknown };
  result_ref: string | null;
  error_class: string | null;
  error_msg: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  timeout_at: string | null;
  timeout_seconds: number;
  /** Failed calls of a job that still finished (`done`); its `error_msg` then says which. */
  error_count?: number;
}

/** One measured, failed or skipped run (live `benchmark_result.data` and `run.results[]`). */
export interface BenchResult {
  type: "result" | "skipped";
  provider: string;
  provider_key: string;
  model: string;
  model_id: string;
  run: number;
  runs: number;
  context_tokens: number;
  success: boolean;
  error: string | null;
  error_class: string | null;
  ttfb_ms: number | null;
  ttft_ms: number | null;
  ttfa_ms: number | null;
  total_ms: number | null;
  total_time_s: number | null;
  output_tokens: number | null;
  input_tokens: number | null;
  token_source: string | null;
  /** Output speed excluding TTFT: the headline speed. */
  output_speed_tps: number | null;
  /** End-to-end tok/s including TTFT (same as e2e_tps). */
  tokens_per_second: number | null;
  e2e_tps: number | null;
  itl_ms: number | null;
  prefill_tps: number | null;
  input_tokens_per_second: number | null;
  /** USD, or null when the price is unknown (show "—", never $0). */
  cost: number | null;
}

export type { Confidence, Distribution } from "../../../shared/metrics";
import type { Confidence, Distribution } from "../../../shared/metrics";

export { AGGREGATED_FIELDS, type AggregatedField } from "../../../shared/metrics";
import type { AggregatedField } from "../../../shared/metrics";

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

export interface BenchTargetRef {
  provider_key: string;
  model_id: string;
}

/** A target with names for display (benchmark_init.data.targets). */
export interface BenchTarget extends BenchTargetRef {
  display_name: string;
  provider: string;
}

export type RunStatus = "running" | "completed" | "failed" | "cancelled" | "interrupted";

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
  results: BenchResult[];
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
  job_status: string;
  param_adjustments?: Array<{ model_id: string; provider: string; provider_key: string; adjustments: Array<{ param: string; action: string; reason: string }> }>;
}

export interface RateLimitInfo {
  limit: number;
  remaining: number;
  window: string;
  resets_at: string | null;
}
