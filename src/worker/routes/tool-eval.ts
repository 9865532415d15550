/**
 * /api/tool-eval: run a suite against models (one job, one queue message per provider group), cancel it,
 * and read runs back with per-case results and per-model summaries; /api/export/eval/{id} downloads a run.
 */
import { z } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { ModelParamAdjustmentsSchema } from "../../shared/events.ts";
import { toolEvalRuns } from "../db/schema.ts";
import { submitJob } from "../jobs/submit.ts";
import { audit } from "../lib/audit.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { EvalRequestSchema } from "../tool-eval/eval-config.ts";
import { ownedRun, runViews } from "../tool-eval/history.ts";
import { toolEvalJob } from "../tool-eval/job.ts";
import { cancelJobOfType, refuseWhileActive } from "./jobs.ts";

const Submitted = z.object({
  job_id: z.string(),
  eval_id: z.string(),
  status: z.literal("submitted"),
  job_status: z.string(),
  tool_choice: z.enum(["required", "auto", "none"]).openapi({ description: "The tool choice used (the suite's default when omitted)" }),
  param_adjustments: ModelParamAdjustmentsSchema,
});
const RunSummary = z.record(z.string(), z.unknown());
const EvalRun = z
  .object({
    id: z.string(),
    job_id: z.string().nullable(),
    suite_id: z.string().nullable(),
    suite_name: z.string(),
    status: z.string(),
    scorer: z.string(),
    temperature: z.number().nullable(),
    tool_choice: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    models: z.array(z.object({ provider_key: z.string(), model_id: z.string() })),
    config: z.record(z.string(), z.unknown()),
    summary: z.array(RunSummary),
  })
  .openapi("ToolEvalRun");
const EvalRunDetail = EvalRun.extend({ results: z.array(z.record(z.string(), z.unknown())) }).openapi("ToolEvalRunDetail");

/** Mounted at /api/tool-eval. */
export const toolEvalRoutes = newRouter();
/** Mounted at /api/export/eval. */
export const evalExportRoutes = newRouter();

toolEvalRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "startToolEval",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Evaluate a suite on models; results stream over the WebSocket",
    request: jsonBody(EvalRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 404: errors[404], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, toolEvalJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

toolEvalRoutes.openapi(
  route({
    method: "post",
    path: "/cancel",
    operationId: "cancelToolEval",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Cancel a tool eval job (without job_id: your most recent active one)",
    request: jsonBody(z.object({ job_id: z.string().min(1).max(64).optional() }).strict()),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), job_id: z.string() }), "Cancelled"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const { job_id } = c.req.valid("json");
    const jobId = await cancelJobOfType(c.env, c.var.db, userId, "tool_eval", job_id);
    await audit(c, { action: "tool_eval_cancel", userId, resourceType: "job", resourceId: jobId });
    return c.json({ status: "ok" as const, job_id: jobId }, 200);
  },
);

toolEvalRoutes.openapi(
  route({
    method: "get",
    path: "/history",
    operationId: "listToolEvalRuns",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Stored eval runs, newest first, with per-model summaries",
    request: {
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0) }),
    },
    responses: { 200: jsonResponse(z.object({ runs: z.array(EvalRun) }), "Eval runs, newest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    const runs = await c.var.db
      .select()
      .from(toolEvalRuns)
      .where(eq(toolEvalRuns.userId, c.var.user.id))
      .orderBy(desc(toolEvalRuns.createdAt))
      .limit(limit)
      .offset(offset);
    return c.json({ runs: await runViews(c.var.db, runs, false) }, 200);
  },
);

toolEvalRoutes.openapi(
  route({
    method: "get",
    path: "/history/{id}",
    operationId: "getToolEvalRun",
    auth: "user",
    tags: ["tool-eval"],
    summary: "One eval run with every case result",
    request: { params: IdParam },
    responses: { 200: jsonResponse(EvalRunDetail, "One eval run with every case result"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    const [view] = await runViews(c.var.db, [run], true);
    return c.json(view as z.infer<typeof EvalRunDetail>, 200);
  },
);

toolEvalRoutes.openapi(
  route({
    method: "delete",
    path: "/history/{id}",
    operationId: "deleteToolEvalRun",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Delete an eval run (a running one must be cancelled first)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    await refuseWhileActive(c.var.db, run.jobId, "evaluation");
    await c.var.db.delete(toolEvalRuns).where(eq(toolEvalRuns.id, run.id));
    return c.json({ status: "ok" as const }, 200);
  },
);

evalExportRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "exportToolEvalRun",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Download one eval run as JSON, with the raw request and response of every case (no keys)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(EvalRunDetail, "The run"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    const [view] = await runViews(c.var.db, [run], true);
    c.header("Content-Disposition", `attachment; filename="eval-${run.id.slice(0, 8)}.json"`);
    return c.json(view as z.infer<typeof EvalRunDetail>, 200);
  },
);
