/**
 * Stored speed-benchmark runs: owner-scoped look-ups and the row → API mapping of a run with its per-run rows and
 * aggregates (metrics.md). Warm-ups are stored but never shown or aggregated.
 */
import { and, asc, desc, eq, getTableColumns, type SQL } from "drizzle-orm";
import { type JobStatus, runStatusOf } from "../../shared/jobs.ts";
import { aggregate } from "../../shared/metrics.ts";
import type { Db } from "../db/client.ts";
import { inList } from "../db/in-list.ts";
import { benchmarkResults, benchmarkRuns, jobs } from "../db/schema.ts";
import { notFound } from "../lib/errors.ts";
import { resultView } from "./results.ts";

/** A run row with its job's live status (null when the job is gone). */
export type RunRow = typeof benchmarkRuns.$inferSelect & { jobStatus: string | null };

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
        error_host: r.errorHost,
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
    return {
      provider_key: first.provider_key,
      provider: first.provider,
      model_id: first.model_id,
      model: first.model,
      context_tokens: first.context_tokens,
      ...a,
    };
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
    metadata: { source: run.source, ...(run.scheduleId ? { schedule_id: run.scheduleId } : {}) },
    config: run.config as Record<string, unknown>,
    results,
    aggregates,
  };
}

/** The runs matching `where`, newest first, each with its job's live status (one query). */
export function selectRuns(db: Db, where: SQL | undefined) {
  return db
    .select({ ...getTableColumns(benchmarkRuns), jobStatus: jobs.status })
    .from(benchmarkRuns)
    .leftJoin(jobs, eq(jobs.id, benchmarkRuns.jobId))
    .where(where)
    .orderBy(desc(benchmarkRuns.createdAt));
}

export async function ownedRun(db: Db, userId: string, id: string): Promise<RunRow> {
  const run = await selectRuns(db, and(eq(benchmarkRuns.id, id), eq(benchmarkRuns.userId, userId))).get();
  if (!run) throw notFound("Benchmark run");
  return run;
}

/** The API views of these runs, every result row loaded in one query. */
export async function runViews(db: Db, runs: RunRow[]) {
  if (!runs.length) return [];
  const rows = await db
    .select(RESULT_VIEW_COLUMNS)
    .from(benchmarkResults)
    .where(
      inList(
        benchmarkResults.runId,
        runs.map((r) => r.id),
      ),
    )
    .orderBy(asc(benchmarkResults.createdAt));
  const byRun = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const list = byRun.get(row.runId);
    if (list) list.push(row);
    else byRun.set(row.runId, [row]);
  }
  return runs.map((run) => runView(run, byRun.get(run.id) ?? []));
}
