/**
 * Exact medians of an owner's benchmark calls without ranking every row. Migration 0017 copies each result's
 * owner, run time and sampling parameters onto the row and keeps partial "rank indexes" that hold the successful
 * measured calls of each (owner, group) in value order. The count per group is an index-only scan, and the p50 is
 * the value at offset ⌊(n − 1)/2⌋ (and the next one), read by a short walk of that index instead of a window
 * function over every row: the leaderboard and Pareto answer for 10,000 runs in about the time of 100.
 *
 * The figure is the same as before, the p50 of all calls (not a median of per-run medians): the two values are
 * combined exactly as `percentile()` in src/shared/metrics.ts does, so the numbers are bit-identical.
 */

/** A trusted SQL identifier written by this module's callers, never user input. */
type Ident = string;

/** A value column and the partial index (0017) that orders it within the listed group keys. */
export interface RankIndex {
  column: Ident;
  index: Ident;
  keys: readonly Ident[];
}

export const TIER_RANKS = {
  ttft: { column: "ttft_ms", index: "benchmark_results_ttft_rank_idx", keys: ["provider_key", "model_id", "context_tokens"] },
  speed: { column: "output_speed_tps", index: "benchmark_results_speed_rank_idx", keys: ["provider_key", "model_id", "context_tokens"] },
  e2e: { column: "e2e_tps", index: "benchmark_results_e2e_rank_idx", keys: ["provider_key", "model_id", "context_tokens"] },
} as const satisfies Record<string, RankIndex>;

export const PARAMS_SPEED_RANK: RankIndex = {
  column: "output_speed_tps",
  index: "benchmark_results_params_speed_rank_idx",
  keys: ["provider_key", "model_id", "params_key"],
};

/** The calls a rank index holds (its WHERE clause) for the owner (?1) since a run time (?2). */
const ranked = (r: RankIndex) =>
  `benchmark_results INDEXED BY ${r.index}
   WHERE user_id = ?1 AND run_created_at >= ?2 AND run_number >= 1 AND success = 1 AND ${r.column} IS NOT NULL`;

export type GroupKey = string;
export const groupKey = (keys: readonly Ident[], row: Record<string, unknown>): GroupKey => JSON.stringify(keys.map((k) => row[k]));

/** Per group of `r.keys`: n (the non-null values) and the exact p50 of `r.column`, over the owner's calls since `since`. */
export async function rankedMedians(
  d1: D1Database,
  opts: { userId: string; since: string },
  r: RankIndex,
): Promise<Map<GroupKey, { n: number; p50: number }>> {
  const k = r.keys.join(", ");
  const { results: counts } = await d1
    .prepare(`SELECT ${k}, COUNT(*) AS n FROM ${ranked(r)} GROUP BY ${k}`)
    .bind(opts.userId, opts.since)
    .all<Record<string, unknown> & { n: number }>();
  const out = new Map<GroupKey, { n: number; p50: number }>();
  if (!counts.length) return out;

  // One short statement per group, all in one batch (one round trip). Not a UNION ALL: D1 allows only a few
  // terms in a compound SELECT.
  const match = r.keys.map((key, i) => `${key} = ?${i + 3}`).join(" AND ");
  const lookup = d1.prepare(`SELECT ${r.column} AS v FROM ${ranked(r)} AND ${match} ORDER BY ${r.column} LIMIT 2 OFFSET ?${r.keys.length + 3}`);
  const found = await d1.batch<{ v: number }>(
    counts.map((g) => lookup.bind(opts.userId, opts.since, ...r.keys.map((key) => g[key]), Math.floor((g.n - 1) * 0.5))),
  );
  const values = found.map((res) => res.results.map((x) => x.v));
  counts.forEach((g, i) => {
    const [a, b] = values[i] ?? [];
    if (a === undefined) return;
    const lo = Math.min(a, b ?? a);
    const next = Math.max(a, b ?? a); // the value after the lower middle one (absent when n = 1)
    // percentile(sorted, 0.5): sorted[lo] + (sorted[hi] − sorted[lo]) · (pos − lo), with hi = lo when pos is whole.
    const pos = (g.n - 1) * 0.5;
    const frac = pos - Math.floor(pos);
    const hi = frac > 0 ? next : lo;
    out.set(groupKey(r.keys, g), { n: g.n, p50: lo + (hi - lo) * frac });
  });
  return out;
}
