/**
 * A shared experiment timeline: the experiment's name and description, its suite's name, baseline and best scores,
 * the best config (sampling parameters by name only: free-form kwargs never leave) and every linked run with its
 * score, delta and significance. Run ids, the suite id and the owner's other experiments stay private.
 */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { configSummary } from "../../shared/experiments.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { experiments, toolSuites } from "../db/schema.ts";
import type { LinkedRun } from "../experiments/sources.ts";
import { buildTimeline } from "../experiments/timeline.ts";
import { PublicSamplingParamsSchema, publicProviderParams, publicText } from "./public-text.ts";
import type { ShareableType } from "./shareable.ts";

const Primitive = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const PublicExperimentTimelineSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    suite_name: z.string(),
    baseline_score: z.number().nullable(),
    best: z
      .object({
        score: z.number(),
        source: z.string().nullable(),
        config: z
          .object({
            targets: z.array(z.object({ provider_key: z.string(), model_id: z.string() })),
            temperature: z.number(),
            tool_choice: z.string(),
            provider_params: PublicSamplingParamsSchema.nullable(),
            system_prompt: z.union([z.string(), z.record(z.string(), z.string())]).nullable(),
            scorer: z.string(),
          })
          .nullable(),
      })
      .nullable(),
    entries: z.array(
      z.object({
        type: z.string(),
        status: z.string(),
        timestamp: z.string(),
        completed_at: z.string().nullable(),
        score: z.number().nullable(),
        delta: z.number().nullable(),
        is_baseline: z.boolean(),
        is_best: z.boolean(),
        config_summary: z.string(),
        significance_label: z.enum(["significant", "not significant", "insufficient evidence"]).nullable(),
        detail: z.record(z.string(), z.union([Primitive, z.array(z.object({ provider_key: z.string(), model_id: z.string() }))])),
      }),
    ),
  })
  .openapi("SharedExperimentTimeline");
type PublicExperimentTimeline = z.infer<typeof PublicExperimentTimelineSchema>;

/** A run's config summary with only the named sampling parameters (the stored one may list passthrough kwargs). */
function publicSummary(run: LinkedRun): string {
  if (!run.best) return publicText(run.configSummary);
  const full = configSummary(run.best);
  const shown = configSummary({ ...run.best, provider_params: publicProviderParams(run.best.provider_params) });
  return publicText(run.configSummary.replace(full, shown));
}

export const experimentTimelineShare: ShareableType<typeof PublicExperimentTimelineSchema> = {
  label: "Experiment",
  view: PublicExperimentTimelineSchema,

  async titles(db: Db, ownerId: string, ids: string[]) {
    if (!ids.length) return new Map();
    const rows = await db
      .select({ id: experiments.id, name: experiments.name })
      .from(experiments)
      .where(and(eq(experiments.userId, ownerId), inList(experiments.id, ids)));
    return new Map(rows.map((r) => [r.id, `Experiment · ${r.name}`]));
  },

  async load(db: Db, ownerId: string, id: string): Promise<PublicExperimentTimeline | null> {
    const row = await db
      .select()
      .from(experiments)
      .where(and(eq(experiments.id, id), eq(experiments.userId, ownerId)))
      .get();
    if (!row) return null;
    const [timeline, suite] = await Promise.all([
      buildTimeline(db, row, publicSummary),
      db.select({ name: toolSuites.name }).from(toolSuites).where(eq(toolSuites.id, row.suiteId)).get(),
    ]);
    const best = timeline.best;
    return PublicExperimentTimelineSchema.parse({
      name: row.name,
      description: row.description,
      suite_name: suite?.name ?? "",
      baseline_score: timeline.baseline?.score ?? null,
      best: best
        ? {
            score: best.score,
            source: best.source,
            config: best.config
              ? {
                  targets: best.config.targets,
                  temperature: best.config.temperature,
                  tool_choice: best.config.tool_choice,
                  provider_params: publicProviderParams(best.config.provider_params),
                  system_prompt: best.config.system_prompt,
                  scorer: best.config.scorer,
                }
              : null,
          }
        : null,
      entries: timeline.entries.map((e) => ({
        ...e,
        detail: Object.fromEntries(Object.entries(e.detail).map(([k, v]) => [k, typeof v === "string" ? publicText(v) : v])),
      })),
    });
  },
};
