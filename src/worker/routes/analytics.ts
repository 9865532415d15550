/**
 * /api/analytics: leaderboards, trends, the compare of 2–4 runs and the Pareto points, all computed in D1
 * (src/worker/analytics/queries.ts) over the caller's own runs. The original's paths and query names (§5.11).
 */
import { z } from "@hono/zod-openapi";
import { PARETO_AXES, type ParetoAxis } from "../../shared/pareto.ts";
import { paretoView } from "../analytics/pareto-view.ts";
import { PERIODS, periodStart, TREND_METRICS } from "../analytics/queries.ts";
import { compareRuns, leaderboard, trends } from "../analytics/views.ts";
import { errors, jsonResponse, newRouter, route } from "../lib/http.ts";

const Id = z.string().min(1).max(64);
const commaList = <T extends z.ZodType<unknown, string>>(item: T, min: number, max: number, what: string) =>
  z
    .string()
    .max(4000)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(item)
        .min(min, { error: `Give at least ${min} ${what}` })
        .max(max, { error: `Give at most ${max} ${what}` }),
    );

export const PeriodQuery = z.enum(PERIODS).default("30d").openapi({ description: "Runs created in the last 7, 30 or 90 days, or all" });
export const LeaderboardQuery = z
  .object({
    type: z.enum(["benchmark", "tool_eval"]).default("benchmark"),
    period: PeriodQuery,
    suite_id: Id.optional().openapi({ description: "tool_eval only: evals of this suite" }),
  })
  .strict();

const BenchmarkLeader = z.object({
  provider_key: z.string(),
  provider: z.string(),
  model_id: z.string(),
  model: z.string(),
  context_tokens: z.number().int(),
  n: z.number().int().openapi({ description: "Successful measured calls" }),
  failures: z.number().int(),
  runs: z.number().int().openapi({ description: "Benchmark runs these calls came from" }),
  ttft_p50_ms: z.number().nullable(),
  output_speed_p50_tps: z.number().nullable(),
  e2e_p50_tps: z.number().nullable(),
  cost_mean_usd: z.number().nullable().openapi({ description: "Mean cost per call; null when no price is known" }),
  cost_total_usd: z.number().nullable(),
  last_run: z.string(),
});
const EvalLeader = z.object({
  scorer: z.string(),
  provider_key: z.string(),
  provider: z.string(),
  model_id: z.string(),
  model: z.string(),
  tool_accuracy_pct: z.number().nullable(),
  param_accuracy_pct: z.number().nullable(),
  overall_pct: z.number().nullable(),
  evals: z.number().int(),
  cases: z.number().int(),
  last_eval: z.string(),
});
const Leaderboard = z
  .union([
    z.object({ type: z.literal("benchmark"), period: z.string(), rows: z.array(BenchmarkLeader) }),
    z.object({ type: z.literal("tool_eval"), period: z.string(), rows: z.array(EvalLeader) }),
  ])
  .openapi("Leaderboard");

const TrendsQuery = z
  .object({
    metric: z.enum([...(Object.keys(TREND_METRICS) as [keyof typeof TREND_METRICS]), "accuracy"]).default("tps"),
    period: PeriodQuery,
    models: commaList(z.string().max(256), 0, 20, "models")
      .optional()
      .openapi({ type: "string", description: "Comma-separated model ids or display names (all when omitted)" }),
  })
  .strict();
const Trends = z
  .object({
    metric: z.string(),
    period: z.string(),
    series: z.array(
      z.object({
        provider_key: z.string(),
        provider: z.string(),
        model_id: z.string(),
        model: z.string(),
        context_tokens: z.number().int().nullable(),
        points: z.array(z.object({ run_id: z.string(), timestamp: z.string(), value: z.number().nullable(), n: z.number().int() })),
      }),
    ),
  })
  .openapi("Trends");

const CompareQuery = z
  .object({
    runs: commaList(Id, 2, 4, "run ids")
      .refine((ids) => new Set(ids).size === ids.length, { error: "Each run may appear once" })
      .openapi({ type: "string", description: "2–4 benchmark run ids, comma-separated" }),
  })
  .strict();
const Compare = z
  .object({ runs: z.array(z.object({ id: z.string(), timestamp: z.string(), prompt: z.string(), models: z.array(BenchmarkLeader) })) })
  .openapi("RunCompare");

const ParetoQuery = z
  .object({
    period: PeriodQuery,
    suite_id: Id.optional().openapi({ description: "Accuracy from evals of this suite only" }),
    axes: commaList(z.enum(PARETO_AXES as [ParetoAxis, ...ParetoAxis[]]), 1, 3, "axes")
      .optional()
      .openapi({ type: "string", description: "Objectives for the front: speed, accuracy, cost (default all three)" }),
  })
  .strict();
const Pareto = z
  .object({
    period: z.string(),
    suite_id: z.string().nullable(),
    axes: z.array(z.object({ key: z.string(), direction: z.enum(["max", "min"]) })),
    runs_per_point: z.number().int(),
    points: z.array(
      z.object({
        key: z.string(),
        provider_key: z.string(),
        model_id: z.string(),
        provider: z.string(),
        model: z.string(),
        params: z.record(z.string(), z.unknown()),
        speed: z.number().nullable().openapi({ description: "p50 output speed (tokens/s, TTFT excluded) over benchmark calls" }),
        accuracy: z.number().nullable().openapi({ description: "Mean of each eval run's overall accuracy, %" }),
        cost: z.number().nullable().openapi({ description: "Mean cost per benchmark call, USD" }),
        speed_calls: z.number().int(),
        accuracy_cases: z.number().int(),
        benchmark_runs: z.number().int(),
        eval_runs: z.number().int(),
        front: z.boolean(),
        complete: z.boolean(),
        dominated_by: z.array(z.string()),
        runs: z.array(z.object({ kind: z.enum(["benchmark", "tool_eval"]), run_id: z.string(), timestamp: z.string() })),
      }),
    ),
  })
  .openapi("Pareto");

/** Mounted at /api/analytics. */
export const analyticsRoutes = newRouter();

analyticsRoutes.openapi(
  route({
    method: "get",
    path: "/leaderboard",
    operationId: "getLeaderboard",
    auth: "user",
    tags: ["analytics"],
    summary: "Per-model figures over a period: benchmark (per tier: p50 TTFT, p50 output speed, cost) or tool eval (accuracy per scorer)",
    request: { query: LeaderboardQuery },
    responses: { 200: jsonResponse(Leaderboard, "Rows, fastest or most accurate first"), 400: errors[400] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const board = await leaderboard(c.env.DB, q.type, { userId: c.var.user.id, since: periodStart(q.period), suiteId: q.suite_id ?? null });
    return c.json({ ...board, period: q.period } as z.infer<typeof Leaderboard>, 200);
  },
);

analyticsRoutes.openapi(
  route({
    method: "get",
    path: "/trends",
    operationId: "getTrends",
    auth: "user",
    tags: ["analytics"],
    summary: "One series per model (and tier): a point per run with that run's p50 of the metric, or its accuracy",
    request: { query: TrendsQuery },
    responses: { 200: jsonResponse(Trends, "Series, oldest point first"), 400: errors[400] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const out = await trends(c.env.DB, { userId: c.var.user.id, since: periodStart(q.period), metric: q.metric, models: q.models ?? [] });
    return c.json({ ...out, period: q.period } as z.infer<typeof Trends>, 200);
  },
);

analyticsRoutes.openapi(
  route({
    method: "get",
    path: "/compare",
    operationId: "compareRuns",
    auth: "user",
    tags: ["analytics"],
    summary: "2–4 of your benchmark runs side by side (per model and tier); another user's run id is a 404",
    request: { query: CompareQuery },
    responses: { 200: jsonResponse(Compare, "The runs in the order asked"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => c.json(await compareRuns(c.env.DB, c.var.user.id, c.req.valid("query").runs), 200),
);

analyticsRoutes.openapi(
  route({
    method: "get",
    path: "/pareto",
    operationId: "getPareto",
    auth: "user",
    tags: ["analytics"],
    summary: "Per (provider, model, parameters): your speed, accuracy and cost, the non-dominated front marked, the runs behind each point",
    request: { query: ParetoQuery },
    responses: { 200: jsonResponse(Pareto, "Points, the front first"), 400: errors[400] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const view = await paretoView(c.env.DB, {
      userId: c.var.user.id,
      since: periodStart(q.period),
      suiteId: q.suite_id ?? null,
      axes: q.axes ?? PARETO_AXES,
    });
    return c.json({ ...view, period: q.period, suite_id: q.suite_id ?? null }, 200);
  },
);
