/**
 * The few distributions the tests need. The normal distribution comes from `simple-statistics` (ESM, tree-shaken to
 * two small functions); the binomial tail at p = ½ is computed exactly here because the library's binomial table
 * stops once the cumulative mass is within 1e-4 of 1, which is too coarse for an exact test's tail.
 */
import { errorFunction, probit } from "simple-statistics";

/** Φ(z). simple-statistics' erf has an absolute error below 1.2e-7, ample for p-values shown to two digits. */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** Two-sided p of a standard normal statistic: 2·(1 − Φ(|z|)), at most 1. */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/**
 * Φ⁻¹(p). The library's probit uses Winitzki's closed form (relative error ~2e-3: 1.9572 for p = 0.975), so two
 * Newton steps on Φ(z) − p bring it to the accuracy of Φ itself (1.95996 for 0.975).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    throw new RangeError(`normalQuantile needs 0 ≤ p ≤ 1, got ${p}`);
  }
  let z = probit(p);
  for (let step = 0; step < 2; step++) {
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    z -= (normalCdf(z) - p) / density;
  }
  return z;
}

/** P(X ≤ k) for X ~ Binomial(n, ½), summed exactly in log space (no underflow for large n). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const ln2n = n * Math.LN2;
  let lnChoose = 0; // ln C(n, 0)
  let total = Math.exp(-ln2n);
  for (let i = 1; i <= k; i++) {
    lnChoose += Math.log(n - i + 1) - Math.log(i);
    total += Math.exp(lnChoose - ln2n);
  }
  return Math.min(1, total);
}

/**
 * Exact two-sided binomial test of k successes in n trials against p = ½. The distribution is symmetric, so the
 * usual "sum of outcomes no more likely than the observed one" equals 2·P(X ≤ min(k, n − k)), capped at 1
 * (the same as R's `binom.test(k, n)`).
 */
export function binomialHalfTwoSidedP(k: number, n: number): number {
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(Math.min(k, n - k), n));
}
