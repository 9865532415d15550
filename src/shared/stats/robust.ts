/**
 * Robust tests for regressions: a new value or sample against the runs before it, where one bad night in the
 * history must not move the baseline (so medians, not means).
 *
 * - median: `percentile(sorted, 0.5)` from `metrics.ts`, the same median every displayed p50 uses.
 * - MAD: median of |x − median|, unscaled; × 1.4826 (1 / Φ⁻¹(0.75)) it estimates the standard deviation of
 *   normal data.
 * - Robust z of a value: (value − median) / (1.4826 · MAD) — Iglewicz & Hoaglin's modified z-score (1993), who
 *   flag |z| > 3.5. When MAD is 0 (more than half the history identical) it falls back to 1.2533 · mean absolute
 *   deviation from the median (the same normal-consistent scaling); when that is 0 too, any change is infinitely
 *   far outside the noise and no change is 0.
 * - Mann–Whitney U (samples, e.g. this run's latencies against the last runs' latencies): U of x = pairs with
 *   x > y plus half the ties. p two-sided; exact (the null distribution of U by counting rank arrangements) when
 *   there are no ties and m + n ≤ 50, else the normal approximation with the tie correction of the variance and a
 *   continuity correction of 0.5 (as SciPy's `mannwhitneyu` with `use_continuity=True`).
 */
import { percentile } from "../metrics.ts";
import { normalTwoSidedP } from "./distributions.ts";

/** Normal-consistency constant for the MAD: 1 / Φ⁻¹(3/4). */
export const MAD_TO_SD = 1.482602218505602;
/** Normal-consistency constant for the mean absolute deviation: √(π/2). */
export const MEAN_AD_TO_SD = 1.2533141373155001;
/** Iglewicz & Hoaglin's outlier limit for the modified z-score. */
export const ROBUST_Z_LIMIT = 3.5;

function finiteSorted(values: readonly number[], what: string): number[] {
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`${what} needs finite values, got ${v}`);
  return [...values].sort((x, y) => x - y);
}

export function median(values: readonly number[]): number {
  if (!values.length) throw new RangeError("median of an empty sample");
  return percentile(finiteSorted(values, "median"), 0.5);
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** Robust z of `value` against `history` (see the module comment). */
export function robustZ(value: number, history: readonly number[]): number {
  const m = median(history);
  let scale = MAD_TO_SD * mad(history);
  if (scale === 0) scale = (MEAN_AD_TO_SD * history.reduce((s, v) => s + Math.abs(v - m), 0)) / history.length;
  const change = value - m;
  if (scale === 0) return change === 0 ? 0 : change > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return change / scale;
}

export interface MannWhitney {
  /** U of the first sample: pairs where x > y, plus half the tied pairs. */
  u: number;
  /** U of the second sample (m·n − u). */
  u_other: number;
  p_value: number;
  method: "exact" | "normal_approximation";
}

export const MANN_WHITNEY_EXACT_LIMIT = 50;

export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney {
  const m = x.length;
  const n = y.length;
  if (!m || !n) throw new RangeError("Mann–Whitney needs two non-empty samples");
  const pooled = [
    ...finiteSorted(x, "Mann–Whitney").map((v) => ({ v, fromX: true })),
    ...finiteSorted(y, "Mann–Whitney").map((v) => ({ v, fromX: false })),
  ].sort((p, q) => p.v - q.v);
  // Mid-ranks for ties; Σ(t³ − t) over tie groups for the variance correction.
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j < pooled.length && pooled[j]!.v === pooled[i]!.v) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (pooled[k]!.fromX) rankSumX += midRank;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  const u = rankSumX - (m * (m + 1)) / 2;
  const uOther = m * n - u;
  if (tieTerm === 0 && m + n <= MANN_WHITNEY_EXACT_LIMIT) {
    const counts = uDistribution(m, n);
    const total = counts.reduce((s, c) => s + c, 0);
    let tail = 0;
    for (let k = 0; k <= Math.min(u, uOther); k++) tail += counts[k]!;
    return { u, u_other: uOther, p_value: Math.min(1, (2 * tail) / total), method: "exact" };
  }
  const N = m + n;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, u_other: uOther, p_value: 1, method: "normal_approximation" };
  const z = Math.max(0, Math.abs(u - (m * n) / 2) - 0.5) / Math.sqrt(variance);
  return { u, u_other: uOther, p_value: normalTwoSidedP(z), method: "normal_approximation" };
}

/**
 * Number of arrangements of m x's and n y's with each value of U (index = U), no ties: the coefficients of the
 * Gaussian binomial [m + n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i). Whole numbers up to C(50, 25) ≈
 * 1.3e14, exact in doubles.
 */
function uDistribution(m: number, n: number): number[] {
  const size = m * n + 1;
  const c = new Array<number>(size).fill(0);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    const up = n + i;
    for (let k = size - 1; k >= up; k--) c[k]! -= c[k - up]!; // × (1 − q^{n+i})
    for (let k = i; k < size; k++) c[k]! += c[k - i]!; // ÷ (1 − q^i)
  }
  return c;
}

export type RegressionStatus = "regression" | "improvement" | "within_noise" | "below_threshold" | "insufficient_history";

export interface RegressionCheck {
  status: RegressionStatus;
  /** True for "regression" only: a change in the bad direction beyond the threshold and outside the noise. */
  alert: boolean;
  /** The new value (or the new sample's median) against the baseline median. */
  current: number;
  baseline_median: number | null;
  change: number | null;
  /** Change as a percentage of the baseline median; null when the median is 0. */
  change_pct: number | null;
  /** Single value: its robust z against the history. */
  robust_z: number | null;
  /** Samples: Mann–Whitney two-sided p of the new sample against the pooled history. */
  p_value: number | null;
  method: string;
  statement: string;
}

export interface RegressionOptions {
  /** Which way is bad: a latency going up, a score going down. */
  worseWhen: "higher" | "lower";
  /** The user's threshold, as a percentage of the baseline median (e.g. 10 for ±10 %). */
  thresholdPct?: number;
  /** The user's threshold in the metric's own units (e.g. 5 points); when both are given both must be passed. */
  thresholdAbs?: number;
  /** Fewest history values the baseline needs. Default 5: a median and MAD of fewer say little about the noise. */
  minHistory?: number;
  /** Robust-z limit for a single value; default 3.5 (Iglewicz & Hoaglin). */
  zLimit?: number;
  /** Significance level for samples; default 0.05. */
  alpha?: number;
}

/**
 * Scheduled runs' regression alert: `current` (one value, or this run's samples) against `history` (the last N
 * runs' values, or their pooled samples). An alert needs both: the change goes beyond the user's threshold, and it
 * is outside the baseline's noise (robust |z| > zLimit for a value; Mann–Whitney p ≤ alpha for samples).
 */
export function regressionCheck(current: number | readonly number[], history: readonly number[], o: RegressionOptions): RegressionCheck {
  const minHistory = o.minHistory ?? 5;
  const zLimit = o.zLimit ?? ROBUST_Z_LIMIT;
  const alpha = o.alpha ?? 0.05;
  const samples = typeof current === "number" ? null : current;
  if (samples && !samples.length) throw new RangeError("regressionCheck needs at least one current sample");
  const now = samples ? median(samples) : (current as number);
  if (!Number.isFinite(now)) throw new RangeError(`current value must be finite, got ${now}`);
  if (history.length < minHistory) {
    return {
      status: "insufficient_history",
      alert: false,
      current: now,
      baseline_median: history.length ? median(history) : null,
      change: null,
      change_pct: null,
      robust_z: null,
      p_value: null,
      method: `needs ${minHistory} earlier values`,
      statement: `insufficient history: ${history.length} earlier value${history.length === 1 ? "" : "s"}, ${minHistory} needed to know the noise`,
    };
  }
  const base = median(history);
  const change = now - base;
  const changePct = base !== 0 ? (100 * change) / Math.abs(base) : null;
  const z = samples ? null : robustZ(now, history);
  const p = samples ? mannWhitney(samples, history).p_value : null;
  const outsideNoise = z !== null ? Math.abs(z) > zLimit : p! <= alpha;
  const beyondThreshold =
    (o.thresholdPct === undefined || (changePct !== null ? Math.abs(changePct) > o.thresholdPct : change !== 0)) &&
    (o.thresholdAbs === undefined || Math.abs(change) > o.thresholdAbs);
  const bad = o.worseWhen === "higher" ? change > 0 : change < 0;
  const status: RegressionStatus = !beyondThreshold ? "below_threshold" : !outsideNoise ? "within_noise" : bad ? "regression" : "improvement";
  const fmt = (x: number) => Number(x.toPrecision(4)).toString();
  const changeText = `${change >= 0 ? "+" : ""}${fmt(change)}${changePct !== null ? ` (${changePct >= 0 ? "+" : ""}${changePct.toFixed(1)}%)` : ""} vs median ${fmt(base)} of ${history.length} earlier`;
  const noiseText =
    z !== null ? `robust z ${Number.isFinite(z) ? z.toFixed(1) : z > 0 ? "+∞" : "-∞"}` : `Mann–Whitney p = ${Number(p!.toPrecision(2))}`;
  const words: Record<RegressionStatus, string> = {
    regression: "regression",
    improvement: "improvement",
    within_noise: "within the baseline's noise",
    below_threshold: "below the alert threshold",
    insufficient_history: "",
  };
  return {
    status,
    alert: status === "regression",
    current: now,
    baseline_median: base,
    change,
    change_pct: changePct,
    robust_z: z,
    p_value: p,
    method: z !== null ? `modified z-score (median, 1.4826 × MAD), limit ${zLimit}` : `Mann–Whitney U, ${alpha} level`,
    statement: `${words[status]}: ${changeText}, ${noiseText}`,
  };
}
