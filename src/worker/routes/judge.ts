/**
 * /api/tool-eval/judge: judge a finished eval run (post_eval), compare two runs (judge_compare), cancel, read
 * reports back with their calibration, override verdicts (stored and counted, never applied to automated scores;
 * they become human labels), and the judge cards kept per judge configuration.
 */
import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq } from "drizzle-orm";
import { runDurationS } from "../../shared/jobs.ts";
import type { Db } from "../db/client.ts";
import { JUDGE_OVERRIDES, judgeModelReports, judgeReports, judgeVerdicts } from "../db/schema.ts";
import { submitJob } from "../jobs/submit.ts";
import { disagreesWithScorer, judgeCards, reportCalibration } from "../judge/calibration.ts";
import { judgeCompareJob, preferenceCounts } from "../judge/compare-job.ts";
import { CompareRequestSchema, JudgePlanSchema, JudgeRequestSchema } from "../judge/config.ts";
import { judgeJob } from "../judge/job.ts";
import { ownedReport } from "../judge/plan.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, notFound } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { isoNow } from "../lib/ids.ts";
import { cancelJobOfType, refuseWhileActive } from "./jobs.ts";

const Submitted = z
  .object({
    job_id: z.string(),
    judge_report_id: z.string(),
    status: z.literal("submitted"),
    job_status: z.string(),
    concurrency: z.number().int(),
    concurrency_note: z.string().nullable(),
  })
  .catchall(z.unknown())
  .openapi("JudgeSubmitted");

const ReportSummary = z
  .object({
    id: z.string(),
    job_id: z.string().nullable(),
    eval_run_id: z.string().nullable(),
    eval_run_id_b: z.string().nullable(),
    experiment_id: z.string().nullable(),
    suite_name: z.string(),
    judge_model: z.string(),
    judge_provider_key: z.string(),
    judge_model_name: z.string(),
    second_judge_model: z.string().nullable(),
    mode: z.string(),
    prompt_version: z.string(),
    overall_grade: z.string().nullable(),
    overall_score: z.number().nullable(),
    status: z.string(),
    timestamp: z.string(),
    completed_at: z.string().nullable(),
    duration_s: z.number().nullable(),
  })
  .openapi("JudgeReportSummary");

const Verdict = z
  .object({
    id: z.string(),
    judge_role: z.string(),
    judge_model: z.string(),
    eval_result_id: z.string().nullable(),
    eval_result_id_b: z.string().nullable(),
    test_case_id: z.string().nullable(),
    provider_key: z.string(),
    model_id: z.string(),
    model_name: z.string(),
    automated_passed: z.boolean().nullable(),
    quality_score: z.number().int(),
    verdict: z.string(),
    summary: z.string(),
    reasoning: z.string(),
    tool_selection_assessment: z.string(),
    param_assessment: z.string(),
    disagrees_with_scorer: z.boolean(),
    comparison: z.record(z.string(), z.unknown()).nullable(),
    answer_format: z.string().nullable(),
    error: z.string().nullable(),
    cost_usd: z.number().nullable(),
    override_verdict: z.string().nullable(),
    override_reason: z.string().nullable(),
    overridden_at: z.string().nullable(),
  })
  .openapi("JudgeVerdict");

const ReportDetail = ReportSummary.extend({
  custom_instructions: z.string(),
  concurrency: z.number().int(),
  concurrency_note: z.string().nullable(),
  reports: z
    .array(z.record(z.string(), z.unknown()))
    .openapi({ description: "Per model: grade, score, strengths, weaknesses, analysis, recommendations (comparisons: per model pair)" }),
  verdicts: z.array(Verdict).openapi({ description: "Cases where the judge and the automated scorer disagree first" }),
  calibration: z
    .record(z.string(), z.unknown())
    .nullable()
    .openapi({ description: "Judge vs scorer (kappa, confusion table), second judge, overrides; null for comparisons" }),
  comparison: z.record(z.string(), z.unknown()).nullable(),
  wins_a: z.number().int().nullable(),
  wins_b: z.number().int().nullable(),
  ties: z.number().int().nullable(),
  sign_test_p: z.number().nullable(),
  overrides: z.number().int(),
}).openapi("JudgeReportDetail");

type ReportRow = typeof judgeReports.$inferSelect;
type VerdictRow = typeof judgeVerdicts.$inferSelect;

function summaryView(r: ReportRow): z.infer<typeof ReportSummary> {
  return {
    id: r.id,
    job_id: r.jobId,
    eval_run_id: r.evalRunId,
    eval_run_id_b: r.evalRunIdB,
    experiment_id: r.experimentId,
    suite_name: r.suiteName,
    judge_model: r.judgeModelId,
    judge_provider_key: r.judgeProviderKey,
    judge_model_name: r.judgeModelName,
    second_judge_model: r.secondModelId,
    mode: r.mode,
    prompt_version: r.promptVersion,
    overall_grade: r.overallGrade,
    overall_score: r.overallScore,
    status: r.status,
    timestamp: r.createdAt,
    completed_at: r.completedAt,
    duration_s: runDurationS(r.createdAt, r.completedAt),
  };
}

export function verdictView(v: VerdictRow): z.infer<typeof Verdict> {
  return {
    id: v.id,
    judge_role: v.role,
    judge_model: v.judgeModelId,
    eval_result_id: v.evalResultId,
    eval_result_id_b: v.evalResultIdB,
    test_case_id: v.testCaseId,
    provider_key: v.providerKey,
    model_id: v.modelId,
    model_name: v.modelName,
    automated_passed: v.automatedPassed,
    quality_score: v.qualityScore ?? 0,
    verdict: v.verdict,
    summary: v.summary,
    reasoning: v.reasoning,
    tool_selection_assessment: v.toolSelectionAssessment,
    param_assessment: v.paramAssessment,
    disagrees_with_scorer: v.role !== "compare" && disagreesWithScorer(v),
    comparison: (v.comparison as Record<string, unknown> | null) ?? null,
    answer_format: v.answerFormat,
    error: v.error,
    cost_usd: v.costUsd,
    override_verdict: v.overrideVerdict,
    override_reason: v.overrideReason,
    overridden_at: v.overriddenAt,
  };
}

async function reportDetail(db: Db, r: ReportRow): Promise<z.infer<typeof ReportDetail>> {
  const verdicts = await db.select().from(judgeVerdicts).where(eq(judgeVerdicts.reportId, r.id)).orderBy(asc(judgeVerdicts.createdAt));
  const models = await db.select().from(judgeModelReports).where(eq(judgeModelReports.reportId, r.id)).orderBy(asc(judgeModelReports.createdAt));
  const plan = JudgePlanSchema.safeParse(r.config);
  // Disagreements with the scorer first (stable within each part).
  const ordered = [
    ...verdicts.filter((v) => v.role !== "compare" && disagreesWithScorer(v)),
    ...verdicts.filter((v) => v.role === "compare" || !disagreesWithScorer(v)),
  ];
  const compare = r.mode === "comparative" ? ((r.report as Record<string, unknown> | null) ?? { ...preferenceCounts(verdicts, "run B") }) : null;
  const num = (k: string) => (compare && typeof compare[k] === "number" ? (compare[k] as number) : null);
  return {
    ...summaryView(r),
    custom_instructions: r.customInstructions,
    concurrency: r.concurrency,
    concurrency_note: plan.success ? plan.data.concurrency_note : null,
    reports: models.map((m) => m.report as Record<string, unknown>),
    verdicts: ordered.map(verdictView),
    calibration: r.mode === "comparative" ? null : (reportCalibration(r, verdicts) as unknown as Record<string, unknown>),
    comparison: compare,
    wins_a: num("wins_a"),
    wins_b: num("wins_b"),
    ties: num("ties"),
    sign_test_p: num("sign_test_p"),
    overrides: verdicts.filter((v) => v.overrideVerdict).length,
  };
}

/**
 * Where a judge request's defaults come from. Deliberately the request schema alone: the saved feature settings
 * are form defaults for the web app, and no tuner request reads its saved section either, so the judge does the same.
 */
const JUDGE_DEFAULTS_NOTE =
  "Defaults: a field left out takes the default in this request's schema (concurrency 4; a judge run's mode post_eval) and " +
  "judge_model is required. The judge defaults saved in the account settings (the `judge` section of " +
  "GET/PUT /api/settings/phase10) are not applied here, just as tuner requests do not read the `param_tuner` or " +
  "`prompt_tuner` sections: they are the web app's form defaults (the Judge page prefills its judge model and " +
  "custom instructions from them). Send every value you want. Progress follows on the WebSocket: judge_start / " +
  "compare_start, job_progress, a judge_verdict / compare_case per case, judge_report per model (compare: per model " +
  "pair), then the job's end (job_completed, job_failed or job_cancelled) and judge_complete / compare_complete.";

/** Mounted at /api/tool-eval/judge. */
export const judgeRoutes = newRouter();

judgeRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "startJudge",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Judge a finished eval run with an LLM (post_eval): a verdict per case, a report per model, calibration against the scorer",
    description: JUDGE_DEFAULTS_NOTE,
    request: jsonBody(JudgeRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 404: errors[404], 409: errors[409], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, judgeJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

judgeRoutes.openapi(
  route({
    method: "post",
    path: "/compare",
    operationId: "startJudgeCompare",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Compare two eval runs case by case, per model, each case judged in both orders; wins, ties and a sign test",
    description: JUDGE_DEFAULTS_NOTE,
    request: jsonBody(CompareRequestSchema),
    responses: { 200: jsonResponse(Submitted, "Submitted"), 400: errors[400], 404: errors[404], 409: errors[409], 429: errors[429] },
  }),
  async (c) => c.json((await submitJob(c, judgeCompareJob, c.req.valid("json"))) as z.infer<typeof Submitted>, 200),
);

judgeRoutes.openapi(
  route({
    method: "post",
    path: "/cancel",
    operationId: "cancelJudge",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Cancel a judge or compare job (without job_id: your most recent active judge); verdicts so far are kept",
    request: jsonBody(z.object({ job_id: z.string().min(1).max(64).optional() }).strict()),
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), job_id: z.string() }), "Cancelled"), 404: errors[404] },
  }),
  async (c) => {
    const userId = c.var.user.id;
    const { job_id } = c.req.valid("json");
    const jobId = await cancelJobOfType(c.env, c.var.db, userId, "judge", job_id).catch(async (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return cancelJobOfType(c.env, c.var.db, userId, "judge_compare", job_id);
      throw err;
    });
    await audit(c, { action: "judge_cancel", userId, resourceType: "job", resourceId: jobId });
    return c.json({ status: "ok" as const, job_id: jobId }, 200);
  },
);

judgeRoutes.openapi(
  route({
    method: "get",
    path: "/reports",
    operationId: "listJudgeReports",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Judge reports, newest first, with their grades",
    request: {
      query: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).max(100_000).default(0),
        eval_run_id: z.string().min(1).max(64).optional(),
      }),
    },
    responses: { 200: jsonResponse(z.object({ reports: z.array(ReportSummary) }), "Reports, newest first"), 400: errors[400] },
  }),
  async (c) => {
    const { limit, offset, eval_run_id } = c.req.valid("query");
    const rows = await c.var.db
      .select()
      .from(judgeReports)
      .where(and(eq(judgeReports.userId, c.var.user.id), eval_run_id ? eq(judgeReports.evalRunId, eval_run_id) : undefined))
      .orderBy(desc(judgeReports.createdAt))
      .limit(limit)
      .offset(offset);
    return c.json({ reports: rows.map(summaryView) }, 200);
  },
);

judgeRoutes.openapi(
  route({
    method: "get",
    path: "/reports/{id}",
    operationId: "getJudgeReport",
    auth: "user",
    tags: ["tool-eval"],
    summary: "One judge report: per-model reports, every verdict (disagreements first) and the calibration",
    request: { params: IdParam },
    responses: { 200: jsonResponse(ReportDetail, "The report"), 404: errors[404] },
  }),
  async (c) => c.json(await reportDetail(c.var.db, await ownedReport(c.var.db, c.var.user.id, c.req.valid("param").id)), 200),
);

judgeRoutes.openapi(
  route({
    method: "delete",
    path: "/reports/{id}",
    operationId: "deleteJudgeReport",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Delete a judge report and its verdicts (a running one must be cancelled first)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const r = await ownedReport(c.var.db, c.var.user.id, c.req.valid("param").id);
    await refuseWhileActive(c.var.db, r.jobId, "judge");
    await c.var.db.delete(judgeReports).where(eq(judgeReports.id, r.id));
    return c.json({ status: "ok" as const }, 200);
  },
);

const VerdictParams = IdParam.extend({
  verdict_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "verdict_id", in: "path" } }),
});

async function ownedVerdict(db: Db, userId: string, reportId: string, verdictId: string): Promise<VerdictRow> {
  await ownedReport(db, userId, reportId);
  const v = await db
    .select()
    .from(judgeVerdicts)
    .where(and(eq(judgeVerdicts.id, verdictId), eq(judgeVerdicts.reportId, reportId)))
    .get();
  if (!v) throw notFound("Verdict");
  return v;
}

judgeRoutes.openapi(
  route({
    method: "put",
    path: "/reports/{id}/verdicts/{verdict_id}/override",
    operationId: "overrideJudgeVerdict",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Override a verdict with your own: stored and counted, never applied to automated scores; it becomes a human label for judge cards",
    request: {
      params: VerdictParams,
      ...jsonBody(
        z
          .object({ verdict: z.enum(JUDGE_OVERRIDES), reason: z.string().trim().max(2000).optional() })
          .strict()
          .openapi("JudgeOverride"),
      ),
    },
    responses: { 200: jsonResponse(Verdict, "The verdict with its override"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const { id, verdict_id } = c.req.valid("param");
    const v = await ownedVerdict(c.var.db, c.var.user.id, id, verdict_id);
    if (v.role === "compare")
      throw new ApiError(400, "validation_failed", "A comparison has no pass/fail verdict to override", [
        { path: "verdict_id", message: "a comparison" },
      ]);
    const body = c.req.valid("json");
    await c.var.db
      .update(judgeVerdicts)
      .set({ overrideVerdict: body.verdict, overrideReason: body.reason ?? null, overriddenAt: isoNow() })
      .where(eq(judgeVerdicts.id, v.id));
    await audit(c, {
      action: "judge_override",
      userId: c.var.user.id,
      resourceType: "judge_verdict",
      resourceId: v.id,
      detail: { verdict: body.verdict },
    });
    return c.json(verdictView((await c.var.db.select().from(judgeVerdicts).where(eq(judgeVerdicts.id, v.id)).get())!), 200);
  },
);

judgeRoutes.openapi(
  route({
    method: "delete",
    path: "/reports/{id}/verdicts/{verdict_id}/override",
    operationId: "clearJudgeOverride",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Remove your override of a verdict",
    request: { params: VerdictParams },
    responses: { 200: jsonResponse(Verdict, "The verdict without override"), 404: errors[404] },
  }),
  async (c) => {
    const { id, verdict_id } = c.req.valid("param");
    const v = await ownedVerdict(c.var.db, c.var.user.id, id, verdict_id);
    await c.var.db.update(judgeVerdicts).set({ overrideVerdict: null, overrideReason: null, overriddenAt: null }).where(eq(judgeVerdicts.id, v.id));
    return c.json(verdictView({ ...v, overrideVerdict: null, overrideReason: null, overriddenAt: null }), 200);
  },
);

judgeRoutes.openapi(
  route({
    method: "get",
    path: "/cards",
    operationId: "listJudgeCards",
    auth: "user",
    tags: ["tool-eval"],
    summary: "One card per judge configuration (model, prompt version, instructions): agreement with your overrides, swap consistency, cost",
    responses: { 200: jsonResponse(z.object({ cards: z.array(z.record(z.string(), z.unknown())) }), "Judge cards, most recently used first") },
  }),
  async (c) => c.json({ cards: (await judgeCards(c.var.db, c.var.user.id)) as unknown as Record<string, unknown>[] }, 200),
);
