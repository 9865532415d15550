import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dominates, type Objective, PARETO_OBJECTIVES, paretoFront } from "../../src/shared/pareto.ts";

const SPEED_ACC: Objective[] = [
  { key: "speed", direction: "max" },
  { key: "accuracy", direction: "max" },
];

describe("dominance", () => {
  it("needs at least as good everywhere and strictly better somewhere", () => {
    expect(dominates({ speed: 10, accuracy: 90 }, { speed: 5, accuracy: 90 }, SPEED_ACC)).toBe(true);
    expect(dominates({ speed: 10, accuracy: 90 }, { speed: 10, accuracy: 90 }, SPEED_ACC)).toBe(false);
    expect(dominates({ speed: 10, accuracy: 80 }, { speed: 5, accuracy: 90 }, SPEED_ACC)).toBe(false);
  });

  it("reads cost as lower-is-better", () => {
    const objectives = PARETO_OBJECTIVES;
    expect(dominates({ speed: 10, accuracy: 90, cost: 1 }, { speed: 10, accuracy: 90, cost: 2 }, objectives)).toBe(true);
    expect(dominates({ speed: 10, accuracy: 90, cost: 2 }, { speed: 10, accuracy: 90, cost: 1 }, objectives)).toBe(false);
  });

  it("never lets an incomplete point dominate or be on the front", () => {
    expect(dominates({ speed: 100, accuracy: null }, { speed: 1, accuracy: 1 }, SPEED_ACC)).toBe(false);
    const marks = paretoFront(
      [
        { speed: 100, accuracy: null },
        { speed: 1, accuracy: 1 },
      ],
      SPEED_ACC,
    );
    expect(marks[0]).toEqual({ front: false, complete: false, dominated_by: [] });
    expect(marks[1]).toEqual({ front: true, complete: true, dominated_by: [] });
  });
});

describe("the front", () => {
  it("marks a known example", () => {
    // a: fast and inaccurate, b: slow and accurate, c: dominated by a and b? no: by d only, d: fast and accurate
    const points = [
      { speed: 100, accuracy: 50 },
      { speed: 20, accuracy: 95 },
      { speed: 50, accuracy: 70 },
      { speed: 60, accuracy: 80 },
    ];
    const marks = paretoFront(points, SPEED_ACC);
    expect(marks.map((m) => m.front)).toEqual([true, true, false, true]);
    expect(marks[2]!.dominated_by).toEqual([3]);
  });

  it("agrees with a brute-force definition on random points", () => {
    const value = fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 8 });
    fc.assert(
      fc.property(fc.array(fc.record({ speed: value, accuracy: value, cost: value }), { maxLength: 25 }), (points) => {
        const marks = paretoFront(points, PARETO_OBJECTIVES);
        points.forEach((p, i) => {
          const complete = p.speed !== null && p.accuracy !== null && p.cost !== null;
          const beaten = points.some(
            (q, j) =>
              j !== i &&
              complete &&
              q.speed !== null &&
              q.accuracy !== null &&
              q.cost !== null &&
              q.speed >= p.speed! &&
              q.accuracy >= p.accuracy! &&
              q.cost <= p.cost! &&
              (q.speed > p.speed! || q.accuracy > p.accuracy! || q.cost < p.cost!),
          );
          expect(marks[i]!.front).toBe(complete && !beaten);
        });
        // Nothing on the front dominates another front point.
        const front = points.filter((_, i) => marks[i]!.front);
        for (const a of front) for (const b of front) expect(dominates(a, b, PARETO_OBJECTIVES)).toBe(false);
      }),
    );
  });
});
