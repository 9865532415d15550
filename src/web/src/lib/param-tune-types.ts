// Parameter tuner shapes of /api/tool-eval/param-tune (src/worker/routes/param-tune.ts, src/worker/param-tune/summary.ts).
// The combo figures and the significance are the shared modules' types, so the web keeps no copies.
import type { JobStatus } from "../../../shared/jobs.ts";
import type { Adjustment } from "../../../shared/provider-params.ts";
import type { Significance } from "../../../shared/stats/verdict.ts";
import type { Strategy } from "../../../shared/tuning/schedule.ts";
import type { SearchSpace } from "../../../shared/tuning/search-space.ts";
import type { ComboFigures } from "../../../shared/tuning/tune-summary.ts";
import type { ScorerName } from "./eval-types.ts";
import type { Baseline, ToolChoice } from "./tune-space.ts";

export type { Significance, Strategy };

export interface ParamTuneRequest {
  suite_id: string;
  targets: { provider_key: string; model_id: string }[];
  search_space: SearchSpace;
  strategy: Strategy;
  n_trials?: number;
  seed?: number;
  repeats: number;
  holdout_fraction: number;
  budgets?: { max_latency_ms?: number; max_cost_per_case?: number };
  baseline: Baseline;
  scorer: ScorerName;
  /** Links the run to an experiment of the same suite. */
  experiment_id?: string;
}

export interface ParamTuneSubmitted {
  job_id: string;
  tune_id: string;
  status: "submitted";
  job_status: JobStatus;
  seed: number;
  strategy: Strategy;
  total_combos: number;
  planned_trials: number;
  grid_trials: number;
  search_cases: number;
  holdout_cases: number;
  merged_combos: { model_id: string; config: Record<string, unknown>; reason: string; into: string }[];
}

/** One combo of one model: the server's figures plus how it is called (and, live, the stage it reported from). */
export interface ComboRow extends ComboFigures {
  provider_key: string;
  model_id: string;
  label: string;
  temperature?: number;
  tool_choice?: ToolChoice;
  provider_params?: Record<string, unknown>;
  adjustments?: Adjustment[];
  merged?: { config: Record<string, unknown>; reason: string }[];
  rung_reached?: number;
  eliminated?: boolean;
  /** Live rows: "rung 1 of 3 (4 cases)", "all cases", "held-out cases". */
  stage?: string;
}

export interface TargetAnswer {
  provider_key: string;
  model_id: string;
  model_name: string;
  rungs: { cases: number; keep: number }[];
  combos: Omit<ComboRow, "provider_key" | "model_id">[];
  best_combo: string | null;
  best_label: string | null;
  best_config: Record<string, unknown> | null;
  best_score: number | null;
  tied_for_best: string[];
  significance: Significance | null;
  comparisons: Significance[];
  holdout: Significance | null;
  statement: string;
}

export interface TuneAnswer {
  targets: TargetAnswer[];
  best_model_id: string | null;
  best_provider_key: string | null;
  best_config: Record<string, unknown> | null;
  best_score: number | null;
  significance: Significance | null;
  trials_run: number;
}

export interface TuneRun {
  id: string;
  job_id: string | null;
  suite_id: string | null;
  suite_name: string;
  strategy: Strategy;
  seed: number;
  repeats: number;
  models: { provider_key: string; model_id: string }[];
  total_combos: number;
  planned_trials: number;
  best_score: number | null;
  best_config: Record<string, unknown> | null;
  status: string;
  timestamp: string;
  completed_at: string | null;
  duration_s: number | null;
}

export interface TuneRunDetail extends TuneRun {
  search_space: { search_space?: SearchSpace; per_model_search_spaces?: Record<string, SearchSpace> | null };
  config: {
    search_cases?: string[];
    holdout_cases?: string[];
    grid_trials?: number;
    budgets?: { max_latency_ms?: number; max_cost_per_case?: number };
  };
  answer: TuneAnswer;
}

export interface ComboTrial {
  case_id: string;
  repeat: number;
  prompt: string | null;
  expected_tool: unknown;
  expected_params: unknown;
  actual_calls: { name: string; arguments: unknown }[];
  score: number;
  tool_score: number | null;
  param_score: number | null;
  passed: boolean;
  latency_ms: number | null;
  cost_usd: number | null;
  error: string | null;
  holdout: boolean;
}

export const comboRowKey = (r: Pick<ComboRow, "provider_key" | "model_id" | "combo">) => `${r.provider_key}\u0000${r.model_id}\u0000${r.combo}`;

/** The answer's combos as rows of the table (every model's, in the server's order). */
export function answerRows(answer: TuneAnswer | null | undefined): ComboRow[] {
  return (answer?.targets ?? []).flatMap((t) => t.combos.map((c) => ({ ...c, provider_key: t.provider_key, model_id: t.model_id })));
}
