/**
 * A tune's answer from its plan and trials, wherever they are held (D1 for the Worker, memory for `llm-bench
 * tune`): per target every combo's figures, the best combo and its significance (shared statistics module via
 * `tune-summary.ts`), and across targets the best overall. No storage here, so Node can run it as it is.
 */
import { hashSeed, type Significance } from "../../shared/stats/index.ts";
import { nextTrials, scoresOf } from "../../shared/tuning/schedule.ts";
import { answerFor, type ComboFigures, relabelText, type Trial } from "../../shared/tuning/tune-summary.ts";
import type { PlannedTarget, TuneConfig } from "./config.ts";

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

/** What a stage is called in progress lines and events: "rung 1 of 3 (4 cases)", "all cases" or "held-out cases". */
export function stageText(stage: ReturnType<typeof scheduleState>["stage"], rungs: readonly { cases: number }[]): string {
  if (stage.kind === "holdout") return "held-out cases";
  if (stage.kind === "rung" && rungs.length > 1) return `rung ${stage.rung + 1} of ${rungs.length} (${rungs[stage.rung]!.cases} cases)`;
  return "all cases";
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

/** The same answer from trials held anywhere (`llm-bench tune` keeps them in memory). */
export function answerFromTrials(config: TuneConfig, trialsOf: (t: PlannedTarget) => Trial[], trialsRun: number): TuneAnswer {
  const targets = config.targets.map((t) => targetView(config, t, trialsOf(t)));
  const best = targets.filter((t) => t.best_score !== null).sort((a, b) => b.best_score! - a.best_score!)[0];
  return {
    targets,
    best_model_id: best?.model_id ?? null,
    best_provider_key: best?.provider_key ?? null,
    best_config: best?.best_config ?? null,
    best_score: best?.best_score ?? null,
    // No best anywhere (ties): the first target's statement says so.
    significance: best?.significance ?? targets.find((t) => t.significance)?.significance ?? null,
    trials_run: trialsRun,
  };
}
