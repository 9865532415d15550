// The capacity probe's API shapes as the web reads them (POST /api/capacity, its estimate, history, events).
// Types and small pure helpers only.
import type { JobStatus } from "../../../shared/jobs.ts";

export type CapacityLoop = "closed" | "open";

export interface CapacitySlo {
  ttft_ms: number;
  itl_p95_ms: number;
}

export interface CapacityBudget {
  max_tokens?: number;
  max_cost_usd?: number;
}

export interface CapacityTargetRef {
  provider_key: string;
  model_id: string;
}

export interface CapacityRequest {
  targets: CapacityTargetRef[];
  levels?: number[];
  hold_requests?: number;
  hold_seconds?: number;
  loop: CapacityLoop;
  rate?: number;
  slo: CapacitySlo;
  budget?: CapacityBudget;
  context_tier?: number;
  max_tokens?: number;
  prompt?: string;
}

export interface CapacitySubmitted {
  job_id: string;
  status: string;
  job_status: JobStatus;
  run_id: string;
}

export interface CapacityEstimate {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One level of one target's ladder, as the probe measured it. */
export interface CapacityLevelResult {
  provider_key: string;
  model_id: string;
  level: number;
  requested_concurrency: number;
  achieved_concurrency_mean: number;
  achieved_concurrency_min: number;
  /** The achieved concurrency fell short of the requested one (the level is marked, not averaged in silently). */
  concurrency_short: boolean;
  send_skew_ms_p95: number | null;
  requests: number;
  ok: number;
  errors: number;
  rate_limited: number;
  error_share: number;
  rate_limited_share: number;
  ttft_ms: Percentiles;
  itl_ms: Percentiles;
  e2e_ms: Percentiles;
  output_tps_per_request_p50: number | null;
  aggregate_output_tps: number | null;
  requests_per_s: number | null;
  goodput_rps: number | null;
  slo_met: boolean;
  duration_s: number | null;
}

export interface CapacityStop {
  at_level: number;
  reason: string;
}

export interface CapacityTimelinePoint {
  t_ms: number;
  in_flight: number;
}

export interface CapacityTargetResult {
  provider_key: string;
  model_id: string;
  display_name: string;
  levels: CapacityLevelResult[];
  knee_level: number | null;
  max_level_meeting_slo: number | null;
  stopped: CapacityStop | null;
  timeline?: CapacityTimelinePoint[];
}

/** GET /api/capacity/history/{id}. */
export interface CapacityRunDetail {
  id: string;
  job_id?: string | null;
  status: string;
  created_at: string;
  completed_at: string | null;
  config: Partial<CapacityRequest> & Record<string, unknown>;
  targets: CapacityTargetResult[];
}

/** A row of GET /api/capacity/history (fields beyond id/status/created_at are read when present). */
export interface CapacityRunSummary {
  id: string;
  job_id?: string | null;
  status: string;
  created_at: string;
  completed_at?: string | null;
  config?: Partial<CapacityRequest> & Record<string, unknown>;
  targets?: { provider_key: string; model_id: string; display_name?: string; knee_level?: number | null; max_level_meeting_slo?: number | null }[];
}

/** The capacity events' payloads (the hub sends them like every job kind's events). */
export interface CapacityInitEvent {
  type: "capacity_init";
  job_id: string;
  run_id: string;
  targets: { provider_key: string; model_id: string; display_name: string }[];
  levels: number[];
  loop: CapacityLoop;
  slo: CapacitySlo;
}
export interface CapacityLevelEvent {
  type: "capacity_level";
  job_id: string;
  run_id?: string;
  data: CapacityLevelResult;
}
export interface CapacityStoppedEvent {
  type: "capacity_stopped";
  job_id: string;
  run_id: string;
  provider_key: string;
  model_id: string;
  at_level: number;
  reason: string;
}
export interface CapacitySummaryEvent {
  type: "capacity_summary";
  job_id: string;
  run_id: string;
  provider_key: string;
  model_id: string;
  knee_level: number | null;
  max_level_meeting_slo: number | null;
}
export type CapacityEvent = CapacityInitEvent | CapacityLevelEvent | CapacityStoppedEvent | CapacitySummaryEvent;
export const CAPACITY_EVENT_TYPES = ["capacity_init", "capacity_level", "capacity_stopped", "capacity_summary"] as const;

export const DEFAULT_LEVELS = [1, 2, 4, 8, 16, 32] as const;
export const MAX_LEVEL = 128;

/** Ladder presets offered next to the editable list. */
export const LADDER_PRESETS: { key: string; label: string; levels: number[] }[] = [
  { key: "default", label: "Doubling to 32", levels: [...DEFAULT_LEVELS] },
  { key: "small", label: "Quick (1–8)", levels: [1, 2, 4, 8] },
  { key: "wide", label: "Doubling to 128", levels: [1, 2, 4, 8, 16, 32, 64, 128] },
  { key: "linear", label: "Steps of 4 to 32", levels: [1, 4, 8, 12, 16, 20, 24, 28, 32] },
];

/** How a stop reason reads for a person (unknown reasons are shown as sent). */
export function stopReasonText(reason: string): string {
  const known: Record<string, string> = {
    rate_limited: "more than 5 % of requests were rate-limited (429)",
    errors: "more than 5 % of requests failed",
    error_rate: "more than 5 % of requests failed",
    slo: "the SLO was broken at two levels in a row",
    slo_broken: "the SLO was broken at two levels in a row",
    budget: "the budget cap was reached",
    cancelled: "cancelled",
  };
  return known[reason] ?? reason.replace(/_/g, " ");
}
