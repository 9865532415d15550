import { describe, expect, it } from "vitest";
import { bfclVerdict, scoreBfcl } from "../../src/shared/scoring/bfcl.ts";
import { convertBfclParameters } from "../../src/shared/scoring/bfcl-format.ts";
import { standardizeString } from "../../src/shared/scoring/bfcl-rules.ts";
import { buildNameMap } from "../../src/shared/scoring/names.ts";
import { parsePythonCalls } from "../../src/shared/scoring/python-calls.ts";
import type { ActualCall, AnswerKey, ScoreInput, Tool } from "../../src/shared/scoring/types.ts";
import { FloatValue, parseArguments } from "../../src/shared/scoring/values.ts";

/** A tool from BFCL-dialect properties (converted as the importer does). */
function bfclTool(name: string, properties: Record<string, unknown>, required: string[] = []): Tool {
  return {
    type: "function",
    function: { name, parameters: convertBfclParameters({ type: "dict", properties, required }) },
  };
}

function verdict(tools: Tool[], key: AnswerKey, calls: ActualCall[], category = "simple_python", extra: Partial<ScoreInput> = {}) {
  return bfclVerdict({ tools, expectation: { expected_tool: null, answer_key: key, category }, output: { calls }, ...extra });
}
const call = (name: string, args: Record<string, unknown> | string): ActualCall => ({ name, arguments: args });

const CALC = bfclTool(
  "calc",
  {
    n: { type: "integer" },
    x: { type: "float" },
    flag: { type: "boolean" },
    s: { type: "string" },
    pair: { type: "tuple", items: { type: "float" } },
    nums: { type: "array", items: { type: "integer" } },
    anything: { type: "any" },
  },
  ["n"],
);
const key = (params: Record<string, unknown[]>): AnswerKey => [{ calc: params }];
const expectCode = (v: ReturnType<typeof verdict>, code: string | null) => {
  expect(v.error?.code ?? null).toBe(code);
  expect(v.valid).toBe(code === null);
};

describe("bfcl: types", () => {
  it("accepts an int for a float", () => {
    expectCode(verdict([CALC], key({ n: [1], x: [2.0] }), [call("calc", { n: 1, x: 2 })]), null);
  });
  it("rejects a float for an int, including 5.0 written by the model", () => {
    expectCode(verdict([CALC], key({ n: [5] }), [call("calc", { n: 5.5 })]), "type_error:simple");
    expectCode(verdict([CALC], key({ n: [5] }), [call("calc", parseArguments('{"n": 5.0}'))]), "type_error:simple");
    expectCode(verdict([CALC], key({ n: [5] }), [call("calc", parseArguments('{"n": 5}'))]), null);
  });
  it("requires real booleans and never takes a bool for an int", () => {
    expectCode(verdict([CALC], key({ n: [1], flag: [true] }), [call("calc", { n: 1, flag: "true" })]), "type_error:simple");
    expectCode(verdict([CALC], key({ n: [1] }), [call("calc", { n: true })]), "type_error:simple");
  });
  it("compares tuples as lists, with element types one level deep", () => {
    expectCode(verdict([CALC], key({ n: [1], pair: [[1.5, 2.5]] }), [call("calc", { n: 1, pair: [1.5, 2.5] })]), null);
    expectCode(verdict([CALC], key({ n: [1], nums: [[1, 2]] }), [call("calc", { n: 1, nums: ["1", "2"] })]), "type_error:nested");
    // Inside arrays there is no int → float conversion: BFCL rejects ints where the key lists floats.
    expectCode(
      verdict([CALC], key({ n: [1], pair: [[new FloatValue(1), new FloatValue(2)]] }), [call("calc", { n: 1, pair: [1, 2] })]),
      "type_error:nested",
    );
  });
  it("maps any to a string", () => {
    expectCode(verdict([CALC], key({ n: [1], anything: ["lambda x: x"] }), [call("calc", { n: 1, anything: "lambda x: x" })]), null);
    expectCode(verdict([CALC], key({ n: [1], anything: ["3"] }), [call("calc", { n: 1, anything: 3 })]), "type_error:simple");
  });
  it("accepts the answer key's own type when it differs from the schema (compared without standardization)", () => {
    const t = bfclTool("hotel", { smoking: { type: "string" } });
    const k: AnswerKey = [{ hotel: { smoking: [false] } }];
    expect(verdict([t], k, [call("hotel", { smoking: false })]).valid).toBe(true);
    expectCode(verdict([t], k, [call("hotel", { smoking: "False" })]), "value_error:others");
    const d: AnswerKey = [{ hotel: { smoking: ["", null] } }];
    expect(verdict([t], d, [call("hotel", { smoking: null })]).valid).toBe(true);
  });
});

describe("bfcl: values", () => {
  it("standardizes strings: spaces and , . / - _ * ^ removed, lower-cased, ' → \"", () => {
    expect(standardizeString("San Francisco, CA")).toBe("sanfranciscoca");
    expect(standardizeString("It's 3*x^2-1/2_a.b")).toBe('it"s3x21/2ab'.replace("/", ""));
    expect(standardizeString("a\tb")).toBe("a\tb"); // only the ASCII space counts
    expectCode(verdict([CALC], key({ n: [1], s: ["April 1, 2024"] }), [call("calc", { n: 1, s: "april 1 2024" })]), null);
    expectCode(verdict([CALC], key({ n: [1], s: ["New York"] }), [call("calc", { n: 1, s: "New York City" })]), "value_error:string");
  });
  it("lists must equal an acceptable list in order, elements standardized", () => {
    const t = bfclTool("shop", { items: { type: "array", items: { type: "string" } } });
    const k: AnswerKey = [{ shop: { items: [["Pet Food", "tomatoes"]] } }];
    expect(verdict([t], k, [call("shop", { items: ["pet food", "Tomatoes"] })]).valid).toBe(true);
    expectCode(verdict([t], k, [call("shop", { items: ["tomatoes", "pet food"] })]), "value_error:list/tuple");
  });
  it('dicts: known keys with acceptable values; required keys present; "" marks optional keys', () => {
    const t = bfclTool("find", { budget: { type: "dict", properties: { min: { type: "float" }, max: { type: "float" }, cur: { type: "string" } } } });
    const k: AnswerKey = [{ find: { budget: [{ min: [300000], max: [400000], cur: ["USD", ""] }] } }];
    expect(verdict([t], k, [call("find", { budget: { min: 300000, max: 400000.0 } })]).valid).toBe(true);
    expect(verdict([t], k, [call("find", { budget: { min: 300000, max: 400000, cur: "usd" } })]).valid).toBe(true);
    expectCode(verdict([t], k, [call("find", { budget: { min: 300000, max: 1 } })]), "value_error:dict_value");
    expectCode(verdict([t], k, [call("find", { budget: { min: 300000, max: 400000, extra: 1 } })]), "value_error:dict_key");
    expectCode(verdict([t], k, [call("find", { budget: { min: 300000 } })]), "value_error:dict_key");
  });
  it("numbers compare by value", () => {
    expectCode(verdict([CALC], key({ n: [1], x: [2.5, 3] }), [call("calc", { n: 1, x: 3 })]), null);
    expectCode(verdict([CALC], key({ n: [1], x: [new FloatValue(100)] }), [call("calc", { n: 1, x: 100 })]), null);
    expectCode(verdict([CALC], key({ n: [1], x: [0.3] }), [call("calc", { n: 1, x: 0.1 + 0.2 })]), "value_error:others");
  });
});

describe("bfcl: parameters", () => {
  it("required parameters must be present", () => {
    expectCode(verdict([CALC], key({ n: [1], x: [1.5] }), [call("calc", { x: 1.5 })]), "simple_function_checker:missing_required");
  });
  it("an argument outside the schema, or outside the answer key, fails", () => {
    expectCode(verdict([CALC], key({ n: [1] }), [call("calc", { n: 1, colour: "red" })]), "simple_function_checker:unexpected_param");
    expectCode(verdict([CALC], key({ n: [1] }), [call("calc", { n: 1, s: "in schema, not in key" })]), "simple_function_checker:unexpected_param");
  });
  it('optional parameters: a key parameter may be left out only when "" is acceptable', () => {
    expectCode(verdict([CALC], key({ n: [1], s: ["x", ""] }), [call("calc", { n: 1 })]), null);
    expectCode(verdict([CALC], key({ n: [1], s: ["x"] }), [call("calc", { n: 1 })]), "simple_function_checker:missing_optional");
  });
  it("reports the first failure in BFCL's order: name before parameters", () => {
    const v = verdict([CALC], key({ n: [1] }), [call("calc2", { x: "bad" })]);
    expect(v.error?.code).toBe("simple_function_checker:wrong_func_name");
  });
});

describe("bfcl: counts and categories", () => {
  it("simple needs exactly one call", () => {
    expectCode(verdict([CALC], key({ n: [1] }), [call("calc", { n: 1 }), call("calc", { n: 1 })]), "simple_function_checker:wrong_count");
    expectCode(verdict([CALC], key({ n: [1] }), []), "simple_function_checker:wrong_count");
  });
  it("multiple needs as many calls as expected (one) and checks the first", () => {
    const other = bfclTool("other", { q: { type: "string" } });
    expectCode(verdict([CALC, other], key({ n: [1] }), [call("other", { q: "x" })], "multiple"), "simple_function_checker:wrong_func_name");
    expectCode(verdict([CALC, other], key({ n: [1] }), [], "live_multiple"), "multiple_function_checker:wrong_count");
  });
  it("parallel needs as many calls as expected, in any order", () => {
    const k: AnswerKey = [{ calc: { n: [1] } }, { calc: { n: [2] } }];
    expectCode(verdict([CALC], k, [call("calc", { n: 2 }), call("calc", { n: 1 })], "parallel"), null);
    expectCode(verdict([CALC], k, [call("calc", { n: 2 })], "parallel"), "parallel_function_checker_no_order:wrong_count");
    expectCode(
      verdict([CALC], k, [call("calc", { n: 2 }), call("calc", { n: 3 })], "parallel"),
      "parallel_function_checker_no_order:cannot_find_match",
    );
  });
  it("pairs parallel calls greedily in order, and reports when a maximum matching would have paired them", () => {
    // Expected A accepts n ∈ {1, 2}; expected B only n = 1. Greedy gives A the first call (n = 1), B finds none.
    const k: AnswerKey = [{ calc: { n: [1, 2] } }, { calc: { n: [1] } }];
    const v = verdict([CALC], k, [call("calc", { n: 1 }), call("calc", { n: 2 })], "parallel");
    expect(v.valid).toBe(false);
    expect(v.error?.code).toBe("parallel_function_checker_no_order:cannot_find_match");
    expect(v.pairs).toEqual([0, null]);
    expect(v.max_pairs).toEqual([1, 0]);
    expect(v.greedy_differs).toBe(true);
    const s = scoreBfcl({
      tools: [CALC],
      expectation: { expected_tool: null, answer_key: k, category: "parallel" },
      output: { calls: [call("calc", { n: 1 }), call("calc", { n: 2 })] },
    });
    expect(s.matching).toMatchObject({ method: "greedy", greedy_differs: true, max_matching_pairs: [1, 0] });
    // The other order is fine for greedy too.
    expect(verdict([CALC], k, [call("calc", { n: 2 }), call("calc", { n: 1 })], "parallel").valid).toBe(true);
  });
  it("undecodable arguments fail an AST entry", () => {
    expectCode(verdict([CALC], key({ n: [1] }), [call("calc", '{"n": 1')]), "ast_decoder:decoder_failed");
  });
});

describe("bfcl: names with dots", () => {
  const dotted = bfclTool("math.hcf", { a: { type: "integer" } }, ["a"]);
  const { providerToOriginal } = buildNameMap(["math.hcf"]);
  const sent: Tool = { ...dotted, function: { ...dotted.function, name: "math_hcf" } };
  const k: AnswerKey = [{ "math.hcf": { a: [36] } }];
  it("maps the provider name back before checking (with the suite's map, or without it)", () => {
    expect(providerToOriginal).toEqual({ math_hcf: "math.hcf" });
    expect(verdict([sent], k, [call("math_hcf", { a: 36 })], "simple_python", { name_map: providerToOriginal }).valid).toBe(true);
    expect(verdict([sent], k, [call("math_hcf", { a: 36 })]).valid).toBe(true);
    expect(verdict([sent], k, [call("math.hcf", { a: 36 })], "simple_python", { name_map: providerToOriginal }).valid).toBe(true);
    expectCode(
      verdict([sent], k, [call("math_lcm", { a: 36 })], "simple_python", { name_map: providerToOriginal }),
      "simple_function_checker:wrong_func_name",
    );
  });
  it("keeps names unique when sanitizing collides", () => {
    const m = buildNameMap(["a.b", "a_b", "a-b", "x y"]);
    expect(m.toProvider.get("a_b")).toBe("a_b");
    expect(m.toProvider.get("a.b")).toBe("a_b_2");
    expect(m.toProvider.get("a-b")).toBe("a-b");
    expect(m.providerToOriginal).toEqual({ a_b_2: "a.b", x_y: "x y" });
  });
});

describe("bfcl: irrelevance and relevance", () => {
  const irrelevant = (calls: ActualCall[]) =>
    bfclVerdict({ tools: [CALC], expectation: { expected_tool: null, should_call_tool: false, category: "irrelevance" }, output: { calls } });
  const relevant = (calls: ActualCall[]) =>
    bfclVerdict({ tools: [CALC], expectation: { expected_tool: null, should_call_tool: true, category: "live_relevance" }, output: { calls } });
  it("irrelevance passes iff no call is made", () => {
    expect(irrelevant([]).valid).toBe(true);
    expectCode(irrelevant([call("calc", { n: 1 })]), "irrelevance_error:decoder_success");
  });
  it("as in BFCL, a call whose arguments do not decode is no call", () => {
    expect(irrelevant([call("calc", "{broken")]).valid).toBe(true);
    expect(relevant([call("calc", "{broken")]).valid).toBe(false);
  });
  it("relevance passes iff at least one call is made", () => {
    expect(relevant([call("calc", {})]).valid).toBe(true);
    expectCode(relevant([]), "relevance_error:decoder_failed");
  });
});

describe("bfcl: cases without BFCL ground truth", () => {
  const notify: Tool = {
    type: "function",
    function: {
      name: "send_notification",
      parameters: {
        type: "object",
        properties: {
          recipient: { type: "string" },
          message: { type: "string" },
          delivery: { type: "object", properties: { method: { type: "string" }, urgent: { type: "boolean" } } },
        },
        required: ["recipient", "message", "delivery"],
      },
    },
  };
  const exp = { expected_tool: "send_notification", expected_params: { recipient: "Mom", delivery: { method: "sms" } } };
  it("derives a key: expected values must match, other schema parameters are free but typed", () => {
    const ok = bfclVerdict({
      tools: [notify],
      expectation: exp,
      output: { calls: [call("send_notification", { recipient: "mom", message: "It rains", delivery: { method: "SMS", urgent: true } })] },
    });
    expect(ok.valid).toBe(true);
    expect(ok.derived_key).toBe(true);
    const wrong = bfclVerdict({
      tools: [notify],
      expectation: exp,
      output: { calls: [call("send_notification", { recipient: "Dad", message: "x", delivery: { method: "sms" } })] },
    });
    expect(wrong.error?.code).toBe("value_error:string");
    const typed = bfclVerdict({
      tools: [notify],
      expectation: exp,
      output: { calls: [call("send_notification", { recipient: "Mom", message: 3, delivery: { method: "sms" } })] },
    });
    expect(typed.error?.code).toBe("type_error:simple");
    const missing = bfclVerdict({
      tools: [notify],
      expectation: exp,
      output: { calls: [call("send_notification", { recipient: "Mom", delivery: { method: "sms" } })] },
    });
    expect(missing.error?.code).toBe("simple_function_checker:missing_required");
  });
});

describe("BFCL result strings in Python syntax", () => {
  it("parses calls with literal keyword arguments", () => {
    const calls = parsePythonCalls("```python\n[math.hcf(a=36, b=24.0), f(s='it\\'s', l=[1, (2, 3)], d={'k': None}, t=True)]\n```");
    expect(calls[0]?.name).toBe("math.hcf");
    expect(calls[0]?.arguments).toEqual({ a: 36, b: new FloatValue(24) });
    expect(calls[1]?.arguments).toEqual({ s: "it's", l: [1, [2, 3]], d: { k: null }, t: true });
    expect(() => parsePythonCalls("I cannot help with that.")).toThrow();
    expect(() => parsePythonCalls("f(x=1+2)")).toThrow();
  });
});
