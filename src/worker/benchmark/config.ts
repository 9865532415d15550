/** The benchmark request (POST /api/benchmark) and the config stored with each run, validated by zod. */
import { z } from "@hono/zod-openapi";
import { boundedNumber } from "../../shared/bounded-number.ts";
import { ModelParamAdjustmentsSchema } from "../../shared/events.ts";
import { BENCHMARK_LIMITS } from "../../shared/request-limits.ts";

export const TargetRefSchema = z.object({
  provider_key: z.string().min(1).max(64),
  model_id: z.string().min(1).max(256),
});

export const BenchmarkRequestSchema = z
  .object({
    targets: z.array(TargetRefSchema).min(1).max(100).optional(),
    models: z.array(z.string().min(1).max(256)).min(1).max(100).optional(), // the original's legacy form
    prompt: z.string().max(500_000).optional(),
    max_tokens: boundedNumber(BENCHMARK_LIMITS.max_tokens).default(512),
    temperature: boundedNumber(BENCHMARK_LIMITS.temperature).default(0.7),
    context_tiers: z.array(boundedNumber(BENCHMARK_LIMITS.context_tier)).min(1).max(16).default([0]),
    runs: boundedNumber(BENCHMARK_LIMITS.runs).default(1),
    warmup: z.boolean().default(true),
    timeout: boundedNumber(BENCHMARK_LIMITS.timeout).default(120), // seconds per run
    unique_prefix: z
      .boolean()
      .default(true)
      .openapi({
        description:
          "Start every request (warm-up included) with a short per-run unique line, `[run <8 hex>]`, so prefix caches " +
          "cannot serve a run from an earlier one (docs/metrics.md). Turn off to measure a provider's prefix cache.",
      }),
    // Tier-2 sampling parameters (top_p, top_k, penalties, seed, reasoning_effort, stop) and a `passthrough`
    // object of provider-specific kwargs; validated per provider by the parameter registry.
    provider_params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((b) => b.targets || b.models, { error: "Give targets (or models)", path: ["targets"] })
  .openapi("BenchmarkRequest");

export const BenchmarkConfigSchema = z.object({
  targets: z.array(TargetRefSchema).min(1),
  prompt: z.string().min(1),
  max_tokens: z.number().int(),
  temperature: z.number().nullable(),
  context_tiers: z.array(z.number().int()),
  runs: z.number().int(),
  warmup: z.boolean(),
  timeout_s: z.number().int(),
  // Runs stored before the option existed were sent without a prefix; only new runs are executed from here.
  unique_prefix: z.boolean().default(true),
  provider_params: z.record(z.string(), z.unknown()).nullable().default(null),
  /** What the provider parameter registry changed per model (runs stored before this was kept have none). */
  param_adjustments: ModelParamAdjustmentsSchema.default([]),
});
export type BenchmarkConfig = z.infer<typeof BenchmarkConfigSchema>;
