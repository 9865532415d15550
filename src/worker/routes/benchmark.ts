/**
 * /api/benchmark and /api/history: submit a speed benchmark (one job, one queue message per provider group),
 * cancel it, and read stored runs with their per-run rows and aggregates (metrics.md).
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { BenchmarkResultSchema, ModelParamAdjustmentsSchema } from "../../shared/events.ts";
import { ACTIVE_STATUSES, type JobStatus } from "../../shared/jobs.ts";
import { AGGREGATED_FIELDS } from "../../shared/metrics.ts";
import { BenchmarkRequestSchema } from "../benchmark/config.ts";
import { ownedRun, runViews, selectRuns } from "../benchmark/history.ts";
import { benchmarkJob } from "../benchmark/job.ts";
import { benchmarkRuns } from "../db/schema.ts";
import { refuseOverRunLimit } from "../jobs/limits.ts";
import { submitJob } from "../jobs/submit.ts";
import { audit } from "../lib/audit.ts";
import { badRequest } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { cancelJobOfType } from "./jobs.ts";

const Submitted = z.object({
  job_id: z.string(),
  run_id: z.string(),
  status: z.literal("submitted"),
  job_status: z.string(),
  param_adjustments: ModelParamAdjustmentsSchema,
});

const DistributionSchema = z
  .object({
    n: z.number(),
    mean: z.number(),
    p50: z.number(),
    p90: z.number(),
    p95: z.number(),
    p99: z.number(),
    min: z.number(),
    max: z.number(),
    stddev: z.number().nullable(),
    cv_pct: z.number().nullable(),
    outliers: z.number(),
  })
  .nullable();
export const AggregateSchema = z.object({
  provider_key: z.string(),
  provider: z.string(),
  model_id: z.string(),
  model: z.string(),
  context_tokens: z.number().int(),
  n: z.number().int(),
  failures: z.number().int(),
  confidence: z.enum(["high", "medium", "low"]),
  stats: z.object(
    Object.fromEntries(AGGREGATED_FIELDS.map((f) => [f, DistributionSchema])) as Record<
      (typeof AGGREGATED_FIELDS)[number],
      typeof DistributionSchema
    >,
  ),
});
const RunSchema = z
  .object({
    id: z.string(),
    job_id: z.string().nullable(),
    status: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    prompt: z.string(),
    max_tokens: z.number().int(),
    temperature: z.number().nullable(),
    runs: z.number().int(),
    warmup: z.boolean(),
    context_tiers: z.array(z.number().int()),
    metadata: z.object({ source: z.string(), schedule_id: z.string().optional() }),
    config: z.record(z.string(), z.unknown()),
    results: z.array(BenchmarkResultSchema),
    aggregates: z.array(AggregateSchema),
  })
  .openapi("BenchmarkRun");

const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

/** Mounted at /api/benchmark. */
export const benchmarkRoutes = newRouter();
/** Mounted at /api/history: the stored runs. */
export const benchmarkHistoryRoutes = newRouter();

benchmarkRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "startBenchmark",
    auth: "user",
    tags: ["benchmark"],
    summary: "Start a speed benchmark; progress and results stream over the WebSocket",
    request: jsonBody(BenchmarkRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 429: errors[429] },
  }),
  async (c) => {
    const body = c.req.valid("json");
    await refuseOverRunLimit(c.var.db, c.var.user.id, body.runs);
    return c.json((await submitJob(c, benchmarkJob, body)) as z.infer<typeof Submitted>, 200);
  },
);

benchmarkRoutes.openapi(
  route({
    method: "post",
    path: "/cancel",
    operationId: "cancelBenchmark",
    auth: "user",
    tags: ["benchmark"],
    summary: "Cancel a benchmark job (without job_id: your most recent active one)",
    request: jsonBody(z.object({ job_id: z.string().min(1).max(64).optional() }).strict()),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), message: z.string(), job_id: z.string() }), "Cancelled"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const { job_id } = c.req.valid("json");
    const jobId = await cancelJobOfType(c.env, c.var.db, userId, "benchmark", job_id);
    await audit(c, { action: "benchmark_cancel", userId, resourceType: "job", resourceId: jobId });
    return c.json({ status: "ok" as const, message: "Benchmark cancelled", job_id: jobId }, 200);
  },
);

benchmarkHistoryRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listBenchmarkRuns",
    auth: "user",
    tags: ["benchmark"],
    summary: "Stored benchmark runs, newest first, with their results and aggregates",
    request: { query: HistoryQuery },
    responses: { 200: jsonResponse(z.object({ runs: z.array(RunSchema) }), "Benchmark runs, newest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    const runs = await selectRuns(c.var.db, eq(benchmarkRuns.userId, c.var.user.id)).limit(limit).offset(offset);
    return c.json({ runs: await runViews(c.var.db, runs) }, 200);
  },
);

benchmarkHistoryRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "getBenchmarkRun",
    auth: "user",
    tags: ["benchmark"],
    summary: "One benchmark run with every result and aggregate",
    request: { params: IdParam },
    responses: { 200: jsonResponse(RunSchema, "One run with every result and aggregate"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    const [view] = await runViews(c.var.db, [run]);
    return c.json(view!, 200);
  },
);

benchmarkHistoryRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    operationId: "deleteBenchmarkRun",
    auth: "user",
    tags: ["benchmark"],
    summary: "Delete a benchmark run (a running one must be cancelled first)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    if (run.jobStatus && ACTIVE_STATUSES.includes(run.jobStatus as JobStatus)) {
      throw badRequest("Cancel the running benchmark before deleting it");
    }
    await c.var.db.delete(benchmarkRuns).where(eq(benchmarkRuns.id, run.id));
    await audit(c, { action: "benchmark_delete", userId: c.var.user.id, resourceType: "benchmark_run", resourceId: run.id });
    return c.json({ status: "ok" as const }, 200);
  },
);
