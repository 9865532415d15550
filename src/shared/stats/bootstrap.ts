/**
 * Bootstrap helpers. One method everywhere: Efron's percentile interval from B resamples drawn with replacement
 * from a seeded generator (B = 2000 unless a caller says otherwise: for a normal-shaped statistic each end of a 95 %
 * interval then moves by about 1.5 % of the interval's width from one seed to another). The interval's ends are read with `percentile` from `metrics.ts`, the
 * same interpolation every displayed percentile uses.
 */
import { percentile } from "../metrics.ts";
import { createRng, DEFAULT_SEED, type Rng, randomIndex } from "./random.ts";

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_LEVEL = 0.95;

export interface BootstrapOptions {
  /** Seed of the resampling; a run id works. Same inputs + same seed → same interval. */
  seed?: number | string;
  /** Number of resamples, B. */
  resamples?: number;
  /** Confidence level of the interval, e.g. 0.95. */
  level?: number;
}

export function resolveBootstrap(o: BootstrapOptions = {}): { seed: number | string; resamples: number; level: number } {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const level = o.level ?? DEFAULT_LEVEL;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return { seed: o.seed ?? DEFAULT_SEED, resamples, level };
}

/** The (1 − level)/2 and (1 + level)/2 percentiles of the bootstrap estimates. NaN estimates are left out. */
export function percentileInterval(estimates: readonly number[], level: number): [number, number] | null {
  const sorted = estimates.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y);
  if (!sorted.length) return null;
  const tail = (1 - level) / 2;
  return [percentile(sorted, tail), percentile(sorted, 1 - tail)];
}

/**
 * B estimates of a statistic over resampled groups. Each group (one per entry of `sizes`) is resampled
 * independently with replacement; `estimate` gets, per group, the drawn indices. Two independent samples (run vs
 * baseline latencies) are two groups; paired data are one group of pairs.
 */
export function bootstrapEstimates(
  sizes: readonly number[],
  estimate: (draws: readonly Uint32Array[]) => number,
  rng: Rng,
  resamples: number,
): number[] {
  const draws = sizes.map((n) => new Uint32Array(n));
  const out: number[] = new Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let g = 0; g < sizes.length; g++) {
      const d = draws[g]!;
      for (let i = 0; i < d.length; i++) d[i] = randomIndex(rng, d.length);
    }
    out[b] = estimate(draws);
  }
  return out;
}

/** Means of B resamples of `values` (a fast path of `bootstrapEstimates` for the commonest statistic). */
export function bootstrapMeans(values: readonly number[], rng: Rng, resamples: number): number[] {
  const n = values.length;
  const out: number[] = new Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[randomIndex(rng, n)]!;
    out[b] = sum / n;
  }
  return out;
}

export function mean(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance (n − 1); 0 for fewer than two values. */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return ss / (n - 1);
}

export interface MeanCi {
  n: number;
  mean: number;
  /** Null when there is no spread to resample (fewer than two values): one value is no evidence of its mean. */
  ci: [number, number] | null;
  level: number;
  method: string;
}

/** A mean with its percentile bootstrap interval. */
export function meanCi(values: readonly number[], options: BootstrapOptions = {}): MeanCi {
  const { seed, resamples, level } = resolveBootstrap(options);
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`meanCi needs finite values, got ${v}`);
  const ci = values.length >= 2 ? percentileInterval(bootstrapMeans(values, createRng(seed), resamples), level) : null;
  return {
    n: values.length,
    mean: mean(values),
    ci,
    level,
    method: `${Math.round(level * 100)}% percentile bootstrap, B = ${resamples}, seed ${seed}`,
  };
}
