/**
 * A tune's answer, built from its plan and stored trials: per target every combo's figures, the best combo and
 * its significance (shared statistics module via `tune-summary.ts`), and across targets the best overall. Shown
 * live while the tune runs and written to the run row (with `tune_complete`) when the job ends.
 */
import { and, eq } from "drizzle-orm";
import { hashSeed, type Significance } from "../../shared/stats/index.ts";
import { nextTrials, scoresOf } from "../../shared/tuning/schedule.ts";
import { answerFor, type ComboFigures, relabelText, type Trial } from "../../shared/tuning/tune-summary.ts";
import type { Db } from "../db/client.ts";
import { paramTuneRuns, paramTuneTrials } from "../db/schema.ts";
import type { FinishContext } from "../jobs/kind.ts";
import { type PlannedTarget, type TuneConfig, TuneConfigSchema } from "./config.ts";

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

export interface ComboView extends ComboFigures {
  label: string;
  temperature: number;
  tool_choice: string;
  provider_params: Record<string, unknown>;
  adjustments: unknown[];
  merged: unknown[];
  /** The last rung it ran (1-based) and whether it was cut there. */
  rung_reached: number;
  eliminated: boolean;
}

export interface TargetView {
  provider_key: string;
  model_id: string;
  model_name: string;
  rungs: { cases: number; keep: number }[];
  combos: ComboView[];
  best_combo: string | null;
  best_label: string | null;
  best_config: Record<string, unknown> | null;
  best_score: number | null;
  tied_for_best: string[];
  significance: Significance | null;
  /** Every comparison shown (runner-up, baseline, ties), Holm-adjusted together. */
  comparisons: Significance[];
  holdout: Significance | null;
  statement: string;
}

/** Where a target's schedule stands, replayed from its stored trials. */
export function scheduleState(
  config: TuneConfig,
  target: PlannedTarget,
  trials: Iterable<{ combo: string; caseId: string; repeat: number; score: number }>,
) {
  return nextTrials({
    combos: target.combos.map((c) => c.id),
    baseline: target.combos.find((c) => c.baseline)!.id,
    rungs: target.rungs,
    search: config.search_cases,
    holdout: config.holdout_cases,
    repeats: config.repeats,
    scores: scoresOf(trials),
  });
}

const seedOf = (config: TuneConfig, t: PlannedTarget) => hashSeed(`${config.seed}:${t.provider_key}:${t.model_id}`);

export function targetView(config: TuneConfig, target: PlannedTarget, trials: readonly Trial[]): TargetView {
  const answer = answerFor({
    combos: target.combos.map((c) => ({ id: c.id, config: c.config, baseline: c.baseline })),
    trials,
    search: config.search_cases,
    holdout: config.holdout_cases,
    budgets: config.budgets,
    seed: seedOf(config, target),
  });
  const state = scheduleState(config, target, trials);
  const labels = new Map(target.combos.map((c) => [c.id, c.label]));
  const label = (id: string) => labels.get(id) ?? id;
  // Statements name combos by their settings, not by internal ids.
  const relabel = (s: Significance): Significance => ({ ...s, compared_with: label(s.compared_with), statement: relabelText(s.statement, labels) });
  const combos = target.combos.map((c): ComboView => {
    const figures = answer.combos.find((f) => f.combo === c.id)!;
    const reached = state.reached[c.id] ?? 0;
    return {
      ...figures,
      label: c.label,
      temperature: c.temperature,
      tool_choice: c.tool_choice,
      provider_params: c.provider_params,
      adjustments: c.adjustments,
      merged: c.merged,
      rung_reached: reached + 1,
      eliminated: !state.alive.includes(c.id),
    };
  });
  const best = answer.best ? target.combos.find((c) => c.id === answer.best)! : null;
  return {
    provider_key: target.provider_key,
    model_id: target.model_id,
    model_name: target.model_name,
    rungs: target.rungs,
    combos,
    best_combo: best?.id ?? null,
    best_label: best?.label ?? null,
    best_config: best?.config ?? null,
    best_score: best ? (combos.find((c) => c.combo === best.id)?.overall_score ?? null) : null,
    tied_for_best: answer.comparison.tied_for_best.map(label),
    significance: answer.significance ? relabel(answer.significance) : null,
    comparisons: answer.comparison.significance.map(relabel),
    holdout: answer.holdout ? relabel(answer.holdout) : null,
    statement: relabelText(answer.comparison.statement, labels),
  };
}

export interface TuneAnswer {
  targets: TargetView[];
  best_model_id: string | null;
  best_provider_key: string | null;
  best_config: Record<string, unknown> | null;
  best_score: number | null;
  significance: Significance | null;
  trials_run: number;
}

/** Every target's view, and the best target's best combo as the tune's answer. */
export function tuneAnswer(config: TuneConfig, trials: readonly TrialDbRow[]): TuneAnswer {
  const targets = config.targets.map((t) =>
    targetView(config, t, trialRowsOf(trials.filter((r) => r.providerKey === t.provider_key && r.modelId === t.model_id))),
  );
  const best = targets.filter((t) => t.best_score !== null).sort((a, b) => b.best_score! - a.best_score!)[0];
  return {
    targets,
    best_model_id: best?.model_id ?? null,
    best_provider_key: best?.provider_key ?? null,
    best_config: best?.best_config ?? null,
    best_score: best?.best_score ?? null,
    // No best anywhere (ties): the first target's statement says so.
    significance: best?.significance ?? targets.find((t) => t.significance)?.significance ?? null,
    trials_run: trials.length,
  };
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
