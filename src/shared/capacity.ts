/**
 * The capacity probe's contract (issue 18), shared by the Worker (validation, storage, events) and the web app
 * (Capacity page). A probe runs, per target, a ladder of concurrency levels and reports per level the latency
 * percentiles, throughput, goodput under the user's SLO and the concurrency actually achieved.
 *
 * Semantics that the names alone don't say:
 * - Closed loop, level L: L streams, each sending its next request as soon as its previous one ends. With
 *   `hold_requests` = R the level sends max(R, L) requests rounded up to a multiple of L (every stream sends the
 *   same count); with `hold_seconds` = S every stream keeps starting requests until S seconds after the level
 *   started (at least one each).
 * - Open loop, level L: Poisson arrivals at `rate × L / levels[0]` requests per second (so `rate` is the arrival
 *   rate at the first level), drawn from a seeded generator; R arrivals (or as many as fall inside S seconds).
 *   Up to 2 × L requests may be in flight; an arrival that finds none free waits, and the wait shows as send skew.
 * - `requested_concurrency` is L. Achieved concurrency is measured from the requests' real (send, end) intervals
 *   over the level's steady window (closed loop: from the level's first send until the first stream has sent its
 *   last request; open loop: the whole level). A closed-loop level whose mean fell below 90 % of L is
 *   `concurrency_short`.
 * - Latency and speed figures follow spec/metrics.md (TTFT from the actual send; ITL and output speed exclude
 *   TTFT) over successful requests only; errors and 429s are counted apart. `null` where no request succeeded.
 * - Goodput = requests per second (over the level's duration) that succeeded with TTFT ≤ slo.ttft_ms and their
 *   own ITL ≤ slo.itl_p95_ms. `slo_met` = the level's TTFT p95 ≤ slo.ttft_ms and ITL p95 ≤ slo.itl_p95_ms and
 *   its error share ≤ 5 %.
 */
import { z } from "zod";

// The bounds and defaults are in their own zod-free module: the Capacity page imports them, and a module with
// schemas at the top level would bring all of zod into its first load.
import { CAPACITY_LIMITS, DEFAULT_CAPACITY_LEVELS } from "./capacity-limits.ts";

export { CAPACITY_LIMITS, DEFAULT_CAPACITY_LEVELS, DEFAULT_HOLD_REQUESTS } from "./capacity-limits.ts";

/** A level stops the ladder when more than this share of its requests were 429s, or failed otherwise. */
export const CAPACITY_STOP_SHARE = 0.05;

export const CapacityTargetRefSchema = z
  .object({
    provider_key: z.string().min(1).max(64),
    model_id: z.string().min(1).max(256),
  })
  .strict();

export const CapacitySloSchema = z
  .object({
    ttft_ms: z.number().positive().max(600_000),
    itl_p95_ms: z.number().positive().max(60_000),
  })
  .strict();
export type CapacitySlo = z.infer<typeof CapacitySloSchema>;

export const CapacityRequestSchema = z
  .object({
    targets: z.array(CapacityTargetRefSchema).min(CAPACITY_LIMITS.targets.min).max(CAPACITY_LIMITS.targets.max),
    levels: z
      .array(z.number().int().min(CAPACITY_LIMITS.level.min).max(CAPACITY_LIMITS.level.max))
      .min(1)
      .max(CAPACITY_LIMITS.levels.max)
      .refine((ls) => ls.every((l, i) => i === 0 || l > (ls[i - 1] as number)), { error: "Levels must be strictly increasing" })
      .default([...DEFAULT_CAPACITY_LEVELS]),
    hold_requests: z.number().int().min(CAPACITY_LIMITS.hold_requests.min).max(CAPACITY_LIMITS.hold_requests.max).optional(),
    hold_seconds: z.number().min(CAPACITY_LIMITS.hold_seconds.min).max(CAPACITY_LIMITS.hold_seconds.max).optional(),
    loop: z.enum(["closed", "open"]).default("closed"),
    /** Open loop only: arrivals per second at the first level (level L gets rate × L / levels[0]). */
    rate: z.number().min(CAPACITY_LIMITS.rate.min).max(CAPACITY_LIMITS.rate.max).optional(),
    slo: CapacitySloSchema,
    budget: z
      .object({
        max_tokens: z.number().int().positive().max(1_000_000_000).optional(),
        max_cost_usd: z.number().positive().max(100_000).optional(),
      })
      .strict()
      .optional(),
    /** Filler tokens before the prompt, as the benchmark's context tiers (spec/metrics.md). */
    context_tier: z.number().int().min(0).max(2_000_000).default(0),
    max_tokens: z.number().int().min(CAPACITY_LIMITS.max_tokens.min).max(CAPACITY_LIMITS.max_tokens.max).default(256),
    prompt: z.string().min(1).max(50_000).optional(),
    /** Fixes the open loop's arrival times; one is picked (and stored) when absent. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  })
  .strict()
  .refine((b) => b.hold_requests === undefined || b.hold_seconds === undefined, {
    error: "Give hold_requests or hold_seconds, not both",
    path: ["hold_seconds"],
  })
  .refine((b) => b.loop !== "open" || b.rate !== undefined, { error: "An open loop needs a rate (requests per second)", path: ["rate"] })
  .refine((b) => b.loop === "open" || b.rate === undefined, { error: "rate applies to the open loop only", path: ["rate"] });
export type CapacityRequest = z.infer<typeof CapacityRequestSchema>;

export const CapacityEstimateSchema = z.object({
  requests: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  /** null when a target's price is unknown (never 0). */
  cost_usd: z.number().nullable(),
});
export type CapacityEstimate = z.infer<typeof CapacityEstimateSchema>;

const Percentiles = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });
export type CapacityPercentiles = z.infer<typeof Percentiles>;

export const CapacityLevelResultSchema = z.object({
  provider_key: z.string(),
  model_id: z.string(),
  level: z.number().int(),
  requested_concurrency: z.number().int(),
  achieved_concurrency_mean: z.number().nullable(),
  achieved_concurrency_min: z.number().nullable(),
  concurrency_short: z.boolean(),
  /** p95 of |actual send − scheduled send| over the level's requests. */
  send_skew_ms_p95: z.number().nullable(),
  requests: z.number().int(),
  ok: z.number().int(),
  /** Failures other than 429s. */
  errors: z.number().int(),
  rate_limited: z.number().int(),
  error_share: z.number(),
  rate_limited_share: z.number(),
  ttft_ms: Percentiles,
  itl_ms: Percentiles,
  e2e_ms: Percentiles,
  output_tps_per_request_p50: z.number().nullable(),
  aggregate_output_tps: z.number().nullable(),
  requests_per_s: z.number().nullable(),
  goodput_rps: z.number().nullable(),
  slo_met: z.boolean(),
  duration_s: z.number(),
});
export type CapacityLevelResult = z.infer<typeof CapacityLevelResultSchema>;

export const CAPACITY_STOP_REASONS = ["errors", "rate_limited", "slo", "budget", "cancelled"] as const;
export type CapacityStopReason = (typeof CAPACITY_STOP_REASONS)[number];

export const CapacityTargetViewSchema = z.object({ provider_key: z.string(), model_id: z.string(), display_name: z.string() });

export const CapacityInitDataSchema = z.object({
  run_id: z.string(),
  targets: z.array(CapacityTargetViewSchema),
  levels: z.array(z.number().int()),
  loop: z.enum(["closed", "open"]),
  slo: CapacitySloSchema,
});
export const CapacityStoppedDataSchema = z.object({
  run_id: z.string(),
  provider_key: z.string(),
  model_id: z.string(),
  at_level: z.number().int(),
  reason: z.enum(CAPACITY_STOP_REASONS),
});
export const CapacitySummaryDataSchema = z.object({
  run_id: z.string(),
  provider_key: z.string(),
  model_id: z.string(),
  knee_level: z.number().int().nullable(),
  max_level_meeting_slo: z.number().int().nullable(),
});

/** The run's stored configuration, as the request after defaults (and the seed that was used). */
export const CapacityConfigSchema = z.object({
  targets: z.array(CapacityTargetViewSchema),
  levels: z.array(z.number().int()),
  hold_requests: z.number().int().nullable(),
  hold_seconds: z.number().nullable(),
  loop: z.enum(["closed", "open"]),
  rate: z.number().nullable(),
  slo: CapacitySloSchema,
  budget: z.object({ max_tokens: z.number().int().optional(), max_cost_usd: z.number().optional() }).nullable(),
  context_tier: z.number().int(),
  max_tokens: z.number().int(),
  prompt: z.string(),
  seed: z.number().int(),
});
export type CapacityConfig = z.infer<typeof CapacityConfigSchema>;

export const CapacityRunSummarySchema = z.object({
  id: z.string(),
  status: z.string(),
  created_at: z.string(),
  /** Same as created_at (the name other run views use). */
  timestamp: z.string(),
  completed_at: z.string().nullable(),
  loop: z.enum(["closed", "open"]),
  levels: z.array(z.number().int()),
  targets: z.array(
    CapacityTargetViewSchema.extend({
      knee_level: z.number().int().nullable(),
      max_level_meeting_slo: z.number().int().nullable(),
      levels_done: z.number().int(),
    }),
  ),
});
export type CapacityRunSummary = z.infer<typeof CapacityRunSummarySchema>;

export const CapacityTargetDetailSchema = CapacityTargetViewSchema.extend({
  levels: z.array(CapacityLevelResultSchema),
  knee_level: z.number().int().nullable(),
  max_level_meeting_slo: z.number().int().nullable(),
  stopped: z.object({ at_level: z.number().int(), reason: z.enum(CAPACITY_STOP_REASONS) }).nullable(),
  /** Requests in flight over time (ms from the target's first send), downsampled. */
  timeline: z.array(z.object({ t_ms: z.number(), in_flight: z.number() })),
});
export type CapacityTargetDetail = z.infer<typeof CapacityTargetDetailSchema>;

export const CapacityRunDetailSchema = z.object({
  id: z.string(),
  status: z.string(),
  created_at: z.string(),
  /** Same as created_at (the name other run views use). */
  timestamp: z.string(),
  completed_at: z.string().nullable(),
  config: CapacityConfigSchema,
  targets: z.array(CapacityTargetDetailSchema),
});
export type CapacityRunDetail = z.infer<typeof CapacityRunDetailSchema>;

/** One request of a probe as stored (the JSON export's raw samples). Times are epoch ms. */
export const CapacitySampleSchema = z.object({
  provider_key: z.string(),
  model_id: z.string(),
  level: z.number().int(),
  /** Which stream (closed loop) or arrival slot of the level sent it, and its index within that stream. */
  stream: z.number().int(),
  seq: z.number().int(),
  scheduled_at: z.number(),
  sent_at: z.number(),
  first_token_at: z.number().nullable(),
  last_token_at: z.number().nullable(),
  ended_at: z.number(),
  output_tokens: z.number().int().nullable(),
  input_tokens: z.number().int().nullable(),
  status: z.enum(["ok", "error", "rate_limited"]),
  /** The failure's class (spec/metrics.md: timeout, rate_limited, auth…) and sanitized message. */
  error_class: z.string().nullable(),
  error: z.string().nullable(),
});
export type CapacitySample = z.infer<typeof CapacitySampleSchema>;
