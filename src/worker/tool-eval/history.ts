/**
 * Stored tool-eval runs: owner-scoped look-ups and the row → API mapping of a run with its per-case results and
 * per-model summaries (lists leave out the raw exchanges; one run's detail and its export include them).
 */
import { and, asc, eq, getTableColumns } from "drizzle-orm";
import { summarize } from "../../shared/eval-summary.ts";
import { runStatusOf } from "../../shared/jobs.ts";
import type { CaseScore } from "../../shared/scoring/types.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { jobs, toolEvalResults, toolEvalRuns, toolTestCases } from "../db/schema.ts";
import { notFound } from "../lib/errors.ts";
import type { EvalConfig } from "./eval-config.ts";
import { resultEvent } from "./results.ts";

export type RunRow = typeof toolEvalRuns.$inferSelect;
type ResultRow = typeof toolEvalResults.$inferSelect;

const { rawRequest: _rawRequest, rawResponse: _rawResponse, ...SUMMARY_COLUMNS } = getTableColumns(toolEvalResults);

/** Result rows for a list: what the summaries use, without the raw exchanges (the bulk of a row). */
async function summaryRows(db: Db, runIds: string[]): Promise<ResultRow[]> {
  const rows = await db
    .select(SUMMARY_COLUMNS)
    .from(toolEvalResults)
    .where(inList(toolEvalResults.evalRunId, runIds))
    .orderBy(asc(toolEvalResults.createdAt));
  return rows.map((r) => ({ ...r, rawRequest: null, rawResponse: null }));
}

export async function ownedRun(db: Db, userId: string, id: string): Promise<RunRow> {
  const run = await db
    .select()
    .from(toolEvalRuns)
    .where(and(eq(toolEvalRuns.id, id), eq(toolEvalRuns.userId, userId)))
    .get();
  if (!run) throw notFound("Eval run");
  return run;
}

/** The API views of these runs; `withResults` adds every case result with its raw request and response. */
export async function runViews(db: Db, runs: RunRow[], withResults: boolean) {
  if (!runs.length) return [];
  const ids = runs.map((r) => r.id);
  const [rows, jobRows] = await Promise.all([
    withResults
      ? db.select().from(toolEvalResults).where(inList(toolEvalResults.evalRunId, ids)).orderBy(asc(toolEvalResults.createdAt))
      : summaryRows(db, ids),
    db
      .select({ id: jobs.id, status: jobs.status })
      .from(jobs)
      .where(
        inList(
          jobs.id,
          runs.map((r) => r.jobId ?? ""),
        ),
      ),
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
      config: { ...config, tools: undefined, case_ids: undefined, tool_count: config.tools.length, case_count: config.case_ids.length } as Record<
        string,
        unknown
      >,
      summary: summarize(results),
      ...(withResults ? { results: results as unknown as Record<string, unknown>[] } : {}),
    };
  });
}
