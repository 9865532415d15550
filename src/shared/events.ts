/**
 * WebSocket frames, validated with zod on both sides of the trust boundary.
 * Server → client events keep the original's event names; this file is the one list of them.
 */
import { z } from "zod";
import { CapacityInitDataSchema, CapacityLevelResultSchema, CapacityStoppedDataSchema, CapacitySummaryDataSchema } from "./capacity.ts";
import { JOB_STATUSES, JOB_TYPES } from "./jobs.ts";
import { SCORER_NAMES } from "./scoring/types.ts";

export const CONFIG_SCOPES = ["keys", "providers", "models", "prompts", "settings", "onboarding"] as const;
export type ConfigScope = (typeof CONFIG_SCOPES)[number];

/** A job as the API and the `sync` event show it (the original's field names). */
export const JobViewSchema = z.object({
  id: z.string(),
  job_type: z.enum(JOB_TYPES),
  status: z.enum(JOB_STATUSES),
  progress_pct: z.number().int().min(0).max(100),
  progress_detail: z.string(),
  params: z.record(z.string(), z.unknown()),
  result_ref: z.string().nullable(),
  error_class: z.string().nullable(),
  error_msg: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  timeout_at: z.string().nullable(),
  timeout_seconds: z.number().int(),
  error_count: z.number().int().min(0),
});

const num = z.number().nullable();

/**
 * What the provider parameter registry changed for each model before a run (clamped, dropped, renamed, warned,
 * passed through; original-inventory §12): sent as `param_adjustments`, returned by submit, kept in the run's config.
 */
export const ModelParamAdjustmentsSchema = z.array(
  z.object({
    model_id: z.string(),
    provider: z.string(),
    provider_key: z.string(),
    adjustments: z.array(
      z.object({
        param: z.string(),
        original: z.unknown(),
        adjusted: z.unknown(),
        action: z.enum(["clamp", "drop", "rename", "warn", "passthrough"]),
        reason: z.string(),
      }),
    ),
  }),
);
export type ModelParamAdjustments = z.infer<typeof ModelParamAdjustmentsSchema>;

/** One measured (or failed, or skipped) run, as streamed live and as listed in history. */
export const BenchmarkResultSchema = z.object({
  type: z.enum(["result", "skipped"]),
  provider: z.string(),
  provider_key: z.string(),
  model: z.string(),
  model_id: z.string(),
  run: z.number().int(),
  runs: z.number().int(),
  context_tokens: z.number().int(),
  success: z.boolean(),
  error: z.string().nullable(),
  /** A failed run's class (src/shared/call-errors.ts), the provider host it called, and what to check. */
  error_class: z.string().nullable(),
  error_host: z.string().nullable(),
  error_hint: z.string().nullable(),
  ttfb_ms: num,
  ttft_ms: num,
  ttfa_ms: num,
  total_ms: num,
  total_time_s: num,
  output_tokens: num,
  input_tokens: num,
  token_source: z.string().nullable(),
  output_speed_tps: num,
  tokens_per_second: num, // the original's name for end-to-end tok/s (TTFT included)
  e2e_tps: num,
  itl_ms: num,
  prefill_tps: num,
  input_tokens_per_second: num,
  cost: num,
});
export type BenchmarkResult = z.infer<typeof BenchmarkResultSchema>;

/*
 * Tool-eval payloads (`data` of tool_eval_*), as src/worker/tool-eval sends them. ServerEventSchema below still
 * checks these payloads only as records; the web reads them through these types.
 */
export const ToolEvalInitDataSchema = z.object({
  eval_id: z.string(),
  targets: z.array(z.object({ provider_key: z.string(), model_id: z.string(), display_name: z.string() })),
  /** Cases per model. */
  total_cases: z.number().int(),
  suite_name: z.string(),
  scorer: z.enum(SCORER_NAMES),
});
export type ToolEvalInitData = z.infer<typeof ToolEvalInitDataSchema>;

/** The case a model is now on (`current` counts from 1 within the model's `total` cases). */
export const ToolEvalProgressDataSchema = z.object({
  current: z.number().int(),
  total: z.number().int(),
  model: z.string(),
  model_id: z.string(),
  provider_key: z.string(),
  /** The case's prompt, cut to 120 characters. */
  test_case: z.string(),
});
export type ToolEvalProgressData = z.infer<typeof ToolEvalProgressDataSchema>;

const ActualCallSchema = z.object({ name: z.string(), arguments: z.union([z.record(z.string(), z.unknown()), z.string()]) });
const Params = z.record(z.string(), z.unknown());

/** One case × model, as streamed live (history lists the same fields and a few more). */
export const ToolEvalResultDataSchema = z.object({
  test_case_id: z.string(),
  prompt: z.string(),
  provider_key: z.string(),
  /** The provider's display name when the case ran (its key on results stored before names were kept). */
  provider: z.string(),
  model_id: z.string(),
  model_name: z.string(),
  category: z.string().nullable(),
  expected_tool: z.union([z.string(), z.array(z.string())]).nullable(),
  expected_params: z.union([Params, z.array(Params)]).nullable(),
  actual_tool: z.string().nullable(),
  actual_params: z.union([Params, z.string()]).nullable(),
  actual_calls: z.array(ActualCallSchema),
  /** Multi-turn: one call per round, in order (null for single-turn cases). */
  actual_chain: z.array(ActualCallSchema).nullable(),
  should_call_tool: z.boolean(),
  success: z.boolean(),
  tool_selection_score: num,
  param_accuracy: num,
  overall_score: num,
  irrelevance_score: num,
  passed: z.boolean(),
  format_compliance: z.string().nullable(),
  error_type: z.string().nullable(),
  error: z.string().nullable(),
  /** A failed call's class (src/shared/call-errors.ts), the provider host it called, and what to check. */
  error_class: z.string().nullable(),
  error_host: z.string().nullable(),
  error_hint: z.string().nullable(),
  latency_ms: num,
  rounds: num,
});
export type ToolEvalResultData = z.infer<typeof ToolEvalResultDataSchema>;

export const ServerEventSchema = z.discriminatedUnion("type", [
  // Benchmark domain events (the original's names; payload under `data`).
  z.object({
    type: z.literal("benchmark_init"),
    job_id: z.string(),
    reconnect: z.boolean().optional(),
    data: z.object({
      run_id: z.string(),
      targets: z.array(z.object({ provider_key: z.string(), model_id: z.string(), display_name: z.string(), provider: z.string() })),
      runs: z.number().int(),
      context_tiers: z.array(z.number().int()),
      max_tokens: z.number().int(),
    }),
  }),
  z.object({
    type: z.literal("benchmark_progress"),
    job_id: z.string(),
    data: z.object({
      type: z.literal("progress"),
      provider: z.string(),
      provider_key: z.string(),
      model: z.string(),
      model_id: z.string(),
      run: z.number().int(),
      runs: z.number().int(),
      context_tokens: z.number().int(),
    }),
  }),
  z.object({ type: z.literal("benchmark_result"), job_id: z.string(), data: BenchmarkResultSchema }),
  // Tool-eval domain events (the original's names; payload under `data`).
  z.object({ type: z.literal("tool_eval_init"), job_id: z.string(), data: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("tool_eval_progress"), job_id: z.string(), data: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("tool_eval_result"), job_id: z.string(), data: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("param_adjustments"), job_id: z.string(), models: ModelParamAdjustmentsSchema }),
  // Parameter tuner (the original's tune_start, combo_result, tune_complete; combo_start says what runs now).
  // Both tuners start and end with tune_start / tune_complete (the original's names); `tuner` says which
  // (absent: the parameter tuner), and each fills its own fields.
  z.object({
    type: z.literal("tune_start"),
    job_id: z.string(),
    tune_id: z.string(),
    tuner: z.enum(["param", "prompt"]).optional(),
    suite_name: z.string(),
    total_combos: z.number().int().optional(),
    models: z.array(z.string()).optional(),
    strategy: z.string().optional(),
    planned_trials: z.number().int().optional(),
    repeats: z.number().int().optional(),
    mode: z.enum(["quick", "evolutionary"]).optional(),
    total_prompts: z.number().int().optional(),
    total_eval_calls: z.number().int().optional(),
    generations: z.number().int().optional(),
    population_size: z.number().int().optional(),
  }),
  z.object({
    type: z.literal("combo_start"),
    job_id: z.string(),
    tune_id: z.string(),
    provider_key: z.string(),
    model_id: z.string(),
    combo: z.string(),
    label: z.string(),
    /** "rung 1 of 3", "all cases" or "held-out cases". */
    stage: z.string(),
  }),
  z.object({ type: z.literal("combo_result"), job_id: z.string(), tune_id: z.string(), data: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal("tune_complete"),
    job_id: z.string(),
    tune_id: z.string(),
    tuner: z.enum(["param", "prompt"]).optional(),
    status: z.string(),
    best_score: z.number().nullable(),
    best_config: z.record(z.string(), z.unknown()).nullable().optional(),
    best_model_id: z.string().nullable().optional(),
    best_prompt: z.string().nullable().optional(),
    duration_s: z.number().nullable().optional(),
    /** The best against the baseline (or the runner-up), from the shared statistics module. */
    significance: z.record(z.string(), z.unknown()).nullable(),
  }),
  // Prompt tuner (the original's names; `candidate` is the stable key: "base" or "g<generation>p<index>").
  z.object({
    type: z.literal("generation_start"),
    job_id: z.string(),
    tune_id: z.string(),
    generation: z.number().int(),
    total_generations: z.number().int(),
    population_size: z.number().int(),
  }),
  z.object({
    type: z.literal("prompt_generated"),
    job_id: z.string(),
    tune_id: z.string(),
    generation: z.number().int(),
    prompt_index: z.number().int(),
    candidate: z.string(),
    /** The first 300 characters; the run's detail has the whole text. */
    prompt_text: z.string(),
    style: z.string().nullable(),
    mutation_type: z.string().nullable(),
    parent_prompt: z.string().nullable(),
  }),
  z.object({
    type: z.literal("prompt_eval_start"),
    job_id: z.string(),
    tune_id: z.string(),
    generation: z.number().int(),
    prompt_index: z.number().int(),
    candidate: z.string(),
    model: z.string(),
    /** "search cases" or "held-out cases". */
    stage: z.string(),
  }),
  z.object({
    type: z.literal("prompt_eval_result"),
    job_id: z.string(),
    tune_id: z.string(),
    generation: z.number().int(),
    prompt_index: z.number().int(),
    candidate: z.string(),
    model_id: z.string(),
    provider_key: z.string(),
    stage: z.string(),
    /** Mean overall score over the cases run, 0–1. */
    overall_score: z.number(),
    tool_accuracy: z.number().nullable(),
    param_accuracy: z.number().nullable(),
    cases: z.number().int(),
  }),
  z.object({
    type: z.literal("generation_complete"),
    job_id: z.string(),
    tune_id: z.string(),
    generation: z.number().int(),
    best_score: z.number().nullable(),
    best_prompt_index: z.number().int().nullable(),
    survivors: z.array(z.number().int()),
    /** The best prompt so far over every generation (always among the next generation's parents). */
    best_so_far: z.string().nullable(),
  }),
  z.object({ type: z.literal("generation_error"), job_id: z.string(), tune_id: z.string(), generation: z.number().int(), message: z.string() }),
  // LLM judge (the original's names, §6.4): per-case verdicts, one report per model, and comparisons of two runs.
  z.object({
    type: z.literal("judge_start"),
    job_id: z.string(),
    mode: z.enum(["post_eval", "live_inline", "comparative"]),
    judge_model: z.string(),
    cases_to_review: z.number().int(),
    judge_report_id: z.string(),
    concurrency: z.number().int().optional(),
  }),
  z.object({
    type: z.literal("judge_verdict"),
    job_id: z.string(),
    judge_report_id: z.string(),
    verdict_id: z.string(),
    test_case_id: z.string().nullable(),
    provider_key: z.string(),
    model_id: z.string(),
    /** The judged model's display name, as the report's verdicts list it. */
    model_name: z.string(),
    /** "primary" or "second" (the second judge, for inter-judge agreement). */
    judge_role: z.string(),
    quality_score: z.number().int(),
    verdict: z.string(),
    summary: z.string(),
    reasoning: z.string(),
    tool_selection_assessment: z.string(),
    param_assessment: z.string(),
    automated_passed: z.boolean().nullable(),
    /** The judge's pass/fail differs from the automated scorer's (the report lists these first). */
    disagrees_with_scorer: z.boolean(),
    /** A failed judge call ("<class>: <message>"); the verdict is then "error". */
    error: z.string().nullable(),
  }),
  z.object({
    type: z.literal("judge_report"),
    job_id: z.string(),
    eval_id: z.string().nullable(),
    judge_report_id: z.string(),
    report: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal("judge_complete"),
    job_id: z.string(),
    judge_report_id: z.string(),
    status: z.string(),
    overall_grade: z.string().nullable(),
    overall_score: z.number().nullable(),
  }),
  z.object({
    type: z.literal("compare_start"),
    job_id: z.string(),
    judge_report_id: z.string(),
    model_a: z.string(),
    model_b: z.string(),
    cases: z.number().int(),
  }),
  z.object({
    type: z.literal("compare_case"),
    job_id: z.string(),
    judge_report_id: z.string(),
    /** The stored verdict's id, as the report's verdicts list it (a page merges live and stored cases by it). */
    verdict_id: z.string(),
    test_case_id: z.string().nullable(),
    provider_key: z.string(),
    model_name: z.string(),
    model_id_a: z.string(),
    model_id_b: z.string(),
    /** "model_a", "model_b" or "tie", after judging both orders. */
    winner: z.string(),
    confidence: z.number(),
    order_disagreement: z.boolean(),
    reasoning: z.string(),
    /** A failed judge call in either order ("<class>: <message>"); the case is then a tie without a judgement. */
    error: z.string().nullable(),
  }),
  z.object({
    type: z.literal("compare_complete"),
    job_id: z.string(),
    judge_report_id: z.string(),
    overall_winner: z.string().nullable(),
    score_a: z.number().nullable(),
    score_b: z.number().nullable(),
    summary: z.string().nullable(),
    tie_cases: z.number().int().nullable(),
    wins_a: z.number().int(),
    wins_b: z.number().int(),
    ties: z.number().int(),
    sign_test_p: z.number().nullable(),
  }),
  // Job lifecycle (the original's names and fields), sent to every socket of the job's owner.
  // Capacity probe (issue 18): init, one event per finished level of a target, why a target's ladder stopped
  // early, and its knee and SLO limit once its ladder is over.
  z.object({ type: z.literal("capacity_init"), job_id: z.string(), data: CapacityInitDataSchema }),
  z.object({ type: z.literal("capacity_level"), job_id: z.string(), data: CapacityLevelResultSchema.extend({ run_id: z.string() }) }),
  z.object({ type: z.literal("capacity_stopped"), job_id: z.string(), data: CapacityStoppedDataSchema }),
  z.object({ type: z.literal("capacity_summary"), job_id: z.string(), data: CapacitySummaryDataSchema }),
  z.object({ type: z.literal("sync"), active_jobs: z.array(JobViewSchema), recent_jobs: z.array(JobViewSchema) }),
  z.object({
    type: z.literal("job_created"),
    job_id: z.string(),
    job_type: z.enum(JOB_TYPES),
    status: z.enum(JOB_STATUSES),
    progress_detail: z.string(),
    created_at: z.string(),
  }),
  z.object({ type: z.literal("job_started"), job_id: z.string(), job_type: z.enum(JOB_TYPES) }),
  z.object({ type: z.literal("job_progress"), job_id: z.string(), progress_pct: z.number().int(), progress_detail: z.string() }),
  z.object({
    type: z.literal("job_completed"),
    job_id: z.string(),
    result_ref: z.string().nullable(),
    /** Units of work that failed although the job as a whole succeeded, and which failures they were. */
    error_count: z.number().int().optional(),
    error: z.string().nullable().optional(),
  }),
  z.object({ type: z.literal("job_failed"), job_id: z.string(), error: z.string(), error_class: z.string().nullable() }),
  z.object({ type: z.literal("job_cancelled"), job_id: z.string() }),
  z.object({ type: z.literal("connected"), user_id: z.string(), connections: z.number().int() }),
  z.object({ type: z.literal("pong") }),
  z.object({ type: z.literal("config_changed"), scope: z.enum(CONFIG_SCOPES) }),
  // Schedules (issue 15): a scheduled run regressed against its baseline (the bell and the Schedules page).
  z.object({
    type: z.literal("schedule_alert"),
    job_id: z.string(),
    alert: z.object({
      id: z.string(),
      schedule_id: z.string(),
      schedule_name: z.string(),
      run_id: z.string(),
      metric: z.string(),
      provider_key: z.string(),
      model_id: z.string(),
      baseline_value: z.number(),
      value: z.number(),
      change_pct: z.number(),
      cause: z.string(),
      cause_detail: z.string(),
      statement: z.string(),
      created_at: z.string(),
    }),
  }),
  z.object({ type: z.literal("queue_probe"), probe_id: z.string(), sent_at: z.number(), received_at: z.number() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
  // Experiments: a linked run's end set the experiment's baseline and/or beat its best (the original's
  // experiment_best_updated, which it never sent; one event for both, so the page re-reads the timeline once).
  z.object({
    type: z.literal("experiment_updated"),
    job_id: z.string(),
    experiment_id: z.string(),
    baseline_set: z.boolean(),
    best_updated: z.boolean(),
  }),
]);
export type ServerEvent = z.infer<typeof ServerEventSchema>;

/** The client's ping is the exact text `{"type":"ping"}`; the hub answers it without waking (auto-response). */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

export const ClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("cancel"), job_id: z.string().min(1).max(64) }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const WS_CLOSE = { auth: 4001, tooMany: 4008 } as const;
export const MAX_SOCKETS_PER_USER = 5;
