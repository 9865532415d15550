// Integers beyond 2^53 are exact in Python (the original and BFCL), so the scorers must not round them, and
// NaN/Infinity (which Python's json reads and writes) must parse as floats that match nothing finite.

import { describe, expect, it } from "vitest";
import { bfclVerdict } from "../../src/shared/scoring/bfcl.ts";
import { convertBfclParameters, importBfcl } from "../../src/shared/scoring/bfcl-format.ts";
import { matchValue, scoreClassic } from "../../src/shared/scoring/classic.ts";
import { importOriginalSuite } from "../../src/shared/scoring/original-format.ts";
import { scorePartial } from "../../src/shared/scoring/partial.ts";
import { parsePythonCalls } from "../../src/shared/scoring/python-calls.ts";
import { scoreInputFor } from "../../src/shared/scoring/suite.ts";
import type { ActualCall, AnswerKey, ScoreInput, Tool } from "../../src/shared/scoring/types.ts";
import {
  BigIntValue,
  FloatValue,
  parseArguments,
  parseJsonLossless,
  pyEquals,
  pyNumbersEqual,
  pyRepr,
  toPlain,
} from "../../src/shared/scoring/values.ts";

const BIG = "9007199254740993"; // 2^53 + 1: JSON.parse reads it as 9007199254740992
const BIG_MINUS_ONE = "9007199254740992";

const tool: Tool = {
  type: "function",
  function: {
    name: "set_id",
    parameters: convertBfclParameters({ type: "dict", properties: { n: { type: "integer" }, x: { type: "float" } }, required: [] }),
  },
};
const call = (args: Record<string, unknown> | string): ActualCall => ({ name: "set_id", arguments: args });
function bfclInput(key: AnswerKey, calls: ActualCall[]): ScoreInput {
  return { tools: [tool], expectation: { expected_tool: null, answer_key: key, category: "simple_python" }, output: { calls } };
}
const keyOf = (text: string) => parseJsonLossless(text) as AnswerKey;

describe("lossless JSON numbers", () => {
  it("keeps integers beyond 2^53 exactly and writes their digits back", () => {
    const v = parseJsonLossless(`{"n": ${BIG}, "neg": -${BIG}, "huge": 1000000000000000000000000000001, "small": 7}`) as Record<string, unknown>;
    expect(v.n).toEqual(new BigIntValue(9007199254740993n));
    expect(v.neg).toEqual(new BigIntValue(-9007199254740993n));
    expect(v.huge).toEqual(new BigIntValue(10n ** 30n + 1n));
    expect(v.small).toBe(7); // safe integers stay plain numbers
    expect(JSON.stringify(v)).toBe(`{"n":${BIG},"neg":-${BIG},"huge":1000000000000000000000000000001,"small":7}`);
  });

  it("leaves floats as they were: integral floats are FloatValue, 2^53+1 written as a float rounds as in Python", () => {
    const v = parseJsonLossless(`[5.0, 5, 2.5, ${BIG}.0, 1e400]`) as unknown[];
    expect(v).toEqual([new FloatValue(5), 5, 2.5, new FloatValue(9007199254740992), Infinity]);
  });

  it("compares as Python: ints exactly, int vs float by exact value", () => {
    const [big, bigMinusOne, floatOfBig] = parseJsonLossless(`[${BIG}, ${BIG_MINUS_ONE}, ${BIG_MINUS_ONE}.0]`) as unknown[];
    expect(pyEquals(big, bigMinusOne)).toBe(false);
    expect(pyEquals(big, parseJsonLossless(BIG))).toBe(true);
    expect(pyEquals(bigMinusOne, floatOfBig)).toBe(true); // 9007199254740992 == 9007199254740992.0
    expect(pyEquals(big, floatOfBig)).toBe(false); // 9007199254740993 != 9007199254740992.0
    expect(pyEquals([{ id: big }], [{ id: bigMinusOne }])).toBe(false);
  });

  it("compares a number a lossy parser already rounded at double precision only", () => {
    // A row read back with JSON.parse holds 9007199254740992 for either literal; nothing finer is knowable.
    expect(pyNumbersEqual(JSON.parse(BIG), parseJsonLossless(BIG))).toBe(true);
    expect(pyNumbersEqual(JSON.parse(BIG), parseJsonLossless("9007199254740995"))).toBe(false);
  });

  it("prints the exact digits in messages and rounds only in display copies", () => {
    expect(pyRepr(parseJsonLossless(`[${BIG}]`))).toBe(`[${BIG}]`);
    expect(toPlain({ n: parseJsonLossless(BIG) })).toEqual({ n: 9007199254740992 });
  });
});

describe("bfcl and partial with integers beyond 2^53", () => {
  const key = keyOf(`[{"set_id": {"n": [${BIG}]}}]`);

  it("fails 9007199254740992 against an expected 9007199254740993 and passes the exact value", () => {
    const wrong = bfclVerdict(bfclInput(key, [call(parseArguments(`{"n": ${BIG_MINUS_ONE}}`))]));
    expect(wrong.valid).toBe(false);
    expect(wrong.error?.code).toBe("value_error:others");
    expect(wrong.error?.message).toContain(BIG);
    expect(bfclVerdict(bfclInput(key, [call(parseArguments(`{"n": ${BIG}}`))])).valid).toBe(true);
  });

  it("reads answer files and Python-syntax results losslessly", () => {
    const imported = importBfcl(
      JSON.stringify({
        id: "simple_python_0",
        question: [[{ role: "user", content: "id?" }]],
        function: [{ name: "set_id", parameters: { type: "dict", properties: { n: { type: "integer" } } } }],
      }),
      `{"id": "simple_python_0", "ground_truth": [{"set_id": {"n": [${BIG}]}}]}`,
    );
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    const suite = imported.value;
    const c = suite.test_cases[0]!;
    const score = (text: string) => bfclVerdict(scoreInputFor(suite, c, { calls: parsePythonCalls(text) })).valid;
    expect(score(`[set_id(n=${BIG})]`)).toBe(true);
    expect(score(`[set_id(n=${BIG_MINUS_ONE})]`)).toBe(false);
    expect(score(`[set_id(n=9_007_199_254_740_993)]`)).toBe(true);
    expect(parsePythonCalls(`f(n=-${BIG})`)[0]?.arguments).toEqual({ n: new BigIntValue(-9007199254740993n) });
  });

  it("converts an int given for a float parameter to float first, as BFCL does", () => {
    // float(9007199254740993) == 9007199254740992.0, which equals the int 9007199254740992 but not …993.
    const args = parseArguments(`{"x": ${BIG}}`);
    expect(bfclVerdict(bfclInput(keyOf(`[{"set_id": {"x": [${BIG}]}}]`), [call(args)])).error?.code).toBe("value_error:others");
    expect(bfclVerdict(bfclInput(keyOf(`[{"set_id": {"x": [${BIG_MINUS_ONE}]}}]`), [call(args)])).valid).toBe(true);
  });

  it("partial counts the wrong big integer as a wrong value", () => {
    const wrong = scorePartial(bfclInput(key, [call(parseArguments(`{"n": ${BIG_MINUS_ONE}}`))]));
    expect(wrong.calls[0]?.parts?.values_correct).toBe(0);
    expect(wrong.passed).toBe(false);
    expect(scorePartial(bfclInput(key, [call(parseArguments(`{"n": ${BIG}}`))])).overall).toBe(1);
  });
});

describe("classic with integers beyond 2^53", () => {
  const expected = parseJsonLossless(BIG);
  const actual = (text: string) => (parseArguments(`{"n": ${text}}`) as Record<string, unknown>).n;

  it("exact and subset compare exactly; an int equals the float of the same value", () => {
    expect(matchValue(expected, actual(BIG_MINUS_ONE), "exact")).toBe(false);
    expect(matchValue(expected, actual(BIG), "exact")).toBe(true);
    expect(matchValue(expected, actual(`${BIG}.0`), "exact")).toBe(false);
    expect(matchValue(parseJsonLossless(BIG_MINUS_ONE), actual(`${BIG_MINUS_ONE}.0`), "exact")).toBe(true);
    expect(matchValue({ ids: [expected] }, { ids: [actual(BIG_MINUS_ONE)], other: 1 }, "subset")).toBe(false);
    expect(matchValue({ ids: [expected] }, { ids: [actual(BIG)], other: 1 }, "subset")).toBe(true);
  });

  it("contains and regex see str() of the exact digits; numeric_tolerance uses float() as Python does", () => {
    expect(matchValue(expected, actual(BIG_MINUS_ONE), "contains")).toBe(false);
    expect(matchValue("^9007199254740993$", actual(BIG), "regex")).toBe(true);
    expect(matchValue("^9007199254740993$", actual(BIG_MINUS_ONE), "regex")).toBe(false);
    // abs(float(9007199254740993) - float(9007199254740992)) == 0.0 in Python too.
    expect(matchValue(expected, actual(BIG_MINUS_ONE), "numeric_tolerance")).toBe(true);
  });

  it("scores a suite file read as text without rounding its expected values", () => {
    const imported = importOriginalSuite(
      `{"name": "ids", "tools": [], "test_cases": [{"prompt": "p", "expected_tool": "set_id", "expected_params": {"n": ${BIG}}}]}`,
    );
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    const score = (text: string) =>
      scoreClassic(scoreInputFor(imported.value, imported.value.test_cases[0]!, { calls: [call(parseArguments(`{"n": ${text}}`))] }));
    expect(score(BIG_MINUS_ONE).param_accuracy).toBe(0);
    expect(score(BIG).param_accuracy).toBe(1);
  });
});

describe("NaN and Infinity, as Python's json reads them", () => {
  it("are accepted on request as floats, outside strings only", () => {
    const v = parseJsonLossless('{"a": NaN, "b": Infinity, "c": -Infinity, "s": "NaN and Infinity", "d": [1, NaN]}', { nonFinite: true }) as Record<
      string,
      unknown
    >;
    expect(v.a).toBeNaN();
    expect(v.b).toBe(Infinity);
    expect(v.c).toBe(-Infinity);
    expect(v.s).toBe("NaN and Infinity");
    expect((v.d as unknown[])[1]).toBeNaN();
    expect(() => parseJsonLossless('{"a": NaN}')).toThrow(SyntaxError); // documents we store stay standard JSON
    expect(() => parseJsonLossless('{"a": NaNa}', { nonFinite: true })).toThrow(SyntaxError);
  });

  it("parse in model arguments and then simply fail to match; NaN never equals NaN", () => {
    const args = parseArguments('{"n": NaN, "x": Infinity}');
    expect(typeof args).toBe("object");
    const { n, x } = args as Record<string, unknown>;
    expect(pyEquals(n, n)).toBe(false);
    expect(pyEquals(x, parseJsonLossless("1e400"))).toBe(true); // inf == inf
    expect(matchValue(5, n, "exact")).toBe(false);
    expect(matchValue(5, x, "numeric_tolerance")).toBe(false);
    const v = bfclVerdict(bfclInput(keyOf('[{"set_id": {"x": [1.5]}}]'), [call(parseArguments('{"x": NaN}'))]));
    expect(v.error?.code).toBe("value_error:others");
  });
});
