/**
 * /api/experiments: experiments group the eval, param-tune and prompt-tune runs of one suite to track improvement
 * against a baseline (inventory §5.9, §13.1). Create (with a baseline eval from history, or a baseline config that
 * is submitted as an eval), list, read, rename, archive/unarchive (`status`), delete, set the baseline, read the
 * timeline with significance-labelled deltas, and "run best" (a tool eval with the best config, linked).
 * Runs are linked by sending `experiment_id` to their own submit routes; their ends update baseline and best
 * (experiments/bookkeeping.ts).
 */
import { z } from "@hono/zod-openapi";
import { and, count, desc, eq } from "drizzle-orm";
import { boundedNumber } from "../../shared/bounded-number.ts";
import { ModelParamAdjustmentsSchema } from "../../shared/events.ts";
import { EVAL_LIMITS } from "../../shared/request-limits.ts";
import { TargetRefSchema } from "../benchmark/config.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { experiments, jobs, toolSuites } from "../db/schema.ts";
import { linkedRun, TIMELINE_SOURCES } from "../experiments/sources.ts";
import { type ExperimentRow, experimentView, ownedExperiment } from "../experiments/store.ts";
import { buildTimeline } from "../experiments/timeline.ts";
import { submitJob } from "../jobs/submit.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, badRequest } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { isoNow, newId } from "../lib/ids.ts";
import { EvalRequestSchema } from "../tool-eval/eval-config.ts";
import { ownedRun } from "../tool-eval/history.ts";
import { toolEvalJob } from "../tool-eval/job.ts";
import { ownedSuite } from "../tool-eval/store.ts";

const ToolChoice = z.enum(["required", "auto", "none"]);
const SystemPrompt = z.union([z.string().max(50_000), z.record(z.string().max(300), z.string().max(50_000))]);

/** A baseline given as a config: submitted as a tool eval on the experiment's suite, which becomes the baseline. */
const BaselineConfig = z
  .object({
    targets: z.array(TargetRefSchema).min(1).max(50),
    temperature: boundedNumber(EVAL_LIMITS.temperature).optional(),
    tool_choice: ToolChoice.optional(),
    provider_params: z.record(z.string().max(64), z.unknown()).optional(),
    system_prompt: SystemPrompt.optional(),
  })
  .strict()
  .openapi("ExperimentBaselineConfig");

const CreateBody = z
  .object({
    name: z.string().trim().min(1).max(256),
    description: z.string().max(2000).optional(),
    suite_id: z.string().min(1).max(64),
    baseline_eval_id: z.string().min(1).max(64).optional().openapi({ description: "A stored eval run of the same suite" }),
    baseline_config: BaselineConfig.optional().openapi({ description: "Or a config: run now as the baseline eval" }),
  })
  .strict()
  .openapi("ExperimentCreate");

const UpdateBody = z
  .object({
    name: z.string().trim().min(1).max(256).optional(),
    description: z.string().max(2000).optional(),
    status: z.enum(["active", "archived"]).optional().openapi({ description: "archived hides it from the list and refuses new links" }),
  })
  .strict()
  .openapi("ExperimentUpdate");

const Experiment = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    suite_id: z.string(),
    suite_name: z.string(),
    status: z.enum(["active", "archived"]),
    baseline_eval_id: z.string().nullable(),
    baseline_score: z.number().nullable(),
    best_score: z.number().nullable(),
    best_source: z.string().nullable(),
    best_source_id: z.string().nullable(),
    best_config: z.record(z.string(), z.unknown()).nullable(),
    run_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Experiment");

const Created = z
  .object({
    status: z.literal("ok"),
    experiment_id: z.string(),
    baseline_score: z.number().nullable(),
    baseline_job_id: z.string().nullable().openapi({ description: "The baseline eval's job, when the baseline was given as a config" }),
    baseline_eval_id: z.string().nullable(),
  })
  .openapi("ExperimentCreated");

const TimelineEntry = z
  .object({
    type: z.string().openapi({ description: "eval, param_tune, prompt_tune or judge" }),
    id: z.string(),
    status: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    score: z.number().nullable(),
    delta: z.number().nullable(),
    is_baseline: z.boolean(),
    is_best: z.boolean(),
    config_summary: z.string(),
    significance: z.record(z.string(), z.unknown()).nullable().openapi({ description: "Paired test against the baseline eval (docs/statistics.md)" }),
    significance_label: z.enum(["significant", "not significant", "insufficient evidence"]).nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi("ExperimentTimelineEntry");

const Timeline = z
  .object({
    experiment_id: z.string(),
    experiment_name: z.string(),
    suite_id: z.string(),
    baseline: z.object({ eval_id: z.string().nullable(), score: z.number().nullable() }).nullable(),
    best: z
      .object({
        score: z.number(),
        source: z.string().nullable(),
        source_id: z.string().nullable(),
        config: z.record(z.string(), z.unknown()).nullable(),
      })
      .nullable(),
    entries: z.array(TimelineEntry),
  })
  .openapi("ExperimentTimeline");

const RunBestBody = z
  .object({ targets: z.array(TargetRefSchema).min(1).max(50).optional().openapi({ description: "Other models than the best config's" }) })
  .strict()
  .openapi("ExperimentRunBest");

const RunBestSubmitted = z
  .object({
    job_id: z.string(),
    eval_id: z.string(),
    status: z.literal("submitted"),
    job_status: z.string(),
    config_used: z.object({
      targets: z.array(TargetRefSchema),
      temperature: z.number(),
      tool_choice: ToolChoice,
      provider_params: z.record(z.string(), z.unknown()).nullable(),
      system_prompt: SystemPrompt.nullable(),
      promoted_from: z.record(z.string(), z.unknown()),
    }),
    param_adjustments: ModelParamAdjustmentsSchema,
  })
  .openapi("ExperimentRunBestSubmitted");

/** Linked runs per experiment, over every timeline source. */
async function runCounts(db: Db, userId: string, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  for (const source of TIMELINE_SOURCES) {
    const t = source.table;
    const rows = await db
      .select({ id: t.experimentId, n: count() })
      .from(t)
      .where(and(eq(t.userId, userId), inList(t.experimentId, ids)))
      .groupBy(t.experimentId);
    for (const r of rows) if (r.id) out.set(String(r.id), (out.get(String(r.id)) ?? 0) + r.n);
  }
  return out;
}

async function views(db: Db, userId: string, rows: ExperimentRow[]) {
  const ids = rows.map((r) => r.id);
  const [counts, suites] = await Promise.all([
    runCounts(db, userId, ids),
    rows.length
      ? db
          .select({ id: toolSuites.id, name: toolSuites.name })
          .from(toolSuites)
          .where(
            inList(
              toolSuites.id,
              rows.map((r) => r.suiteId),
            ),
          )
      : [],
  ]);
  const suiteName = new Map(suites.map((s) => [s.id, s.name]));
  return rows.map((r) => experimentView(r, { suite_name: suiteName.get(r.suiteId) ?? "", run_count: counts.get(r.id) ?? 0 }));
}

/** The baseline an eval run gives: it must be the caller's, on the experiment's suite, and finished with a score. */
async function baselineFrom(db: Db, userId: string, suiteId: string, evalRunId: string) {
  const run = await ownedRun(db, userId, evalRunId);
  if (run.suiteId !== suiteId) throw badRequest("The baseline eval ran another suite", [{ path: "eval_run_id", message: "another suite's run" }]);
  const evalSource = TIMELINE_SOURCES.find((s) => s.canBeBaseline)!;
  const linked = await linkedRun(db, evalSource, userId, run.id);
  // Finished as history shows it: the job is done (the run row's status follows a moment later).
  const job = run.jobId ? await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, run.jobId)).get() : undefined;
  const finished = linked?.status === "completed" || job?.status === "done";
  if (!finished || !linked || linked.score === null) {
    throw new ApiError(409, "conflict", "The baseline eval has not finished with a score (wait for it, or pick another run)");
  }
  return { baselineEvalId: run.id, baselineScore: linked.score };
}

/** Mounted at /api/experiments. */
export const experimentRoutes = newRouter();

experimentRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listExperiments",
    auth: "user",
    tags: ["experiments"],
    summary: "Your experiments, most recently updated first (active ones unless asked otherwise)",
    request: { query: z.object({ status: z.enum(["active", "archived", "all"]).default("active") }) },
    responses: { 200: jsonResponse(z.object({ experiments: z.array(Experiment) }), "Experiments") },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const { status } = c.req.valid("query");
    const rows = await c.var.db
      .select()
      .from(experiments)
      .where(and(eq(experiments.userId, userId), status === "all" ? undefined : eq(experiments.status, status)))
      .orderBy(desc(experiments.updatedAt));
    return c.json({ experiments: await views(c.var.db, userId, rows) }, 200);
  },
);

experimentRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "createExperiment",
    auth: "user",
    tags: ["experiments"],
    summary: "Create an experiment on a suite, with an optional baseline (a stored eval run, or a config run now)",
    request: jsonBody(CreateBody),
    responses: { 201: jsonResponse(Created, "Created"), 400: errors[400], 404: errors[404], 409: errors[409], 429: errors[429] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const db = c.var.db;
    const body = c.req.valid("json");
    const suite = await ownedSuite(db, userId, body.suite_id);
    const baseline = body.baseline_eval_id ? await baselineFrom(db, userId, suite.id, body.baseline_eval_id) : null;
    // Checked after the look-ups, so another user's ids are "not found" whatever else the body says.
    if (baseline && body.baseline_config)
      throw badRequest("Give baseline_eval_id or baseline_config, not both", [{ path: "baseline_config", message: "not with baseline_eval_id" }]);
    const id = newId();
    await db.insert(experiments).values({
      id,
      userId,
      suiteId: suite.id,
      name: body.name,
      description: body.description ?? "",
      baselineEvalId: baseline?.baselineEvalId ?? null,
      baselineScore: baseline?.baselineScore ?? null,
    });
    let baselineJobId: string | null = null;
    let baselineEvalId = baseline?.baselineEvalId ?? null;
    if (body.baseline_config) {
      try {
        const request = EvalRequestSchema.parse({ ...body.baseline_config, suite_id: suite.id, experiment_id: id });
        const submitted = await submitJob(c, toolEvalJob, request);
        baselineJobId = submitted.job_id;
        baselineEvalId = String(submitted.eval_id);
      } catch (err) {
        // No half-made experiment: a refused baseline (unknown model, rate limit) leaves nothing behind.
        await db.delete(experiments).where(eq(experiments.id, id));
        throw err;
      }
      // Named the baseline now; its score lands when it finishes (bookkeeping.ts).
      await db.update(experiments).set({ baselineEvalId }).where(eq(experiments.id, id));
    }
    await audit(c, { action: "experiment_create", userId, resourceType: "experiment", resourceId: id, detail: { suite_id: suite.id } });
    return c.json(
      {
        status: "ok" as const,
        experiment_id: id,
        baseline_score: baseline?.baselineScore ?? null,
        baseline_job_id: baselineJobId,
        baseline_eval_id: baselineEvalId,
      },
      201,
    );
  },
);

experimentRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "getExperiment",
    auth: "user",
    tags: ["experiments"],
    summary: "One experiment with its baseline, best score and best config",
    request: { params: IdParam },
    responses: { 200: jsonResponse(Experiment, "The experiment"), 404: errors[404] },
  }),
  async (c) => {
    const row = await ownedExperiment(c.var.db, c.var.user.id, c.req.valid("param").id);
    const [view] = await views(c.var.db, c.var.user.id, [row]);
    return c.json(view!, 200);
  },
);

experimentRoutes.openapi(
  route({
    method: "put",
    path: "/{id}",
    operationId: "updateExperiment",
    auth: "user",
    tags: ["experiments"],
    summary: "Rename, describe, archive (status archived) or unarchive (status active) an experiment",
    request: { params: IdParam, ...jsonBody(UpdateBody) },
    responses: { 200: jsonResponse(Experiment, "The experiment"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const row = await ownedExperiment(c.var.db, userId, c.req.valid("param").id);
    const body = c.req.valid("json");
    const [updated] = await c.var.db
      .update(experiments)
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.status !== undefined ? { status: body.status } : {}),
        updatedAt: isoNow(),
      })
      .where(eq(experiments.id, row.id))
      .returning();
    if (body.status && body.status !== row.status) {
      await audit(c, {
        action: body.status === "archived" ? "experiment_archive" : "experiment_unarchive",
        userId,
        resourceType: "experiment",
        resourceId: row.id,
      });
    }
    const [view] = await views(c.var.db, userId, [updated!]);
    return c.json(view!, 200);
  },
);

experimentRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    operationId: "deleteExperiment",
    auth: "user",
    tags: ["experiments"],
    summary: "Delete an experiment (its runs stay in history, unlinked)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const row = await ownedExperiment(c.var.db, userId, c.req.valid("param").id);
    await c.var.db.delete(experiments).where(eq(experiments.id, row.id));
    await audit(c, { action: "experiment_delete", userId, resourceType: "experiment", resourceId: row.id });
    return c.json({ status: "ok" as const }, 200);
  },
);

experimentRoutes.openapi(
  route({
    method: "put",
    path: "/{id}/baseline",
    operationId: "setExperimentBaseline",
    auth: "user",
    tags: ["experiments"],
    summary: "Make a finished eval run of the experiment's suite its baseline",
    request: {
      params: IdParam,
      ...jsonBody(
        z
          .object({ eval_run_id: z.string().min(1).max(64) })
          .strict()
          .openapi("ExperimentBaseline"),
      ),
    },
    responses: {
      200: jsonResponse(z.object({ status: z.literal("ok"), baseline_eval_id: z.string(), baseline_score: z.number() }), "Baseline set"),
      400: errors[400],
      404: errors[404],
      409: errors[409],
    },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const row = await ownedExperiment(c.var.db, userId, c.req.valid("param").id);
    const baseline = await baselineFrom(c.var.db, userId, row.suiteId, c.req.valid("json").eval_run_id);
    await c.var.db
      .update(experiments)
      .set({ ...baseline, updatedAt: isoNow() })
      .where(eq(experiments.id, row.id));
    return c.json({ status: "ok" as const, baseline_eval_id: baseline.baselineEvalId, baseline_score: baseline.baselineScore }, 200);
  },
);

experimentRoutes.openapi(
  route({
    method: "get",
    path: "/{id}/timeline",
    operationId: "getExperimentTimeline",
    auth: "user",
    tags: ["experiments"],
    summary: "Every linked run, oldest first, with its score, delta against the baseline and whether the delta is significant",
    request: { params: IdParam },
    responses: { 200: jsonResponse(Timeline, "The timeline"), 404: errors[404] },
  }),
  async (c) => {
    const row = await ownedExperiment(c.var.db, c.var.user.id, c.req.valid("param").id);
    return c.json((await buildTimeline(c.var.db, row)) as unknown as z.infer<typeof Timeline>, 200);
  },
);

experimentRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/run-best",
    operationId: "runExperimentBest",
    auth: "user",
    tags: ["experiments"],
    summary: "Run a tool eval with the experiment's best config (linked to the experiment)",
    request: { params: IdParam, ...jsonBody(RunBestBody) },
    responses: { 200: jsonResponse(RunBestSubmitted, "Submitted"), 400: errors[400], 404: errors[404], 409: errors[409], 429: errors[429] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const row = await ownedExperiment(c.var.db, userId, c.req.valid("param").id);
    const best = row.bestConfig as z.infer<typeof RunBestSubmitted>["config_used"] & { scorer?: string };
    if (!best) throw new ApiError(409, "conflict", "The experiment has no best config yet: link an eval or a tune first");
    const targets = c.req.valid("json").targets ?? best.targets;
    // The normal submit path: the same validation, limits and events as an eval started from the Evaluate page.
    const request = EvalRequestSchema.parse({
      suite_id: row.suiteId,
      targets,
      temperature: best.temperature,
      tool_choice: best.tool_choice,
      ...(best.provider_params ? { provider_params: best.provider_params } : {}),
      ...(best.system_prompt ? { system_prompt: best.system_prompt } : {}),
      ...(best.scorer ? { scorer: best.scorer } : {}),
      experiment_id: row.id,
    });
    const submitted = await submitJob(c, toolEvalJob, request);
    await audit(c, { action: "experiment_run_best", userId, resourceType: "experiment", resourceId: row.id, detail: { job_id: submitted.job_id } });
    return c.json(
      {
        ...(submitted as unknown as Omit<z.infer<typeof RunBestSubmitted>, "config_used">),
        config_used: {
          targets,
          temperature: best.temperature,
          tool_choice: best.tool_choice,
          provider_params: best.provider_params ?? null,
          system_prompt: best.system_prompt ?? null,
          promoted_from: best.promoted_from,
        },
      },
      200,
    );
  },
);
