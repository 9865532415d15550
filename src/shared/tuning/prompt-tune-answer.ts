/**
 * The prompt tuner's answer as the API returns it (GET /api/tool-eval/prompt-tune/history/{id} → `answer`): built by
 * src/worker/prompt-tune/summary.ts, read by the Prompt Tuner page. Types only, so the web can import it.
 */
import type { Significance } from "../stats/verdict.ts";

/** One candidate on one target, over the search cases it ran. */
export interface TargetFigures {
  provider_key: string;
  model_id: string;
  /** 0–1. */
  overall_score: number | null;
  tool_accuracy: number | null;
  param_accuracy: number | null;
  cases: number;
  failed_calls: number;
}

export interface CandidateView {
  key: string;
  label: string;
  generation: number;
  index: number;
  text: string;
  style: string | null;
  parent_key: string | null;
  mutation_type: string | null;
  /** 0–1, null until it has run. */
  score: number | null;
  targets: TargetFigures[];
  survived: boolean;
  latency_p50_ms: number | null;
  cost_per_case: number | null;
}

export interface GenerationView {
  generation: number;
  status: "generated" | "failed" | "pending";
  attempts: number | null;
  answer_format: string | null;
  error: string | null;
  meta_cost_usd: number | null;
  candidates: string[];
  best_key: string | null;
  best_score: number | null;
  survivors: string[];
}

export interface PromptTuneAnswer {
  candidates: CandidateView[];
  generations: GenerationView[];
  base_score: number | null;
  best_key: string | null;
  best_prompt: string | null;
  best_score: number | null;
  tied_for_best: string[];
  significance: Significance | null;
  comparisons: Significance[];
  holdout: (Significance & { candidate: string })[];
  statement: string;
  trials_run: number;
  meta_calls: number;
  cost_usd: number | null;
}
