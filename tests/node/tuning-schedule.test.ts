/** The tuner's schedule: rungs and their budget, seeded splits, and what runs next replayed from stored trials. */
import { describe, expect, it } from "vitest";
import { nextTrials, plannedTrials, rungsFor, splitCases, type TrialScores } from "../../src/shared/tuning/schedule.ts";

/** Scores as the store would hold them: every combo's score on every case (one repeat). */
function scoresFor(perCombo: Record<string, number>, cases: readonly string[]): Map<string, Map<string, Map<number, number>>> {
  return new Map(Object.entries(perCombo).map(([combo, s]) => [combo, new Map(cases.map((c) => [c, new Map([[0, s]])]))]));
}

describe("rungs", () => {
  it("grid and random are one rung on every case", () => {
    expect(rungsFor("grid", 200, 40)).toEqual([{ cases: 40, keep: 200 }]);
    expect(rungsFor("random", 50, 40)).toEqual([{ cases: 40, keep: 50 }]);
  });

  it("halving keeps a third per rung, grows the cases threefold, and ends with two on every case", () => {
    const rungs = rungsFor("halving", 200, 81);
    expect(rungs.at(-1)).toEqual({ cases: 81, keep: 2 });
    expect(rungs.map((r) => r.cases)).toEqual([4, 4, 9, 27, 81].filter((c, i, a) => a.indexOf(c) === i));
    for (let i = 1; i < rungs.length; i++) expect(rungs[i]!.cases).toBeGreaterThan(rungs[i - 1]!.cases);
  });

  it("costs a fraction of the grid for the same space", () => {
    const rungs = rungsFor("halving", 200, 81);
    const halving = plannedTrials(rungs, 200, 1, 0, false);
    expect(halving).toBeLessThan((200 * 81) / 10);
    expect(plannedTrials(rungsFor("grid", 200, 81), 200, 1, 0, false)).toBe(200 * 81);
    // Repeats multiply; held-out cases add the two finalists.
    expect(plannedTrials(rungs, 200, 3, 0, false)).toBe(3 * halving);
    expect(plannedTrials(rungs, 200, 1, 10, false)).toBe(halving + 20);
  });
});

describe("splitCases", () => {
  it("is fixed by the seed and never leaves the search empty", () => {
    const ids = Array.from({ length: 20 }, (_, i) => `k${i}`);
    expect(splitCases(ids, 0.25, 9)).toEqual(splitCases(ids, 0.25, 9));
    expect(splitCases(ids, 0.25, 9).holdout).toHaveLength(5);
    expect(splitCases(ids, 0.25, 9).search).not.toEqual(splitCases(ids, 0.25, 10).search);
    expect(splitCases(["only"], 0.5, 1)).toEqual({ search: ["only"], holdout: [] });
  });
});

describe("nextTrials", () => {
  const cases = Array.from({ length: 12 }, (_, i) => `k${i}`);
  const rungs = [
    { cases: 4, keep: 2 },
    { cases: 12, keep: 2 },
  ];
  const base = { combos: ["a", "b", "c", "d", "baseline"], baseline: "baseline", rungs, search: cases, holdout: [] as string[], repeats: 1 };

  it("asks for the first rung, then only the cases the next rung adds, for the survivors and the baseline", () => {
    const first = nextTrials({ ...base, scores: new Map() });
    expect(first.stage).toEqual({ kind: "rung", rung: 0 });
    expect(first.missing).toHaveLength(5 * 4);
    const after = nextTrials({ ...base, scores: scoresFor({ a: 1, b: 0.9, c: 0.2, d: 0.1, baseline: 0 }, cases.slice(0, 4)) as TrialScores });
    expect(after.stage).toEqual({ kind: "rung", rung: 1 });
    expect(new Set(after.missing.map((m) => m.combo))).toEqual(new Set(["a", "b", "baseline"]));
    expect(after.missing.every((m) => !cases.slice(0, 4).includes(m.caseId))).toBe(true);
    expect(after.reached).toMatchObject({ a: 1, c: 0 });
  });

  it("keeps everything tied at the cut: order never breaks a tie", () => {
    const state = nextTrials({ ...base, scores: scoresFor({ a: 1, b: 0.5, c: 0.5, d: 0.5, baseline: 0 }, cases.slice(0, 4)) as TrialScores });
    expect(new Set(state.alive)).toEqual(new Set(["a", "b", "c", "d", "baseline"]));
  });

  it("runs the best and the baseline on held-out cases, then is done", () => {
    const holdout = ["h1", "h2"];
    const all = scoresFor({ a: 1, b: 0.5, c: 0.2, d: 0.1, baseline: 0 }, cases);
    const state = nextTrials({ ...base, holdout, scores: all as TrialScores });
    expect(state.stage).toEqual({ kind: "holdout" });
    expect(state.finalists).toEqual(["a", "baseline"]);
    expect(state.missing).toHaveLength(4);
    for (const f of ["a", "baseline"]) for (const h of holdout) all.get(f)!.set(h, new Map([[0, 1]]));
    expect(nextTrials({ ...base, holdout, scores: all as TrialScores }).stage).toEqual({ kind: "done" });
  });

  it("counts each repeat as its own trial", () => {
    const state = nextTrials({ ...base, repeats: 3, scores: new Map() });
    expect(state.missing).toHaveLength(5 * 4 * 3);
  });
});
