/**
 * A stored tune's answer (`answer.ts` over the trials in D1): shown live while the tune runs and written to the
 * run row (with `tune_complete`) when the job ends.
 */
import { and, eq } from "drizzle-orm";
import type { Trial } from "../../shared/tuning/tune-summary.ts";
import type { Db } from "../db/client.ts";
import { paramTuneRuns, paramTuneTrials } from "../db/schema.ts";
import type { FinishContext } from "../jobs/kind.ts";
import { answerFromTrials, type TuneAnswer } from "./answer.ts";
import { type TuneConfig, TuneConfigSchema } from "./config.ts";

type TrialDbRow = typeof paramTuneTrials.$inferSelect;

export function trialRowsOf(rows: readonly TrialDbRow[]): Trial[] {
  return rows.map((r) => ({
    combo: r.combo,
    caseId: r.caseId,
    repeat: r.repeat,
    score: r.score,
    toolScore: r.toolScore,
    paramScore: r.paramScore,
    passed: r.passed,
    error: r.error,
    latencyMs: r.latencyMs,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    costUsd: r.costUsd,
  }));
}
/** Every target's view, and the best target's best combo as the tune's answer. */
export function tuneAnswer(config: TuneConfig, trials: readonly TrialDbRow[]): TuneAnswer {
  return answerFromTrials(
    config,
    (t) => trialRowsOf(trials.filter((r) => r.providerKey === t.provider_key && r.modelId === t.model_id)),
    trials.length,
  );
}

export async function loadTuneAnswer(db: Db, run: typeof paramTuneRuns.$inferSelect): Promise<TuneAnswer> {
  const trials = await db.select().from(paramTuneTrials).where(eq(paramTuneTrials.tuneRunId, run.id));
  return tuneAnswer(TuneConfigSchema.parse(run.config), trials);
}

/** When the job ends (any way): the answer from what was stored, written once and announced. */
export async function finishTune(ctx: FinishContext) {
  const run = await ctx.db
    .select()
    .from(paramTuneRuns)
    .where(and(eq(paramTuneRuns.id, ctx.runId), eq(paramTuneRuns.userId, ctx.userId)))
    .get();
  if (!run) return [];
  const answer = await loadTuneAnswer(ctx.db, run);
  await ctx.db
    .update(paramTuneRuns)
    .set({ summary: answer, bestScore: answer.best_score, bestConfig: answer.best_config })
    .where(eq(paramTuneRuns.id, run.id));
  return [
    {
      type: "tune_complete" as const,
      tuner: "param" as const,
      tune_id: run.id,
      status: run.status,
      best_config: answer.best_config,
      best_score: answer.best_score,
      best_model_id: answer.best_model_id,
      significance: answer.significance as unknown as Record<string, unknown> | null,
    },
  ];
}
