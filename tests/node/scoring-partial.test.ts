import { describe, expect, it } from "vitest";
import { scoreBfcl } from "../../src/shared/scoring/bfcl.ts";
import { convertBfclParameters } from "../../src/shared/scoring/bfcl-format.ts";
import { EXTRA_CALL_PENALTY, PARTIAL_WEIGHTS, RESIDUAL_PENALTY, scorePartial, weightedParts } from "../../src/shared/scoring/partial.ts";
import type { ActualCall, AnswerKey, ScoreInput, Tool } from "../../src/shared/scoring/types.ts";

const weather: Tool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: convertBfclParameters({
      type: "dict",
      properties: { city: { type: "string" }, unit: { type: "string" }, days: { type: "integer" } },
      required: ["city", "days"],
    }),
  },
};
const key: AnswerKey = [{ get_weather: { city: ["Paris", "Paris, France"], unit: ["", "celsius"], days: [3] } }];
const call = (name: string, args: Record<string, unknown> | string): ActualCall => ({ name, arguments: args });
function input(calls: ActualCall[], answer: AnswerKey = key, category = "simple_python"): ScoreInput {
  return { tools: [weather], expectation: { expected_tool: null, answer_key: answer, category }, output: { calls } };
}
const both = (calls: ActualCall[], answer?: AnswerKey, category?: string) => ({
  partial: scorePartial(input(calls, answer, category)),
  bfcl: scoreBfcl(input(calls, answer, category)),
});

describe("partial: weights", () => {
  it("are integers over 100, name and values weighing most", () => {
    expect(Object.values(PARTIAL_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(PARTIAL_WEIGHTS).toEqual({ name: 35, values_correct: 35, required_present: 10, types_correct: 10, hallucination_free: 10 });
    expect(weightedParts({ name: 1, values_correct: 1, required_present: 1, types_correct: 1, hallucination_free: 1 })).toBe(1);
  });
});

describe("partial: parts explain the loss", () => {
  it("a perfect call scores 1, as bfcl passes", () => {
    const r = both([call("get_weather", { city: "paris", days: 3 })]);
    expect(r.bfcl.passed).toBe(true);
    expect(r.partial.overall).toBe(1);
    expect(r.partial.calls[0]?.parts).toEqual({ name: 1, values_correct: 1, required_present: 1, types_correct: 1, hallucination_free: 1 });
  });
  it("a wrong value costs only the values part", () => {
    const r = both([call("get_weather", { city: "Rome", days: 3 })]);
    expect(r.bfcl.error?.code).toBe("value_error:string");
    expect(r.partial.calls[0]?.parts).toEqual({ name: 1, values_correct: 0.5, required_present: 1, types_correct: 1, hallucination_free: 1 });
    expect(r.partial.overall).toBeCloseTo(1 - 0.35 * 0.5, 12);
  });
  it("a wrong type costs types and values", () => {
    const r = both([call("get_weather", { city: "Paris", days: "3" })]);
    expect(r.bfcl.error?.code).toBe("type_error:simple");
    expect(r.partial.calls[0]?.parts).toMatchObject({ types_correct: 0.5, values_correct: 0.5, hallucination_free: 1 });
  });
  it("a missing required parameter costs required_present (and values, since the key needs it)", () => {
    const r = both([call("get_weather", { city: "Paris" })]);
    expect(r.bfcl.error?.code).toBe("simple_function_checker:missing_required");
    expect(r.partial.calls[0]?.parts).toMatchObject({ required_present: 0.5, values_correct: 0.5, name: 1 });
  });
  it("an unknown argument costs hallucination_free", () => {
    const r = both([call("get_weather", { city: "Paris", days: 3, country: "FR" })]);
    expect(r.bfcl.error?.code).toBe("simple_function_checker:unexpected_param");
    expect(r.partial.calls[0]?.parts).toMatchObject({ hallucination_free: 2 / 3, values_correct: 1, types_correct: 1 });
  });
  it("a wrong name keeps credit for the arguments", () => {
    const r = both([call("get_forecast", { city: "Paris", days: 3 })]);
    expect(r.bfcl.error?.code).toBe("simple_function_checker:wrong_func_name");
    expect(r.partial.overall).toBeCloseTo(0.65, 12);
  });
  it("undecodable arguments keep only the name", () => {
    const r = both([call("get_weather", '{"city": "Paris"')]);
    expect(r.bfcl.error?.code).toBe("ast_decoder:decoder_failed");
    expect(r.partial.overall).toBeCloseTo(0.35, 12);
  });
  it("extra calls cost 0.25 each; missing calls score 0", () => {
    const r = both([call("get_weather", { city: "Paris", days: 3 }), call("get_weather", { city: "Paris", days: 3 })]);
    expect(r.bfcl.error?.code).toBe("simple_function_checker:wrong_count");
    expect(r.partial.penalties?.extra_calls).toBe(EXTRA_CALL_PENALTY);
    expect(r.partial.overall).toBe(0.75);
    expect(r.partial.extra_calls).toEqual([1]);
    const none = both([]);
    expect(none.partial.overall).toBe(0);
    expect(none.partial.calls[0]?.actual_index).toBeNull();
  });
  it("parallel: mean over expected calls, paired by maximum matching", () => {
    const k: AnswerKey = [{ get_weather: { city: ["Paris"], days: [3] } }, { get_weather: { city: ["Rome"], days: [3] } }];
    const r = both([call("get_weather", { city: "Rome", days: 3 }), call("get_weather", { city: "Paris", days: 4 })], k, "parallel");
    expect(r.partial.matching.pairs).toEqual([1, 0]);
    expect(r.partial.overall).toBeCloseTo((1 + (1 - 0.35 * 0.5)) / 2, 12);
    expect(r.bfcl.passed).toBe(false);
  });
  it("irrelevance is binary", () => {
    const irr = (calls: ActualCall[]) =>
      scorePartial({ tools: [weather], expectation: { expected_tool: null, should_call_tool: false, category: "irrelevance" }, output: { calls } });
    expect(irr([]).overall).toBe(1);
    expect(irr([call("get_weather", { city: "Paris", days: 1 })]).overall).toBe(0);
  });
  it("keeps 1 for bfcl passes only: a pairing only non-greedy matching finds gets the residual deduction", () => {
    const k: AnswerKey = [{ get_weather: { city: ["Paris", "Rome"], days: [3] } }, { get_weather: { city: ["Paris"], days: [3] } }];
    const calls = [call("get_weather", { city: "Paris", days: 3 }), call("get_weather", { city: "Rome", days: 3 })];
    const r = both(calls, k, "parallel");
    expect(r.bfcl.passed).toBe(false);
    expect(r.bfcl.matching.greedy_differs).toBe(true);
    expect(r.partial.penalties?.residual).toBe(RESIDUAL_PENALTY);
    expect(r.partial.overall).toBe(1 - RESIDUAL_PENALTY);
    expect(r.partial.error?.code).toBe("parallel_function_checker_no_order:cannot_find_match");
  });
});
