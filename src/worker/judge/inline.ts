/**
 * Live-inline judging (§11.4): inside a tool-eval job, each case is judged the moment its result is scored, and
 * its verdict is stored and streamed with the result. The eval job calls three hooks: `planInlineJudge` (at
 * submission: the judge must exist), `openInlineJudge` (per group delivery: the report row, the judge's key) and
 * `finishInlineJudge` (when the eval ends: one report per model, the report's status). A judge failure is an
 * error verdict; it never fails the eval.
 */
import { and, eq } from "drizzle-orm";
import { runStatusOf } from "../../shared/jobs.ts";
import { JUDGE_PROMPT_VERSION } from "../../shared/judge/prompts.ts";
import type { Db } from "../db/client.ts";
import { judgeModelReports, judgeReports, judgeVerdicts } from "../db/schema.ts";
import type { FinishContext, GroupRef, KindEvent } from "../jobs/kind.ts";
import { isoNow, newId } from "../lib/ids.ts";
import { LlmError } from "../llm/errors.ts";
import type { InlineJudgeConfig } from "./config.ts";
import { errorVerdict, finishJudge, openJudges } from "./job.ts";
import { judgeTarget, refOf } from "./plan.ts";
import { type JudgeInput, judgeResult, judgeTools, modelReport, storeVerdicts, type VerdictRow, verdictEvent } from "./verdicts.ts";

/** At submission: the judge as the eval will call it, and the event that announces it. */
export async function planInlineJudge(
  db: Db,
  userId: string,
  judge: { judge_model: string; judge_provider_key?: string | undefined; custom_instructions?: string | undefined },
  cases: number,
): Promise<{ config: InlineJudgeConfig; event: KindEvent }> {
  const target = await judgeTarget(db, userId, "judge.judge_model", judge.judge_model, judge.judge_provider_key);
  const reportId = newId();
  return {
    config: { report_id: reportId, judge: refOf(target), custom_instructions: judge.custom_instructions?.trim() ?? "" },
    event: {
      type: "judge_start",
      mode: "live_inline",
      judge_model: target.modelName,
      cases_to_review: cases,
      judge_report_id: reportId,
      concurrency: 1,
    },
  };
}

export interface InlineJudge {
  judge(input: JudgeInput, signal: AbortSignal): Promise<VerdictRow>;
  store(row: VerdictRow): Promise<KindEvent[]>;
}

/** Per group delivery: makes sure the report row exists (first delivery) and opens the judge. */
export async function openInlineJudge(
  env: Env,
  db: Db,
  group: GroupRef,
  run: { id: string; suiteName: string; experimentId: string | null },
  config: InlineJudgeConfig,
  tools: Record<string, unknown>[],
): Promise<InlineJudge> {
  await db
    .insert(judgeReports)
    .values({
      id: config.report_id,
      userId: group.userId,
      evalRunId: run.id,
      jobId: group.jobId,
      experimentId: run.experimentId,
      suiteName: run.suiteName,
      judgeProviderKey: config.judge.provider_key,
      judgeModelId: config.judge.model_id,
      judgeModelName: config.judge.model_name,
      mode: "live_inline",
      promptVersion: JUDGE_PROMPT_VERSION,
      customInstructions: config.custom_instructions,
      concurrency: 1,
      config: { judge: config.judge, second: null, tools, results: [], pairs: [], concurrency_note: null },
    })
    .onConflictDoNothing();
  const { primary } = await openJudges(env, db, group.userId, {
    judge: config.judge,
    second: null,
    tools,
    results: [],
    pairs: [],
    concurrency_note: null,
  });
  const judgeTools_ = judgeTools(tools);
  return {
    async judge(input, signal) {
      if (!primary || "error" in primary) {
        const error = primary && "error" in primary ? primary.error : new LlmError("not_found", "The judge model is gone");
        return errorVerdict(config.report_id, "primary", config.judge, input, error);
      }
      return judgeResult(config.report_id, "primary", primary, judgeTools_, input, config.custom_instructions, signal);
    },
    async store(row) {
      return (await storeVerdicts(db, [row])).map(verdictEvent);
    },
  };
}

/** When the eval ends: a report per model from its verdicts, then the grade and the eval's status on the report. */
export async function finishInlineJudge(ctx: FinishContext, config: InlineJudgeConfig): Promise<KindEvent[]> {
  const report = await ctx.db
    .select()
    .from(judgeReports)
    .where(and(eq(judgeReports.id, config.report_id), eq(judgeReports.userId, ctx.userId)))
    .get();
  if (!report) return [];
  const verdicts = await ctx.db.select().from(judgeVerdicts).where(eq(judgeVerdicts.reportId, report.id));
  const done = new Set(
    (
      await ctx.db
        .select({ p: judgeModelReports.providerKey, m: judgeModelReports.modelId })
        .from(judgeModelReports)
        .where(eq(judgeModelReports.reportId, report.id))
    ).map((r) => `${r.p}::${r.m}`),
  );
  const models = [
    ...new Map(
      verdicts.map((v) => [`${v.providerKey}::${v.modelId}`, { provider_key: v.providerKey, model_id: v.modelId, model_name: v.modelName }]),
    ).entries(),
  ];
  const events: KindEvent[] = [];
  const { primary } = await openJudges(ctx.env, ctx.db, ctx.userId, {
    judge: config.judge,
    second: null,
    tools: [],
    results: [],
    pairs: [],
    concurrency_note: null,
  });
  if (primary && !("error" in primary)) {
    for (const [key, model] of models) {
      if (done.has(key)) continue;
      const { row } = await modelReport(ctx.db, report.id, primary, model, new AbortController().signal);
      const inserted = await ctx.db.insert(judgeModelReports).values(row).onConflictDoNothing().returning({ id: judgeModelReports.id });
      if (inserted.length)
        events.push({ type: "judge_report", eval_id: report.evalRunId, judge_report_id: report.id, report: row.report as Record<string, unknown> });
    }
  }
  await ctx.db
    .update(judgeReports)
    .set({ status: runStatusOf(ctx.status), completedAt: report.completedAt ?? isoNow() })
    .where(eq(judgeReports.id, report.id));
  return [...events, ...(await finishJudge({ ...ctx, runId: report.id }))];
}
