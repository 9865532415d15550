/**
 * A shared tool-eval run: settings, per-model summary and every case result with its score parts, never the raw
 * exchange (request headers and bodies as sent) nor anything about the owner beyond the run.
 */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { failureHint } from "../../shared/call-errors.ts";
import { summarize } from "../../shared/eval-summary.ts";
import { ModelParamAdjustmentsSchema, ToolEvalResultDataSchema } from "../../shared/events.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { toolEvalRuns } from "../db/schema.ts";
import { EvalConfigSchema } from "../tool-eval/eval-config.ts";
import { runViews } from "../tool-eval/history.ts";
import { fmtShareDate } from "./dates.ts";
import { PublicSamplingParamsSchema, publicParamAdjustments, publicProviderParams, publicText } from "./public-text.ts";
import type { ShareableType } from "./shareable.ts";

const PublicEvalResultSchema = ToolEvalResultDataSchema.extend({
  score_parts: z
    .record(z.string(), z.unknown())
    .nullable()
    .openapi({ description: "The scorer's parts (computed by the scorer from expected and actual calls)" }),
});

export const PublicToolEvalRunSchema = z
  .object({
    suite_name: z.string(),
    status: z.string(),
    scorer: z.string(),
    temperature: z.number().nullable(),
    tool_choice: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    models: z.array(z.object({ provider_key: z.string(), model_id: z.string() })),
    config: z.object({
      tool_count: z.number().int(),
      case_count: z.number().int(),
      max_tokens: z.number().int().nullable(),
      timeout_s: z.number().int().nullable(),
      suite_system_prompt: z.string().nullable(),
      system_prompt: z.union([z.string(), z.record(z.string(), z.string())]).nullable(),
      provider_params: PublicSamplingParamsSchema.nullable(),
      param_adjustments: ModelParamAdjustmentsSchema,
    }),
    summary: z.array(z.record(z.string(), z.unknown())),
    results: z.array(PublicEvalResultSchema),
  })
  .openapi("SharedToolEvalRun");
type PublicToolEvalRun = z.infer<typeof PublicToolEvalRunSchema>;

export const toolEvalRunShare: ShareableType<typeof PublicToolEvalRunSchema> = {
  label: "Tool-eval run",
  view: PublicToolEvalRunSchema,

  async titles(db: Db, ownerId: string, ids: string[]) {
    if (!ids.length) return new Map();
    const rows = await db
      .select({ id: toolEvalRuns.id, suiteName: toolEvalRuns.suiteName, createdAt: toolEvalRuns.createdAt })
      .from(toolEvalRuns)
      .where(and(eq(toolEvalRuns.userId, ownerId), inList(toolEvalRuns.id, ids)));
    return new Map(rows.map((r) => [r.id, `Tool eval · ${r.suiteName} · ${fmtShareDate(r.createdAt)}`]));
  },

  async load(db: Db, ownerId: string, id: string): Promise<PublicToolEvalRun | null> {
    const run = await db
      .select()
      .from(toolEvalRuns)
      .where(and(eq(toolEvalRuns.id, id), eq(toolEvalRuns.userId, ownerId)))
      .get();
    if (!run) return null;
    const [view] = await runViews(db, [run], true);
    if (!view) return null;
    const config = EvalConfigSchema.partial().safeParse(run.config).data ?? {};
    const results = ((view.results ?? []) as Array<z.infer<typeof ToolEvalResultDataSchema> & { score_parts: Record<string, unknown> | null }>).map(
      (r) => ({
        ...r,
        error: publicText(r.error),
        error_host: null,
        error_hint: r.error_class ? failureHint(r.error_class, { provider: r.provider, host: null }) : null,
      }),
    );
    return PublicToolEvalRunSchema.parse({
      suite_name: view.suite_name,
      status: view.status,
      scorer: view.scorer,
      temperature: view.temperature,
      tool_choice: view.tool_choice,
      timestamp: view.timestamp,
      completed_at: view.completed_at,
      models: view.models,
      config: {
        tool_count: config.tools?.length ?? 0,
        case_count: config.case_ids?.length ?? 0,
        max_tokens: config.max_tokens ?? null,
        timeout_s: config.timeout_s ?? null,
        suite_system_prompt: config.suite_system_prompt ?? null,
        system_prompt: config.system_prompt ?? null,
        provider_params: publicProviderParams(config.provider_params),
        param_adjustments: publicParamAdjustments(config.param_adjustments),
      },
      summary: summarize(results),
      results,
    });
  },
};
