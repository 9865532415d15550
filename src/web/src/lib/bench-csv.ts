// Per-run benchmark results as CSV (one row per measured, failed or skipped run).
import type { BenchmarkResult } from "./benchmark-types";
import { toCsv } from "./csv";

const COLUMNS: [header: string, value: (r: BenchmarkResult) => string | number | boolean | null][] = [
  ["provider", (r) => r.provider],
  ["provider_key", (r) => r.provider_key],
  ["model", (r) => r.model],
  ["model_id", (r) => r.model_id],
  ["context_tokens", (r) => r.context_tokens],
  ["run", (r) => (r.type === "skipped" ? null : r.run)],
  ["runs", (r) => r.runs],
  ["status", (r) => (r.type === "skipped" ? "skipped" : r.success ? "ok" : "failed")],
  ["output_tok_s", (r) => r.output_speed_tps],
  ["e2e_tok_s", (r) => r.e2e_tps ?? r.tokens_per_second],
  ["ttft_ms", (r) => r.ttft_ms],
  ["ttfb_ms", (r) => r.ttfb_ms],
  ["ttfa_ms", (r) => r.ttfa_ms],
  ["itl_ms", (r) => r.itl_ms],
  ["total_ms", (r) => r.total_ms],
  ["output_tokens", (r) => r.output_tokens],
  ["input_tokens", (r) => r.input_tokens],
  ["token_source", (r) => r.token_source],
  ["prefill_tok_s", (r) => r.prefill_tps],
  ["cost_usd", (r) => r.cost],
  ["error_class", (r) => r.error_class],
  ["error", (r) => r.error],
];

export function resultsToCsv(results: readonly BenchmarkResult[]): string {
  return toCsv(
    COLUMNS.map(([h]) => h),
    results.map((r) => COLUMNS.map(([, value]) => value(r))),
  );
}

/** e.g. "benchmark-2026-11-27-0625-1a2b3c4d.csv" */
export function resultsFilename(runId: string | null, when = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}-${pad(when.getHours())}${pad(when.getMinutes())}`;
  return `benchmark-${stamp}${runId ? `-${runId.slice(0, 8)}` : ""}.csv`;
}
