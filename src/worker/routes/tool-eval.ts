/**
 * /api/tool-eval: run a suite against models (one job, one queue message per provider group), cancel it,
 * and read runs back with per-case results and per-model summaries; /api/export/eval/{id} downloads a run.
 */
import { inList } from "../db/in-list.ts";
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, getTableColumns } from "drizzle-orm";
import { requireUser } from "../auth/middleware.ts";
import { jobs, toolEvalResults, toolEvalRuns, toolTestCases } from "../db/schema.ts";
import type { Db } from "../db/client.ts";
import { audit } from "../lib/audit.ts";
import { badRequest, notFound } from "../lib/errors.ts";
import { bearerSecurity, errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema } from "../lib/http.ts";
import { cancelJobOfType } from "./jobs.ts";
import { EvalRequestSchema, type EvalConfig } from "../tool-eval/eval-config.ts";
import { toolEvalJob } from "../tool-eval/job.ts";
import { submitJob } from "../jobs/submit.ts";
import { resultEvent } from "../tool-eval/results.ts";
import { summarize } from "../../shared/eval-summary.ts";
import { ACTIVE_STATUSES, runStatusOf } from "../../shared/jobs.ts";
import type { CaseScore } from "../../shared/scoring/types.ts";

const Submitted = z.object({ job_id: z.string(), eval_id: z.string(), status: z.literal("submitted"), job_status: z.string() });
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

export const toolEvalRoutes = newRouter();
for (const p of ["/tool-eval", "/tool-eval/*", "/export/eval/*"]) toolEvalRoutes.use(p, requireUser);

toolEvalRoutes.openapi(
  createRoute({
    method: "post",
    path: "/tool-eval",
    tags: ["tool-eval"],
    summary: "Evaluate a suite on models; results stream over the WebSocket",
    security: bearerSecurity,
    request: jsonBody(EvalRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 404: errors[404], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, toolEvalJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

toolEvalRoutes.openapi(
  createRoute({
    method: "post",
    path: "/tool-eval/cancel",
    tags: ["tool-eval"],
    security: bearerSecurity,
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

type RunRow = typeof toolEvalRuns.$inferSelect;
type ResultRow = typeof toolEvalResults.$inferSelect;

const { rawRequest: _rawRequest, rawResponse: _rawResponse, ...SUMMARY_COLUMNS } = getTableColumns(toolEvalResults);

/** Result rows for a list: what the summaries use, without the raw exchanges (the bulk of a row). */
async function summaryRows(db: Db, runIds: string[]): Promise<ResultRow[]> {
  const rows = await db.select(SUMMARY_COLUMNS).from(toolEvalResults).where(inList(toolEvalResults.evalRunId, runIds)).orderBy(asc(toolEvalResults.createdAt));
  return rows.map((r) => ({ ...r, rawRequest: null, rawResponse: null }));
}

async function runsView(db: Db, runs: RunRow[], withResults: boolean) {
  if (!runs.length) return [];
  const ids = runs.map((r) => r.id);
  const [rows, jobRows] = await Promise.all([
    withResults ? db.select().from(toolEvalResults).where(inList(toolEvalResults.evalRunId, ids)).orderBy(asc(toolEvalResults.createdAt)) : summaryRows(db, ids),
    db.select({ id: jobs.id, status: jobs.status }).from(jobs).where(inList(jobs.id, runs.map((r) => r.jobId ?? ""))),
  ]);
  const caseIds = [...new Set(rows.map((r) => r.testCaseId).filter((x): x is string => Boolean(x)))];
  const cases = caseIds.length ? await db.select().from(toolTestCases).where(inList(toolTestCases.id, caseIds)) : [];
  const caseById = new Map(cases.map((k) => [k.id, k]));
  const statusOf = new Map(jobRows.map((j) => [j.id, j.status]));
  const rowsOf = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const list = rowsOf.get(r.evalRunId);
    if (list) list.push(r);
    else rowsOf.set(r.evalRunId, [r]);
  }
  return runs.map((run) => {
    const mine = rowsOf.get(run.id) ?? [];
    const results = mine.map((r: ResultRow) => {
      const k = r.testCaseId ? caseById.get(r.testCaseId) : undefined;
      const view = resultEvent(r, {
        id: r.testCaseId ?? "",
        prompt: k?.prompt ?? "(deleted case)",
        expected_tool: (k?.expectedTool ?? null) as string | string[] | null,
        expected_params: (k?.expectedParams ?? null) as Record<string, unknown> | null,
        should_call_tool: k?.shouldCallTool ?? true,
      });
      return { ...view, score_parts: r.scoreParts as CaseScore | null, raw_request: r.rawRequest, raw_response: r.rawResponse };
    });
    const config = run.config as EvalConfig;
    const jobStatus = run.jobId ? statusOf.get(run.jobId) : undefined;
    return {
      id: run.id,
      job_id: run.jobId,
      suite_id: run.suiteId,
      suite_name: run.suiteName,
      status: jobStatus ? runStatusOf(jobStatus) : run.status,
      scorer: run.scorer,
      temperature: run.temperature,
      tool_choice: run.toolChoice,
      timestamp: run.createdAt,
      completed_at: run.completedAt,
      models: config.targets,
      config: { ...config, tools: undefined, case_ids: undefined, tool_count: config.tools.length, case_count: config.case_ids.length } as Record<string, unknown>,
      summary: summarize(results),
      ...(withResults ? { results: results as unknown as Record<string, unknown>[] } : {}),
    };
  });
}

toolEvalRoutes.openapi(
  createRoute({
    method: "get",
    path: "/tool-eval/history",
    tags: ["tool-eval"],
    security: bearerSecurity,
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }) },
    responses: { 200: jsonResponse(z.object({ runs: z.array(EvalRun) }), "Eval runs, newest first") },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid("query");
    const runs = await c.var.db.select().from(toolEvalRuns).where(eq(toolEvalRuns.userId, c.var.user.id)).orderBy(desc(toolEvalRuns.createdAt)).limit(limit).offset(offset);
    return c.json({ runs: await runsView(c.var.db, runs, false) }, 200);
  },
);

async function ownedRun(db: Db, userId: string, id: string) {
  const run = await db.select().from(toolEvalRuns).where(and(eq(toolEvalRuns.id, id), eq(toolEvalRuns.userId, userId))).get();
  if (!run) throw notFound("Eval run");
  return run;
}

toolEvalRoutes.openapi(
  createRoute({
    method: "get",
    path: "/tool-eval/history/{id}",
    tags: ["tool-eval"],
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(EvalRunDetail, "One eval run with every case result"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    const [view] = await runsView(c.var.db, [run], true);
    return c.json(view as z.infer<typeof EvalRunDetail>, 200);
  },
);

toolEvalRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/tool-eval/history/{id}",
    tags: ["tool-eval"],
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    if (run.jobId) {
      const job = await c.var.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, run.jobId)).get();
      if (job && ACTIVE_STATUSES.includes(job.status)) throw badRequest("Cancel the running evaluation before deleting it");
    }
    await c.var.db.delete(toolEvalRuns).where(eq(toolEvalRuns.id, run.id));
    return c.json({ status: "ok" as const }, 200);
  },
);

toolEvalRoutes.openapi(
  createRoute({
    method: "get",
    path: "/export/eval/{id}",
    tags: ["tool-eval"],
    summary: "Download one eval run as JSON, with the raw request and response of every case (no keys)",
    security: bearerSecurity,
    request: { params: IdParam },
    responses: { 200: jsonResponse(EvalRunDetail, "The run"), 404: errors[404] },
  }),
  async (c) => {
    const run = await ownedRun(c.var.db, c.var.user.id, c.req.valid("param").id);
    const [view] = await runsView(c.var.db, [run], true);
    c.header("Content-Disposition", `attachment; filename="eval-${run.id.slice(0, 8)}.json"`);
    return c.json(view as z.infer<typeof EvalRunDetail>, 200);
  },
);
