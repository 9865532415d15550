/**
 * A schedule at the API: what runs (`kind` + `config`, exactly the body of POST /api/benchmark or POST
 * /api/tool-eval, validated by their own schemas), when (interval or cron + zone) and its alert settings. The
 * original's benchmark-only body (`{name, prompt, models, max_tokens, temperature, interval_hours}`) is accepted
 * too and becomes a benchmark config (one run per model, no warm-up, tier 0, as the original ran it).
 */
import { z } from "@hono/zod-openapi";
import { cronProblem, INTERVAL_HOURS } from "../../shared/schedule-time.ts";
import { BenchmarkRequestSchema } from "../benchmark/config.ts";
import { SCHEDULE_KINDS } from "../db/schema.ts";
import { badRequest, type ErrorDetail } from "../lib/errors.ts";
import { HttpUrl } from "../lib/http.ts";
import { EvalRequestSchema } from "../tool-eval/eval-config.ts";

export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** Thresholds: how much worse a run must be than its baseline before the noise test is even asked. */
export const AlertThresholdsSchema = z
  .object({
    ttft_p50_pct: z.number().min(1).max(1000).default(25).openapi({ description: "TTFT p50 rise, % of the baseline" }),
    output_speed_p50_pct: z.number().min(1).max(100).default(20).openapi({ description: "Output speed p50 drop, % of the baseline" }),
    error_rate_pts: z.number().min(1).max(100).default(10).openapi({ description: "Error rate rise, percentage points" }),
    cost_per_run_pct: z.number().min(1).max(1000).default(20).openapi({ description: "Cost per run rise, % of the baseline" }),
    tool_accuracy_pts: z.number().min(1).max(100).default(5).openapi({ description: "Tool accuracy drop, percentage points" }),
  })
  .strict();

export const AlertSettingsInput = z
  .object({
    enabled: z.boolean().default(true),
    baseline_runs: z.number().int().min(3).max(50).default(10).openapi({ description: "N: the baseline is the last N runs" }),
    min_baseline_runs: z.number().int().min(2).max(50).default(3).openapi({ description: "No alert before this many earlier runs" }),
    thresholds: AlertThresholdsSchema.default(AlertThresholdsSchema.parse({})),
    webhook_url: HttpUrl.nullable().default(null),
    webhook_secret: z
      .string()
      .min(16)
      .max(200)
      .optional()
      .openapi({ description: "HMAC-SHA256 key for X-Studio-Signature; write-only (generated and shown once when omitted)" }),
  })
  .strict()
  .openapi("ScheduleAlertSettings");
export type AlertSettingsInput = z.infer<typeof AlertSettingsInput>;
/** What is stored in alerts_json: the settings without the secret (sealed in its own columns). */
export type AlertSettings = Omit<AlertSettingsInput, "webhook_secret">;
export const DEFAULT_ALERTS: AlertSettings = (() => {
  const { webhook_secret: _, ...rest } = AlertSettingsInput.parse({});
  return rest;
})();

const Timing = {
  interval_hours: z.number().int().min(INTERVAL_HOURS.min).max(INTERVAL_HOURS.max).optional(),
  cron: z.string().trim().min(9).max(120).optional().openapi({ description: "5 fields, read in `timezone`" }),
  timezone: z.string().min(1).max(64).optional().openapi({ description: "IANA zone for cron (default UTC)" }),
};

export const ScheduleCreateBody = z
  .object({
    name: z.string().trim().min(1).max(256),
    kind: z.enum(SCHEDULE_KINDS).optional().openapi({ description: "benchmark (default) or tool_eval" }),
    config: z.record(z.string(), z.unknown()).optional().openapi({
      description: "Exactly the body of POST /api/benchmark (kind benchmark) or POST /api/tool-eval (kind tool_eval)",
    }),
    ...Timing,
    enabled: z.boolean().optional(),
    alerts: AlertSettingsInput.optional(),
    // The original's benchmark-only body (inventory §5.11)
    prompt: z.string().min(1).max(500_000).optional(),
    models: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
    max_tokens: z.number().int().min(1).max(128_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .strict()
  .openapi("ScheduleCreate");

export const ScheduleUpdateBody = z
  .object({
    name: z.string().trim().min(1).max(256).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    ...Timing,
    enabled: z.boolean().optional(),
    alerts: AlertSettingsInput.optional(),
    // the original's partial update
    prompt: z.string().min(1).max(500_000).optional(),
    models: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
    max_tokens: z.number().int().min(1).max(128_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .strict()
  .openapi("ScheduleUpdate");

const LEGACY_FIELDS = ["prompt", "models", "max_tokens", "temperature"] as const;
type LegacyFields = Partial<Record<(typeof LEGACY_FIELDS)[number], unknown>>;

function detailsOf(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join("."), message: i.message }));
}

/** The stored config of a kind: the body its own route takes, validated by that route's schema (defaults filled). */
export function validatedConfig(kind: ScheduleKind, config: unknown): Record<string, unknown> {
  const schema = kind === "benchmark" ? BenchmarkRequestSchema : EvalRequestSchema;
  const parsed = schema.safeParse(config);
  if (!parsed.success)
    throw badRequest(`config is not a valid ${kind === "benchmark" ? "benchmark" : "tool-eval"} request`, detailsOf(parsed.error, "config"));
  return parsed.data as Record<string, unknown>;
}

/** The config a create body describes: `config`, or the original's fields (benchmark only). */
export function configOfCreate(body: z.infer<typeof ScheduleCreateBody>): { kind: ScheduleKind; config: Record<string, unknown> } {
  const kind = body.kind ?? "benchmark";
  const legacy = LEGACY_FIELDS.filter((f) => (body as LegacyFields)[f] !== undefined);
  if (body.config && legacy.length) {
    throw badRequest(
      "Give config, or the original's prompt/models fields, not both",
      legacy.map((f) => ({ path: f, message: "not with config" })),
    );
  }
  if (body.config) return { kind, config: validatedConfig(kind, body.config) };
  if (kind !== "benchmark") throw badRequest("A tool_eval schedule needs config", [{ path: "config", message: "required" }]);
  if (!body.models) throw badRequest("Give config (or the original's models and prompt)", [{ path: "config", message: "required" }]);
  return { kind, config: validatedConfig(kind, legacyConfig(body)) };
}

/** The original's scheduled run (§7.6): one measured run per model, no warm-up, tier 0. */
export function legacyConfig(body: LegacyFields & { models?: string[] }): Record<string, unknown> {
  return {
    models: body.models,
    ...(body.prompt !== undefined ? { prompt: body.prompt } : {}),
    max_tokens: body.max_tokens ?? 512,
    temperature: body.temperature ?? 0.7,
    runs: 1,
    warmup: false,
    context_tiers: [0],
  };
}

export type TimingInput = { interval_hours?: number | undefined; cron?: string | undefined; timezone?: string | undefined };

/** Interval or cron, never both; a cron's zone must exist and it must not fire too often. */
export function checkedTiming(t: TimingInput): { intervalHours: number | null; cron: string | null; timezone: string } {
  const timezone = t.timezone ?? "UTC";
  if (t.interval_hours !== undefined && t.cron !== undefined) {
    throw badRequest("Give interval_hours or cron, not both", [{ path: "cron", message: "not with interval_hours" }]);
  }
  if (t.cron !== undefined) {
    const problem = cronProblem(t.cron, timezone);
    if (problem) throw badRequest(problem, [{ path: /time zone/i.test(problem) ? "timezone" : "cron", message: problem }]);
    return { intervalHours: null, cron: t.cron, timezone };
  }
  if (t.interval_hours === undefined) {
    throw badRequest(`Give interval_hours (${INTERVAL_HOURS.min}–${INTERVAL_HOURS.max}) or cron`, [{ path: "interval_hours", message: "required" }]);
  }
  if (t.timezone !== undefined && cronProblem("0 0 * * *", timezone)) {
    throw badRequest(`Unknown time zone "${timezone}"`, [{ path: "timezone", message: "unknown IANA zone" }]);
  }
  return { intervalHours: t.interval_hours, cron: null, timezone };
}
