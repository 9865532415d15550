// The statistics module inside workerd: it loads (simple-statistics included) and gives the same numbers as in
// Node, so a verdict computed in a Worker matches one computed by the CLI.
import { describe, expect, it } from "vitest";
import { compareCandidates, mcnemarExact, normalQuantile, pairedTest, pairedVerdict } from "../../src/shared/stats/index.ts";

const rows = (n: number, passes: (i: number) => boolean) => Array.from({ length: n }, (_, i) => ({ caseId: `c${i}`, score: passes(i) ? 1 : 0 }));

describe("shared statistics in workerd", () => {
  it("computes exact tests, quantiles and a seeded verdict", () => {
    expect(mcnemarExact(1, 7)).toBeCloseTo(0.0703125, 12); // Fagerland et al. 2013, b = 1, c = 7
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    const test = pairedTest(
      rows(50, (i) => i < 40),
      rows(50, (i) => i < 25),
      { seed: "worker" },
    );
    expect(pairedVerdict(test, "baseline").verdict).toBe("better");
    expect(
      pairedTest(
        rows(50, (i) => i < 40),
        rows(50, (i) => i < 25),
        { seed: "worker" },
      ),
    ).toEqual(test);
    const r = compareCandidates([
      { id: "a", results: rows(30, (i) => i < 20) },
      { id: "b", results: rows(30, (i) => i < 20) },
    ]);
    expect(r.best_id).toBeNull();
  });
});
