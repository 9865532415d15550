/**
 * The parameter tuner's request (POST /api/tool-eval/param-tune) and the plan stored with each tune run: per
 * target, the combos after the provider's parameter rules merged duplicates, the baseline, the seeded case order
 * and held-out split, and the rungs. Workers replay the schedule from this and the stored trials.
 */
import { z } from "@hono/zod-openapi";
import { boundedNumber } from "../../shared/bounded-number.ts";
import { EVAL_LIMITS } from "../../shared/request-limits.ts";
import { SCORER_NAMES } from "../../shared/scoring/types.ts";
import { TUNE_LIMITS } from "../../shared/tuning/limits.ts";
import { SearchSpaceSchema } from "../../shared/tuning/search-space-schema.ts";
import { TargetRefSchema } from "../benchmark/config.ts";

const ToolChoice = z.enum(["auto", "required", "none"]);

export const ParamTuneRequestSchema = z
  .object({
    suite_id: z.string().min(1).max(64),
    targets: z.array(TargetRefSchema).min(1).max(20).optional(),
    models: z.array(z.string().min(1).max(256)).min(1).max(20).optional(),
    search_space: SearchSpaceSchema,
    /** Replaces `search_space` for the models named (by model id, or "provider_key::model_id"). */
    per_model_search_spaces: z.record(z.string().max(300), SearchSpaceSchema).optional(),
    strategy: z.enum(["grid", "random", "halving"]).default("grid"),
    n_trials: z.number().int().min(TUNE_LIMITS.n_trials.min).max(TUNE_LIMITS.n_trials.max).default(50),
    /** Fixes the random draw, the case order and the held-out split; one is picked (and returned) when absent. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    repeats: z.number().int().min(TUNE_LIMITS.repeats.min).max(TUNE_LIMITS.repeats.max).default(1),
    /** Share of the cases kept out of the search to confirm the winner on (0 = none). */
    holdout_fraction: z.number().min(0).max(0.5).default(0),
    budgets: z
      .object({ max_latency_ms: z.number().positive().max(600_000).optional(), max_cost_per_case: z.number().positive().max(100).optional() })
      .strict()
      .optional(),
    /** The user's current settings: every combo is compared with them. Default: temperature 0 and the suite's tool choice. */
    baseline: z
      .object({
        temperature: boundedNumber(EVAL_LIMITS.temperature).optional(),
        tool_choice: ToolChoice.optional(),
        provider_params: z.record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
      })
      .strict()
      .optional(),
    system_prompt: z.string().max(50_000).optional(),
    scorer: z.enum(SCORER_NAMES).default("classic"),
    max_tokens: boundedNumber(EVAL_LIMITS.max_tokens).default(1024),
    timeout: boundedNumber(EVAL_LIMITS.timeout).default(120),
    /** Links the tune to an experiment of the same suite (its best can become the experiment's best). */
    experiment_id: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((b) => b.targets || b.models, { error: "Give targets (or models)", path: ["targets"] })
  .openapi("ParamTuneRequest");
export type ParamTuneRequest = z.infer<typeof ParamTuneRequestSchema>;

const ComboValue = z.union([z.string(), z.number(), z.boolean()]);
const AdjustmentSchema = z.object({
  param: z.string(),
  original: z.unknown(),
  adjusted: z.unknown(),
  action: z.enum(["clamp", "drop", "rename", "warn", "passthrough"]),
  reason: z.string(),
});

/** One candidate of one target: what the user asked for and what the provider will really be sent. */
export const PlannedComboSchema = z.object({
  /** Stable within the target: "c<index>" (grid/sample order) or "baseline". */
  id: z.string(),
  label: z.string(),
  config: z.record(z.string(), ComboValue),
  baseline: z.boolean(),
  temperature: z.number(),
  tool_choice: ToolChoice,
  provider_params: z.record(z.string(), z.unknown()),
  adjustments: z.array(AdjustmentSchema),
  /** Combos the provider's rules made identical to this one (run once, here). */
  merged: z.array(z.object({ config: z.record(z.string(), ComboValue), reason: z.string() })),
});
export type PlannedCombo = z.infer<typeof PlannedComboSchema>;

export const PlannedTargetSchema = z.object({
  provider_key: z.string(),
  model_id: z.string(),
  model_name: z.string(),
  combos: z.array(PlannedComboSchema),
  /** The schedule (one rung for grid and random): search cases ranked on and combos kept per rung. */
  rungs: z.array(z.object({ cases: z.number().int(), keep: z.number().int() })),
});
export type PlannedTarget = z.infer<typeof PlannedTargetSchema>;

export const TuneConfigSchema = z.object({
  targets: z.array(PlannedTargetSchema).min(1),
  strategy: z.enum(["grid", "random", "halving"]),
  seed: z.number().int(),
  repeats: z.number().int(),
  search_cases: z.array(z.string()),
  holdout_cases: z.array(z.string()),
  budgets: z.object({ max_latency_ms: z.number().optional(), max_cost_per_case: z.number().optional() }),
  tools: z.array(z.record(z.string(), z.unknown())),
  name_map: z.record(z.string(), z.string()).nullable(),
  suite_system_prompt: z.string().nullable(),
  system_prompt: z.string().nullable(),
  scorer: z.enum(SCORER_NAMES),
  max_tokens: z.number().int(),
  timeout_s: z.number().int(),
  /** The grid's trial count for the same space and cases, so halving's saving can be shown. */
  grid_trials: z.number().int(),
});
export type TuneConfig = z.infer<typeof TuneConfigSchema>;

/** A combo in words, for tables and verdict statements: "temperature 0.2 · tool_choice auto". */
export function comboLabel(config: Record<string, unknown>): string {
  const parts = Object.entries(config).map(([k, v]) => `${k} ${String(v)}`);
  return parts.length ? parts.join(" · ") : "provider defaults";
}
