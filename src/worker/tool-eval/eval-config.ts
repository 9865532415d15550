/** The tool-eval request (POST /api/tool-eval) and the config stored with each eval run. */
import { z } from "@hono/zod-openapi";
import { boundedNumber } from "../../shared/bounded-number.ts";
import { ModelParamAdjustmentsSchema } from "../../shared/events.ts";
import { EVAL_LIMITS } from "../../shared/request-limits.ts";
import { SCORER_NAMES } from "../../shared/scoring/types.ts";
import { TargetRefSchema } from "../benchmark/config.ts";
import { InlineJudgeConfigSchema, InlineJudgeSchema } from "../judge/config.ts";

export const EvalRequestSchema = z
  .object({
    suite_id: z.string().min(1).max(64),
    targets: z.array(TargetRefSchema).min(1).max(50).optional(),
    models: z.array(z.string().min(1).max(256)).min(1).max(50).optional(),
    temperature: boundedNumber(EVAL_LIMITS.temperature).default(0),
    // Omitted: "auto" when the suite has cases whose right answer is no call (they can't pass "required"), else "required".
    tool_choice: z.enum(["required", "auto", "none"]).optional(),
    scorer: z.enum(SCORER_NAMES).default("classic"),
    provider_params: z.record(z.string(), z.unknown()).optional(),
    // One prompt for every model, or per model keyed "provider_key::model_id" with an optional "_global".
    system_prompt: z.union([z.string().max(50_000), z.record(z.string(), z.string().max(50_000))]).optional(),
    max_tokens: boundedNumber(EVAL_LIMITS.max_tokens).default(1024),
    timeout: boundedNumber(EVAL_LIMITS.timeout).default(120), // seconds per call
    experiment_id: z.string().min(1).max(64).optional(),
    /** Live-inline judging: each case is judged as its result arrives, in the same job (a judge report, mode live_inline). */
    judge: InlineJudgeSchema.optional(),
  })
  .strict()
  .refine((b) => b.targets || b.models, { error: "Give targets (or models)", path: ["targets"] })
  .openapi("ToolEvalRequest");

export const EvalConfigSchema = z.object({
  targets: z.array(TargetRefSchema).min(1),
  case_ids: z.array(z.string()),
  tools: z.array(z.record(z.string(), z.unknown())),
  name_map: z.record(z.string(), z.string()).nullable().default(null), // provider tool name → original (imports)
  suite_system_prompt: z.string().nullable(),
  system_prompt: z.union([z.string(), z.record(z.string(), z.string())]).nullable(),
  temperature: z.number(),
  tool_choice: z.enum(["required", "auto", "none"]),
  scorer: z.enum(SCORER_NAMES),
  provider_params: z.record(z.string(), z.unknown()).nullable(),
  max_tokens: z.number().int(),
  timeout_s: z.number().int(),
  /** What the provider parameter registry changed per model (runs stored before this was kept have none). */
  param_adjustments: ModelParamAdjustmentsSchema.default([]),
  /** Live-inline judging, when asked for: the report it fills and the judge. */
  judge: InlineJudgeConfigSchema.nullable().default(null),
});
export type EvalConfig = z.infer<typeof EvalConfigSchema>;

/** Per-model system prompt: the request's (per model, then _global), else the model's own, plus the suite's. */
export function systemPromptFor(config: EvalConfig, providerKey: string, modelId: string, modelPrompt: string | null): string | null {
  const req = config.system_prompt;
  const fromRequest = typeof req === "string" ? req : req ? (req[`${providerKey}::${modelId}`] ?? req[modelId] ?? req._global ?? null) : null;
  const parts = [config.suite_system_prompt, fromRequest ?? modelPrompt].filter((p): p is string => Boolean(p?.trim()));
  return parts.length ? parts.join("\n\n") : null;
}
