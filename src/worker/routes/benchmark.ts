/**
 * /api/benchmark and /api/history: submit a speed benchmark (one job, one queue message per provider group),
 * cancel it, and read stored runs with their per-run rows and aggregates (metrics.md).
 */
import { inList } from "../db/in-list.ts";
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, getTableColumns, type SQL } from "drizzle-orm";
import { requireUser } from "../auth/middleware.ts";
import { benchmarkResults, benchmarkRuns, jobs } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { bearerSecurity, errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema } from "../lib/http.ts";
import { BenchmarkRequestSchema } from "../benchmark/config.ts";
import { benchmarkJob } from "../benchmark/job.ts";
import { submitJob } from "../jobs/submit.ts";
import { resultView } from "../benchmark/results.ts";
import { cancelJobOfType } from "./jobs.ts";
import { BenchmarkResultSchema } from "../../shared/events.ts";
import { aggregate, AGGREGATED_FIELDS } from "../../shared/metrics.ts";
import { ACTIVE_STATUSES, runStatusOf, type JobStatus } from "../../shared/jobs.ts";

const AdjustmentSchema = z.object({
  param: z.string(),
  original: z.unknown(),
  adjusted: z.unknown(),
  action: z.enum(["clamp", "drop", "rename", "warn", "passthrough"]),
  reason: z.string(),
});
const ParamAdjustmentsSchema = z.array(
  z.object({ model_id: z.string(), provider: z.string(), provider_key: z.string(), adjustments: z.array(AdjustmentSchema) }),
);
const Submitted = z.object({
  job_id: z.string(),
  run_id: z.string(),
  status: z.literal("submitted"),
  job_status: z.string(),
  param_adjustments: ParamAdjustmentsSchema,
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
const AggregateSchema = z.object({
  provider_key: z.string(),
  provider: z.string(),
  model_id: z.string(),
  model: z.string(),
  context_tokens: z.number().int(),
  n: z.number().int(),
  failures: z.number().int(),
  confidence: z.enum(["high", "medium", "low"]),
  stats: z.object(Object.fromEntries(AGGREGATED_FIELDS.map((f) => [f, DistributionSchema])) as Record<(typeof AGGREGATED_FIELDS)[number], typeof DistributionSchema>),
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
    metadata: z.object({ source: z.string() }),
    config: z.record(z.string(), z.unknown()),
    results: z.array(BenchmarkResultSchema),
    aggregates: z.array(AggregateSchema),
  })
  .openapi("BenchmarkRun");

const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const benchmarkRoutes = newRouter();
for (const p of ["/benchmark", "/benchmark/*", "/history", "/history/*"]) benchmarkRoutes.use(p, requireUser);

benchmarkRoutes.openapi(
  createRoute({
    method: "post",
    path: "/benchmark",
    tags: ["benchmark"],
    summary: "Start a speed benchmark; progress and results stream over the WebSocket",
    security: bearerSecurity,
    request: jsonBody(BenchmarkRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, benchmarkJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

benchmarkRoutes.openapi(
  createRoute({
    method: "post",
    path: "/benchmark/cancel",
    tags: ["benchmark"],
    summary: "Cancel a benchmark job (without job_id: your most recent active one)",
    security: bearerSecurity,
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

type RunRow = typeof benchmarkRuns.$inferSelect & { jobStatus: string | null };

/** Every result column but the raw event timings (kilobytes per row, never part of the API's view). */
const { timings: _timings, ...RESULT_VIEW_COLUMNS } = getTableColumns(benchmarkResults);
type ResultRow = { [K in keyof typeof RESULT_VIEW_COLUMNS]: (typeof benchmarkResults.$inferSelect)[K] };

function runView(run: RunRow, rows: ResultRow[]) {
  const measured = rows.filter((r) => r.runNumber !== 0); // warm-ups are stored but never shown or aggregated
  const results = measured.map((r) =>
    resultView(
      { providerName: r.providerName, providerKey: r.providerKey, modelName: r.modelName, modelId: r.modelId },
      r.contextTokens,
      Math.max(1, r.runNumber),
      run.runs,
      {
        success: r.success,
        skipped: r.runNumber < 0,
        error: r.error,
        error_class: r.errorClass,
        m: r.success
          ? {
              ttfb_ms: r.ttfbMs,
              ttft_ms: r.ttftMs,
              ttfa_ms: r.ttfaMs,
              total_ms: r.totalMs ?? 0,
              output_tokens: r.outputTokens,
              input_tokens: r.inputTokens,
              token_source: r.tokenSource,
              output_speed_tps: r.outputSpeedTps,
              e2e_tps: r.e2eTps,
              itl_ms: r.itlMs,
              prefill_tps: r.prefillTps,
              cost_usd: r.costUsd,
            }
          : null,
      },
    ),
  );
  const groups = new Map<string, typeof results>();
  for (const r of results.filter((x) => x.type === "result")) {
    const key = `${r.provider_key}\u0000${r.model_id}\u0000${r.context_tokens}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const aggregates = [...groups.values()].map((rs) => {
    const first = rs[0]!;
    const a = aggregate(rs.map((r) => ({ ...r, cost_usd: r.cost })));
    return { provider_key: first.provider_key, provider: first.provider, model_id: first.model_id, model: first.model, context_tokens: first.context_tokens, ...a };
  });
  return {
    id: run.id,
    job_id: run.jobId,
    status: run.jobStatus ? runStatusOf(run.jobStatus as JobStatus) : run.status,
    timestamp: run.createdAt,
    completed_at: run.completedAt,
    prompt: run.prompt,
    max_tokens: run.maxTokens,
    temperature: run.temperature,
    runs: run.runs,
    warmup: run.warmup,
    context_tiers: run.contextTiers,
    metadata: { source: run.source },
    config: run.config as Record<string, unknown>,
    results,
    aggregates,
  };
}

type Db = import("../db/client.ts").Db;

/** The user's runs matching `where`, newest first, each with its job's live status (one query). */
function selectRuns(db: Db, where: SQL | undefined) {
  return db
    .select({ ...getTableColumns(benchmarkRuns), jobStatus: jobs.status })
    .from(benchmarkRuns)
    .leftJoin(jobs, eq(jobs.id, benchmarkRuns.jobId))
    .where(where)
    .orderBy(desc(benchmarkRuns.createdAt));
}

async function loadRuns(db: Db, runs: RunRow[]) {
  if (!runs.length) return [];
  const rows = await db
    .select(RESULT_VIEW_COLUMNS)
    .from(benchmarkResults)
    .where(inList(benchmarkResults.runId, runs.map((r) => r.id)))
    .orderBy(asc(benchmarkResults.createdAt));
  const byRun = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const list = byRun.get(row.runId);
    if (list) list.push(row);
    else byRun.set(row.runId, [row]);
  }
  return runs.map((run) => runView(run, byRun.get(run.id) ?? []));
}

benchmarkRoutes.openapi(
  createRoute({
    method: "get",
    path: "/history",
    tags: ["benchmark"],
    security: bearerSecurity,
    request: { query: HistoryQuery },
    responses: { 200: jsonResponse(z.object({ runs: z.array(RunSchema) }), "Benchmark runs, newest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    const runs = await selectRuns(c.var.db, eq(benchmarkRuns.userId, c.var.user.id)).limit(limit).offset(offset);
    return c.json({ runs: await loadRuns(c.var.db, runs) }, 200);
  },
);

async function ownedRun(c: { var: { db: Db; user: { id: string } } }, id: string): Promise<RunRow> {
  const run = await selectRuns(c.var.db, and(eq(benchmarkRuns.id, id), eq(benchmarkRuns.userId, c.var.user.id))).get();
  if (!run) throw notFound("Benchmark run");
  return run;
}

benchmarkRoutes.openapi(
  createRoute({
    method: "get",
    path: "/history/{id}",
    tags: ["benchmark"],
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(RunSchema, "One run with every result and aggregate"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c, c.req.valid("param").id);
    const [view] = await loadRuns(c.var.db, [run]);
    return c.json(view!, 200);
  },
);

benchmarkRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/history/{id}",
    tags: ["benchmark"],
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c, c.req.valid("param").id);
    if (run.jobStatus && ACTIVE_STATUSES.includes(run.jobStatus as JobStatus)) {
      throw badRequest("Cancel the running benchmark before deleting it");
    }
    await c.var.db.delete(benchmarkRuns).where(eq(benchmarkRuns.id, run.id));
    await audit(c, { action: "benchmark_delete", userId: c.var.user.id, resourceType: "benchmark_run", resourceId: run.id });
    return c.json({ status: "ok" as const }, 200);
  },
);
