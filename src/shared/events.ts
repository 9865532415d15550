/**
 * WebSocket frames, validated with zod on both sides of the trust boundary.
 * Server → client events keep the original's event names; this file is the one list of them.
 */
import { z } from "zod";
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
  // Job lifecycle (the original's names and fields), sent to every socket of the job's owner.
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
  z.object({ type: z.literal("queue_probe"), probe_id: z.string(), sent_at: z.number(), received_at: z.number() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
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
