// Tool-eval shapes of /api/tool-suites and /api/tool-eval(/history). A result row is the live `tool_eval_result`
// payload (src/shared/events.ts); the per-model summary is src/shared/eval-summary.ts's.
import type { summarize } from "../../../shared/eval-summary.ts";
import type { ModelParamAdjustments, ToolEvalResultData } from "../../../shared/events.ts";
import type { JobStatus } from "../../../shared/jobs.ts";
import type { ActualCall, CaseScore, ScorerName } from "../../../shared/scoring/types.ts";

export type { ActualCall, CaseScore, ScorerName };

/** Per-model summary (same code on the server and in the browser: src/shared/eval-summary.ts). */
export type EvalSummary = ReturnType<typeof summarize>[number];

export type ToolChoice = "required" | "auto" | "none";

export interface SuiteListItem {
  id: string;
  name: string;
  description: string | null;
  tool_count: number;
  test_case_count: number;
  /** Cases whose right answer is no tool call: they can only pass with tool choice "auto". */
  no_call_case_count: number;
  updated_at: string;
}

/** One case × model, as streamed (`tool_eval_result.data`) and as listed by history (which adds the last three). */
export type EvalResult = ToolEvalResultData & {
  score_parts?: CaseScore | null;
  raw_request?: Record<string, unknown> | null;
  raw_response?: Record<string, unknown> | null;
};

export interface EvalRun {
  id: string;
  job_id: string | null;
  suite_id: string | null;
  suite_name: string;
  status: string;
  scorer: ScorerName;
  temperature: number | null;
  tool_choice: ToolChoice;
  timestamp: string;
  completed_at: string | null;
  models: { provider_key: string; model_id: string }[];
  config: {
    tool_count?: number;
    case_count?: number;
    system_prompt?: string | Record<string, string> | null;
    max_tokens?: number;
    timeout_s?: number;
    /** What the provider parameter registry changed per model (absent on older runs). */
    param_adjustments?: ModelParamAdjustments;
    [k: string]: unknown;
  };
  summary: EvalSummary[];
}

export interface EvalRunDetail extends EvalRun {
  results: EvalResult[];
}

export interface EvalRequest {
  suite_id: string;
  targets: { provider_key: string; model_id: string }[];
  temperature: number;
  max_tokens: number;
  timeout: number;
  tool_choice: ToolChoice;
  scorer: ScorerName;
  provider_params?: Record<string, string | number | boolean>;
  system_prompt?: Record<string, string>;
  /** Links the run to an experiment of the same suite. */
  experiment_id?: string;
}

export interface EvalSubmitted {
  job_id: string;
  eval_id: string;
  status: "submitted";
  job_status: JobStatus;
  param_adjustments?: ModelParamAdjustments;
}

export const resultKey = (r: Pick<EvalResult, "test_case_id" | "provider_key" | "model_id">) =>
  `${r.test_case_id}\u0000${r.provider_key}\u0000${r.model_id}`;
