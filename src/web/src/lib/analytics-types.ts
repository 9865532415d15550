// Shapes of /api/analytics (src/worker/routes/analytics.ts); the page never invents fields.
import type { ParetoAxis, ParetoPoint } from "../../../shared/pareto.ts";

export const PERIODS = ["7d", "30d", "90d", "all"] as const;
export type Period = (typeof PERIODS)[number];
export const PERIOD_LABELS: Record<Period, string> = { "7d": "7 days", "30d": "30 days", "90d": "90 days", all: "All time" };

export interface BenchmarkLeader {
  provider_key: string;
  provider: string;
  model_id: string;
  model: string;
  context_tokens: number;
  n: number;
  failures: number;
  runs: number;
  ttft_p50_ms: number | null;
  output_speed_p50_tps: number | null;
  e2e_p50_tps: number | null;
  cost_mean_usd: number | null;
  cost_total_usd: number | null;
  last_run: string;
}

export interface EvalLeader {
  scorer: string;
  provider_key: string;
  provider: string;
  model_id: string;
  model: string;
  tool_accuracy_pct: number | null;
  param_accuracy_pct: number | null;
  overall_pct: number | null;
  evals: number;
  cases: number;
  last_eval: string;
}

export type Leaderboard = { type: "benchmark"; period: string; rows: BenchmarkLeader[] } | { type: "tool_eval"; period: string; rows: EvalLeader[] };

export const TREND_METRICS = {
  tps: { label: "Output speed p50", unit: "tok/s" },
  ttft: { label: "TTFT p50", unit: "ms" },
  e2e_tps: { label: "End-to-end speed p50", unit: "tok/s" },
  itl: { label: "Inter-token latency p50", unit: "ms" },
  total: { label: "Total time p50", unit: "ms" },
  cost: { label: "Cost per call p50", unit: "$" },
  accuracy: { label: "Tool-eval overall accuracy", unit: "%" },
} as const;
export type TrendMetric = keyof typeof TREND_METRICS;

export interface TrendSeries {
  provider_key: string;
  provider: string;
  model_id: string;
  model: string;
  context_tokens: number | null;
  points: { run_id: string; timestamp: string; value: number | null; n: number }[];
}

export interface Trends {
  metric: TrendMetric;
  period: string;
  series: TrendSeries[];
}

export interface CompareResult {
  runs: { id: string; timestamp: string; prompt: string; models: BenchmarkLeader[] }[];
}

// Pareto points are typed once, beside the front computation both sides share.
export type { ParetoAxis, ParetoPoint, ParetoRunRef } from "../../../shared/pareto.ts";

export interface ParetoView {
  period: string;
  suite_id: string | null;
  axes: { key: ParetoAxis; direction: "max" | "min" }[];
  runs_per_point: number;
  points: ParetoPoint[];
}
