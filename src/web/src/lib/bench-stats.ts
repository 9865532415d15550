// Client-side aggregation of benchmark results (same definitions as the server's metrics) and run summaries.

// The binding metric definitions live in src/shared/metrics.ts, shared with the server.
import { confidence, distribution } from "../../../shared/metrics.ts";
import { AGGREGATED_FIELDS, type Aggregate, type AggregatedField, type BenchmarkResult, type Distribution } from "./benchmark-types.ts";
import { type FailureGroup, groupFailures } from "./call-failures.ts";

export { confidence, distribution, percentile } from "../../../shared/metrics.ts";

function fieldValue(r: BenchmarkResult, field: AggregatedField): number | null {
  return field === "cost_usd" ? r.cost : r[field];
}

/** Identity of one model × provider × context tier. */
export function groupKey(r: { provider_key: string; model_id: string; context_tokens: number }): string {
  return `${r.provider_key}\u0000${r.model_id}\u0000${r.context_tokens}`;
}

/** Identity of one measured run (for de-duplicating live events against fetched history). */
export function resultKey(r: BenchmarkResult): string {
  return `${groupKey(r)}\u0000${r.type === "skipped" ? "skip" : r.run}`;
}

/** Aggregates measured results per model × provider × tier, in first-seen order; skipped rows are left out. */
export function aggregateResults(results: readonly BenchmarkResult[]): Aggregate[] {
  const groups = new Map<string, BenchmarkResult[]>();
  for (const r of results) {
    if (r.type !== "result") continue;
    const key = groupKey(r);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((rs) => {
    const first = rs[0]!;
    const ok = rs.filter((r) => r.success);
    const stats = Object.fromEntries(AGGREGATED_FIELDS.map((f) => [f, distribution(ok.map((r) => fieldValue(r, f)))])) as Record<
      AggregatedField,
      Distribution | null
    >;
    return {
      provider_key: first.provider_key,
      provider: first.provider,
      model_id: first.model_id,
      model: first.model,
      context_tokens: first.context_tokens,
      n: ok.length,
      failures: rs.length - ok.length,
      confidence: confidence(stats.output_speed_tps),
      stats,
    };
  });
}

export interface Leader {
  model: string;
  provider: string;
  value: number;
  context_tokens: number;
}

export interface RunSummary {
  models: number;
  tiers: number[];
  stress: boolean;
  /** Runs that were measured: successful calls only (a failed call measures nothing). */
  measuredRuns: number;
  /** Runs whose call failed; counted apart from `measuredRuns`. */
  failures: number;
  skipped: number;
  totalCost: number | null;
  /** Some successful runs had no known price. */
  costPartial: boolean;
  fastest: Leader | null;
  bestTtft: Leader | null;
  fastestAtSmallestTier: Leader | null;
  fastestAtLargestTier: Leader | null;
}

function best(aggs: readonly Aggregate[], field: AggregatedField, lowerIsBetter: boolean): Leader | null {
  let out: Leader | null = null;
  for (const a of aggs) {
    const v = a.stats[field]?.p50;
    if (v === undefined || !Number.isFinite(v)) continue;
    if (!out || (lowerIsBetter ? v < out.value : v > out.value)) {
      out = { model: a.model, provider: a.provider, value: v, context_tokens: a.context_tokens };
    }
  }
  return out;
}

export function summarize(results: readonly BenchmarkResult[], aggregates: readonly Aggregate[]): RunSummary {
  const measured = results.filter((r) => r.type === "result");
  const ok = measured.filter((r) => r.success);
  const tiers = [...new Set([...aggregates.map((a) => a.context_tokens), ...results.map((r) => r.context_tokens)])].sort((a, b) => a - b);
  const priced = ok.filter((r) => r.cost !== null);
  const smallest = tiers[0];
  const largest = tiers[tiers.length - 1];
  return {
    models: new Set([...aggregates, ...results].map((r) => `${r.provider_key}\u0000${r.model_id}`)).size,
    tiers,
    stress: tiers.length > 1,
    measuredRuns: ok.length,
    failures: measured.length - ok.length,
    skipped: results.filter((r) => r.type === "skipped").length,
    totalCost: priced.length ? priced.reduce((s, r) => s + (r.cost ?? 0), 0) : null,
    costPartial: priced.length > 0 && priced.length < ok.length,
    fastest: best(aggregates, "output_speed_tps", false),
    bestTtft: best(aggregates, "ttft_ms", true),
    fastestAtSmallestTier: best(
      aggregates.filter((a) => a.context_tokens === smallest),
      "output_speed_tps",
      false,
    ),
    fastestAtLargestTier: best(
      aggregates.filter((a) => a.context_tokens === largest),
      "output_speed_tps",
      false,
    ),
  };
}

/** Best p50 output speed across a set of aggregates (history list), or null. */
export function bestOutputSpeed(aggregates: readonly Aggregate[]): number | null {
  return best(aggregates, "output_speed_tps", false)?.value ?? null;
}

/** Distinct failures (same class, provider, host and message) with counts, most frequent first. */
export function errorSummary(results: readonly BenchmarkResult[]): FailureGroup[] {
  return groupFailures(results.filter((r) => r.type === "result" && !r.success));
}
