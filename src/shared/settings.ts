/** Feature settings documents ("phase10" in the original API): schemas and defaults, validated on every write. */
import { z } from "zod";
import { boundedNumber } from "./bounded-number.ts";
import { JUDGE_INSTRUCTIONS_MAX_CHARS } from "./judge/limits.ts";
import { BENCHMARK_LIMITS } from "./request-limits.ts";
import { TUNE_LIMITS } from "./tuning/limits.ts";

export const JudgeSettings = z.object({
  enabled: z.boolean(),
  model_id: z.string().max(256),
  mode: z.enum(["post_eval", "live_inline"]),
  temperature: z.number().min(0).max(2),
  max_tokens: z.number().int().min(256).max(32000),
  custom_instructions: z.string().max(JUDGE_INSTRUCTIONS_MAX_CHARS),
});

export const ParamTunerSettings = z.object({
  max_combinations: z.number().int().min(TUNE_LIMITS.n_trials.min).max(TUNE_LIMITS.n_trials.max),
  temp_min: z.number().min(0).max(2),
  temp_max: z.number().min(0).max(2),
  temp_step: z.number().positive().max(2),
  top_p_min: z.number().min(0).max(1),
  top_p_max: z.number().min(0).max(1),
  top_p_step: z.number().positive().max(1),
  presets: z.array(z.object({ name: z.string().trim().min(1).max(100), search_space: z.record(z.string(), z.unknown()) }).loose()).max(20),
});

export const PromptTunerSettings = z.object({
  mode: z.enum(["quick", "evolutionary"]),
  generations: z.number().int().min(1).max(10),
  population_size: z.number().int().min(3).max(20),
  max_api_calls: z.number().int().min(1).max(10000),
});

export const ParamSupportSettings = z
  .object({ provider_defaults: z.record(z.string(), z.unknown()), model_overrides: z.record(z.string(), z.unknown()) })
  .loose()
  .nullable();

// The defaults are in a zod-free module: the tuner pages prefill their forms from them, and this module's schemas
// would bring zod into those pages' first load.

export const BenchmarkDefaultsSchema = z.object({
  max_tokens: boundedNumber(BENCHMARK_LIMITS.max_tokens),
  temperature: boundedNumber(BENCHMARK_LIMITS.temperature),
  context_tiers: z.array(boundedNumber(BENCHMARK_LIMITS.context_tier)).min(1).max(16),
  prompt: z.string().min(1).max(500_000),
});
