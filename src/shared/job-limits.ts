/**
 * Per-user job limits (the `rate_limits` row, set by an admin; original-inventory §3.2): what a user without a row
 * gets (the original's defaults), and what an admin may set (the table's CHECK constraints say the same). Shared by
 * the hub (it enforces them), the Worker (admin routes, the runs limit) and the admin page; no imports, so the page
 * takes only these numbers.
 */
export const DEFAULT_LIMITS = { benchmarks_per_hour: 20, max_concurrent: 1, max_runs_per_benchmark: 10 } as const;
export const LIMIT_RANGES = {
  benchmarks_per_hour: { min: 1, max: 1000 },
  max_concurrent: { min: 1, max: 50 },
  max_runs_per_benchmark: { min: 1, max: 100 },
} as const;
