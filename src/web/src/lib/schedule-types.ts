// Schedules and their alerts as the API returns them (src/worker/routes/schedules.ts).
export type ScheduleKind = "benchmark" | "tool_eval";
export type AlertMetric = "ttft_p50" | "output_speed_p50" | "error_rate" | "cost_per_run" | "tool_accuracy";

export interface AlertThresholds {
  ttft_p50_pct: number;
  output_speed_p50_pct: number;
  error_rate_pts: number;
  cost_per_run_pct: number;
  tool_accuracy_pts: number;
}

export interface Schedule {
  id: string;
  name: string;
  kind: ScheduleKind;
  config: Record<string, unknown>;
  models: string[];
  interval_hours: number | null;
  cron: string | null;
  timezone: string;
  enabled: boolean;
  alerts: {
    enabled: boolean;
    baseline_runs: number;
    min_baseline_runs: number;
    thresholds: AlertThresholds;
    webhook_url: string | null;
    webhook_secret_set: boolean;
  };
  last_run: string | null;
  next_run: string | null;
  last_job_id: string | null;
  last_run_id: string | null;
  last_status: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScheduleAlert {
  id: string;
  schedule_id: string;
  schedule_name: string;
  run_id: string;
  metric: AlertMetric;
  provider_key: string;
  model_id: string;
  baseline_value: number;
  value: number;
  change_pct: number;
  threshold: number;
  test: string;
  statement: string;
  cause: string;
  cause_detail: string;
  acknowledged_at: string | null;
  webhook_status: "none" | "pending" | "delivered" | "failed";
  webhook_attempts: number;
  webhook_last_error: string | null;
  created_at: string;
}

export interface TrendPoint {
  run_id: string;
  created_at: string;
  status: string;
  provider_key: string;
  model_id: string;
  metric: AlertMetric;
  value: number;
  baseline: { median: number; low: number; high: number; runs: number } | null;
}

export interface ScheduleTrend {
  schedule_id: string;
  band: string;
  points: TrendPoint[];
  alerts: ScheduleAlert[];
}

export const METRIC_LABEL: Record<AlertMetric, string> = {
  ttft_p50: "TTFT p50",
  output_speed_p50: "Output speed p50",
  error_rate: "Error rate",
  // The mean cost of one measured call (benchmarks) or of one case (tool evals); the API keeps the original's name.
  cost_per_run: "Cost per call / case",
  tool_accuracy: "Tool accuracy",
};

export const CAUSE_LABEL: Record<string, string> = {
  model_version_changed: "model version changed",
  price_changed: "price changed",
  rate_limit_surge: "surge of 429s",
  shift_beyond_noise: "shift beyond noise",
};

export const TEST_LABEL: Record<string, string> = {
  mann_whitney: "Mann–Whitney U on the raw samples",
  median_mad: "median/MAD band (robust z > 3.5)",
};
