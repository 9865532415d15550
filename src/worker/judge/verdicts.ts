/**
 * Judging one eval result and storing the verdict: shared by the post-eval job, live-inline judging inside a
 * tool-eval job, and the second judge. The case and the model's call are read from the stored rows; a failed
 * judge call becomes an error verdict (the run goes on).
 */
import { and, eq } from "drizzle-orm";
import { binaryOf, parseReport, parseVerdict } from "../../shared/judge/parse.ts";
import { type JudgedCase, type JudgeTool, reportPrompt, verdictPrompt } from "../../shared/judge/prompts.ts";
import type { ActualCall } from "../../shared/scoring/types.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { type judgeModelReports, judgeVerdicts, toolEvalResults, toolTestCases } from "../db/schema.ts";
import type { KindEvent } from "../jobs/kind.ts";
import { newId } from "../lib/ids.ts";
import type { LlmTarget } from "../llm/stream.ts";
import type { ResolvedTarget } from "../llm/targets.ts";
import { disagreesWithScorer } from "./calibration.ts";
import { askJudge } from "./call.ts";

export type VerdictRow = typeof judgeVerdicts.$inferInsert;
type ResultRow = typeof toolEvalResults.$inferSelect;
type CaseRow = Pick<typeof toolTestCases.$inferSelect, "id" | "prompt" | "expectedTool" | "expectedParams">;

/** A stored eval result with the case it answered: what the judge sees. */
export interface JudgeInput {
  result: Pick<ResultRow, "id" | "testCaseId" | "providerKey" | "modelId" | "modelName" | "actualCalls" | "overallScore" | "scoreParts">;
  case: CaseRow;
}

/** Suite tools (OpenAI function format) as the judge prompt renders them. */
export function judgeTools(tools: readonly Record<string, unknown>[]): JudgeTool[] {
  return tools.map((t) => {
    const f = (t.function ?? t) as { name?: string; description?: string; parameters?: JudgeTool["parameters"] };
    return { name: f.name ?? "?", description: f.description ?? "", parameters: f.parameters ?? {} };
  });
}

export function judgedCase(input: JudgeInput): JudgedCase {
  const calls = (input.result.actualCalls as { calls?: ActualCall[] } | null)?.calls ?? [];
  return {
    prompt: input.case.prompt,
    expected_tool: (input.case.expectedTool ?? null) as JudgedCase["expected_tool"],
    expected_params: input.case.expectedParams ?? null,
    called_tool: calls[0]?.name ?? null,
    called_params: calls[0]?.arguments ?? null,
    automated_score: input.result.overallScore ?? null,
  };
}

export const automatedPassed = (r: Pick<ResultRow, "scoreParts">): boolean | null =>
  r.scoreParts ? Boolean((r.scoreParts as { passed?: unknown }).passed) : null;

export const verdictKey = (role: "primary" | "second", resultId: string) => `${role}:${resultId}`;

/** Loads eval results (only those of this run) with their cases; results whose case is gone are left out. */
export async function judgeInputs(db: Db, evalRunId: string, resultIds: readonly string[]): Promise<Map<string, JudgeInput>> {
  if (!resultIds.length) return new Map();
  const rows = await db
    .select({
      r: toolEvalResults,
      c: {
        id: toolTestCases.id,
        prompt: toolTestCases.prompt,
        expectedTool: toolTestCases.expectedTool,
        expectedParams: toolTestCases.expectedParams,
      },
    })
    .from(toolEvalResults)
    .innerJoin(toolTestCases, eq(toolEvalResults.testCaseId, toolTestCases.id))
    .where(and(eq(toolEvalResults.evalRunId, evalRunId), inList(toolEvalResults.id, [...resultIds])));
  return new Map(rows.map(({ r, c }) => [r.id, { result: r, case: c }]));
}

export interface Judge {
  target: ResolvedTarget;
  llm: LlmTarget;
}

/** One verdict from one judge: parsed leniently; a failed call is an error verdict ("Judge error"). */
export async function judgeResult(
  reportId: string,
  role: "primary" | "second",
  judge: Judge,
  tools: JudgeTool[],
  input: JudgeInput,
  instructions: string,
  signal: AbortSignal,
): Promise<VerdictRow> {
  const out = await askJudge(judge.llm, judge.target, verdictPrompt(tools, judgedCase(input), instructions), signal);
  const parsed = out.ok ? parseVerdict(out.text) : null;
  const v = parsed?.verdict;
  return {
    id: newId(),
    reportId,
    itemKey: verdictKey(role, input.result.id),
    role,
    judgeProviderKey: judge.target.providerKey,
    judgeModelId: judge.target.modelId,
    evalResultId: input.result.id,
    testCaseId: input.result.testCaseId,
    providerKey: input.result.providerKey,
    modelId: input.result.modelId,
    modelName: input.result.modelName,
    automatedPassed: automatedPassed(input.result),
    qualityScore: v && v.quality_score >= 1 ? v.quality_score : null,
    verdict: v?.verdict ?? "error",
    summary: v?.summary ?? "Judge error",
    reasoning: v?.reasoning ?? "",
    toolSelectionAssessment: v?.tool_selection_assessment ?? "unknown",
    paramAssessment: v?.param_assessment ?? "unknown",
    answerFormat: parsed?.format ?? null,
    error: out.ok ? null : `${out.errorClass}: ${out.error}`.slice(0, 500),
    inputTokens: out.inputTokens,
    outputTokens: out.outputTokens,
    costUsd: out.costUsd,
    latencyMs: out.latencyMs,
  };
}

/** Inserts the rows not stored yet; returns those inserted (a redelivery inserts nothing). */
export async function storeVerdicts(db: Db, rows: VerdictRow[]): Promise<VerdictRow[]> {
  const inserted: VerdictRow[] = [];
  for (const row of rows) {
    const done = await db.insert(judgeVerdicts).values(row).onConflictDoNothing().returning({ id: judgeVerdicts.id });
    if (done.length) inserted.push(row);
  }
  return inserted;
}

export function verdictEvent(row: VerdictRow): KindEvent {
  return {
    type: "judge_verdict",
    judge_report_id: row.reportId,
    verdict_id: row.id!,
    test_case_id: row.testCaseId ?? null,
    provider_key: row.providerKey,
    model_id: row.modelId,
    model_name: row.modelName,
    judge_role: row.role,
    quality_score: row.qualityScore ?? 0,
    verdict: row.verdict,
    summary: row.summary ?? "",
    reasoning: row.reasoning ?? "",
    tool_selection_assessment: row.toolSelectionAssessment ?? "unknown",
    param_assessment: row.paramAssessment ?? "unknown",
    automated_passed: row.automatedPassed ?? null,
    disagrees_with_scorer: disagreesWithScorer(row),
    error: row.error ?? null,
  };
}

/** A chunk's outcome for the runtime: failed only when every judge call in it failed. */
export function chunkOutcome(rows: readonly VerdictRow[]): { outcome: "ok" | "failed"; failure?: { cls: string; message: string } } {
  const failed = rows.filter((r) => r.error);
  if (rows.length && failed.length === rows.length) {
    const [cls, ...rest] = failed[0]!.error!.split(": ");
    return { outcome: "failed", failure: { cls: cls ?? "unknown", message: rest.join(": ") } };
  }
  return { outcome: "ok" };
}

/** The cross-case report on one model from its primary verdicts (§11.3); stored once per report × model. */
export async function modelReport(
  db: Db,
  reportId: string,
  judge: Judge,
  model: { provider_key: string; model_id: string; model_name: string },
  signal: AbortSignal,
  fresh: readonly VerdictRow[] = [],
) {
  const stored = await db
    .select()
    .from(judgeVerdicts)
    .where(
      and(
        eq(judgeVerdicts.reportId, reportId),
        eq(judgeVerdicts.role, "primary"),
        eq(judgeVerdicts.providerKey, model.provider_key),
        eq(judgeVerdicts.modelId, model.model_id),
      ),
    );
  // This chunk's verdicts are not stored yet: the report reads them from memory, the rest from D1.
  const keys = new Set(stored.map((v) => v.itemKey));
  const verdicts = [
    ...stored,
    ...fresh.filter((v) => v.role === "primary" && v.providerKey === model.provider_key && v.modelId === model.model_id && !keys.has(v.itemKey)),
  ];
  const lines = verdicts.map((v) => ({
    test_case_id: v.testCaseId ?? "?",
    verdict: v.verdict,
    quality_score: v.qualityScore ?? 0,
    summary: v.summary ?? "",
  }));
  const out = await askJudge(judge.llm, judge.target, reportPrompt(model.model_name, lines), signal);
  const report = parseReport(out.ok ? out.text : "");
  return {
    row: {
      id: newId(),
      reportId,
      providerKey: model.provider_key,
      modelId: model.model_id,
      modelName: model.model_name,
      report: {
        ...report,
        model_id: model.model_id,
        model_name: model.model_name,
        provider_key: model.provider_key,
        ...(out.ok ? {} : { error: out.error }),
      },
      costUsd: out.costUsd,
    } satisfies typeof judgeModelReports.$inferInsert,
    failed: !out.ok,
    error: out.ok ? null : { cls: out.errorClass, message: out.error },
  };
}

export { binaryOf };
