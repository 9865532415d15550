// The judge's API shapes (GET /api/tool-eval/judge/reports[/{id}], /cards), as the Judge page reads them.

export interface JudgeReportSummary {
  id: string;
  job_id: string | null;
  eval_run_id: string | null;
  eval_run_id_b: string | null;
  experiment_id: string | null;
  suite_name: string;
  judge_model: string;
  judge_provider_key: string;
  judge_model_name: string;
  second_judge_model: string | null;
  mode: "post_eval" | "live_inline" | "comparative";
  prompt_version: string;
  overall_grade: string | null;
  overall_score: number | null;
  status: string;
  timestamp: string;
  completed_at: string | null;
}

export interface JudgeVerdict {
  id: string;
  judge_role: "primary" | "second" | "compare";
  judge_model: string;
  test_case_id: string | null;
  provider_key: string;
  model_id: string;
  model_name: string;
  automated_passed: boolean | null;
  quality_score: number;
  verdict: string;
  summary: string;
  reasoning: string;
  tool_selection_assessment: string;
  param_assessment: string;
  disagrees_with_scorer: boolean;
  comparison: { winner?: string; confidence?: number; order_disagreement?: boolean; forward?: string; swapped?: string; model_id_b?: string } | null;
  error: string | null;
  override_verdict: string | null;
  override_reason: string | null;
}

export interface Agreement {
  n: number;
  labels: string[];
  table: number[][];
  observed_agreement: number | null;
  kappa: number | null;
  kappa_ci: [number, number] | null;
  false_pass_rate: number | null;
  false_fail_rate: number | null;
  statement: string;
}

export interface JudgeCalibration {
  reference: string;
  judge_vs_scorer: Agreement;
  disagreements: number;
  errors: number;
  second_judge: { judge_model: string; vs_primary: Agreement; vs_scorer: Agreement } | null;
  overrides: { count: number; judge_vs_overrides: Agreement | null };
}

export interface ModelReport {
  model_id?: string;
  model_name?: string;
  overall_grade?: string;
  overall_score?: number;
  strengths?: string[];
  weaknesses?: string[];
  cross_case_analysis?: string;
  recommendations?: string[];
  // comparisons: per model pair
  model_a?: string;
  model_b?: string;
  overall_winner?: string;
  summary?: string;
  wins_a?: number;
  wins_b?: number;
  ties?: number;
  sign_test_p?: number | null;
}

export interface JudgeReportDetail extends JudgeReportSummary {
  custom_instructions: string;
  concurrency: number;
  concurrency_note: string | null;
  reports: ModelReport[];
  verdicts: JudgeVerdict[];
  calibration: JudgeCalibration | null;
  comparison: Record<string, unknown> | null;
  wins_a: number | null;
  wins_b: number | null;
  ties: number | null;
  sign_test_p: number | null;
  overrides: number;
}

export interface JudgeCard {
  judge_provider_key: string;
  judge_model: string;
  prompt_version: string;
  custom_instructions: string;
  reports: number;
  verdicts: number;
  labelled: number;
  kappa: number | null;
  false_pass_rate: number | null;
  false_fail_rate: number | null;
  comparisons: number;
  swap_consistency: number | null;
  cost_usd: number | null;
  last_used: string;
}

/** Badge tone of a letter grade: A/B good, C middling, D/F poor, "?" unknown. */
export function gradeTone(grade: string | null): "lime" | "blue" | "amber" | "coral" | "grey" {
  const g = grade?.[0];
  if (g === "A") return "lime";
  if (g === "B") return "blue";
  if (g === "C") return "amber";
  if (g === "D" || g === "F") return "coral";
  return "grey";
}

export const fmtRate = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);
export const fmtKappa = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
