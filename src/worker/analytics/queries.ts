/**
 * Analytics computed in D1: leaderboards, trends, the compare of runs and the Pareto points. Every query
 * aggregates in SQL (GROUP BY, window-function percentiles from quantile-sql.ts) and returns one row per
 * group, never the stored result rows; every query starts from the owner's run rows (`user_id = ?1`), so another
 * user's runs are never read.
 *
 * Figures follow metrics.md as the app already shows them: benchmark figures are over successful measured calls
 * (warm-ups, run_number 0, and skipped tiers, run_number < 0, are left out, as in benchmark/history.ts);
 * tool-eval figures use the per-run summary rules of src/shared/eval-summary.ts (failed calls are cases but stay
 * out of the means; a missing tool or overall score counts as 0, a missing parameter score is left out).
 */
import { quantileCtes } from "./quantile-sql.ts";
import { groupKey, PARAMS_SPEED_RANK, rankedMedians, TIER_RANKS } from "./ranked.ts";

export const PERIODS = ["7d", "30d", "90d", "all"] as const;
export type Period = (typeof PERIODS)[number];

/** The ISO timestamp a period starts at (runs created at or after it count), or null for all time. */
export function periodStart(period: Period, now = Date.now()): string | null {
  if (period === "all") return null;
  return new Date(now - Number.parseInt(period, 10) * 86_400_000).toISOString();
}

/**
 * The lower bound of created_at a query binds: the period's start, or "" (before every ISO date) for all time. A
 * plain `created_at >= ?` keeps the (user_id, created_at) index range usable; `(? IS NULL OR created_at >= ?)`
 * made SQLite scan every run of the user even for 7 days.
 */
const sinceBound = (since: string | null) => since ?? "";

async function all<T>(d1: D1Database, query: string, params: unknown[]): Promise<T[]> {
  return (
    await d1
      .prepare(query)
      .bind(...params)
      .all<T>()
  ).results;
}

// ---------------------------------------------------------------- benchmark aggregates

export interface BenchmarkGroup {
  run_id: string | null;
  provider_key: string;
  model_id: string;
  provider: string;
  model: string;
  context_tokens: number;
  n: number;
  failures: number;
  runs: number;
  last_run: string;
  ttft_p50_ms: number | null;
  output_speed_p50_tps: number | null;
  e2e_p50_tps: number | null;
  cost_mean_usd: number | null;
  cost_total_usd: number | null;
}

/**
 * Per (provider, model, tier): call counts, p50 TTFT, p50 output speed, p50 end-to-end speed and the mean cost per
 * call, over the owner's runs since `since`. Read through the owner indexes of migration 0017 (ranked.ts), so the
 * time grows with the number of models and tiers, not with the number of stored calls. Ordered by p50 output
 * speed, fastest first (a sort order, not a verdict: see the UI).
 */
export async function benchmarkGroups(d1: D1Database, opts: { userId: string; since: string | null }): Promise<BenchmarkGroup[]> {
  const base = { userId: opts.userId, since: sinceBound(opts.since) };
  const [groups, ttft, speed, e2e] = await Promise.all([
    all<Omit<BenchmarkGroup, "ttft_p50_ms" | "output_speed_p50_tps" | "e2e_p50_tps">>(
      d1,
      `SELECT NULL AS run_id, provider_key, model_id, context_tokens, MAX(provider_name) AS provider, MAX(model_name) AS model,
              SUM(success) AS n, COUNT(*) - SUM(success) AS failures, COUNT(DISTINCT run_id) AS runs, MAX(run_created_at) AS last_run,
              AVG(CASE WHEN success = 1 THEN cost_usd END) AS cost_mean_usd, SUM(CASE WHEN success = 1 THEN cost_usd END) AS cost_total_usd
       FROM benchmark_results INDEXED BY benchmark_results_owner_tier_idx
       WHERE user_id = ?1 AND run_created_at >= ?2 AND run_number >= 1
       GROUP BY provider_key, model_id, context_tokens`,
      [base.userId, base.since],
    ),
    rankedMedians(d1, base, TIER_RANKS.ttft),
    rankedMedians(d1, base, TIER_RANKS.speed),
    rankedMedians(d1, base, TIER_RANKS.e2e),
  ]);
  const rows = groups.map((g) => {
    const key = groupKey(TIER_RANKS.ttft.keys, g);
    return {
      ...g,
      ttft_p50_ms: ttft.get(key)?.p50 ?? null,
      output_speed_p50_tps: speed.get(key)?.p50 ?? null,
      e2e_p50_tps: e2e.get(key)?.p50 ?? null,
    };
  });
  return rows.sort(
    (a, b) =>
      Number(a.output_speed_p50_tps === null) - Number(b.output_speed_p50_tps === null) ||
      (b.output_speed_p50_tps ?? 0) - (a.output_speed_p50_tps ?? 0) ||
      cmp(a.provider_key, b.provider_key) ||
      cmp(a.model_id, b.model_id) ||
      a.context_tokens - b.context_tokens,
  );
}

/** SQLite's default (binary) text order, so a JS sort ties the same way an ORDER BY would. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Per (run, provider, model, tier) of the listed runs (the compare view: 2–4 runs, so ranking their rows is
 * cheap): the same figures as benchmarkGroups, with window-function percentiles from quantile-sql.ts.
 */
export function runGroups(d1: D1Database, opts: { userId: string; runIds: readonly string[] }): Promise<BenchmarkGroup[]> {
  const keys = ["run_id", "provider_key", "model_id", "context_tokens"];
  const k = keys.join(", ");
  const on = (t: string) => keys.map((x) => `g.${x} = ${t}.${x}`).join(" AND ");
  const query = `
    WITH base AS (
      SELECT r.run_id, r.provider_key, r.model_id, r.context_tokens, r.provider_name, r.model_name, r.success,
             r.ttft_ms, r.output_speed_tps, r.e2e_tps, r.cost_usd, br.created_at AS run_at
      FROM benchmark_runs br JOIN benchmark_results r ON r.run_id = br.id
      WHERE br.user_id = ?1 AND br.id IN (SELECT value FROM json_each(?2))
        AND r.run_number >= 1
    ),
    ok AS (SELECT * FROM base WHERE success = 1),
    g AS (
      SELECT ${k}, MAX(provider_name) AS provider, MAX(model_name) AS model,
             SUM(success) AS n, COUNT(*) - SUM(success) AS failures, COUNT(DISTINCT run_id) AS runs,
             MAX(run_at) AS last_run,
             AVG(CASE WHEN success = 1 THEN cost_usd END) AS cost_mean_usd,
             SUM(CASE WHEN success = 1 THEN cost_usd END) AS cost_total_usd
      FROM base GROUP BY ${k}
    ),
    ${quantileCtes("ttft", "ok", keys, "ttft_ms", { p50: 0.5 })},
    ${quantileCtes("speed", "ok", keys, "output_speed_tps", { p50: 0.5 })},
    ${quantileCtes("e2e", "ok", keys, "e2e_tps", { p50: 0.5 })}
    SELECT g.run_id, g.provider_key, g.model_id, g.context_tokens, g.provider, g.model,
           g.n, g.failures, g.runs, g.last_run, g.cost_mean_usd, g.cost_total_usd,
           ttft.p50 AS ttft_p50_ms, speed.p50 AS output_speed_p50_tps, e2e.p50 AS e2e_p50_tps
    FROM g
    LEFT JOIN ttft ON ${on("ttft")}
    LEFT JOIN speed ON ${on("speed")}
    LEFT JOIN e2e ON ${on("e2e")}
    ORDER BY speed.p50 IS NULL, speed.p50 DESC, g.provider_key, g.model_id, g.context_tokens`;
  return all<BenchmarkGroup>(d1, query, [opts.userId, JSON.stringify(opts.runIds)]);
}

// ---------------------------------------------------------------- tool-eval aggregates

/** Per (eval run, provider, model): the summary figures of eval-summary.ts, as fractions (0–1). */
const EVAL_PER_RUN = `
  per_run AS (
    SELECT ter.id AS eval_run_id, ter.scorer, ter.suite_id, ter.suite_name, ter.created_at, res.provider_key, res.model_id,
           MAX(COALESCE(res.provider_name, res.provider_key)) AS provider, MAX(res.model_name) AS model,
           AVG(CASE WHEN res.success = 1 THEN COALESCE(res.tool_selection_score, 0) END) AS tool,
           AVG(CASE WHEN res.success = 1 THEN res.param_accuracy END) AS param,
           AVG(CASE WHEN res.success = 1 THEN COALESCE(res.overall_score, 0) END) AS overall,
           COUNT(*) AS cases, SUM(res.success) AS cases_run,
           SUM(COALESCE(json_extract(res.score_parts_json, '$.passed'), 0) = 1) AS cases_passed
    FROM tool_eval_runs ter JOIN tool_eval_results res ON res.eval_run_id = ter.id
    WHERE ter.user_id = ?1 AND ter.created_at >= ?2 AND (?3 IS NULL OR ter.suite_id = ?3)
    GROUP BY ter.id, res.provider_key, res.model_id
  )`;

export interface EvalRunSummary {
  eval_run_id: string;
  scorer: string;
  suite_id: string | null;
  suite_name: string;
  created_at: string;
  provider_key: string;
  model_id: string;
  provider: string;
  model: string;
  tool: number | null;
  param: number | null;
  overall: number | null;
  cases: number;
  cases_run: number;
  cases_passed: number;
}

/** Every eval run's per-model summary (newest first), for the tool-eval CSV and the accuracy trend. */
export function evalRunSummaries(d1: D1Database, opts: { userId: string; since: string | null; suiteId?: string | null; limit?: number }) {
  return all<EvalRunSummary>(d1, `WITH ${EVAL_PER_RUN} SELECT * FROM per_run ORDER BY created_at DESC, provider_key, model_id LIMIT ?4`, [
    opts.userId,
    sinceBound(opts.since),
    opts.suiteId ?? null,
    opts.limit ?? 10_000,
  ]);
}

export interface EvalLeaderRow {
  scorer: string;
  provider_key: string;
  model_id: string;
  provider: string;
  model: string;
  tool: number | null;
  param: number | null;
  overall: number | null;
  evals: number;
  cases: number;
  last_eval: string;
}

/**
 * Per (scorer, provider, model): the mean over eval runs of each run's tool, parameter and overall accuracy
 * (unweighted by case count, as the original; a run equals its own summary). Scorers are never mixed: a
 * classic score and a BFCL score measure different things.
 */
export function evalLeaderboard(d1: D1Database, opts: { userId: string; since: string | null; suiteId?: string | null }) {
  return all<EvalLeaderRow>(
    d1,
    `WITH ${EVAL_PER_RUN}
     SELECT scorer, provider_key, model_id, MAX(provider) AS provider, MAX(model) AS model,
            AVG(tool) AS tool, AVG(param) AS param, AVG(overall) AS overall,
            COUNT(*) AS evals, SUM(cases) AS cases, MAX(created_at) AS last_eval
     FROM per_run GROUP BY scorer, provider_key, model_id
     ORDER BY scorer, overall IS NULL, overall DESC, provider_key, model_id`,
    [opts.userId, sinceBound(opts.since), opts.suiteId ?? null],
  );
}

// ---------------------------------------------------------------- trends

export const TREND_METRICS = {
  ttft: "ttft_ms",
  tps: "output_speed_tps",
  e2e_tps: "e2e_tps",
  itl: "itl_ms",
  total: "total_ms",
  cost: "cost_usd",
} as const;
export type TrendMetric = keyof typeof TREND_METRICS | "accuracy";

export interface TrendPoint {
  run_id: string;
  timestamp: string;
  provider_key: string;
  model_id: string;
  provider: string;
  model: string;
  context_tokens: number | null;
  value: number | null;
  n: number;
}

/**
 * One point per run and series: for speed metrics the p50 of that run's successful calls of the model at one
 * tier (the run view's aggregate), for `accuracy` the run's overall accuracy of the model (as a fraction).
 * `models` matches a model id or display name; empty means every model.
 */
export function trendPoints(d1: D1Database, opts: { userId: string; since: string | null; metric: TrendMetric; models: readonly string[] }) {
  const models = opts.models.length ? JSON.stringify(opts.models) : null;
  if (opts.metric === "accuracy") {
    return all<TrendPoint>(
      d1,
      `WITH ${EVAL_PER_RUN}
       SELECT eval_run_id AS run_id, created_at AS timestamp, provider_key, model_id, provider, model, NULL AS context_tokens,
              overall AS value, cases_run AS n
       FROM per_run
       WHERE ?4 IS NULL OR model_id IN (SELECT value FROM json_each(?4)) OR model IN (SELECT value FROM json_each(?4))
       ORDER BY created_at, provider_key, model_id`,
      [opts.userId, sinceBound(opts.since), null, models],
    );
  }
  const column = TREND_METRICS[opts.metric];
  const keys = ["run_id", "provider_key", "model_id", "context_tokens"];
  return all<TrendPoint>(
    d1,
    `WITH ok AS (
       SELECT r.run_id, r.provider_key, r.model_id, r.context_tokens, r.provider_name, r.model_name, r.${column}, br.created_at AS run_at
       FROM benchmark_runs br JOIN benchmark_results r ON r.run_id = br.id
       WHERE br.user_id = ?1 AND br.created_at >= ?2 AND r.run_number >= 1 AND r.success = 1
         AND (?3 IS NULL OR r.model_id IN (SELECT value FROM json_each(?3)) OR r.model_name IN (SELECT value FROM json_each(?3)))
     ),
     g AS (SELECT ${keys.join(", ")}, MAX(provider_name) AS provider, MAX(model_name) AS model, MAX(run_at) AS run_at FROM ok GROUP BY ${keys.join(", ")}),
     ${quantileCtes("q", "ok", keys, column, { p50: 0.5 })}
     SELECT g.run_id, g.run_at AS timestamp, g.provider_key, g.model_id, g.provider, g.model, g.context_tokens,
            q.p50 AS value, COALESCE(q.n, 0) AS n
     FROM g LEFT JOIN q ON ${keys.map((x) => `q.${x} = g.${x}`).join(" AND ")}
     ORDER BY g.run_at, g.provider_key, g.model_id, g.context_tokens`,
    [opts.userId, sinceBound(opts.since), models],
  );
}

// ---------------------------------------------------------------- Pareto points

/**
 * The newest runs (at most `limit`) behind each benchmark point: a backwards walk of the owner index per point,
 * which stops after `limit` distinct runs however many the point has.
 */
async function newestBenchmarkRuns(
  d1: D1Database,
  opts: { userId: string; since: string; points: readonly { provider_key: string; model_id: string; params: string }[]; limit: number },
): Promise<ParetoRun[]> {
  if (!opts.points.length) return [];
  const statements = opts.points.map((p) =>
    d1
      .prepare(
        `SELECT DISTINCT provider_key, model_id, params_key AS params, 'benchmark' AS kind, run_id, run_created_at AS timestamp
         FROM benchmark_results INDEXED BY benchmark_results_owner_params_idx
         WHERE user_id = ?1 AND provider_key = ?2 AND model_id = ?3 AND params_key = ?4 AND run_created_at >= ?5
           AND run_number >= 1 AND success = 1
         ORDER BY run_created_at DESC LIMIT ?6`,
      )
      .bind(opts.userId, p.provider_key, p.model_id, p.params, opts.since, opts.limit),
  );
  return (await d1.batch<ParetoRun>(statements)).flatMap((r) => r.results);
}

/**
 * The sampling parameters a run used, as one canonical JSON text: its temperature and provider parameters
 * (benchmarks and evals store both the same way). Two runs with the same text used the same parameters.
 */
const paramsKey = (run: string) =>
  `json_object('temperature', ${run}.temperature, 'provider_params', json(COALESCE(json_extract(${run}.config_json, '$.provider_params'), '{}')))`;

export interface ParetoSide {
  provider_key: string;
  model_id: string;
  params: string;
  provider: string;
  model: string;
  value: number | null;
  cost: number | null;
  n: number;
  runs: number;
}

export interface ParetoRun {
  provider_key: string;
  model_id: string;
  params: string;
  kind: "benchmark" | "tool_eval";
  run_id: string;
  timestamp: string;
}

/**
 * The two halves of the Pareto points, each grouped per (provider, model, params) in SQL: speed (p50 output
 * speed) and cost (mean cost per call) from benchmarks; accuracy (mean of each eval run's overall accuracy) from
 * evals, optionally of one suite. Plus the newest runs behind each point (at most `runsPerPoint` per kind).
 */
export async function paretoSides(d1: D1Database, opts: { userId: string; since: string | null; suiteId: string | null; runsPerPoint: number }) {
  const keys = ["provider_key", "model_id", "params"];
  const k = keys.join(", ");
  const since = sinceBound(opts.since);
  const evalBase = `${EVAL_PER_RUN},
    evals AS (
      SELECT p.*, ${paramsKey("ter")} AS params FROM per_run p JOIN tool_eval_runs ter ON ter.id = p.eval_run_id
    )`;
  // The benchmark side reads the owner indexes of 0017: the row's params_key is paramsKey() of its run, copied.
  const [benchGroups, speeds, accuracy, evalRuns] = await Promise.all([
    all<Omit<ParetoSide, "value">>(
      d1,
      `SELECT provider_key, model_id, params_key AS params, MAX(provider_name) AS provider, MAX(model_name) AS model,
              COUNT(*) AS n, COUNT(DISTINCT run_id) AS runs, AVG(cost_usd) AS cost
       FROM benchmark_results INDEXED BY benchmark_results_owner_params_idx
       WHERE user_id = ?1 AND run_created_at >= ?2 AND run_number >= 1 AND success = 1
       GROUP BY provider_key, model_id, params_key`,
      [opts.userId, since],
    ),
    rankedMedians(d1, { userId: opts.userId, since }, PARAMS_SPEED_RANK),
    all<ParetoSide>(
      d1,
      `WITH ${evalBase}
       SELECT ${k}, MAX(provider) AS provider, MAX(model) AS model, AVG(overall) AS value, NULL AS cost,
              SUM(cases_run) AS n, COUNT(*) AS runs
       FROM evals GROUP BY ${k}`,
      [opts.userId, since, opts.suiteId],
    ),
    all<ParetoRun>(
      d1,
      `WITH ${evalBase},
       ranked AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY ${k} ORDER BY created_at DESC) AS rn FROM evals)
       SELECT ${k}, 'tool_eval' AS kind, eval_run_id AS run_id, created_at AS timestamp FROM ranked WHERE rn <= ?4`,
      [opts.userId, since, opts.suiteId, opts.runsPerPoint],
    ),
  ]);
  const speed: ParetoSide[] = benchGroups.map((g) => ({
    ...g,
    value: speeds.get(groupKey(PARAMS_SPEED_RANK.keys, { ...g, params_key: g.params }))?.p50 ?? null,
  }));
  const benchRuns = await newestBenchmarkRuns(d1, { userId: opts.userId, since, points: speed, limit: opts.runsPerPoint });
  return { speed, accuracy, runs: [...benchRuns, ...evalRuns] };
}
