/**
 * Paired comparison of two arms (two combos, two prompts, a run and its baseline) scored on the same cases.
 *
 * Definitions used, in order:
 * - Scores are fractions in [0, 1] (pass/fail is 1/0); differences are reported in points (× 100).
 * - Only cases scored in both arms count; the rest are reported as `unpaired`. Cases are put in `caseId` order
 *   first, so the result depends on the data and the seed, never on the order rows arrived in.
 * - Per case, d = mean(A's repeats) − mean(B's repeats). The difference shown is the mean of d over cases: every
 *   case weighs the same, however many repeats it has.
 * - Interval: percentile bootstrap that resamples cases with replacement, each case carrying all its repeats (a
 *   cluster bootstrap): repeats of one case are not independent evidence, so they are never resampled on their own.
 * - p-value, two-sided, always a test on the cases:
 *   · one pass/fail pair per case → McNemar's exact test: the discordant pairs (A passed and B failed, or the
 *     reverse) are Binomial(b + c, ½) under "no difference", p = exact two-sided binomial (`mcnemarExact`);
 *   · otherwise → the paired sign-flip (randomization) test on the d's: under "no difference" the two arms'
 *     labels are exchangeable within a case, so each d is as likely to be −d. p = share of the 2^m sign patterns
 *     of the m non-zero d's whose |Σ| reaches the observed |Σ d|, enumerated exactly for m ≤ 20, otherwise from
 *     seeded random patterns (sequential Monte Carlo, see DEFAULT_PERMUTATIONS). For one pass/fail pair per case this is the
 *     same number as McNemar's test.
 *   Because the unit is the case, no number of repeats makes 3 cases significant: the smallest p that m cases
 *   can give is 2 / 2^m (0.25 for 3), so at α = 0.05 at least 6 cases must differ (`minimumCases`).
 * - Noise, for power estimates: the case-to-case spread of d splits into run-to-run noise (the variance of one
 *   repeat, from cases with ≥ 2 repeats per arm) and the rest, a real spread between cases that repeats cannot
 *   average away. With one repeat per case the split is unknown and all of it is taken as run-to-run noise: the
 *   most repeats can do, so the estimate is optimistic and is re-checked on the next run.
 */

import { type BootstrapOptions, bootstrapMeans, mean, percentileInterval, resolveBootstrap, sampleVariance } from "./bootstrap.ts";
import { binomialHalfTwoSidedP, normalQuantile } from "./distributions.ts";
import { createRng, type Rng } from "./random.ts";

/** One scored attempt: a case (one row per repeat) and its score in [0, 1]. */
export interface ScoredCase {
  caseId: string;
  score: number;
}

/** A case scored in both arms, with every repeat's score. */
export interface PairedCase {
  caseId: string;
  a: number[];
  b: number[];
}

/**
 * Random sign patterns drawn at most. Draws stop early once SEQUENTIAL_STOP_HITS patterns have reached the
 * observed sum (Besag & Clifford's sequential Monte Carlo p-value, 1991: p = hits / draws), so a clearly
 * non-significant comparison costs a few hundred draws and only small p's run long. The cap keeps a resolution
 * of 1e-5, which Holm's multiplication by the family size (up to hundreds of tuner combos) needs.
 */
export const DEFAULT_PERMUTATIONS = 100_000;
export const SEQUENTIAL_STOP_HITS = 100;
/** Up to this many non-zero differences the sign-flip test enumerates all 2^m patterns (≈ 1 M, a few ms). */
export const EXACT_SIGN_FLIP_LIMIT = 20;

export interface PairedOptions extends BootstrapOptions {
  /** Random sign patterns when the sign-flip test cannot enumerate them all. */
  permutations?: number;
}

export type PairedTestName = "mcnemar_exact" | "sign_flip_exact" | "sign_flip_monte_carlo" | "no_cases";

export interface PairedTest {
  n_cases: number;
  /** Cases scored in only one of the two arms, left out. */
  unpaired: number;
  /** Fewest repeats any case has in either arm (1 when there are no repeats). */
  repeats: number;
  /** Mean per-case difference A − B, in points. */
  diff: number;
  /** Percentile cluster-bootstrap interval of `diff`, in points; [0, 0] without cases. */
  ci: [number, number];
  ci_level: number;
  /** Two-sided p of the test named in `test`. */
  p_value: number;
  test: PairedTestName;
  /** For McNemar: cases only A passed, and only B passed. */
  discordant: { a_only: number; b_only: number } | null;
  /** Cases whose d is not 0 (the sign-flip test's m). */
  nonzero_cases: number;
  /** Every d is 0: the arms scored identically on every case. */
  identical: boolean;
  /** Noise estimates in points², per single repeat (see the module comment). */
  noise: { run_to_run: number; between_cases: number; split_known: boolean };
  /** How the numbers were computed, for the record. */
  method: string;
}

/** Groups each arm's rows by case and keeps the cases present in both, in `caseId` order. */
export function pairCases(a: readonly ScoredCase[], b: readonly ScoredCase[]): { cases: PairedCase[]; unpaired: number } {
  const byCaseA = groupScores(a);
  const byCaseB = groupScores(b);
  const cases: PairedCase[] = [];
  for (const [caseId, scoresA] of byCaseA) {
    const scoresB = byCaseB.get(caseId);
    if (scoresB) cases.push({ caseId, a: scoresA, b: scoresB });
  }
  cases.sort((x, y) => (x.caseId < y.caseId ? -1 : x.caseId > y.caseId ? 1 : 0));
  return { cases, unpaired: byCaseA.size + byCaseB.size - 2 * cases.length };
}

function groupScores(rows: readonly ScoredCase[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const { caseId, score } of rows) {
    if (!(Number.isFinite(score) && score >= 0 && score <= 1)) {
      throw new RangeError(`score of case ${caseId} must be a fraction in [0, 1], got ${score}`);
    }
    const list = out.get(caseId);
    if (list) list.push(score);
    else out.set(caseId, [score]);
  }
  return out;
}

/** McNemar's exact test: two-sided binomial p of `aOnly` among `aOnly + bOnly` discordant pairs, p = ½. */
export function mcnemarExact(aOnly: number, bOnly: number): number {
  for (const x of [aOnly, bOnly]) if (!Number.isInteger(x) || x < 0) throw new RangeError(`discordant counts must be whole numbers ≥ 0, got ${x}`);
  return binomialHalfTwoSidedP(aOnly, aOnly + bOnly);
}

/**
 * The paired sign-flip test on per-case differences (see the module comment). Returns the two-sided p and whether
 * it was enumerated exactly.
 */
export function signFlipTest(
  diffs: readonly number[],
  rng: Rng,
  permutations = DEFAULT_PERMUTATIONS,
): { p_value: number; exact: boolean; draws: number } {
  const magnitudes = diffs.filter((d) => d !== 0).map(Math.abs);
  const m = magnitudes.length;
  if (m === 0) return { p_value: 1, exact: true, draws: 0 };
  let observed = 0;
  for (const d of diffs) observed += d;
  const total = magnitudes.reduce((s, x) => s + x, 0);
  // Sums of the same magnitudes in another order differ in the last bits; count those as reaching the observed.
  const threshold = Math.abs(observed) - 1e-9 * total;
  if (m <= EXACT_SIGN_FLIP_LIMIT) {
    // Gray code: each step flips one sign, so every pattern costs O(1).
    const signs = new Int8Array(m).fill(1);
    let sum = total;
    let hits = Math.abs(sum) >= threshold ? 1 : 0;
    const patterns = 2 ** m;
    for (let k = 1; k < patterns; k++) {
      const j = 31 - Math.clz32(k & -k);
      signs[j] = -signs[j]!;
      sum += 2 * signs[j]! * magnitudes[j]!;
      if (Math.abs(sum) >= threshold) hits++;
    }
    return { p_value: hits / patterns, exact: true, draws: patterns };
  }
  let hits = 0;
  for (let r = 1; r <= permutations; r++) {
    let sum = 0;
    let bits = 0;
    for (let i = 0; i < m; i++) {
      // One draw gives 32 fair signs: a tuner runs this for every candidate, so draws are the cost.
      if ((i & 31) === 0) bits = (rng() * 4294967296) >>> 0;
      sum += bits & 1 ? magnitudes[i]! : -magnitudes[i]!;
      bits >>>= 1;
    }
    if (Math.abs(sum) >= threshold && ++hits === SEQUENTIAL_STOP_HITS) return { p_value: hits / r, exact: false, draws: r };
  }
  return { p_value: (1 + hits) / (1 + permutations), exact: false, draws: permutations };
}

/** Fewest cases that can reach two-sided p ≤ alpha in a test on cases: 2 / 2^m ≤ alpha. */
export function minimumCases(alpha: number): number {
  return Math.max(1, Math.ceil(Math.log2(2 / alpha) - 1e-12));
}

/** The paired comparison of arm A with arm B (A − B). */
export function pairedTest(a: readonly ScoredCase[], b: readonly ScoredCase[], options: PairedOptions = {}): PairedTest {
  const { cases, unpaired } = pairCases(a, b);
  return pairedTestOnCases(cases, unpaired, options);
}

export function pairedTestOnCases(cases: readonly PairedCase[], unpaired: number, options: PairedOptions = {}): PairedTest {
  const { seed, resamples, level } = resolveBootstrap(options);
  const n = cases.length;
  if (n === 0) {
    return {
      n_cases: 0,
      unpaired,
      repeats: 0,
      diff: 0,
      ci: [0, 0],
      ci_level: level,
      p_value: 1,
      test: "no_cases",
      discordant: null,
      nonzero_cases: 0,
      identical: true,
      noise: { run_to_run: 0, between_cases: 0, split_known: false },
      method: "no case was scored in both arms",
    };
  }
  const diffs = cases.map((c) => 100 * (mean(c.a) - mean(c.b)));
  const repeats = cases.reduce((r, c) => Math.min(r, c.a.length, c.b.length), Number.POSITIVE_INFINITY);
  const diff = mean(diffs);
  const ci = percentileInterval(bootstrapMeans(diffs, createRng(seed), resamples), level) ?? [diff, diff];
  const nonzero = diffs.filter((d) => d !== 0).length;

  const { test, p_value: pValue, discordant, text: testText } = pairedPValue(cases, options);
  return {
    n_cases: n,
    unpaired,
    repeats,
    diff,
    ci: [ci[0], ci[1]],
    ci_level: level,
    p_value: pValue,
    test,
    discordant,
    nonzero_cases: nonzero,
    identical: nonzero === 0,
    noise: noiseSplit(cases, diffs),
    method:
      `${testText}; ${Math.round(level * 100)}% percentile bootstrap over cases` +
      `${repeats > 1 ? " (each with its repeats)" : ""}, B = ${resamples}, seed ${seed}`,
  };
}

/**
 * The test alone, without the interval: McNemar's exact test for one pass/fail pair per case, else the sign-flip
 * test on per-case differences. Cheap enough to run for every member of a Holm family.
 */
export function pairedPValue(
  cases: readonly PairedCase[],
  options: PairedOptions = {},
): { test: PairedTestName; p_value: number; discordant: PairedTest["discordant"]; text: string } {
  const n = cases.length;
  if (n === 0) return { test: "no_cases", p_value: 1, discordant: null, text: "no cases" };
  const onePassFailPairEach = cases.every((c) => c.a.length === 1 && c.b.length === 1 && isPassFail(c.a[0]!) && isPassFail(c.b[0]!));
  if (onePassFailPairEach) {
    const aOnly = cases.filter((c) => c.a[0] === 1 && c.b[0] === 0).length;
    const bOnly = cases.filter((c) => c.a[0] === 0 && c.b[0] === 1).length;
    return {
      test: "mcnemar_exact",
      p_value: mcnemarExact(aOnly, bOnly),
      discordant: { a_only: aOnly, b_only: bOnly },
      text: `McNemar exact test on ${n} pass/fail pairs (${aOnly} passed only in A, ${bOnly} only in B)`,
    };
  }
  const { seed } = resolveBootstrap(options);
  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
  const diffs = cases.map((c) => 100 * (mean(c.a) - mean(c.b)));
  // A seed of its own, so the interval does not depend on whether the test needed random draws.
  const flip = signFlipTest(diffs, createRng(`${seed}:sign-flip`), permutations);
  const nonzero = diffs.filter((d) => d !== 0).length;
  return {
    test: flip.exact ? "sign_flip_exact" : "sign_flip_monte_carlo",
    p_value: flip.p_value,
    discordant: null,
    text: flip.exact
      ? `paired sign-flip test on ${n} cases, all ${2 ** nonzero} sign patterns`
      : `paired sign-flip test on ${n} cases, ${flip.draws} random sign patterns (sequential, at most ${permutations})`,
  };
}

function isPassFail(x: number): boolean {
  return x === 0 || x === 1;
}

/** Run-to-run variance of one repeat's difference and the spread between cases beyond it, in points². */
function noiseSplit(cases: readonly PairedCase[], diffs: readonly number[]): PairedTest["noise"] {
  const total = sampleVariance(diffs);
  const withRepeats = cases.filter((c) => c.a.length >= 2 && c.b.length >= 2);
  if (!withRepeats.length) return { run_to_run: total, between_cases: 0, split_known: false };
  // One repeat's difference varies by var(A) + var(B); the case mean of r repeats by that over r.
  const perRepeat = mean(withRepeats.map((c) => 1e4 * (sampleVariance(c.a) + sampleVariance(c.b))));
  const inCaseMeans = mean(withRepeats.map((c) => 1e4 * (sampleVariance(c.a) / c.a.length + sampleVariance(c.b) / c.b.length)));
  return { run_to_run: perRepeat, between_cases: Math.max(0, total - inCaseMeans), split_known: true };
}

export interface EvidencePlanOptions {
  /** Difference to be able to detect, in points (> 0). */
  effect: number;
  /** Significance level the comparison must reach (already divided for a family of comparisons). */
  alpha: number;
  /** Chance of detecting `effect` if it is real. */
  power: number;
  /** Most repeats per case worth suggesting. */
  maxRepeats: number;
  /** Most cases (in all) worth suggesting. */
  maxCases: number;
}

export interface EvidencePlan {
  /** Repeats per case to add (each arm), when repeats can decide. */
  more_repeats: number | null;
  /** Cases to add, when repeats cannot decide. */
  more_cases: number | null;
  /** noise: repeats average it away; too_few_cases: no test on so few cases can reach alpha; case_spread: the
   * cases themselves disagree, or repeats would exceed `maxRepeats`. */
  why: "noise" | "too_few_cases" | "case_spread";
}

/**
 * How much more data would detect `effect` with the given power: the normal-approximation sample size
 * SE ≤ effect / (z(1 − α/2) + z(power)), with SE² = (between_cases + run_to_run / repeats) / cases. Returns null
 * when neither `maxRepeats` repeats nor `maxCases` cases would do: then more data is not a practical answer.
 * Below the fewest cases any test on cases can decide with (`minimumCases`), the answer is always those cases.
 */
export function evidenceNeeded(test: PairedTest, o: EvidencePlanOptions): EvidencePlan | null {
  if (!(o.effect > 0)) return null;
  const n = test.n_cases;
  const r = Math.max(1, test.repeats);
  const floor = minimumCases(o.alpha);
  // The floor is always worth saying: no test on fewer cases can decide, whatever the cap.
  if (n < floor) return { more_repeats: null, more_cases: floor - n, why: "too_few_cases" };
  const z = normalQuantile(1 - o.alpha / 2) + normalQuantile(o.power);
  const targetVariance = (o.effect / z) ** 2;
  const { run_to_run: within, between_cases: between } = test.noise;
  const slack = n * targetVariance - between;
  if (within > 0 && slack > 0) {
    const needed = Math.max(r + 1, Math.ceil(within / slack));
    if (needed <= o.maxRepeats) return { more_repeats: needed - r, more_cases: null, why: "noise" };
  }
  const cases = Math.max(floor, n + 1, Math.ceil((between + within / r) / targetVariance));
  return cases <= o.maxCases ? { more_repeats: null, more_cases: cases - n, why: "case_spread" } : null;
}
