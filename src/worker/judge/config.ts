/**
 * The judge's requests (POST /api/tool-eval/judge, /compare; the original's field names, §5.8) and the plan stored
 * with each report. Deviation: out-of-range values are a 400 naming the field, never clamped silently.
 */
import { z } from "@hono/zod-openapi";
import { JUDGE_INSTRUCTIONS_MAX_CHARS } from "../../shared/judge/limits.ts";

export const JUDGE_LIMITS = { concurrency: { min: 1, max: 16, default: 4 }, custom_instructions_chars: JUDGE_INSTRUCTIONS_MAX_CHARS } as const;

/** The judge as the original names it: a model id, or "provider_key::model_id", with an optional provider key. */
const judgeFields = {
  judge_model: z.string().min(1).max(300).openapi({ description: 'The judge: a model id, or "provider_key::model_id"' }),
  judge_provider_key: z.string().min(1).max(64).optional(),
  custom_instructions: z.string().max(JUDGE_LIMITS.custom_instructions_chars).optional(),
  concurrency: z
    .number()
    .int()
    .min(JUDGE_LIMITS.concurrency.min)
    .max(JUDGE_LIMITS.concurrency.max)
    .default(JUDGE_LIMITS.concurrency.default)
    .openapi({ description: "Judge calls at once; forced to 1 when the judge is served from an evaluated model's base URL" }),
  experiment_id: z.string().min(1).max(64).optional(),
};

export const JudgeRequestSchema = z
  .object({
    eval_run_id: z.string().min(1).max(64),
    ...judgeFields,
    mode: z.enum(["post_eval", "live_inline"]).default("post_eval").openapi({
      description: "post_eval judges a finished run; live_inline is chosen on the eval submit (judge field), so here it is only validated",
    }),
    /** A second judge judges the same cases, for inter-judge agreement. */
    second_judge_model: z.string().min(1).max(300).optional(),
    second_judge_provider_key: z.string().min(1).max(64).optional(),
  })
  .strict()
  .openapi("JudgeRequest");
export type JudgeRequest = z.infer<typeof JudgeRequestSchema>;

export const CompareRequestSchema = z
  .object({
    eval_run_id_a: z.string().min(1).max(64),
    eval_run_id_b: z.string().min(1).max(64),
    ...judgeFields,
  })
  .strict()
  .openapi("JudgeCompareRequest");
export type CompareRequest = z.infer<typeof CompareRequestSchema>;

/** The live-inline option of an eval submission: judge each case as its result arrives. */
export const InlineJudgeSchema = z
  .object({
    judge_model: judgeFields.judge_model,
    judge_provider_key: judgeFields.judge_provider_key,
    custom_instructions: judgeFields.custom_instructions,
  })
  .strict()
  .openapi("InlineJudge");

const Ref = z.object({ provider_key: z.string(), model_id: z.string(), model_name: z.string() });

/** Stored in the eval's config when it judges live: the report it fills and the judge. */
export const InlineJudgeConfigSchema = z.object({ report_id: z.string(), judge: Ref, custom_instructions: z.string() });
export type InlineJudgeConfig = z.infer<typeof InlineJudgeConfigSchema>;

/** What a judge report judges, as planned (config_json). */
export const JudgePlanSchema = z.object({
  judge: Ref,
  second: Ref.nullable(),
  tools: z.array(z.record(z.string(), z.unknown())),
  /** post_eval: the eval results to judge, grouped by model in the run's order. */
  results: z.array(z.object({ result_id: z.string(), provider_key: z.string(), model_id: z.string() })).default([]),
  /** compare: the matched pairs (same case; the same model, or the two runs' only models). */
  pairs: z
    .array(z.object({ result_a: z.string(), result_b: z.string(), provider_key: z.string(), model_id: z.string(), model_id_b: z.string() }))
    .default([]),
  concurrency_note: z.string().nullable().default(null),
});
export type JudgePlan = z.infer<typeof JudgePlanSchema>;

/** "provider_key::model_id", or a model id with an optional provider key (as the prompt tuner's meta-model). */
export function judgeRef(model: string, providerKey?: string) {
  const split = model.indexOf("::");
  if (split > 0) return { targets: [{ provider_key: model.slice(0, split), model_id: model.slice(split + 2) }] };
  return providerKey ? { targets: [{ provider_key: providerKey, model_id: model }] } : { models: [model] };
}
