/** Owner checks for run ids that arrive in a query string (compare, exports). */
import { notFound } from "../lib/errors.ts";

export interface OwnedBenchmarkRun {
  id: string;
  created_at: string;
  prompt: string;
}

/** The caller's benchmark runs with these ids, in the order given; any id that is not one of them is a 404. */
export async function ownedRunIds(d1: D1Database, userId: string, ids: readonly string[]): Promise<OwnedBenchmarkRun[]> {
  const { results } = await d1
    .prepare("SELECT id, created_at, prompt FROM benchmark_runs WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))")
    .bind(userId, JSON.stringify(ids))
    .all<OwnedBenchmarkRun>();
  const byId = new Map(results.map((r) => [r.id, r]));
  return ids.map((id) => {
    const run = byId.get(id);
    if (!run) throw notFound("Benchmark run");
    return run;
  });
}
