// Paired comparisons and their verdicts: reproducibility, coverage, the three verdicts, and what the power
// estimate promises.
import { describe, expect, it } from "vitest";
import { createRng, meanCi, minimumCases, pairedTest, pairedVerdict, type Rng, type ScoredCase, signFlipTest } from "../../src/shared/stats/index.ts";

const caseId = (i: number) => `case-${String(i).padStart(3, "0")}`;

/** Pass/fail rows: `passes(i)` says whether case i passed. */
function passFail(n: number, passes: (i: number) => boolean): ScoredCase[] {
  return Array.from({ length: n }, (_, i) => ({ caseId: caseId(i), score: passes(i) ? 1 : 0 }));
}

/** Rows with `repeats` draws per case, each passing with probability p(i). */
function drawn(rng: Rng, n: number, repeats: number, p: (i: number) => number): ScoredCase[] {
  const rows: ScoredCase[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < repeats; r++) rows.push({ caseId: caseId(i), score: rng() < p(i) ? 1 : 0 });
  return rows;
}

/** Continuous scores in [0, 1]: a per-case level plus run-to-run noise. */
function noisy(rng: Rng, n: number, repeats: number, shift: number): ScoredCase[] {
  const rows: ScoredCase[] = [];
  for (let i = 0; i < n; i++) {
    const level = 0.3 + (0.3 * ((i * 7) % 10)) / 10 + shift;
    for (let r = 0; r < repeats; r++) rows.push({ caseId: caseId(i), score: Math.min(1, Math.max(0, level + 0.5 * (rng() - 0.5))) });
  }
  return rows;
}

function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("paired test", () => {
  it("is reproducible: same seed → same result, whatever order the rows come in", () => {
    const a = noisy(createRng(1), 30, 3, 0.05);
    const b = noisy(createRng(2), 30, 3, 0);
    const first = pairedTest(a, b, { seed: "run-42" });
    expect(pairedTest(a, b, { seed: "run-42" })).toEqual(first);
    expect(pairedTest(shuffled(a, createRng(3)), shuffled(b, createRng(4)), { seed: "run-42" })).toEqual(first);
    const other = pairedTest(a, b, { seed: "run-43" });
    expect(other.diff).toBe(first.diff);
    expect(other.ci).not.toEqual(first.ci); // another seed, other resamples
    expect(Math.abs(other.ci[0] - first.ci[0])).toBeLessThan(0.1 * (first.ci[1] - first.ci[0]));
  });

  it("identical arms: a tie, interval [0, 0], never 'better'", () => {
    const a = passFail(50, (i) => i % 3 === 0);
    const test = pairedTest(
      a,
      a.map((r) => ({ ...r })),
    );
    expect(test.identical).toBe(true);
    expect(test.ci).toEqual([0, 0]);
    const v = pairedVerdict(test, "baseline");
    expect(v.verdict).toBe("not_distinguishable");
    expect(v.statement).toBe("tied with baseline: identical scores on all 50 cases");
  });

  it("arms drawn from the same process: the 95% interval holds 0 in about 95% of runs, and 'better'/'worse' is rare", () => {
    let covered = 0;
    let claimed = 0;
    const runs = 100;
    for (let s = 0; s < runs; s++) {
      const rng = createRng(1000 + s);
      const level = (i: number) => 0.2 + (0.6 * ((i * 13) % 10)) / 10;
      const test = pairedTest(drawn(rng, 40, 2, level), drawn(rng, 40, 2, level), { seed: s });
      if (test.ci[0] <= 0 && test.ci[1] >= 0) covered++;
      const v = pairedVerdict(test, "B").verdict;
      if (v === "better" || v === "worse") claimed++;
    }
    // Binomial(100, 0.95) is below 88 with probability < 0.5 %; a false claim needs p ≤ 0.05 and the interval too.
    expect(covered).toBeGreaterThanOrEqual(88);
    expect(claimed).toBeLessThanOrEqual(8);
  });

  it("a clear +30-point difference on 50 cases is 'better', and the swapped comparison is 'worse' with the same p", () => {
    const a = passFail(50, (i) => i < 40);
    const b = passFail(50, (i) => i < 25);
    const test = pairedTest(a, b);
    expect(test.test).toBe("mcnemar_exact");
    expect(test.discordant).toEqual({ a_only: 15, b_only: 0 });
    expect(test.diff).toBeCloseTo(30, 10);
    expect(test.p_value).toBeCloseTo(2 / 2 ** 15, 12);
    const v = pairedVerdict(test, "baseline");
    expect(v.verdict).toBe("better");
    expect(v.ci[0]).toBeGreaterThan(0);
    expect(v.statement).toMatch(/^better than baseline: \+30\.0 pts \[\+\d+\.\d, \+\d+\.\d\], p < 0\.001 \(50 cases\)$/);

    const swapped = pairedTest(b, a);
    expect(swapped.p_value).toBe(test.p_value);
    expect(swapped.diff).toBeCloseTo(-30, 10);
    expect(swapped.ci[0]).toBeCloseTo(-test.ci[1], 9);
    expect(swapped.ci[1]).toBeCloseTo(-test.ci[0], 9);
    expect(pairedVerdict(swapped, "candidate").verdict).toBe("worse");
  });

  it("3 cases: insufficient evidence, and the remedy is cases, since repeats cannot lift 3 cases below p = 0.25", () => {
    const test = pairedTest(
      passFail(3, () => true),
      passFail(3, () => false),
    );
    expect(test.p_value).toBeCloseTo(0.25, 12); // McNemar exact, b = 3, c = 0: 2 / 2^3
    const v = pairedVerdict(test, "baseline");
    expect(v.verdict).toBe("insufficient_evidence");
    expect(v.more_cases_needed).toBe(minimumCases(0.05) - 3);
    expect(v.more_repeats_needed).toBeNull();
    expect(v.statement).toContain("add at least 3 more cases: 3 cases cannot reach p ≤ 0.05, whatever the repeats");

    // The same 3 cases with 10 repeats each, every repeat agreeing: still only 3 independent cases.
    const many = (score: number) => Array.from({ length: 30 }, (_, k) => ({ caseId: caseId(k % 3), score }));
    const repeated = pairedTest(many(1), many(0));
    expect(repeated.repeats).toBe(10);
    expect(repeated.p_value).toBeCloseTo(0.25, 12);
    expect(pairedVerdict(repeated, "baseline").verdict).toBe("insufficient_evidence");
  });

  it("noise-dominated data: suggests more repeats, and following the suggestion mostly decides", () => {
    // The true difference is +5 points on every case; run-to-run noise (± 25 points) hides it with one repeat.
    const first = pairedTest(noisy(createRng(12), 40, 1, 0.05), noisy(createRng(112), 40, 1, 0), { seed: 5 });
    const v = pairedVerdict(first, "baseline");
    expect(v.verdict).toBe("insufficient_evidence");
    expect(v.more_repeats_needed).toBeGreaterThan(0);
    expect(v.more_cases_needed).toBeNull();
    expect(v.statement).toContain(`run about ${v.more_repeats_needed} more repeat`);

    const repeats = 1 + v.more_repeats_needed!;
    let decided = 0;
    const trials = 20;
    for (let s = 0; s < trials; s++) {
      const test = pairedTest(noisy(createRng(1000 + s), 40, repeats, 0.05), noisy(createRng(2000 + s), 40, repeats, 0), { seed: s });
      if (pairedVerdict(test, "baseline").verdict === "better") decided++;
    }
    // Planned for 80% power at the observed effect; half is a floor no working estimate falls under.
    expect(decided).toBeGreaterThanOrEqual(trials / 2);
  });

  it("when the cases themselves disagree, more repeats are not suggested", () => {
    // Repeats agree exactly within a case; the per-case differences swing between +40 and −20 points.
    const a: ScoredCase[] = [];
    const b: ScoredCase[] = [];
    for (let i = 0; i < 24; i++) {
      for (let r = 0; r < 3; r++) {
        a.push({ caseId: caseId(i), score: i % 2 ? 0.9 : 0.3 });
        b.push({ caseId: caseId(i), score: 0.5 });
      }
    }
    const test = pairedTest(a, b);
    expect(test.noise.run_to_run).toBe(0);
    expect(test.noise.between_cases).toBeGreaterThan(0);
    const v = pairedVerdict(test, "baseline");
    expect(v.verdict).toBe("insufficient_evidence");
    expect(v.more_repeats_needed).toBeNull();
    expect(v.more_cases_needed).toBeGreaterThan(0);
    expect(v.statement).toContain("more repeats do not reduce");
  });

  it("a difference too small to matter is 'not distinguishable', not 'insufficient'", () => {
    // 400 cases differing on 4 (2 each way): the interval sits well inside ± 2 points.
    const a = passFail(400, (i) => i % 2 === 0);
    const b = passFail(400, (i) => (i % 2 === 0 && i !== 0 && i !== 2) || i === 1 || i === 3);
    const test = pairedTest(a, b);
    expect(test.discordant).toEqual({ a_only: 2, b_only: 2 });
    const v = pairedVerdict(test, "baseline");
    expect(v.verdict).toBe("not_distinguishable");
    expect(v.statement).toContain("any difference is under 2 pts");
  });

  it("leaves out cases scored in only one arm and refuses scores outside [0, 1]", () => {
    const a = [...passFail(10, () => true), { caseId: "only-a", score: 1 }];
    const b = [...passFail(10, () => false), { caseId: "only-b", score: 0 }];
    const test = pairedTest(a, b);
    expect(test.n_cases).toBe(10);
    expect(test.unpaired).toBe(2);
    expect(() => pairedTest([{ caseId: "x", score: 1.5 }], b)).toThrow(RangeError);
    expect(() => pairedTest([{ caseId: "x", score: Number.NaN }], b)).toThrow(RangeError);
    const none = pairedTest(a, [{ caseId: "elsewhere", score: 1 }]);
    expect(none.n_cases).toBe(0);
    expect(pairedVerdict(none, "baseline").verdict).toBe("insufficient_evidence");
  });
});

describe("sign-flip test", () => {
  /** Brute force over all 2^m sign patterns, written independently of the Gray-code enumeration. */
  function bruteForce(diffs: number[]): number {
    const nz = diffs.filter((d) => d !== 0);
    const observed = Math.abs(nz.reduce((s, d) => s + d, 0));
    let hits = 0;
    for (let mask = 0; mask < 2 ** nz.length; mask++) {
      const sum = nz.reduce((s, d, i) => s + ((mask >> i) & 1 ? -Math.abs(d) : Math.abs(d)), 0);
      if (Math.abs(sum) >= observed - 1e-9) hits++;
    }
    return hits / 2 ** nz.length;
  }

  it("enumerates exactly up to 20 non-zero differences", () => {
    const diffs = [12.5, -3, 0, 7, 4.25, -1, 9, 0, 2, 6, -4, 3.5];
    const r = signFlipTest(diffs, createRng(1));
    expect(r.exact).toBe(true);
    expect(r.p_value).toBeCloseTo(bruteForce(diffs), 12);
    expect(signFlipTest([1, 2, 3], createRng(1)).p_value).toBe(0.25); // 2 of 8 patterns reach |6|
    expect(signFlipTest([0, 0], createRng(1)).p_value).toBe(1);
  });

  it("equals McNemar's exact test on one pass/fail pair per case", () => {
    const a = passFail(30, (i) => i % 3 !== 0);
    const b = passFail(30, (i) => i % 5 !== 0);
    const test = pairedTest(a, b);
    expect(test.test).toBe("mcnemar_exact");
    const diffs = a.map((row, i) => 100 * (row.score - b[i]!.score));
    expect(signFlipTest(diffs, createRng(1)).p_value).toBeCloseTo(test.p_value, 12);
  });

  it("samples sign patterns beyond 20 and stays close to the exact value", () => {
    const diffs = Array.from({ length: 21 }, (_, i) => ((i * 37) % 11) - 3.5);
    const exact = bruteForce(diffs);
    const r = signFlipTest(diffs, createRng(9));
    expect(r.exact).toBe(false);
    expect(Math.abs(r.p_value - exact)).toBeLessThan(0.03);
    // All 30 differences positive: exact p = 2^-29; sampling reports its floor, 1 / (draws + 1).
    const clear = signFlipTest(Array(30).fill(5), createRng(9));
    expect(clear.p_value).toBeCloseTo(1 / 100_001, 12);
  });
});

describe("meanCi", () => {
  it("gives a reproducible interval around the mean, and none for a single value", () => {
    const values = Array.from({ length: 25 }, (_, i) => (i * 17) % 9);
    const r = meanCi(values, { seed: 3 });
    expect(r.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / 25, 12);
    expect(r.ci![0]).toBeLessThan(r.mean);
    expect(r.ci![1]).toBeGreaterThan(r.mean);
    expect(meanCi(values, { seed: 3 })).toEqual(r);
    expect(meanCi([4]).ci).toBeNull();
    expect(() => meanCi([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
