// Regression alerts (robust z, Mann–Whitney) and CI gates: three outcomes, never a pass for lack of data.
import { describe, expect, it } from "vitest";
import { createRng, latencyGate, regressionCheck, robustZ, type ScoredCase, scoreGate } from "../../src/shared/stats/index.ts";

const caseId = (i: number) => `case-${String(i).padStart(3, "0")}`;
const passFail = (n: number, passes: (i: number) => boolean): ScoredCase[] =>
  Array.from({ length: n }, (_, i) => ({ caseId: caseId(i), score: passes(i) ? 1 : 0 }));

describe("robust z", () => {
  it("is (value − median) / (1.4826 · MAD), Iglewicz & Hoaglin's modified z-score", () => {
    // median 12, MAD 1
    expect(robustZ(20, [10, 11, 12, 13, 14])).toBeCloseTo(8 / 1.482602218505602, 12);
    expect(robustZ(12, [14, 10, 12, 13, 11])).toBe(0);
  });

  it("falls back to the mean absolute deviation when MAD is 0, and to ±∞ when the history never varies", () => {
    // median 5, MAD 0; mean |x − 5| = 0.2 → scale 1.2533 · 0.2
    expect(robustZ(7, [5, 5, 5, 5, 6])).toBeCloseTo(2 / (1.2533141373155001 * 0.2), 12);
    expect(robustZ(6, [5, 5, 5])).toBe(Number.POSITIVE_INFINITY);
    expect(robustZ(4, [5, 5, 5])).toBe(Number.NEGATIVE_INFINITY);
    expect(robustZ(5, [5, 5, 5])).toBe(0);
  });
});

describe("regressionCheck", () => {
  const history = [100, 102, 98, 101, 99, 103, 97, 100];

  it("alerts on a change beyond the threshold and outside the noise, in the bad direction only", () => {
    const slow = regressionCheck(130, history, { worseWhen: "higher", thresholdPct: 10 });
    expect(slow.status).toBe("regression");
    expect(slow.alert).toBe(true);
    expect(slow.change_pct).toBeCloseTo(30, 10);
    expect(slow.statement).toMatch(/^regression: \+30 \(\+30\.0%\) vs median 100 of 8 earlier, robust z \d+\.\d$/);
    const fast = regressionCheck(70, history, { worseWhen: "higher", thresholdPct: 10 });
    expect(fast.status).toBe("improvement");
    expect(fast.alert).toBe(false);
  });

  it("a change under the user's threshold is no alert, however far outside the noise", () => {
    const r = regressionCheck(108, history, { worseWhen: "higher", thresholdPct: 10 });
    expect(r.robust_z!).toBeGreaterThan(3.5);
    expect(r.status).toBe("below_threshold");
  });

  it("a change beyond the threshold but inside a noisy baseline is no alert", () => {
    const noisy = [100, 140, 80, 120, 60, 110, 90, 150];
    const r = regressionCheck(125, noisy, { worseWhen: "higher", thresholdPct: 10 });
    expect(r.change_pct!).toBeGreaterThan(10);
    expect(r.status).toBe("within_noise");
  });

  it("needs enough history, and works on scores going down with an absolute threshold", () => {
    expect(regressionCheck(50, [80, 81, 79], { worseWhen: "lower" }).status).toBe("insufficient_history");
    const r = regressionCheck(70, [80, 81, 79, 80, 82, 78], { worseWhen: "lower", thresholdAbs: 5 });
    expect(r.status).toBe("regression");
    expect(regressionCheck(77, [80, 81, 79, 80, 82, 78], { worseWhen: "lower", thresholdAbs: 5 }).status).toBe("below_threshold");
  });

  it("compares samples with Mann–Whitney", () => {
    const rng = createRng(3);
    const before = Array.from({ length: 40 }, () => 100 + 20 * rng());
    const after = Array.from({ length: 10 }, () => 130 + 20 * rng());
    const r = regressionCheck(after, before, { worseWhen: "higher", thresholdPct: 10 });
    expect(r.status).toBe("regression");
    expect(r.p_value!).toBeLessThan(0.001);
    // Ten of the earlier values again: the same distribution, so no alert even with a zero threshold.
    const same = regressionCheck(before.slice(0, 10), before, { worseWhen: "higher", thresholdPct: 0 });
    expect(same.p_value!).toBeGreaterThan(0.05);
    expect(same.alert).toBe(false);
  });
});

describe("scoreGate", () => {
  const baseline = passFail(60, (i) => i < 45);

  it("fails on a significant drop beyond max_drop", () => {
    const g = scoreGate(
      passFail(60, (i) => i < 25),
      baseline,
      5,
    );
    expect(g.outcome).toBe("fail");
    expect(g.statement).toMatch(/^fail: score dropped -33\.3 pts, more than the allowed 5/);
  });

  it("passes when the data rule out a drop beyond max_drop", () => {
    const g = scoreGate(
      baseline.map((r) => ({ ...r })),
      baseline,
      5,
    );
    expect(g.outcome).toBe("pass");
  });

  it("says insufficient evidence (with what would decide) when it cannot tell", () => {
    const run = passFail(60, (i) => i < 45 && i % 9 !== 0); // 5 fewer passes: −8.3 points, 5 discordant
    const g = scoreGate(run, baseline, 5);
    expect(g.outcome).toBe("insufficient_evidence");
    expect((g.more_repeats_needed ?? 0) + (g.more_cases_needed ?? 0)).toBeGreaterThan(0);
    expect(g.statement).toMatch(/^insufficient evidence: cannot tell whether the score dropped more than 5 pts/);
    expect(() => scoreGate(run, baseline, -1)).toThrow(RangeError);
  });
});

describe("latencyGate", () => {
  const spread = (n: number, scale: number) => Array.from({ length: n }, (_, i) => scale * (100 + ((i * 37) % 50)));

  it("fails when p95 is significantly up by more than the allowed percentage", () => {
    const g = latencyGate(spread(60, 1.5), spread(60, 1), 20);
    expect(g.outcome).toBe("fail");
    expect(g.change_pct).toBeCloseTo(50, 6);
    expect(g.ci![0]).toBeGreaterThan(0);
  });

  it("passes when the same latencies come back", () => {
    const g = latencyGate([...spread(60, 1)].reverse(), spread(60, 1), 20);
    expect(g.outcome).toBe("pass");
    expect(g.change_pct).toBe(0);
    expect(g.ci![1]).toBeLessThanOrEqual(20);
  });

  it("needs 20 samples a side for a p95, and says how many more", () => {
    const g = latencyGate(spread(12, 1), spread(60, 1), 20);
    expect(g.outcome).toBe("insufficient_evidence");
    expect(g.more_runs_needed).toBe(8);
    expect(g.statement).toContain("needs at least 20 runs on each side");
  });

  it("is reproducible with a seed", () => {
    const a = latencyGate(spread(40, 1.1), spread(40, 1), 5, { seed: "nightly" });
    expect(latencyGate(spread(40, 1.1), spread(40, 1), 5, { seed: "nightly" })).toEqual(a);
  });
});
