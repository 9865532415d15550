// Prompt tuner shapes of /api/tool-eval/prompt-tune (src/worker/routes/prompt-tune.ts). The answer's types are
// shared with the Worker (src/shared/tuning/prompt-tune-answer.ts); the significance is the statistics module's.
import type { JobStatus } from "../../../shared/jobs.ts";
import type { Significance } from "../../../shared/stats/verdict.ts";
import type { PromptTuneAnswer } from "../../../shared/tuning/prompt-tune-answer.ts";

export type { CandidateView, GenerationView, PromptTuneAnswer, TargetFigures } from "../../../shared/tuning/prompt-tune-answer.ts";
export type { Significance };

export type PromptTuneMode = "quick" | "evolutionary";
export type PromptToolChoice = "auto" | "required" | "none";

/** The key of the base prompt among the candidates ("g<generation>p<index>" for the written ones). */
export const BASE_KEY = "base";

export interface PromptTuneRequest {
  suite_id: string;
  mode: PromptTuneMode;
  target_targets: { provider_key: string; model_id: string }[];
  /** "provider_key::model_id". */
  meta_model: string;
  base_prompt: string;
  config: {
    population_size: number;
    generations?: number;
    selection_ratio: number;
    temperature: number;
    tool_choice: PromptToolChoice;
  };
  holdout_fraction: number;
  /** Links the run to an experiment of the same suite. */
  experiment_id?: string;
}

export interface PromptTuneSubmitted {
  job_id: string;
  tune_id: string;
  status: "submitted";
  job_status: JobStatus;
  seed: number;
  mode: PromptTuneMode;
  generations: number;
  population_size: number;
  total_prompts: number;
  total_eval_calls: number;
  total_api_calls: number;
  search_cases: number;
  holdout_cases: number;
}

export interface PromptTuneEstimate {
  total_prompts: number;
  total_prompt_generations: number;
  total_eval_calls: number;
  total_api_calls: number;
  estimated_input_tokens: number;
  estimated_output_tokens: number;
  estimated_cost_usd: number | null;
  estimated_duration_s: number;
  warning: string | null;
  basis: string;
}

export interface ModelRef {
  provider_key: string;
  model_id: string;
}

export interface PromptTuneRun {
  id: string;
  job_id: string | null;
  suite_id: string | null;
  suite_name: string;
  mode: string;
  meta_model: ModelRef;
  models: ModelRef[];
  base_prompt: string;
  total_prompts: number;
  best_prompt: string | null;
  best_score: number | null;
  status: string;
  timestamp: string;
  completed_at: string | null;
  duration_s: number | null;
}

export interface PromptTuneRunDetail extends PromptTuneRun {
  config: {
    mode?: PromptTuneMode;
    generations?: number;
    population_size?: number;
    selection_ratio?: number;
    seed?: number;
    search_cases?: string[];
    holdout_cases?: string[];
    [key: string]: unknown;
  };
  answer: PromptTuneAnswer;
}

/** "prompt 1.3" for g1p3, "base prompt" for the base (the server's labels). */
export function candidateLabel(key: string): string {
  return key === BASE_KEY ? "base prompt" : key.replace(/^g(\d+)p(\d+)$/, "prompt $1.$2");
}
