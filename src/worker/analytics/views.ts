/**
 * Row → API mapping of the analytics queries (queries.ts): leaderboards, trends grouped into series, and the
 * compare of runs. Shared by the analytics routes and the CSV exports, so a download has the figures the page
 * shows.
 */
import { roundPct } from "../../shared/eval-summary.ts";
import { ownedRunIds } from "./owned.ts";
import {
  type BenchmarkGroup,
  benchmarkGroups,
  type EvalLeaderRow,
  evalLeaderboard,
  runGroups,
  type TrendMetric,
  type TrendPoint,
  trendPoints,
} from "./queries.ts";

const pct = (v: number | null) => (v === null ? null : roundPct(v));

export function benchmarkLeaderView(g: BenchmarkGroup) {
  return {
    provider_key: g.provider_key,
    provider: g.provider,
    model_id: g.model_id,
    model: g.model,
    context_tokens: g.context_tokens,
    n: g.n,
    failures: g.failures,
    runs: g.runs,
    ttft_p50_ms: g.ttft_p50_ms,
    output_speed_p50_tps: g.output_speed_p50_tps,
    e2e_p50_tps: g.e2e_p50_tps,
    cost_mean_usd: g.cost_mean_usd,
    cost_total_usd: g.cost_total_usd,
    last_run: g.last_run,
  };
}

export function evalLeaderView(r: EvalLeaderRow) {
  return {
    scorer: r.scorer,
    provider_key: r.provider_key,
    provider: r.provider,
    model_id: r.model_id,
    model: r.model,
    tool_accuracy_pct: pct(r.tool),
    param_accuracy_pct: pct(r.param),
    overall_pct: pct(r.overall),
    evals: r.evals,
    cases: r.cases,
    last_eval: r.last_eval,
  };
}

export async function leaderboard(
  d1: D1Database,
  type: "benchmark" | "tool_eval",
  opts: { userId: string; since: string | null; suiteId?: string | null },
) {
  if (type === "benchmark") return { type, rows: (await benchmarkGroups(d1, opts)).map(benchmarkLeaderView) };
  return { type, rows: (await evalLeaderboard(d1, opts)).map(evalLeaderView) };
}

/** Points grouped into one series per (provider, model, tier); accuracy is in percent like every summary. */
export async function trends(d1: D1Database, opts: { userId: string; since: string | null; metric: TrendMetric; models: readonly string[] }) {
  const points = await trendPoints(d1, opts);
  const series = new Map<
    string,
    { provider_key: string; provider: string; model_id: string; model: string; context_tokens: number | null; points: unknown[] }
  >();
  for (const p of points as TrendPoint[]) {
    const key = `${p.provider_key}\u0000${p.model_id}\u0000${p.context_tokens ?? ""}`;
    let s = series.get(key);
    if (!s) {
      s = { provider_key: p.provider_key, provider: p.provider, model_id: p.model_id, model: p.model, context_tokens: p.context_tokens, points: [] };
      series.set(key, s);
    }
    s.points.push({ run_id: p.run_id, timestamp: p.timestamp, value: opts.metric === "accuracy" ? pct(p.value) : p.value, n: p.n });
  }
  return { metric: opts.metric, series: [...series.values()] };
}

/** 2–4 of the owner's benchmark runs side by side; an id that is not the caller's run is a 404 (404s name none). */
export async function compareRuns(d1: D1Database, userId: string, ids: readonly string[]) {
  const runs = await ownedRunIds(d1, userId, ids);
  const groups = await runGroups(d1, { userId, runIds: ids });
  return {
    runs: runs.map((r) => ({
      id: r.id,
      timestamp: r.created_at,
      prompt: r.prompt,
      models: groups.filter((g) => g.run_id === r.id).map(benchmarkLeaderView),
    })),
  };
}
