// The BFCL v4 sample in tests/fixtures/bfcl: perfect answers pass, systematic mutations fail with the error BFCL
// reports, and the partial scorer is 1 exactly when bfcl passes — over the sample, its mutations, and seeded
// random variants.

import { describe, expect, it } from "vitest";
import { scoreBfcl } from "../../src/shared/scoring/bfcl.ts";
import { scorePartialDetailed } from "../../src/shared/scoring/partial.ts";
import { type Suite, scoreInputFor } from "../../src/shared/scoring/suite.ts";
import type { ActualCall } from "../../src/shared/scoring/types.ts";
import { importCategory, loadSample, mutations, perfectCalls, randomVariant, rng } from "../fixtures/scoring-sample.ts";

const sample = loadSample().map((c) => ({ ...c, suite: importCategory(c) }));

function score(suite: Suite, caseIndex: number, calls: ActualCall[]) {
  const c = suite.test_cases[caseIndex];
  if (!c) throw new Error("no case");
  const input = scoreInputFor(suite, c, { calls });
  return { bfcl: scoreBfcl(input), partial: scorePartialDetailed(input).score };
}

describe("BFCL sample", () => {
  it("covers every category of the fixture (280 entries)", () => {
    expect(sample.map((s) => [s.category, s.suite.test_cases.length])).toEqual([
      ["irrelevance", 30],
      ["live_irrelevance", 20],
      ["live_multiple", 30],
      ["live_parallel", 16],
      ["live_parallel_multiple", 24],
      ["live_simple", 30],
      ["multiple", 30],
      ["parallel", 30],
      ["parallel_multiple", 30],
      ["simple_python", 40],
    ]);
  });

  for (const { category, suite } of sample) {
    it(`${category}: the perfect answer from each answer key passes bfcl and scores partial 1`, () => {
      suite.test_cases.forEach((c, i) => {
        const { bfcl, partial } = score(suite, i, perfectCalls(suite, c));
        expect({ id: c.id, passed: bfcl.passed, error: bfcl.error }).toEqual({ id: c.id, passed: true, error: null });
        expect({ id: c.id, partial: partial.overall }).toEqual({ id: c.id, partial: 1 });
      });
    });
  }

  it("systematic mutations fail as BFCL fails them, and partial drops below 1 with a part explaining why", () => {
    const tried: Record<string, number> = {};
    let failedAsExpected = 0;
    let total = 0;
    for (const { suite } of sample) {
      suite.test_cases.forEach((c, i) => {
        for (const m of mutations(suite, c, perfectCalls(suite, c))) {
          total++;
          tried[m.kind] = (tried[m.kind] ?? 0) + 1;
          const { bfcl, partial } = score(suite, i, m.calls);
          expect({ id: c.id, kind: m.kind, passed: bfcl.passed }).toEqual({ id: c.id, kind: m.kind, passed: false });
          expect({ id: c.id, kind: m.kind, code: m.expected_codes.includes(bfcl.error?.code ?? "") }).toEqual({ id: c.id, kind: m.kind, code: true });
          expect(partial.overall).toBeLessThan(1);
          expect(partial.overall).toBeGreaterThanOrEqual(0);
          // Some part or case-level penalty accounts for the loss.
          const lossy =
            partial.calls.some((k) => Object.values(k.parts ?? {}).some((p) => p < 1)) ||
            (partial.penalties?.extra_calls ?? 0) > 0 ||
            (partial.penalties?.residual ?? 0) > 0 ||
            partial.calls.length === 0;
          expect(lossy).toBe(true);
          failedAsExpected++;
        }
      });
    }
    expect(tried).toEqual({
      call_in_irrelevance: 50,
      wrong_function_name: 230,
      missing_required: 222,
      extra_unknown_param: 230,
      string_for_int: 87,
      float_for_int: 87,
      value_not_acceptable: 226,
      list_order_swapped: 8,
      drop_parallel_call: 100,
      extra_call: 130,
    });
    expect(total).toBe(1370);
    expect(failedAsExpected).toBe(total);
  });

  it("partial is exactly 1 iff bfcl passes, over seeded random variants of every entry", () => {
    const rand = rng(20260215);
    let passes = 0;
    let fails = 0;
    for (const { suite } of sample) {
      suite.test_cases.forEach((c, i) => {
        const perfect = perfectCalls(suite, c);
        for (let k = 0; k < 25; k++) {
          const calls = randomVariant(suite, c, perfect, rand);
          const { bfcl, partial } = score(suite, i, calls);
          expect({ id: c.id, k, iff: partial.overall === 1 }).toEqual({ id: c.id, k, iff: bfcl.passed });
          expect(partial.overall).toBeGreaterThanOrEqual(0);
          expect(partial.overall).toBeLessThanOrEqual(1);
          if (bfcl.passed) passes++;
          else fails++;
        }
      });
    }
    // Both outcomes are well represented, so the equivalence is tested both ways.
    expect(passes).toBeGreaterThan(1000);
    expect(fails).toBeGreaterThan(3000);
  });
});
