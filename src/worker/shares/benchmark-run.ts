/** A shared benchmark run: the run's settings, every measured result and the aggregates, nothing about the owner. */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { failureHint } from "../../shared/call-errors.ts";
import { BenchmarkResultSchema, ModelParamAdjustmentsSchema } from "../../shared/events.ts";
import { BenchmarkConfigSchema } from "../benchmark/config.ts";
import { runViews, selectRuns } from "../benchmark/history.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { benchmarkRuns } from "../db/schema.ts";
import { AggregateSchema } from "../routes/benchmark.ts";
import { fmtShareDate } from "./dates.ts";
import { PublicSamplingParamsSchema, publicParamAdjustments, publicProviderParams, publicText } from "./public-text.ts";
import type { ShareableType } from "./shareable.ts";

export const PublicBenchmarkRunSchema = z
  .object({
    status: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    prompt: z.string(),
    max_tokens: z.number().int(),
    temperature: z.number().nullable(),
    runs: z.number().int(),
    warmup: z.boolean(),
    context_tiers: z.array(z.number().int()),
    config: z.object({
      timeout_s: z.number().int().nullable(),
      unique_prefix: z.boolean(),
      provider_params: PublicSamplingParamsSchema.nullable(),
      param_adjustments: ModelParamAdjustmentsSchema,
    }),
    results: z.array(BenchmarkResultSchema),
    aggregates: z.array(AggregateSchema),
  })
  .openapi("SharedBenchmarkRun");
type PublicBenchmarkRun = z.infer<typeof PublicBenchmarkRunSchema>;

export const benchmarkRunShare: ShareableType<typeof PublicBenchmarkRunSchema> = {
  label: "Benchmark run",
  view: PublicBenchmarkRunSchema,

  async titles(db: Db, ownerId: string, ids: string[]) {
    if (!ids.length) return new Map();
    const rows = await db
      .select({ id: benchmarkRuns.id, createdAt: benchmarkRuns.createdAt, tiers: benchmarkRuns.contextTiers, config: benchmarkRuns.config })
      .from(benchmarkRuns)
      .where(and(eq(benchmarkRuns.userId, ownerId), inList(benchmarkRuns.id, ids)));
    return new Map(
      rows.map((r) => {
        const models = BenchmarkConfigSchema.shape.targets.safeParse((r.config as { targets?: unknown }).targets).data?.length ?? 0;
        return [r.id, `Benchmark · ${models} model${models === 1 ? "" : "s"} · ${fmtShareDate(r.createdAt)}`];
      }),
    );
  },

  async load(db: Db, ownerId: string, id: string): Promise<PublicBenchmarkRun | null> {
    const run = await selectRuns(db, and(eq(benchmarkRuns.id, id), eq(benchmarkRuns.userId, ownerId))).get();
    if (!run) return null;
    const [view] = await runViews(db, [run]);
    if (!view) return null;
    const config = BenchmarkConfigSchema.partial().safeParse(view.config).data ?? {};
    return PublicBenchmarkRunSchema.parse({
      status: view.status,
      timestamp: view.timestamp,
      completed_at: view.completed_at,
      prompt: view.prompt,
      max_tokens: view.max_tokens,
      temperature: view.temperature,
      runs: view.runs,
      warmup: view.warmup,
      context_tiers: view.context_tiers,
      config: {
        timeout_s: config.timeout_s ?? null,
        unique_prefix: config.unique_prefix ?? false,
        provider_params: publicProviderParams(config.provider_params),
        param_adjustments: publicParamAdjustments(config.param_adjustments),
      },
      // The provider's host is left out (a custom provider's may be an internal address), and so is the hint that names it.
      results: view.results.map((r) => ({
        ...r,
        error: publicText(r.error),
        error_host: null,
        error_hint: r.error_class ? failureHint(r.error_class, { provider: r.provider, host: null }) : null,
      })),
      aggregates: view.aggregates,
    });
  },
};
