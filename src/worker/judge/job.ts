/**
 * The post-eval judge as a job kind (`judge`, §11.4): one group; items are chunks of `concurrency` eval results
 * (each judged by the judge, and by the second judge when one is asked for, all at once), model by model, each
 * model's chunks followed by its cross-case report. Verdicts are unique per report × result × judge, so a
 * redelivered group judges only what is missing. `finish` writes the per-model reports and the best one's grade.
 */
import { and, eq } from "drizzle-orm";
import { JUDGE_PROMPT_VERSION } from "../../shared/judge/prompts.ts";
import type { Db } from "../db/client.ts";
import { judgeModelReports, judgeReports, judgeVerdicts } from "../db/schema.ts";
import { linkableExperiment } from "../experiments/store.ts";
import type { FinishContext, GroupWork, JobKind, KindEvent, StoredItem } from "../jobs/kind.ts";
import { badRequest } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { LlmError } from "../llm/errors.ts";
import { llmTargetFor, type ResolvedTarget, resolveTargets } from "../llm/targets.ts";
import { type JudgePlan, JudgePlanSchema, type JudgeRequest } from "./config.ts";
import { boundedConcurrency, chunked, judgeableResults, judgeTarget, ownedEvalRun, refOf } from "./plan.ts";
import {
  chunkOutcome,
  type Judge,
  judgeInputs,
  judgeResult,
  judgeTools,
  modelReport,
  storeVerdicts,
  type VerdictRow,
  verdictEvent,
  verdictKey,
} from "./verdicts.ts";

type Model = { provider_key: string; model_id: string; model_name: string };
/** A chunk of results judged at once; a model's last chunk also writes its report (alone, when a resume left only that). */
type Item = { resultIds: string[]; model: Model; withReport: boolean };
type ReportResult = { row: typeof judgeModelReports.$inferInsert; error: { cls: string; message: string } | null };
type Result = { rows: VerdictRow[]; report: ReportResult | null };

/** The report's judges, their keys decrypted once per group delivery. */
export async function openJudges(env: Env, db: Db, userId: string, plan: JudgePlan) {
  const { found } = await resolveTargets(db, userId, [plan.judge, ...(plan.second ? [plan.second] : [])]);
  const pick = (ref: { provider_key: string; model_id: string } | null) =>
    ref ? (found.find((t) => t.providerKey === ref.provider_key && t.modelId === ref.model_id) ?? null) : null;
  const open = async (t: ResolvedTarget | null): Promise<Judge | { error: LlmError } | null> => {
    if (!t) return null;
    try {
      return { target: t, llm: await llmTargetFor(env, db, userId, t) };
    } catch (err) {
      return { error: err instanceof LlmError ? err : new LlmError("auth", "The stored key could not be read") };
    }
  };
  return { primary: await open(pick(plan.judge)), second: await open(pick(plan.second)) };
}

export const judgeJob: JobKind<JudgeRequest, Item, Result> = {
  type: "judge",
  runTable: judgeReports,

  async plan({ env, db, userId, runId }, body) {
    const run = await ownedEvalRun(db, userId, body.eval_run_id);
    const experimentId = run.suiteId ? await linkableExperiment(db, userId, body.experiment_id, run.suiteId) : null;
    if (body.mode === "live_inline")
      throw badRequest("live_inline judging runs inside an eval: send `judge` with the eval (POST /api/tool-eval); here use post_eval", [
        { path: "mode", message: "live_inline is chosen on the eval submit" },
      ]);
    const judge = await judgeTarget(db, userId, "judge_model", body.judge_model, body.judge_provider_key);
    const second = body.second_judge_model
      ? await judgeTarget(db, userId, "second_judge_model", body.second_judge_model, body.second_judge_provider_key)
      : null;
    const results = await judgeableResults(db, run.id);
    if (!results.length) throw badRequest("The eval run has no successful results to judge", [{ path: "eval_run_id", message: "nothing to judge" }]);
    const { concurrency, note } = await boundedConcurrency(env, db, userId, [judge, ...(second ? [second] : [])], [run], body.concurrency);
    const plan: JudgePlan = {
      judge: refOf(judge),
      second: second ? refOf(second) : null,
      tools: ((run.config as { tools?: Record<string, unknown>[] }).tools ?? []) as Record<string, unknown>[],
      results: results.map((r) => ({ result_id: r.id, provider_key: r.providerKey, model_id: r.modelId })),
      pairs: [],
      concurrency_note: note,
    };
    return {
      runRow: {
        evalRunId: run.id,
        experimentId,
        suiteName: run.suiteName,
        judgeProviderKey: judge.providerKey,
        judgeModelId: judge.modelId,
        judgeModelName: judge.modelName,
        secondProviderKey: second?.providerKey ?? null,
        secondModelId: second?.modelId ?? null,
        mode: "post_eval",
        promptVersion: JUDGE_PROMPT_VERSION,
        customInstructions: body.custom_instructions?.trim() ?? "",
        concurrency,
        config: plan,
      },
      groups: ["judge"],
      workTotal: results.length,
      params: { judge_report_id: runId, eval_run_id: run.id, judge_model: judge.modelId, cases: results.length },
      progressDetail: `Judge ${judge.modelName}: ${results.length} results of ${run.suiteName}`,
      initEvents: [
        {
          type: "judge_start",
          mode: "post_eval",
          judge_model: judge.modelName,
          cases_to_review: results.length,
          judge_report_id: runId,
          concurrency,
        },
      ],
      response: { judge_report_id: runId, concurrency, concurrency_note: note, cases_to_review: results.length },
      audit: { action: "judge_start", resourceType: "judge_report" },
    };
  },

  async openGroup({ env, db, group }) {
    const report = await db
      .select()
      .from(judgeReports)
      .where(and(eq(judgeReports.id, group.runId), eq(judgeReports.userId, group.userId)))
      .get();
    if (!report?.evalRunId) return null;
    const plan = JudgePlanSchema.parse(report.config);
    return judgeWork(env, db, group.userId, report, plan);
  },

  finish: (ctx) => finishJudge(ctx),
};

/** The post-eval work: missing verdicts in chunks, each model's report after its verdicts. */
async function judgeWork(
  env: Env,
  db: Db,
  userId: string,
  report: typeof judgeReports.$inferSelect,
  plan: JudgePlan,
): Promise<GroupWork<Item, Result>> {
  const stored = await db.select({ key: judgeVerdicts.itemKey }).from(judgeVerdicts).where(eq(judgeVerdicts.reportId, report.id));
  const storedKeys = new Set(stored.map((s) => s.key));
  const reported = await db
    .select({ p: judgeModelReports.providerKey, m: judgeModelReports.modelId })
    .from(judgeModelReports)
    .where(eq(judgeModelReports.reportId, report.id));
  const reportedKeys = new Set(reported.map((r) => `${r.p}::${r.m}`));
  const inputs = await judgeInputs(
    db,
    report.evalRunId!,
    plan.results.map((r) => r.result_id),
  );
  const judges = await openJudges(env, db, userId, plan);
  const tools = judgeTools(plan.tools);
  const done = (id: string) => storedKeys.has(verdictKey("primary", id)) && (!plan.second || storedKeys.has(verdictKey("second", id)));

  const items: Item[] = [];
  const byModel = new Map<string, typeof plan.results>();
  for (const r of plan.results) byModel.set(`${r.provider_key}::${r.model_id}`, [...(byModel.get(`${r.provider_key}::${r.model_id}`) ?? []), r]);
  for (const [key, results] of byModel) {
    const first = inputs.get(results[0]!.result_id);
    const model = {
      provider_key: results[0]!.provider_key,
      model_id: results[0]!.model_id,
      model_name: first?.result.modelName ?? results[0]!.model_id,
    };
    const missing = results.filter((r) => inputs.has(r.result_id) && !done(r.result_id)).map((r) => r.result_id);
    const chunks = chunked(missing, report.concurrency);
    chunks.forEach((ids, i) => {
      items.push({ resultIds: ids, model, withReport: i === chunks.length - 1 && !reportedKeys.has(key) });
    });
    if (!chunks.length && !reportedKeys.has(key)) items.push({ resultIds: [], model, withReport: true });
  }
  const total = plan.results.length;
  let judged = total - plan.results.filter((r) => !done(r.result_id)).length;

  const call = (role: "primary" | "second", id: string, signal: AbortSignal): Promise<VerdictRow> | null => {
    const j = role === "primary" ? judges.primary : judges.second;
    if (!j || storedKeys.has(verdictKey(role, id))) return null;
    const input = inputs.get(id)!;
    if ("error" in j) return Promise.resolve(errorVerdict(report.id, role, role === "primary" ? plan.judge : plan.second!, input, j.error));
    return judgeResult(report.id, role, j, tools, input, report.customInstructions, signal);
  };

  /** The model's cross-case report from its stored verdicts and those of this chunk. */
  async function writeReport(model: Model, fresh: VerdictRow[], signal: AbortSignal): Promise<ReportResult> {
    const j = judges.primary;
    if (!j || "error" in j) {
      const e = j && "error" in j ? j.error : new LlmError("not_found", "The judge model is gone");
      return { row: fallbackReport(report.id, model, e.message), error: { cls: e.cls, message: e.message } };
    }
    return modelReport(db, report.id, j, model, signal, fresh);
  }

  return {
    items,
    announce: () => null,
    async run(item, signal) {
      const calls = item.resultIds.flatMap((id) => [call("primary", id, signal), call("second", id, signal)]).filter((p) => p !== null);
      const rows = await Promise.all(calls);
      return { rows, report: item.withReport && !signal.aborted ? await writeReport(item.model, rows, signal) : null };
    },
    async store(item, result): Promise<StoredItem | null> {
      const inserted = await storeVerdicts(db, result.rows);
      const events: KindEvent[] = inserted.map(verdictEvent);
      let reportFailure: { cls: string; message: string } | null = null;
      let reported = false;
      if (result.report) {
        const written = result.report;
        const stored = await db.insert(judgeModelReports).values(written.row).onConflictDoNothing().returning({ id: judgeModelReports.id });
        if (stored.length) {
          reported = true;
          reportFailure = written.error;
          events.push({
            type: "judge_report",
            eval_id: report.evalRunId,
            judge_report_id: report.id,
            report: written.row.report as Record<string, unknown>,
          });
        }
      }
      if (!inserted.length && !reported) return null;
      judged += item.resultIds.length;
      const outcome = inserted.length
        ? chunkOutcome(inserted)
        : reportFailure
          ? { outcome: "failed" as const, failure: reportFailure }
          : { outcome: "ok" as const };
      return {
        events,
        units: item.resultIds.length, // the report rides with the chunk: progress counts judged results
        detail: `Judge ${item.model.model_name}: ${Math.min(judged, total)}/${total}`,
        ...outcome,
      };
    },
  };
}

export function errorVerdict(
  reportId: string,
  role: "primary" | "second",
  judge: { provider_key: string; model_id: string },
  input: { result: { id: string; testCaseId: string | null; providerKey: string; modelId: string; modelName: string; scoreParts: unknown } },
  error: LlmError,
): VerdictRow {
  return {
    reportId,
    itemKey: verdictKey(role, input.result.id),
    role,
    judgeProviderKey: judge.provider_key,
    judgeModelId: judge.model_id,
    evalResultId: input.result.id,
    testCaseId: input.result.testCaseId,
    providerKey: input.result.providerKey,
    modelId: input.result.modelId,
    modelName: input.result.modelName,
    automatedPassed: input.result.scoreParts ? Boolean((input.result.scoreParts as { passed?: unknown }).passed) : null,
    verdict: "error",
    summary: "Judge error",
    error: `${error.cls}: ${error.message}`.slice(0, 500),
    id: newId(),
  };
}

function fallbackReport(reportId: string, model: Model, error: string) {
  return {
    id: newId(),
    reportId,
    providerKey: model.provider_key,
    modelId: model.model_id,
    modelName: model.model_name,
    report: {
      overall_grade: "?",
      overall_score: 0,
      strengths: [],
      weaknesses: [],
      cross_case_analysis: "Judge model could not generate analysis",
      recommendations: [],
      model_id: model.model_id,
      model_name: model.model_name,
      provider_key: model.provider_key,
      error,
    },
    costUsd: null,
  };
}

/** Writes the per-model reports and the best-scoring one's grade on the report row (idempotent). */
export async function finishJudge(ctx: FinishContext): Promise<KindEvent[]> {
  const report = await ctx.db
    .select()
    .from(judgeReports)
    .where(and(eq(judgeReports.id, ctx.runId), eq(judgeReports.userId, ctx.userId)))
    .get();
  if (!report) return [];
  const models = await ctx.db.select().from(judgeModelReports).where(eq(judgeModelReports.reportId, report.id));
  const reports = models.map((m) => m.report as { overall_grade: string; overall_score: number });
  const best = [...reports].sort((a, b) => b.overall_score - a.overall_score)[0] ?? null;
  await ctx.db
    .update(judgeReports)
    .set({ report: reports, overallGrade: best?.overall_grade ?? null, overallScore: best?.overall_score ?? null })
    .where(eq(judgeReports.id, report.id));
  return [
    {
      type: "judge_complete",
      judge_report_id: report.id,
      status: report.status,
      overall_grade: best?.overall_grade ?? null,
      overall_score: best?.overall_score ?? null,
    },
  ];
}
