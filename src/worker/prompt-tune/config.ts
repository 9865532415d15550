/**
 * The prompt tuner's request (POST /api/tool-eval/prompt-tune) and the plan stored with each run: the targets,
 * the meta-model, the limits, the seeded search / held-out split, and the suite as it was (tools, a few scenarios
 * for the meta-prompt). Workers replay the schedule from this and what is stored (`prompt-schedule.ts`).
 *
 * Deviation from the original (§10.1): out-of-range limits get a 400 naming the field instead of being clamped
 * silently, so a client learns its request was not what ran.
 */
import { z } from "@hono/zod-openapi";
import { boundedNumber } from "../../shared/bounded-number.ts";
import { EVAL_LIMITS } from "../../shared/request-limits.ts";
import { SCORER_NAMES } from "../../shared/scoring/types.ts";
import { TargetRefSchema } from "../benchmark/config.ts";

export const PROMPT_TUNE_LIMITS = {
  population_size: { min: 3, max: 20, default: 5 },
  generations: { min: 1, max: 10, quick: 1, evolutionary: 3 },
  selection_ratio: { min: 0.2, max: 0.8, default: 0.4 },
  base_prompt_chars: 50_000,
  /** Evaluation calls a tune may plan in all (the user is told the count and how to cut it). */
  max_planned_calls: 20_000,
} as const;

/** The original's default base prompt (§10.1). */
export const DEFAULT_BASE_PROMPT =
  "You are a helpful assistant that uses tools to answer questions. When the user asks you to perform an action, use the appropriate tool.";

const L = PROMPT_TUNE_LIMITS;
const ToolChoice = z.enum(["auto", "required", "none"]);

export const PromptTuneRequestSchema = z
  .object({
    suite_id: z.string().min(1).max(64),
    mode: z.enum(["quick", "evolutionary"]).default("quick"),
    /** Target models by id (any provider that has it), or exact targets. */
    target_models: z.array(z.string().min(1).max(256)).min(1).max(10).optional(),
    target_targets: z.array(TargetRefSchema).min(1).max(10).optional(),
    /** The model that writes prompts: a model id, or "provider_key::model_id". */
    meta_model: z.string().min(1).max(300),
    meta_provider_key: z.string().min(1).max(64).optional(),
    base_prompt: z.string().trim().min(1).max(L.base_prompt_chars).optional(),
    config: z
      .object({
        population_size: z.number().int().min(L.population_size.min).max(L.population_size.max).optional(),
        /** Quick mode runs one generation whatever is sent. */
        generations: z.number().int().min(L.generations.min).max(L.generations.max).optional(),
        selection_ratio: z.number().min(L.selection_ratio.min).max(L.selection_ratio.max).optional(),
        temperature: boundedNumber(EVAL_LIMITS.temperature).optional(),
        tool_choice: ToolChoice.optional(),
      })
      .strict()
      .default({}),
    /** Fixes the held-out split (and the meta-model's seed where supported); one is picked (and returned) when absent. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    /** Share of the cases kept out of the search to confirm the winner on (0 = none). */
    holdout_fraction: z.number().min(0).max(0.5).default(0),
    scorer: z.enum(SCORER_NAMES).default("classic"),
    max_tokens: boundedNumber(EVAL_LIMITS.max_tokens).default(1024),
    timeout: boundedNumber(EVAL_LIMITS.timeout).default(120),
    /** Links the tune to an experiment of the same suite (its best prompt can become the experiment's best). */
    experiment_id: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((b) => b.target_targets || b.target_models, { error: "Give target_models (or target_targets)", path: ["target_models"] })
  .openapi("PromptTuneRequest");
export type PromptTuneRequest = z.infer<typeof PromptTuneRequestSchema>;

const TargetSchema = z.object({ provider_key: z.string(), model_id: z.string(), model_name: z.string() });

export const PromptTuneConfigSchema = z.object({
  mode: z.enum(["quick", "evolutionary"]),
  targets: z.array(TargetSchema).min(1),
  meta: TargetSchema,
  generations: z.number().int(),
  population_size: z.number().int(),
  selection_ratio: z.number(),
  temperature: z.number(),
  tool_choice: ToolChoice,
  seed: z.number().int(),
  search_cases: z.array(z.string()),
  holdout_cases: z.array(z.string()),
  tools: z.array(z.record(z.string(), z.unknown())),
  name_map: z.record(z.string(), z.string()).nullable(),
  suite_system_prompt: z.string().nullable(),
  /** Up to ten cases shown to the meta-model, so it writes for this suite. */
  scenarios: z.array(z.object({ prompt: z.string(), expectedTool: z.string().nullable() })),
  scorer: z.enum(SCORER_NAMES),
  max_tokens: z.number().int(),
  timeout_s: z.number().int(),
});
export type PromptTuneConfig = z.infer<typeof PromptTuneConfigSchema>;

export const targetKeyOf = (t: { provider_key: string; model_id: string }) => `${t.provider_key}::${t.model_id}`;
