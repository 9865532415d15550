/**
 * Per-user job limits (the `rate_limits` row, set by an admin; original-inventory §3.2). The hub enforces the
 * hourly limit and the concurrency limit when a job is submitted; the benchmark route enforces the runs limit.
 */
import { eq } from "drizzle-orm";
import { DEFAULT_LIMITS } from "../../shared/job-limits.ts";
import type { Db } from "../db/client.ts";
import { rateLimits } from "../db/schema.ts";
import { badRequest } from "../lib/errors.ts";

export { DEFAULT_LIMITS, LIMIT_RANGES } from "../../shared/job-limits.ts";

export interface UserLimits {
  benchmarks_per_hour: number;
  max_concurrent: number;
  max_runs_per_benchmark: number;
  /** True when the user has no row of their own (the defaults apply). */
  is_default: boolean;
  updated_at: string | null;
}

export async function userLimits(db: Db, userId: string): Promise<UserLimits> {
  const row = await db.select().from(rateLimits).where(eq(rateLimits.userId, userId)).get();
  if (!row) return { ...DEFAULT_LIMITS, is_default: true, updated_at: null };
  return {
    benchmarks_per_hour: row.benchmarksPerHour,
    max_concurrent: row.maxConcurrent,
    max_runs_per_benchmark: row.maxRunsPerBenchmark,
    is_default: false,
    updated_at: row.updatedAt,
  };
}

/** 400 when a benchmark asks for more measured runs per model than this user may (the original never enforced it). */
export async function refuseOverRunLimit(db: Db, userId: string, runs: number): Promise<void> {
  const { max_runs_per_benchmark: max } = await userLimits(db, userId);
  if (runs > max)
    throw badRequest(`At most ${max} runs per benchmark are allowed for your account`, [{ path: "runs", message: `must be at most ${max}` }]);
}
