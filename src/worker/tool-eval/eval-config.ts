/** The tool-eval request (POST /api/tool-eval) and the config stored with each eval run. */
import { z } from "@hono/zod-openapi";
import { SCORER_NAMES } from "../../shared/scoring/types.ts";
import { TargetRefSchema } from "../benchmark/config.ts";

export const EvalRequestSchema = z
  .object({
    suite_id: z.string().min(1).max(64),
    targets: z.array(TargetRefSchema).min(1).max(50).optional(),
    models: z.array(z.string().min(1).max(256)).min(1).max(50).optional(),
    temperature: z.number().min(0).max(2).default(0),
    // Omitted: "auto" when the suite has cases whose right answer is no call (they can't pass "required"), else "required".
    tool_choice: z.enum(["required", "auto", "none"]).optional(),
    scorer: z.enum(SCORER_NAMES).default("classic"),
    provider_params: z.record(z.string(), z.unknown()).optional(),
    // One prompt for every model, or per model keyed "provider_key::model_id" with an optional "_global".
    system_prompt: z.union([z.string().max(50_000), z.record(z.string(), z.string().max(50_000))]).optional(),
    max_tokens: z.number().int().min(16).max(32_000).default(1024),
    timeout: z.number().int().min(10).max(600).default(120),
    experiment_id: z.string().min(1).max(64).optional(),
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
});
export type EvalConfig = z.infer<typeof EvalConfigSchema>;

/** Per-model system prompt: the request's (per model, then _global), else the model's own, plus the suite's. */
export function systemPromptFor(config: EvalConfig, providerKey: string, modelId: string, modelPrompt: string | null): string | null {
  const req = config.system_prompt;
  const fromRequest = typeof req === "string" ? req : req ? (req[`${providerKey}::${modelId}`] ?? req[modelId] ?? req._global ?? null) : null;
  const parts = [config.suite_system_prompt, fromRequest ?? modelPrompt].filter((p): p is string => Boolean(p?.trim()));
  return parts.length ? parts.join("\n\n") : null;
}
