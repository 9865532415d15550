/**
 * /api/tool-eval/param-tune: start a parameter tune (one job, one queue message per provider group), cancel it,
 * and read tunes back: the list with each best config, and one tune with every combo's figures, the best combo
 * and its significance (live while it runs, stored once it ends).
 */
import { z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { ACTIVE_STATUSES } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";
import { jobs, paramTuneRuns } from "../db/schema.ts";
import { submitJob } from "../jobs/submit.ts";
import { audit } from "../lib/audit.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { ParamTuneRequestSchema, TuneConfigSchema } from "../param-tune/config.ts";
import { paramTuneJob } from "../param-tune/job.ts";
import { loadTuneAnswer, type TuneAnswer } from "../param-tune/summary.ts";
import { cancelJobOfType } from "./jobs.ts";

const Submitted = z
  .object({
    job_id: z.string(),
    tune_id: z.string(),
    status: z.literal("submitted"),
    job_status: z.string(),
    seed: z.number().int().openapi({ description: "Fixes the random draw, case order and held-out split; send it again to repeat the tune" }),
    strategy: z.string(),
    total_combos: z.number().int(),
    planned_trials: z.number().int().openapi({ description: "Calls the tune plans (halving's ties may add a few)" }),
    grid_trials: z.number().int().openapi({ description: "Calls the full grid would make on the same cases" }),
    search_cases: z.number().int(),
    holdout_cases: z.number().int(),
    merged_combos: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: "Combos the provider's parameter rules made identical to another, and why" }),
  })
  .openapi("ParamTuneSubmitted");

const TuneRun = z
  .object({
    id: z.string(),
    job_id: z.string().nullable(),
    suite_id: z.string().nullable(),
    suite_name: z.string(),
    strategy: z.string(),
    seed: z.number().int(),
    repeats: z.number().int(),
    models: z.array(z.object({ provider_key: z.string(), model_id: z.string() })),
    total_combos: z.number().int(),
    planned_trials: z.number().int(),
    best_score: z.number().nullable(),
    best_config: z.record(z.string(), z.unknown()).nullable(),
    status: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    duration_s: z.number().nullable(),
  })
  .openapi("ParamTuneRun");
const TuneDetail = TuneRun.extend({
  search_space: z.record(z.string(), z.unknown()),
  config: z.record(z.string(), z.unknown()),
  answer: z.record(z.string(), z.unknown()),
}).openapi("ParamTuneRunDetail");

type RunRow = typeof paramTuneRuns.$inferSelect;

function runView(run: RunRow): z.infer<typeof TuneRun> {
  const config = TuneConfigSchema.parse(run.config);
  const duration = run.completedAt ? (Date.parse(run.completedAt) - Date.parse(run.createdAt)) / 1000 : null;
  return {
    id: run.id,
    job_id: run.jobId,
    suite_id: run.suiteId,
    suite_name: run.suiteName,
    strategy: run.strategy,
    seed: run.seed,
    repeats: run.repeats,
    models: config.targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
    total_combos: run.totalCombos,
    planned_trials: run.plannedTrials,
    best_score: run.bestScore,
    best_config: (run.bestConfig as Record<string, unknown> | null) ?? null,
    status: run.status,
    timestamp: run.createdAt,
    completed_at: run.completedAt,
    duration_s: duration === null || Number.isNaN(duration) ? null : Math.round(duration * 10) / 10,
  };
}

async function ownedTune(db: Db, userId: string, id: string): Promise<RunRow> {
  const run = await db
    .select()
    .from(paramTuneRuns)
    .where(and(eq(paramTuneRuns.id, id), eq(paramTuneRuns.userId, userId)))
    .get();
  if (!run) throw notFound("Parameter tune");
  return run;
}

/** Mounted at /api/tool-eval/param-tune. */
export const paramTuneRoutes = newRouter();

paramTuneRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "startParamTune",
    auth: "user",
    tags: ["tuners"],
    summary: "Tune sampling parameters on a suite (grid, seeded random, or successive halving); progress streams over the WebSocket",
    request: jsonBody(ParamTuneRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 404: errors[404], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, paramTuneJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

paramTuneRoutes.openapi(
  route({
    method: "post",
    path: "/cancel",
    operationId: "cancelParamTune",
    auth: "user",
    tags: ["tuners"],
    summary: "Cancel a parameter tune (without job_id: your most recent active one); finished trials are kept",
    request: jsonBody(z.object({ job_id: z.string().min(1).max(64).optional() }).strict()),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), job_id: z.string() }), "Cancelled"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const jobId = await cancelJobOfType(c.env, c.var.db, userId, "param_tune", c.req.valid("json").job_id);
    await audit(c, { action: "param_tune_cancel", userId, resourceType: "job", resourceId: jobId });
    return c.json({ status: "ok" as const, job_id: jobId }, 200);
  },
);

paramTuneRoutes.openapi(
  route({
    method: "get",
    path: "/history",
    operationId: "listParamTunes",
    auth: "user",
    tags: ["tuners"],
    summary: "Stored parameter tunes, newest first, with each best config",
    request: {
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0) }),
    },
    responses: { 200: jsonResponse(z.object({ runs: z.array(TuneRun) }), "Tunes, newest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    const runs = await c.var.db
      .select()
      .from(paramTuneRuns)
      .where(eq(paramTuneRuns.userId, c.var.user.id))
      .orderBy(desc(paramTuneRuns.createdAt))
      .limit(limit)
      .offset(offset);
    return c.json({ runs: runs.map(runView) }, 200);
  },
);

paramTuneRoutes.openapi(
  route({
    method: "get",
    path: "/history/{id}",
    operationId: "getParamTune",
    auth: "user",
    tags: ["tuners"],
    summary: "One tune: every combo's figures, the best combo and its significance (computed live while it runs)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(TuneDetail, "The tune"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedTune(c.var.db, c.var.user.id, c.req.valid("param").id);
    const answer = (run.summary as TuneAnswer | null) ?? (await loadTuneAnswer(c.var.db, run));
    return c.json(
      {
        ...runView(run),
        search_space: run.searchSpace as Record<string, unknown>,
        config: run.config as Record<string, unknown>,
        answer: answer as unknown as Record<string, unknown>,
      },
      200,
    );
  },
);

paramTuneRoutes.openapi(
  route({
    method: "delete",
    path: "/history/{id}",
    operationId: "deleteParamTune",
    auth: "user",
    tags: ["tuners"],
    summary: "Delete a tune and its trials (a running one must be cancelled first)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedTune(c.var.db, c.var.user.id, c.req.valid("param").id);
    if (run.jobId) {
      const job = await c.var.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, run.jobId)).get();
      if (job && ACTIVE_STATUSES.includes(job.status)) throw badRequest("Cancel the running tune before deleting it");
    }
    await c.var.db.delete(paramTuneRuns).where(eq(paramTuneRuns.id, run.id));
    return c.json({ status: "ok" as const }, 200);
  },
);
