// How a parameter tune's events and stored run fold into its live job (pure; the fold itself is live-job-reducer.ts).
// A combo reports its figures after each stage it runs (halving's rungs), so a result is keyed by combo and trials
// run: `latestRows` keeps each combo's newest report. The stored run (read on attach and once the job is over)
// brings every planned combo, the best combo and its significance, as the server words it.
import type { LiveJobKind, LiveJobState } from "./live-job-reducer.ts";
import { answerRows, type ComboRow, comboRowKey, type Strategy, type TuneAnswer, type TuneRunDetail } from "./param-tune-types.ts";

export interface TuneCurrent {
  provider_key: string;
  model_id: string;
  combo: string;
  label: string;
  stage: string;
}

export interface TuneExtras {
  suiteName: string;
  strategy: Strategy | null;
  totalCombos: number;
  plannedTrials: number;
  gridTrials: number;
  repeats: number;
  searchCases: number;
  holdoutCases: number;
  seed: number | null;
  /** The combo running now (combo_start); null between stages and once the tune ends. */
  current: TuneCurrent | null;
  /** The server's answer from the last stored-run read (final once the job is over). */
  answer: TuneAnswer | null;
  /** tune_complete's headline, until the final read brings the whole answer. */
  completion: { best_config: Record<string, unknown> | null; best_score: number | null; significance: Record<string, unknown> | null } | null;
}

export type TuneLiveState = LiveJobState<ComboRow, TuneExtras>;

/** Each combo's newest report (most trials), in first-seen order. */
export function latestRows(rows: readonly ComboRow[]): ComboRow[] {
  const byCombo = new Map<string, ComboRow>();
  for (const r of rows) {
    const key = comboRowKey(r);
    const prev = byCombo.get(key);
    if (!prev || r.trials > prev.trials || (r.trials === prev.trials && r.rung_reached !== undefined)) byCombo.set(key, prev ? { ...prev, ...r } : r);
  }
  return [...byCombo.values()];
}

export const paramTuneLive: LiveJobKind<ComboRow, TuneExtras, TuneRunDetail> = {
  noun: "parameter tune",
  jobTypes: ["param_tune"],
  runIdParam: "tune_id",
  eventTypes: ["tune_start", "combo_start", "combo_result", "tune_complete"],
  read(event) {
    switch (event.type) {
      case "tune_start":
        return {
          kind: "init",
          runId: event.tune_id,
          targets: [],
          extras: {
            suiteName: event.suite_name,
            strategy: event.strategy as Strategy,
            totalCombos: event.total_combos,
            plannedTrials: event.planned_trials,
            repeats: event.repeats,
          },
        };
      case "combo_start":
        return {
          kind: "extras",
          extras: {
            current: { provider_key: event.provider_key, model_id: event.model_id, combo: event.combo, label: event.label, stage: event.stage },
          },
        };
      case "combo_result":
        return { kind: "result", result: event.data as unknown as ComboRow };
      case "tune_complete":
        return {
          kind: "extras",
          extras: {
            current: null,
            completion: { best_config: event.best_config ?? null, best_score: event.best_score, significance: event.significance },
          },
        };
      default:
        return null;
    }
  },
  etaSamples: 8,
  emptyExtras: () => ({
    suiteName: "",
    strategy: null,
    totalCombos: 0,
    plannedTrials: 0,
    gridTrials: 0,
    repeats: 1,
    searchCases: 0,
    holdoutCases: 0,
    seed: null,
    current: null,
    answer: null,
    completion: null,
  }),
  resultKey: (r) => `${comboRowKey(r)}\u0000${r.trials}`,
  namesOf: () => ({}),
  // Progress and ETA come from the job's own percentage (trials done of planned), not from counted rows.
  timing: () => null,
  fromRun: (run, extras) => ({
    results: answerRows(run.answer),
    targets: run.models,
    extras: {
      suiteName: run.suite_name || extras.suiteName,
      strategy: run.strategy,
      totalCombos: run.total_combos,
      plannedTrials: run.planned_trials,
      gridTrials: run.config.grid_trials ?? extras.gridTrials,
      repeats: run.repeats,
      searchCases: run.config.search_cases?.length ?? extras.searchCases,
      holdoutCases: run.config.holdout_cases?.length ?? extras.holdoutCases,
      seed: run.seed,
      answer: run.answer,
    },
    finalExtras: { current: null },
    timestamp: run.timestamp,
    completedAt: run.completed_at,
  }),
  progressInput: () => ({ results: [], runs: 1, tiers: [0] }),
  liveExtras: () => ({}),
};
