/**
 * After a scheduled run ends (jobs/outcome.ts): the schedule's last status, then its regression check against the
 * schedule's previous runs (shared/regression-alerts.ts), the alerts stored (unique per run × model × metric, so a
 * redelivered `job_finished` adds nothing), shown live (`schedule_alert`) and handed to the webhook queue.
 */
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { type AlertFinding, detectRegressions, type ModelRunFigures } from "../../shared/regression-alerts.ts";
import type { Db } from "../db/client.ts";
import { benchmarkResults, benchmarkRuns, scheduleAlerts, schedules, toolEvalResults, toolEvalRuns } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import { alertSettingsOf, type ScheduleRow } from "./store.ts";

type AlertRow = typeof scheduleAlerts.$inferSelect;

/** Statuses of a run that say something about the provider (a cancelled run says something about the user). */
const JUDGED = ["completed", "failed"] as const;

export function alertView(row: AlertRow, scheduleName: string) {
  const evidence = (row.evidence ?? {}) as { statement?: string };
  return {
    id: row.id,
    schedule_id: row.scheduleId,
    schedule_name: scheduleName,
    run_id: row.runId,
    metric: row.metric,
    provider_key: row.providerKey,
    model_id: row.modelId,
    baseline_value: row.baselineValue,
    value: row.value,
    change_pct: row.changePct,
    threshold: row.thresholdPct,
    test: row.test,
    evidence: row.evidence as Record<string, unknown>,
    statement: evidence.statement ?? "",
    cause: row.cause,
    cause_detail: row.causeDetail,
    acknowledged_at: row.acknowledgedAt,
    webhook_status: row.webhookStatus,
    webhook_attempts: row.webhookAttempts,
    webhook_last_error: row.webhookLastError,
    webhook_delivered_at: row.webhookDeliveredAt,
    created_at: row.createdAt,
  };
}
export type AlertView = ReturnType<typeof alertView>;

/** Per model figures of benchmark runs, from their stored rows (warm-ups left out). */
export async function benchmarkFigures(db: Db, runIds: string[]): Promise<Map<string, ModelRunFigures[]>> {
  const out = new Map<string, ModelRunFigures[]>();
  if (!runIds.length) return out;
  const rows = await db
    .select({
      runId: benchmarkResults.runId,
      providerKey: benchmarkResults.providerKey,
      modelId: benchmarkResults.modelId,
      runNumber: benchmarkResults.runNumber,
      success: benchmarkResults.success,
      ttftMs: benchmarkResults.ttftMs,
      speed: benchmarkResults.outputSpeedTps,
      cost: benchmarkResults.costUsd,
      inputTokens: benchmarkResults.inputTokens,
      outputTokens: benchmarkResults.outputTokens,
      errorClass: benchmarkResults.errorClass,
      timings: benchmarkResults.timings,
    })
    .from(benchmarkResults)
    .where(inArray(benchmarkResults.runId, runIds));
  const byKey = new Map<string, ModelRunFigures & { costs: number[]; tokens: number[] }>();
  for (const r of rows) {
    if (r.runNumber <= 0) continue; // warm-up (0) and skipped tiers (−1) measure nothing
    const key = `${r.runId}\u0000${r.providerKey}\u0000${r.modelId}`;
    let f = byKey.get(key);
    if (!f) {
      f = { ...emptyFigures(r.runId, r.providerKey, r.modelId), costs: [], tokens: [] };
      byKey.set(key, f);
    }
    f.attempts += 1;
    if (!r.success) {
      f.failures += 1;
      if (r.errorClass === "rate_limited") f.rate_limited += 1;
      continue;
    }
    if (r.ttftMs !== null) f.ttft_ms.push(r.ttftMs);
    if (r.speed !== null) f.output_speed_tps.push(r.speed);
    if (r.cost !== null) f.costs.push(r.cost);
    if (r.inputTokens !== null || r.outputTokens !== null) f.tokens.push((r.inputTokens ?? 0) + (r.outputTokens ?? 0));
    const served = (r.timings as { served?: { model: string | null; system_fingerprint: string | null } } | null)?.served;
    if (served && (served.model || served.system_fingerprint)) f.served.push(`${served.model ?? "?"}|${served.system_fingerprint ?? "?"}`);
  }
  for (const { costs, tokens, ...f } of byKey.values()) {
    f.cost_per_run = mean(costs);
    f.tokens_per_run = mean(tokens);
    const list = out.get(f.run_id) ?? [];
    list.push(f);
    out.set(f.run_id, list);
  }
  return out;
}

/**
 * Per model figures of tool-eval runs: error rate, per-case tool scores (points), the mean usage-based cost and
 * tokens of one case (over the cases that ran and had a price), and what the provider said served them.
 */
export async function toolEvalFigures(db: Db, runIds: string[]): Promise<Map<string, ModelRunFigures[]>> {
  const out = new Map<string, ModelRunFigures[]>();
  if (!runIds.length) return out;
  const rows = await db
    .select({
      runId: toolEvalResults.evalRunId,
      providerKey: toolEvalResults.providerKey,
      modelId: toolEvalResults.modelId,
      success: toolEvalResults.success,
      score: toolEvalResults.overallScore,
      errorClass: toolEvalResults.errorClass,
      cost: toolEvalResults.costUsd,
      inputTokens: toolEvalResults.inputTokens,
      outputTokens: toolEvalResults.outputTokens,
      servedModel: toolEvalResults.servedModel,
      fingerprint: toolEvalResults.systemFingerprint,
    })
    .from(toolEvalResults)
    .where(inArray(toolEvalResults.evalRunId, runIds));
  const byKey = new Map<string, ModelRunFigures & { costs: number[]; tokens: number[] }>();
  for (const r of rows) {
    const key = `${r.runId}\u0000${r.providerKey}\u0000${r.modelId}`;
    let f = byKey.get(key);
    if (!f) {
      f = { ...emptyFigures(r.runId, r.providerKey, r.modelId), costs: [], tokens: [] };
      byKey.set(key, f);
    }
    f.attempts += 1;
    if (r.errorClass) {
      f.failures += 1;
      if (r.errorClass === "rate_limited") f.rate_limited += 1;
    }
    f.tool_scores.push(100 * (r.score ?? 0));
    if (r.cost !== null) f.costs.push(r.cost);
    if (r.inputTokens !== null || r.outputTokens !== null) f.tokens.push((r.inputTokens ?? 0) + (r.outputTokens ?? 0));
    if (r.servedModel || r.fingerprint) f.served.push(`${r.servedModel ?? "?"}|${r.fingerprint ?? "?"}`);
  }
  for (const { costs, tokens, ...f } of byKey.values()) {
    f.cost_per_run = mean(costs);
    f.tokens_per_run = mean(tokens);
    const list = out.get(f.run_id) ?? [];
    list.push(f);
    out.set(f.run_id, list);
  }
  return out;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

function emptyFigures(runId: string, providerKey: string, modelId: string): ModelRunFigures {
  return {
    run_id: runId,
    provider_key: providerKey,
    model_id: modelId,
    attempts: 0,
    failures: 0,
    rate_limited: 0,
    ttft_ms: [],
    output_speed_tps: [],
    tool_scores: [],
    cost_per_run: null,
    tokens_per_run: null,
    served: [],
  };
}

/** The run's schedule, if the run belongs to one: benchmark or tool eval by job type. */
async function scheduledRun(db: Db, jobType: string, userId: string, runId: string) {
  const table = jobType === "tool_eval" ? toolEvalRuns : jobType === "benchmark" ? benchmarkRuns : null;
  if (!table) return null;
  const run = await db
    .select({ id: table.id, scheduleId: table.scheduleId, status: table.status, createdAt: table.createdAt })
    .from(table)
    .where(and(eq(table.id, runId), eq(table.userId, userId)))
    .get();
  if (!run?.scheduleId) return null;
  return { run, table };
}

/**
 * Called once a job's run row has its final status. Returns the alerts it created (none on a redelivery) with
 * their schedule, for the caller to publish and deliver.
 */
export async function checkScheduledRun(
  db: Db,
  jobType: string,
  userId: string,
  runId: string,
): Promise<{ schedule: ScheduleRow; alerts: AlertRow[]; findings: AlertFinding[] } | null> {
  const found = await scheduledRun(db, jobType, userId, runId);
  if (!found) return null;
  const { run, table } = found;
  const schedule = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, run.scheduleId!), eq(schedules.userId, userId)))
    .get();
  if (!schedule) return null;
  if (schedule.lastRunId === run.id) await db.update(schedules).set({ lastStatus: run.status }).where(eq(schedules.id, schedule.id));
  const settings = alertSettingsOf(schedule);
  if (!settings.enabled || !(JUDGED as readonly string[]).includes(run.status)) return { schedule, alerts: [], findings: [] };
  const earlier = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.scheduleId, schedule.id), lt(table.createdAt, run.createdAt), inArray(table.status, [...JUDGED])))
    .orderBy(desc(table.createdAt))
    .limit(settings.baseline_runs);
  const figuresOf = jobType === "tool_eval" ? toolEvalFigures : benchmarkFigures;
  const figures = await figuresOf(db, [run.id, ...earlier.map((e) => e.id)]);
  const baseline = earlier.flatMap((e) => figures.get(e.id) ?? []); // newest first
  const findings = detectRegressions(figures.get(run.id) ?? [], baseline, {
    thresholds: settings.thresholds,
    minBaselineRuns: settings.min_baseline_runs,
  });
  const alerts: AlertRow[] = [];
  for (const f of findings) {
    const [row] = await db
      .insert(scheduleAlerts)
      .values({
        id: newId(),
        userId,
        scheduleId: schedule.id,
        runId: run.id,
        metric: f.metric,
        providerKey: f.provider_key,
        modelId: f.model_id,
        baselineValue: f.baseline_value,
        value: f.value,
        changePct: f.change_pct,
        thresholdPct: f.threshold,
        test: f.test,
        evidence: {
          statement: f.check.statement,
          method: f.check.method,
          p_value: f.check.p_value,
          robust_z: f.check.robust_z === null || Number.isFinite(f.check.robust_z) ? f.check.robust_z : f.check.robust_z > 0 ? "+inf" : "-inf",
          baseline_runs: earlier.length,
        },
        cause: f.cause,
        causeDetail: f.cause_detail,
        webhookStatus: settings.webhook_url ? "pending" : "none",
      })
      .onConflictDoNothing()
      .returning();
    if (row) alerts.push(row);
  }
  return { schedule, alerts, findings };
}
