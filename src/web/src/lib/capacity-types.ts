// The capacity probe's API shapes as the web reads them: the shared contract (src/shared/capacity.ts) plus the
// submit response, the ladder presets and how stop reasons read. Types and small pure helpers only.
import type {
  CapacityEstimate,
  CapacityLevelResult,
  CapacityRunDetail,
  CapacityRunSummary,
  CapacitySlo,
  CapacityStopReason,
  CapacityTargetDetail,
} from "../../../shared/capacity.ts";
import { CAPACITY_LIMITS, DEFAULT_CAPACITY_LEVELS, DEFAULT_HOLD_REQUESTS } from "../../../shared/capacity-limits.ts";
import type { JobStatus } from "../../../shared/jobs.ts";
import type { LiveEventOf } from "./live-events.ts";

export type { CapacityEstimate, CapacityLevelResult, CapacityRunDetail, CapacityRunSummary, CapacitySlo, CapacityStopReason };
export { CAPACITY_LIMITS, DEFAULT_HOLD_REQUESTS };

export type CapacityLoop = "closed" | "open";
export type CapacityStop = NonNullable<CapacityTargetDetail["stopped"]>;
export type CapacityTimelinePoint = CapacityTargetDetail["timeline"][number];

/** The body of POST /api/capacity (and its estimate), as the page sends it. */
export interface CapacityRequestBody {
  targets: { provider_key: string; model_id: string }[];
  levels: number[];
  hold_requests?: number;
  hold_seconds?: number;
  loop: CapacityLoop;
  rate?: number;
  slo: CapacitySlo;
  budget?: { max_tokens?: number; max_cost_usd?: number };
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

export type CapacityEvent = LiveEventOf<"capacity_init" | "capacity_level" | "capacity_stopped" | "capacity_summary">;
export const CAPACITY_EVENT_TYPES = ["capacity_init", "capacity_level", "capacity_stopped", "capacity_summary"] as const;

export const DEFAULT_LEVELS: readonly number[] = DEFAULT_CAPACITY_LEVELS;
export const MAX_LEVEL = CAPACITY_LIMITS.level.max;

/** Ladder presets offered next to the editable list. */
export const LADDER_PRESETS: { key: string; label: string; levels: number[] }[] = [
  { key: "default", label: "Doubling to 32", levels: [...DEFAULT_LEVELS] },
  { key: "small", label: "Quick (1–8)", levels: [1, 2, 4, 8] },
  { key: "wide", label: "Doubling to 128", levels: [1, 2, 4, 8, 16, 32, 64, 128] },
  { key: "linear", label: "Steps of 8 to 64", levels: [1, 8, 16, 24, 32, 40, 48, 56, 64] },
];

/** How a stop reason reads for a person (unknown reasons are shown as sent). */
export function stopReasonText(reason: string): string {
  const known: Record<CapacityStopReason, string> = {
    rate_limited: "more than 5 % of its requests were rate-limited (429)",
    errors: "more than 5 % of its requests failed",
    slo: "the SLO was broken at two levels in a row",
    budget: "the budget cap was reached",
    cancelled: "the probe was cancelled",
  };
  return known[reason as CapacityStopReason] ?? reason.replace(/_/g, " ");
}
