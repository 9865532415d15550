/**
 * /api/tool-eval/param-tune: start a parameter tune (one job, one queue message per provider group), cancel it,
 * and read tunes back: the list with each best config, and one tune with every combo's figures, the best combo
 * and its significance (live while it runs, stored once it ends).
 */
import { z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { runDurationS } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { paramTuneRuns, paramTuneTrials, toolTestCases } from "../db/schema.ts";
import { submitJob } from "../jobs/submit.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, notFound } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import type { TuneAnswer } from "../param-tune/answer.ts";
import { ParamTuneRequestSchema, TuneConfigSchema } from "../param-tune/config.ts";
import { paramTuneJob } from "../param-tune/job.ts";
import { loadTuneAnswer } from "../param-tune/summary.ts";
import { cancelJobOfType, refuseWhileActive } from "./jobs.ts";

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
    duration_s: runDurationS(run.createdAt, run.completedAt),
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

const ComboTrial = z
  .object({
    case_id: z.string(),
    repeat: z.number().int(),
    /** Null when the case was deleted from the suite after the tune. */
    prompt: z.string().nullable(),
    expected_tool: z.unknown(),
    expected_params: z.unknown(),
    actual_calls: z.array(z.object({ name: z.string(), arguments: z.unknown() })),
    score: z.number(),
    tool_score: z.number().nullable(),
    param_score: z.number().nullable(),
    passed: z.boolean(),
    latency_ms: z.number().nullable(),
    cost_usd: z.number().nullable(),
    error: z.string().nullable(),
    holdout: z.boolean(),
  })
  .openapi("ParamTuneTrial");

paramTuneRoutes.openapi(
  route({
    method: "get",
    path: "/history/{id}/trials",
    operationId: "listParamTuneTrials",
    auth: "user",
    tags: ["tuners"],
    summary: "One combo's trials on one model: per case the expected and the actual calls, scores, latency and cost (the drill-down)",
    request: {
      params: IdParam,
      // Optional here, required below: ownership is checked first, so another user's tune is a 404 however asked.
      query: z.object({
        provider_key: z.string().min(1).max(64).optional(),
        model_id: z.string().min(1).max(256).optional(),
        combo: z.string().min(1).max(64).optional(),
      }),
    },
    responses: {
      200: jsonResponse(z.object({ trials: z.array(ComboTrial) }), "The combo's trials, in the tune's case order"),
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const run = await ownedTune(c.var.db, c.var.user.id, c.req.valid("param").id);
    const query = c.req.valid("query");
    const missing = (["provider_key", "model_id", "combo"] as const).filter((k) => !query[k]);
    if (missing.length)
      throw new ApiError(
        400,
        "validation_failed",
        `Give ${missing.join(", ")}: which model's combo to show`,
        missing.map((k) => ({ path: k, message: "Required" })),
      );
    const q = query as Required<typeof query>;
    const config = TuneConfigSchema.parse(run.config);
    const rows = await c.var.db
      .select()
      .from(paramTuneTrials)
      .where(
        and(
          eq(paramTuneTrials.tuneRunId, run.id),
          eq(paramTuneTrials.providerKey, q.provider_key),
          eq(paramTuneTrials.modelId, q.model_id),
          eq(paramTuneTrials.combo, q.combo),
        ),
      );
    const caseIds = [...new Set(rows.map((r) => r.caseId))];
    const cases = caseIds.length
      ? await c.var.db
          .select({
            id: toolTestCases.id,
            prompt: toolTestCases.prompt,
            expectedTool: toolTestCases.expectedTool,
            expectedParams: toolTestCases.expectedParams,
          })
          .from(toolTestCases)
          .where(inList(toolTestCases.id, caseIds))
      : [];
    const byId = new Map(cases.map((x) => [x.id, x]));
    const order = new Map([...config.search_cases, ...config.holdout_cases].map((id, i) => [id, i]));
    const holdout = new Set(config.holdout_cases);
    rows.sort((a, b) => (order.get(a.caseId) ?? 0) - (order.get(b.caseId) ?? 0) || a.repeat - b.repeat);
    const trials = rows.map((r) => {
      const cs = byId.get(r.caseId);
      const actual = (r.actualCalls as { calls?: { name: string; arguments: unknown }[] } | null)?.calls ?? [];
      return {
        case_id: r.caseId,
        repeat: r.repeat,
        prompt: cs?.prompt ?? null,
        expected_tool: cs?.expectedTool ?? null,
        expected_params: cs?.expectedParams ?? null,
        actual_calls: actual.map((a) => ({ name: a.name, arguments: a.arguments })),
        score: r.score,
        tool_score: r.toolScore,
        param_score: r.paramScore,
        passed: r.passed,
        latency_ms: r.latencyMs,
        cost_usd: r.costUsd,
        error: r.error,
        holdout: holdout.has(r.caseId),
      };
    });
    return c.json({ trials }, 200);
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
    await refuseWhileActive(c.var.db, run.jobId, "tune");
    await c.var.db.delete(paramTuneRuns).where(eq(paramTuneRuns.id, run.id));
    return c.json({ status: "ok" as const }, 200);
  },
);
