// Naming the best of several candidates, and judge-compare preferences: ties stay ties, input order never
// decides, and picking the best of many does not manufacture a win over the baseline.
import { describe, expect, it } from "vitest";
import { type Candidate, compareCandidates, comparePreferences, createRng, type ScoredCase, signTest } from "../../src/shared/stats/index.ts";

const caseId = (i: number) => `case-${String(i).padStart(3, "0")}`;
const passFail = (n: number, passes: (i: number) => boolean): ScoredCase[] =>
  Array.from({ length: n }, (_, i) => ({ caseId: caseId(i), score: passes(i) ? 1 : 0 }));

describe("compareCandidates", () => {
  const candidates: Candidate[] = [
    { id: "baseline", results: passFail(40, (i) => i < 18) },
    { id: "temp-0.2", results: passFail(40, (i) => i < 36) },
    { id: "temp-0.7", results: passFail(40, (i) => i < 30) },
    { id: "temp-1.0", results: passFail(40, (i) => i < 24) },
  ];

  it("ranks by mean and compares the best with the runner-up and the baseline", () => {
    const r = compareCandidates(candidates, { baselineId: "baseline" });
    expect(r.ranking.map((x) => [x.id, x.rank])).toEqual([
      ["temp-0.2", 1],
      ["temp-0.7", 2],
      ["temp-1.0", 3],
      ["baseline", 4],
    ]);
    expect(r.best_id).toBe("temp-0.2");
    const vsRunner = r.significance.find((s) => s.roles.includes("runner_up"))!;
    const vsBase = r.significance.find((s) => s.roles.includes("baseline"))!;
    expect(vsRunner.compared_with).toBe("temp-0.7");
    expect(vsBase.compared_with).toBe("baseline");
    // vs runner-up: 6 discordant, all one way: McNemar p = 2/2^6. Holm's second step (the baseline's p is smaller)
    // multiplies it by 1.
    expect(vsRunner.p_value_raw).toBeCloseTo(2 / 64, 12);
    expect(vsRunner.p_value).toBeCloseTo(2 / 64, 12);
    expect(vsRunner.verdict).toBe("better");
    // vs baseline: 18 discordant one way; × 3 for picking the best of 3, then Holm.
    expect(vsBase.p_value_raw).toBeCloseTo(2 / 2 ** 18, 15);
    expect(vsBase.verdict).toBe("better");
    expect(vsBase.diff).toBeCloseTo(45, 10);
    expect(vsBase.method).toContain("× 3 for picking the best of 3 candidates, then Holm-adjusted over the 2 comparisons shown");
    expect(r.statement).toMatch(/^temp-0\.2 scores highest \(90\.0 pts\); better than temp-0\.7: \+15\.0 pts .*; better than baseline: \+45\.0 pts/);
  });

  it("gives the same answer whatever order the candidates and their rows come in", () => {
    const rng = createRng(5);
    const shuffle = <T>(xs: readonly T[]) => [...xs].sort(() => rng() - 0.5);
    const reordered = shuffle(candidates).map((c) => ({ id: c.id, results: shuffle(c.results) }));
    expect(compareCandidates(reordered, { baselineId: "baseline" })).toEqual(compareCandidates(candidates, { baselineId: "baseline" }));
  });

  it("a tie at the top names no best, in either order", () => {
    const a = { id: "a", results: passFail(30, (i) => i % 2 === 0) };
    const b = { id: "b", results: passFail(30, (i) => i % 2 === 1) }; // same mean, other cases
    const c = { id: "c", results: passFail(30, (i) => i < 5) };
    for (const order of [
      [a, b, c],
      [c, b, a],
    ]) {
      const r = compareCandidates(order, { baselineId: "c" });
      expect(r.best_id).toBeNull();
      expect(r.tied_for_best).toEqual(["a", "b"]);
      expect(r.ranking.filter((x) => x.rank === 1).map((x) => x.id)).toEqual(["a", "b"]);
      expect(r.statement).toBe("a, b tie for the top at 50.0 pts: no best is named");
      for (const s of r.significance.filter((x) => x.roles.includes("tied_for_best"))) expect(s.verdict).not.toBe("better");
    }
  });

  it("a runner-up with identical scores is reported as a tie", () => {
    const same = passFail(20, (i) => i < 12);
    const r = compareCandidates([
      { id: "x", results: same },
      { id: "y", results: same.map((row) => ({ ...row })) },
    ]);
    expect(r.best_id).toBeNull();
    const s = r.significance.find((x) => x.candidate === "x")!;
    expect(s.statement).toBe("tied with y: identical scores on all 20 cases");
  });

  it("picking the best of 30 equal candidates rarely claims a win over the baseline", () => {
    let claims = 0;
    const runs = 30;
    for (let s = 0; s < runs; s++) {
      const rng = createRng(500 + s);
      const cands = Array.from({ length: 30 }, (_, k) => ({ id: `combo-${k}`, results: passFail(40, () => rng() < 0.5) }));
      const r = compareCandidates(cands, { baselineId: "combo-0", resamples: 500, seed: s });
      if (r.significance.some((x) => x.roles.includes("baseline") && x.verdict === "better")) claims++;
    }
    // Without the × (k − 1) factor, the best's own p is ≤ 0.05 in 5 of these 30 runs (a sixth, not a twentieth).
    expect(claims).toBeLessThanOrEqual(2);
  });

  it("a tie at the top is shown but not counted in Holm's family: its zero difference can name no winner", () => {
    const r = compareCandidates(
      [
        { id: "base", results: passFail(40, (i) => i < 20) },
        { id: "p1", results: passFail(40, (i) => i < 36) },
        { id: "p2", results: passFail(40, (i) => i < 36) },
      ],
      { baselineId: "base" },
    );
    expect(r.best_id).toBeNull();
    const vsBase = r.significance.find((s) => s.candidate === "p1" && s.roles.includes("baseline"))!;
    // 16 discordant pairs one way: p = 2/2^16, × 2 for picking the best of 2, and nothing for the tie.
    expect(vsBase.p_value).toBeCloseTo(2 * (2 / 2 ** 16), 15);
    expect(vsBase.method).toContain("× 2 for picking the best of 2 candidates");
    expect(vsBase.method).not.toContain("Holm");
    expect(vsBase.verdict).toBe("better");
    const vsTwin = r.significance.find((s) => s.candidate === "p1" && s.roles.includes("tied_for_best"))!;
    expect(vsTwin.verdict).not.toBe("better");
  });

  it("counts every candidate searched, not only the finalists ranked, when picking the best (halving)", () => {
    const finalistsOnly = compareCandidates(candidates, { baselineId: "baseline" });
    const fromThirty = compareCandidates(candidates, { baselineId: "baseline", pickedFrom: 30 });
    const vs = (r: typeof fromThirty) => r.significance.find((s) => s.roles.includes("baseline"))!;
    expect(vs(fromThirty).p_value_raw).toBe(vs(finalistsOnly).p_value_raw);
    // Holm's first step (the smallest adjusted p) multiplies by the 2 comparisons shown.
    expect(vs(finalistsOnly).p_value).toBeCloseTo(2 * 3 * (2 / 2 ** 18), 15);
    expect(vs(fromThirty).p_value).toBeCloseTo(2 * 29 * (2 / 2 ** 18), 15);
    expect(vs(fromThirty).method).toContain("× 29 for picking the best of 29 candidates");
    // Fewer than ranked can't shrink the factor; a nonsense count is refused.
    expect(vs(compareCandidates(candidates, { baselineId: "baseline", pickedFrom: 2 })).p_value).toBe(vs(finalistsOnly).p_value);
    expect(() => compareCandidates(candidates, { pickedFrom: 0 })).toThrow(RangeError);
    expect(() => compareCandidates(candidates, { pickedFrom: 2.5 })).toThrow(RangeError);
  });

  it("refuses duplicate ids and an unknown baseline; leaves out candidates without results", () => {
    expect(() => compareCandidates([candidates[0]!, candidates[0]!])).toThrow(RangeError);
    expect(() => compareCandidates(candidates, { baselineId: "nope" })).toThrow(RangeError);
    const r = compareCandidates([...candidates, { id: "empty", results: [] }]);
    expect(r.ranking.map((x) => x.id)).not.toContain("empty");
    expect(compareCandidates([]).best_id).toBeNull();
  });
});

describe("comparePreferences (judge compare)", () => {
  it("counts wins and ties, and its p is the sign test's", () => {
    const prefs = [
      ...Array.from({ length: 12 }, (_, i) => ({ caseId: `w${i}`, winner: "a" as const })),
      ...Array.from({ length: 2 }, (_, i) => ({ caseId: `l${i}`, winner: "b" as const })),
      ...Array.from({ length: 6 }, (_, i) => ({ caseId: `t${i}`, winner: "tie" as const })),
    ];
    const r = comparePreferences(prefs, "run B");
    expect([r.wins_a, r.wins_b, r.ties]).toEqual([12, 2, 6]);
    // 2 · P(X ≤ 2 | n = 14, ½) = 2 · (1 + 14 + 91) / 16384
    expect(r.sign_test_p).toBeCloseTo((2 * 106) / 16384, 12);
    expect(r.significance.p_value).toBeCloseTo(r.sign_test_p, 12);
    expect(r.significance.diff).toBeCloseTo(50, 10); // (12 − 2) / 20 cases
    expect(r.significance.verdict).toBe("better");
    expect(r.significance.statement).toMatch(/^better than run B: \+50\.0 pts net wins/);
    expect(signTest(2, 12)).toBe(signTest(12, 2));
  });

  it("all ties: a tie, not a winner", () => {
    const r = comparePreferences(
      Array.from({ length: 10 }, (_, i) => ({ caseId: `c${i}`, winner: "tie" as const })),
      "run B",
    );
    expect(r.sign_test_p).toBe(1);
    expect(r.significance.verdict).toBe("not_distinguishable");
    expect(r.significance.statement).toContain("tied with run B");
  });
});
