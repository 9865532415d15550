/**
 * Speed metrics, exactly as `spec/metrics.md` defines them with the project's binding additions in
 * `docs/metrics.md`. Pure functions over observed timestamps, shared by the engine (Worker), the API (stored rows
 * are recomputable from raw timings) and the web app.
 */

/** What a client observes during one streamed request. All times in ms on one monotonic clock. */
export interface RunObservation {
  t0: number; // just before the request is handed to fetch
  firstEventAt: number | null; // first streamed event of any kind
  firstOutputAt: number | null; // first event with non-empty answer, reasoning or tool-call delta
  firstAnswerAt: number | null; // first non-empty answer text
  lastOutputAt: number | null; // last output-bearing event
  finishAt: number | null; // the event that ends generation (finish_reason / stop_reason); null if none came
  endAt: number; // end of stream (trailing usage event included)
  outputTokens: number | null;
  inputTokens: number | null;
  tokenSource: "provider" | "tokenizer" | null;
}

export interface Prices {
  inputPerMtok: number | null;
  outputPerMtok: number | null;
}

export interface RunMetrics {
  ttfb_ms: number | null;
  ttft_ms: number | null;
  ttfa_ms: number | null;
  total_ms: number;
  output_tokens: number | null;
  input_tokens: number | null;
  token_source: "provider" | "tokenizer" | null;
  output_speed_tps: number | null;
  e2e_tps: number | null;
  itl_ms: number | null;
  prefill_tps: number | null;
  cost_usd: number | null;
}

const since = (t0: number, t: number | null) => (t === null ? null : t - t0);

export function runMetrics(o: RunObservation, prices: Prices): RunMetrics {
  const ttft = since(o.t0, o.firstOutputAt);
  const total = o.endAt - o.t0;
  const n = o.outputTokens;
  // t_last is the finish event (docs/metrics.md): a stop token counted in usage but never streamed is generated
  // one gap after the last streamed token, and the finish event marks it; engines that count only what they
  // stream send the finish right after the last token, so the span is the same as before for them.
  const tLast = o.lastOutputAt === null ? null : Math.max(o.lastOutputAt, o.finishAt ?? o.lastOutputAt);
  const span = o.firstOutputAt !== null && tLast !== null ? tLast - o.firstOutputAt : null;
  // Output speed excludes TTFT: the N−1 tokens after the first arrive over [t_first, t_last].
  const hasSpeed = n !== null && n >= 2 && span !== null && span > 0;
  return {
    ttfb_ms: since(o.t0, o.firstEventAt),
    ttft_ms: ttft,
    ttfa_ms: since(o.t0, o.firstAnswerAt),
    total_ms: total,
    output_tokens: n,
    input_tokens: o.inputTokens,
    token_source: o.tokenSource,
    output_speed_tps: hasSpeed ? (n - 1) / (span / 1000) : null,
    e2e_tps: n !== null && total > 0 ? n / (total / 1000) : null,
    itl_ms: hasSpeed ? span / (n - 1) : null,
    prefill_tps: o.inputTokens !== null && ttft !== null && ttft > 0 ? o.inputTokens / (ttft / 1000) : null,
    cost_usd: costUsd(o.inputTokens, n, prices),
  };
}

/** Unknown price → null, never 0. */
export function costUsd(inputTokens: number | null, outputTokens: number | null, p: Prices): number | null {
  if (p.inputPerMtok === null || p.outputPerMtok === null || inputTokens === null || outputTokens === null) return null;
  return (inputTokens * p.inputPerMtok + outputTokens * p.outputPerMtok) / 1e6;
}

/** For leaderboards: (3 × input + 1 × output) / 4. */
export function blendedPrice(p: Prices): number | null {
  if (p.inputPerMtok === null || p.outputPerMtok === null) return null;
  return (3 * p.inputPerMtok + p.outputPerMtok) / 4;
}

// ---------------------------------------------------------------- aggregates

export interface Distribution {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  stddev: number | null; // sample (n − 1); null when n < 2
  cv_pct: number | null;
  outliers: number; // outside [Q1 − 1.5 IQR, Q3 + 1.5 IQR], counted when n ≥ 4, never dropped
}

/** Linear interpolation between closest ranks (numpy's default): position (n − 1)·q. */
export function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) throw new Error("percentile of an empty sample");
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function distribution(values: readonly (number | null | undefined)[]): Distribution | null {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  const n = xs.length;
  if (!n) return null;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const stddev = n >= 2 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : null;
  let outliers = 0;
  if (n >= 4) {
    const q1 = percentile(xs, 0.25);
    const q3 = percentile(xs, 0.75);
    const fence = 1.5 * (q3 - q1);
    outliers = xs.filter((x) => x < q1 - fence || x > q3 + fence).length;
  }
  return {
    n,
    mean,
    p50: percentile(xs, 0.5),
    p90: percentile(xs, 0.9),
    p95: percentile(xs, 0.95),
    p99: percentile(xs, 0.99),
    min: xs[0]!,
    max: xs[n - 1]!,
    stddev,
    cv_pct: stddev !== null && mean !== 0 ? (stddev / Math.abs(mean)) * 100 : null,
    outliers,
  };
}

export type Confidence = "high" | "medium" | "low";

/** high: CV of output speed < 10 % and n ≥ 3; low: CV > 30 % or n = 1; medium otherwise. */
export function confidence(outputSpeed: Distribution | null): Confidence {
  if (!outputSpeed || outputSpeed.n <= 1) return "low";
  const cv = outputSpeed.cv_pct;
  if (cv !== null && cv > 30) return "low";
  if (cv !== null && cv < 10 && outputSpeed.n >= 3) return "high";
  return "medium";
}

export const AGGREGATED_FIELDS = ["ttft_ms", "output_speed_tps", "e2e_tps", "itl_ms", "total_ms", "cost_usd"] as const;
export type AggregatedField = (typeof AGGREGATED_FIELDS)[number];

export interface Aggregate {
  n: number;
  failures: number;
  confidence: Confidence;
  stats: Record<AggregatedField, Distribution | null>;
}

/** Aggregate one model × provider × tier over its measured runs (failures counted, not measured). */
export function aggregate(runs: ReadonlyArray<{ success: boolean } & Partial<Record<AggregatedField, number | null>>>): Aggregate {
  const ok = runs.filter((r) => r.success);
  const stats = Object.fromEntries(AGGREGATED_FIELDS.map((f) => [f, distribution(ok.map((r) => r[f]))])) as Record<
    AggregatedField,
    Distribution | null
  >;
  return { n: ok.length, failures: runs.length - ok.length, confidence: confidence(stats.output_speed_tps), stats };
}
