// The shared statistics module against published values. Each expected number names its source; where a source
// gives only the data, the value is the definition worked by hand (shown) and cross-checked with SciPy 1.17.
import { describe, expect, it } from "vitest";
import {
  binomialHalfTwoSidedP,
  calibration,
  cohenKappa,
  holm,
  mad,
  mannWhitney,
  mcnemarExact,
  median,
  normalCdf,
  normalQuantile,
  signTest,
} from "../../src/shared/stats/index.ts";

describe("McNemar's exact test", () => {
  it("matches Fagerland, Lydersen & Laake (2013), BMC Med Res Methodol 13:91: AHR example b = 1, c = 7 → p = 0.070", () => {
    // 2 · P(X ≤ 1 | n = 8, ½) = 2 · (1 + 8) / 256 = 0.0703125
    expect(mcnemarExact(1, 7)).toBeCloseTo(0.0703125, 10);
    expect(mcnemarExact(7, 1)).toBe(mcnemarExact(1, 7));
  });

  it("matches Agresti, An Introduction to Categorical Data Analysis (2nd ed.), Table 10.1: 150 vs 86 discordant", () => {
    // Agresti reports z = (150 − 86)/√236 = 4.17 (asymptotic); the exact p is SciPy's binomtest(150, 236) = 3.716e-5.
    expect(mcnemarExact(150, 86)).toBeCloseTo(3.7159361e-5, 10);
  });

  it("is 1 without discordant pairs and refuses impossible counts", () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(RangeError);
  });
});

describe("sign test", () => {
  it("matches Siegel & Castellan, Nonparametric Statistics (1988), Table D: N = 10", () => {
    // Table D, one-tailed: x = 1 → .011, x = 2 → .055; two-tailed is twice that.
    expect(signTest(9, 1)).toBeCloseTo(2 * 0.0107421875, 10); // (1 + 10) / 1024 · 2
    expect(signTest(2, 8)).toBeCloseTo(2 * 0.0546875, 10); // (1 + 10 + 45) / 1024 · 2
    expect(Number(signTest(9, 1).toFixed(3))).toBe(0.021);
  });

  it("is exact far into the tail (no underflow at large n)", () => {
    // SciPy binomtest(3, 20).pvalue = 0.0025768280029296875 (= 2 · 1351 / 2^20)
    expect(binomialHalfTwoSidedP(3, 20)).toBeCloseTo(0.0025768280029296875, 15);
    const p = binomialHalfTwoSidedP(400, 2000);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-100);
  });
});

describe("Holm's step-down correction", () => {
  it("matches the Holm–Bonferroni example on Wikipedia: p = (0.01, 0.04, 0.03, 0.005), alpha 0.05 rejects H1 and H4", () => {
    // Adjusted p as R's p.adjust(method = "holm"): sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.04·1, 0.06)
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
    expect(adjusted[3]).toBeCloseTo(0.02, 12);
    expect(adjusted.map((p) => p <= 0.05)).toEqual([true, false, false, true]);
  });

  it("gives equal p's equal adjusted values whatever their order, and caps at 1", () => {
    expect(holm([0.02, 0.02, 0.5])).toEqual(holm([0.5, 0.02, 0.02]).reverse());
    expect(holm([0.02, 0.02, 0.5])[0]).toBe(holm([0.02, 0.02, 0.5])[1]);
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
    expect(() => holm([1.2])).toThrow(RangeError);
  });
});

describe("Cohen's kappa", () => {
  it("matches the worked example on Wikipedia (Cohen's kappa): 20 / 5 / 10 / 15 → κ = 0.4", () => {
    // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2/0.5
    expect(
      cohenKappa([
        [20, 5],
        [10, 15],
      ]),
    ).toBeCloseTo(0.4, 12);
  });

  it("matches Wikipedia's 'same agreement, different kappa' tables: 0.1304 and 0.2593", () => {
    expect(
      cohenKappa([
        [45, 15],
        [25, 15],
      ]),
    ).toBeCloseTo(0.1304, 4);
    expect(
      cohenKappa([
        [25, 35],
        [5, 35],
      ]),
    ).toBeCloseTo(0.2593, 4);
  });

  it("works on more than two labels and is undefined when both raters are constant and equal", () => {
    // By the definition: n = 100, p_o = 0.7, rows (40, 30, 30), columns (40, 30, 30) → p_e = 0.34, κ = 0.36/0.66
    expect(
      cohenKappa([
        [30, 5, 5],
        [5, 20, 5],
        [5, 5, 20],
      ]),
    ).toBeCloseTo(0.36 / 0.66, 12);
    expect(
      cohenKappa([
        [7, 0],
        [0, 0],
      ]),
    ).toBeNull();
    expect(cohenKappa([])).toBeNull();
  });

  it("calibration gives the table, kappa, false-pass and false-fail rates", () => {
    // The Wikipedia example again, as items: reference = one reader, judged = the other; "pass" = Yes.
    const items = [
      ...Array.from({ length: 20 }, () => ({ reference: "pass", judged: "pass" })),
      ...Array.from({ length: 5 }, () => ({ reference: "pass", judged: "fail" })),
      ...Array.from({ length: 10 }, () => ({ reference: "fail", judged: "pass" })),
      ...Array.from({ length: 15 }, () => ({ reference: "fail", judged: "fail" })),
    ];
    const c = calibration(items, { seed: 7 });
    expect(c.labels).toEqual(["fail", "pass"]);
    expect(c.table).toEqual([
      [15, 10],
      [5, 20],
    ]);
    expect(c.kappa).toBeCloseTo(0.4, 12);
    expect(c.observed_agreement).toBeCloseTo(0.7, 12);
    expect(c.false_pass_rate).toBeCloseTo(10 / 25, 12);
    expect(c.false_fail_rate).toBeCloseTo(5 / 25, 12);
    expect(c.kappa_ci![0]).toBeLessThan(0.4);
    expect(c.kappa_ci![1]).toBeGreaterThan(0.4);
    expect(calibration(items, { seed: 7 })).toEqual(c);
    expect(c.statement).toMatch(/^kappa 0\.40 \[0\.\d\d, 0\.\d\d\] on 50 items; false pass 40%, false fail 20%$/);
  });
});

describe("Mann–Whitney U", () => {
  it("matches Shier (2004), 'The Mann-Whitney U Test' (mlsc), ages of 5 males and 4 females: U = 17 / 3, exact p = 0.111", () => {
    // The exact p is the value SciPy's mannwhitneyu documentation gives for this example (method="exact").
    const r = mannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(r.u).toBe(17);
    expect(r.u_other).toBe(3);
    expect(r.method).toBe("exact");
    expect(r.p_value).toBeCloseTo(0.1111111111, 9); // 2 · 7/126
  });

  it("counts the tortoise-and-hare race of the Wikipedia article: U_T = 11, U_H = 25", () => {
    // Finishing order T H H H H H T T T T T H, times = positions. The article's U_T counts, for each tortoise, the
    // hares it beats (finishes before): pairs with a hare's time above the tortoise's, i.e. U of the hares' times.
    const tortoises = [1, 7, 8, 9, 10, 11];
    const hares = [2, 3, 4, 5, 6, 12];
    expect(mannWhitney(hares, tortoises).u).toBe(11);
    expect(mannWhitney(tortoises, hares).u).toBe(25);
  });

  it("exact for larger samples without ties (SciPy 1.17 exact: U = 202, p = 0.280987)", () => {
    const x = [3.1, 4.93, 7.02, 8.46, 10.16, 12.12, 13.43, 15.0, 16.83, 18.92, 20.36, 22.06, 24.02, 25.33, 26.9, 28.73, 30.82, 32.26, 33.96, 35.92];
    const y = [
      5.0, 6.61, 8.44, 9.94, 11.11, 12.5, 14.11, 15.94, 17.44, 18.61, 20.0, 21.61, 23.44, 24.94, 26.11, 27.5, 29.11, 30.94, 32.44, 33.61, 35.0, 36.61,
      38.44, 39.94, 41.11,
    ];
    const r = mannWhitney(x, y);
    expect(r.method).toBe("exact");
    expect(r.u).toBe(202);
    expect(r.p_value).toBeCloseTo(0.28098674260445977, 12);
  });

  it("normal approximation with ties matches SciPy 1.17 (asymptotic, continuity correction): p = 0.0293723", () => {
    const r = mannWhitney([1, 2, 2, 3, 4, 5, 5, 6], [3, 3, 4, 6, 7, 8, 8, 9, 9]);
    expect(r.method).toBe("normal_approximation");
    expect(r.u).toBe(13);
    expect(r.p_value).toBeCloseTo(0.029372326, 6);
    expect(mannWhitney([4, 4, 4], [4, 4]).p_value).toBe(1);
  });
});

describe("median, MAD and the normal distribution", () => {
  it("MAD matches the Wikipedia example (1, 1, 2, 2, 4, 6, 9): median 2, MAD 1", () => {
    expect(median([1, 1, 2, 2, 4, 6, 9])).toBe(2);
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it("normal quantiles and CDF match the standard normal table", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});
