// Experiments as /api/experiments answers them (the timeline's shapes are shared with the Worker).
import type { BestConfig, SignificanceLabel, TimelineEntry } from "../../../shared/experiments.ts";

export type { BestConfig, SignificanceLabel, TimelineEntry };

export interface Experiment {
  id: string;
  name: string;
  description: string;
  suite_id: string;
  suite_name: string;
  status: "active" | "archived";
  baseline_eval_id: string | null;
  baseline_score: number | null;
  best_score: number | null;
  best_source: string | null;
  best_source_id: string | null;
  best_config: BestConfig | null;
  run_count: number;
  created_at: string;
  updated_at: string;
}

export interface ExperimentTimeline {
  experiment_id: string;
  experiment_name: string;
  suite_id: string;
  baseline: { eval_id: string | null; score: number | null } | null;
  best: { score: number; source: string | null; source_id: string | null; config: BestConfig | null } | null;
  entries: TimelineEntry[];
}

export const ENTRY_LABEL: Record<string, string> = { eval: "Eval", param_tune: "Param tune", prompt_tune: "Prompt tune", judge: "Judge" };
