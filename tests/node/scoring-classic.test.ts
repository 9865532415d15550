import { describe, expect, it } from "vitest";
import {
  computeOverall,
  matchValue,
  regexPatternProblems,
  scoreClassic,
  scoreMultiTurnChain,
  scoreParams,
  scoreToolSelection,
  subsetMatch,
} from "../../src/shared/scoring/classic.ts";
import { summarize } from "../../src/shared/scoring/index.ts";
import type { ActualCall, Expectation, ScoreInput, Tool } from "../../src/shared/scoring/types.ts";
import { FloatValue, parseArguments } from "../../src/shared/scoring/values.ts";

const tool = (name: string, props: Record<string, unknown> = {}): Tool => ({
  type: "function",
  function: { name, parameters: { type: "object", properties: props as never } },
});
const TOOLS = [tool("get_weather", { city: { type: "string" } }), tool("search_web"), tool("get_time")];

function input(expectation: Expectation, calls: ActualCall[], extra: Partial<ScoreInput> = {}): ScoreInput {
  return { tools: TOOLS, expectation, output: { calls }, ...extra };
}
const call = (name: string, args: Record<string, unknown> | string = {}): ActualCall => ({ name, arguments: args });

describe("classic: tool selection", () => {
  it("matches names case-insensitively", () => {
    expect(scoreToolSelection("Get_Weather", "get_weather")).toBe(1);
    expect(scoreToolSelection("get_weather", "search_web")).toBe(0);
  });
  it("accepts any name of a list, case-insensitively", () => {
    expect(scoreToolSelection(["get_weather", "check_forecast"], "CHECK_FORECAST")).toBe(1);
    expect(scoreToolSelection(["get_weather", "check_forecast"], "search_web")).toBe(0);
  });
  it("scores no-tool-expected: no call = 1, a call = 0; a missing call = 0", () => {
    expect(scoreToolSelection(null, null)).toBe(1);
    expect(scoreToolSelection(null, "get_weather")).toBe(0);
    expect(scoreToolSelection("get_weather", null)).toBe(0);
  });
  it("looks at the first call only", () => {
    const r = scoreClassic(input({ expected_tool: "get_weather" }, [call("search_web"), call("get_weather")]));
    expect(r.tool_selection).toBe(0);
    expect(r.extra_calls).toEqual([1]);
  });
});

describe("classic: parameter accuracy", () => {
  it("null expected params are not scored and overall = tool", () => {
    expect(scoreParams(null, { city: "NYC" })).toBeNull();
    const r = scoreClassic(input({ expected_tool: "get_weather", expected_params: null }, [call("get_weather", { city: "x" })]));
    expect(r.param_accuracy).toBeNull();
    expect(r.overall).toBe(1);
    expect(r.passed).toBe(true);
  });
  it("{} expected params are always perfect", () => {
    expect(scoreParams({}, { city: "NYC" })).toBe(1);
    expect(scoreParams({}, "not json")).toBe(1);
  });
  it("unparseable arguments score 0", () => {
    expect(scoreParams({ city: "NYC" }, '{"city": "NYC"')).toBe(0);
    expect(scoreParams({ city: "NYC" }, null)).toBe(0);
    const r = scoreClassic(input({ expected_tool: "get_weather", expected_params: { city: "NYC" } }, [call("get_weather", "{oops")]));
    expect(r.error?.code).toBe("invalid_invocation");
    expect(r.overall).toBeCloseTo(0.6, 10);
  });
  it("counts matched keys over expected keys (partial 0.5)", () => {
    expect(scoreParams({ city: "NYC", units: "celsius" }, { city: "NYC", units: "fahrenheit" })).toBe(0.5);
    expect(scoreParams({ a: 1, b: 2, c: 3 }, { a: 99, b: 99, c: 99 })).toBe(0);
  });
  it("compares int and float by value (5 == 5.0)", () => {
    expect(scoreParams({ count: 5 }, { count: new FloatValue(5) })).toBe(1);
    const args = parseArguments('{"count": 5.0}');
    expect(scoreParams({ count: 5 }, args)).toBe(1);
    expect(scoreParams({ lat: 40.7 }, { lat: 40.7 })).toBe(1);
  });
  it("counts a missing key as wrong and ignores extra keys", () => {
    expect(scoreParams({ city: "NYC" }, { state: "NY" })).toBe(0);
    expect(scoreParams({ city: "NYC" }, { city: "NYC", state: "NY" })).toBe(1);
  });
  it("exact mode: strings case-insensitive, bools equal numbers as in Python, containers strict", () => {
    expect(matchValue("nyc", "NYC")).toBe(true);
    expect(matchValue(1, true)).toBe(true);
    expect(matchValue(["NYC"], ["nyc"])).toBe(false);
    expect(matchValue({ a: 1 }, { a: new FloatValue(1) })).toBe(true);
    expect(matchValue("5", 5)).toBe(false);
  });
});

describe("classic: match modes", () => {
  it("case_insensitive", () => {
    expect(matchValue("Paris", "PARIS", "case_insensitive")).toBe(true);
    expect(matchValue(5, 5.0, "case_insensitive")).toBe(true);
    expect(matchValue(["a"], ["A"], "case_insensitive")).toBe(false);
  });
  it("contains: either string form contains the other, lower-cased", () => {
    expect(matchValue("york", "New York City", "contains")).toBe(true);
    expect(matchValue("New York City", "YORK", "contains")).toBe(true);
    expect(matchValue("Paris", "Rome", "contains")).toBe(false);
    expect(matchValue(true, "True story", "contains")).toBe(true); // str(True) = "True"
  });
  it("numeric_tolerance: |e − a| ≤ epsilon (default 0.01), numeric strings parsed, else string equality", () => {
    expect(matchValue(21.5, 21.505, "numeric_tolerance")).toBe(true);
    expect(matchValue(21.5, 21.52, "numeric_tolerance")).toBe(false);
    expect(matchValue(21.5, 21.9, "numeric_tolerance", 0.5)).toBe(true);
    expect(matchValue(10, "10.004", "numeric_tolerance")).toBe(true);
    expect(matchValue("abc", "abc", "numeric_tolerance")).toBe(true);
    expect(matchValue("abc", 3, "numeric_tolerance")).toBe(false);
  });
  it("regex: search anywhere in str(actual); Python named groups; a bad pattern falls back to equality", () => {
    expect(matchValue("^\\d{4}-\\d{2}", "2026-02-15", "regex")).toBe(true);
    expect(matchValue("paris", "I love Paris", "regex")).toBe(false);
    expect(matchValue("(?i)paris", "I love Paris", "regex")).toBe(true);
    expect(matchValue("(?P<y>\\d+)-(?P=y)", "12-12", "regex")).toBe(true);
    expect(matchValue("(", "(", "regex")).toBe(true);
    expect(matchValue("(", "((", "regex")).toBe(false);
  });
  it("subset: expected object/array contained in the actual one", () => {
    expect(subsetMatch({ method: "sms" }, { method: "SMS", urgent: true })).toBe(true);
    expect(subsetMatch({ method: "sms", urgent: false }, { method: "sms" })).toBe(false);
    expect(subsetMatch(["kitchen"], ["bedroom", "kitchen"])).toBe(true);
    expect(subsetMatch(["kitchen", "kitchen"], ["kitchen"])).toBe(false);
    expect(
      subsetMatch(
        { items: [{ name: "milk" }] },
        {
          items: [
            { name: "eggs", quantity: 1 },
            { name: "Milk", quantity: 2 },
          ],
        },
      ),
    ).toBe(true);
    const exp: Expectation = {
      expected_tool: "send_notification",
      expected_params: { recipient: "Mom", delivery: { method: "sms" } },
      match_mode: "subset",
    };
    const r = scoreClassic(input(exp, [call("send_notification", { recipient: "mom", message: "hi", delivery: { method: "sms", urgent: true } })]));
    expect(r.param_accuracy).toBe(1);
    const exact = scoreClassic(
      input({ ...exp, match_mode: "exact" }, [call("send_notification", { recipient: "mom", delivery: { method: "sms", urgent: true } })]),
    );
    expect(exact.param_accuracy).toBe(0.5);
  });
  it("an unknown mode behaves as exact, like the original", () => {
    expect(matchValue("nyc", "NYC", "semantic")).toBe(true);
    expect(matchValue("nyc", "NYC!", "semantic")).toBe(false);
  });
});

describe("classic: regex mode follows Python's re", () => {
  // Results recorded from CPython 3.11's re.search (the translator's own tests cover each construct).
  it("\\A, \\Z, $ and ^ mean what they mean in Python", () => {
    expect(matchValue("\\Aparis\\Z", "paris", "regex")).toBe(true);
    expect(matchValue("\\Aparis\\Z", "paris\n", "regex")).toBe(false);
    expect(matchValue("paris$", "paris\n", "regex")).toBe(true); // $ also matches before a final newline
    expect(matchValue("(?m)a$", "a\r\nb", "regex")).toBe(false); // only \n ends a line
  });
  it("verbose (?x) patterns drop whitespace and comments", () => {
    const phone = "(?x)\n  \\d{3}  # area code\n  -?     # optional dash\n  \\d{4}\n";
    expect(matchValue(phone, "555-1234", "regex")).toBe(true);
    expect(matchValue(phone, "555 1234", "regex")).toBe(false);
  });
  it("\\w, \\d, \\s and \\b are Unicode-aware, and ASCII under (?a)", () => {
    expect(matchValue("^\\w+$", "Zürich", "regex")).toBe(true);
    expect(matchValue("^\\d+$", "٣٤", "regex")).toBe(true);
    expect(matchValue("\\s", "\u2003", "regex")).toBe(true);
    expect(matchValue("\\bé", "café é", "regex")).toBe(true);
    expect(matchValue("(?a)^\\w+$", "Zürich", "regex")).toBe(false);
  });
  it("(?i) folds case as Python does", () => {
    expect(matchValue("(?i)^istanbul$", "İSTANBUL", "regex")).toBe(true);
    expect(matchValue("(?ai)k", "\u212a", "regex")).toBe(false);
  });
  it("a pattern without a faithful translation never scores silently: the case error names parameter and pattern", () => {
    const exp: Expectation = { expected_tool: "get_weather", expected_params: { city: "(p)?(?(1)aris|London)" }, match_mode: "regex" };
    const r = scoreClassic(input(exp, [call("get_weather", { city: "London" })]));
    expect(r.param_accuracy).toBe(0);
    expect(r.passed).toBe(false);
    expect(r.error?.code).toBe("regex_unsupported");
    expect(r.error?.message).toContain("city: regex '(p)?(?(1)aris|London)' cannot be used: no JavaScript equivalent for a conditional group");
    // The model is still blamed when it called the wrong tool.
    expect(scoreClassic(input(exp, [call("search_web", { city: "London" })])).error?.code).toBe("invalid_reasoning");
  });
  it("reports such patterns for parallel and multi-turn cases too", () => {
    const parallel: Expectation = {
      expected_tool: ["get_weather", "get_weather"],
      expected_params: [{ city: "Paris" }, { city: "\\N{EM DASH}" }],
      match_mode: "regex",
    };
    const r = scoreClassic(input(parallel, [call("get_weather", { city: "Paris" }), call("get_weather", { city: "—" })]));
    expect(r.error?.code).toBe("regex_unsupported");
    expect(r.error?.message).toContain("[1].city");
    const multi: Expectation = {
      ...parallel,
      expected_tool: "get_weather",
      expected_params: { city: "\\N{EM DASH}" },
      multi_turn: { max_rounds: 3, optimal_hops: 1, valid_prerequisites: [], mock_responses: {} },
    };
    expect(scoreClassic({ ...input(multi, []), output: { calls: [], chain: [call("get_weather", { city: "—" })] } }).error?.code).toBe(
      "regex_unsupported",
    );
  });
  it("regexPatternProblems lists invalid and untranslatable patterns with their parameter path", () => {
    expect(
      regexPatternProblems([
        { a: "^ok$", b: "(" },
        { c: "\\N{BULLET}", d: 5 },
      ]),
    ).toEqual([
      {
        path: "[0].b",
        keys: [0, "b"],
        pattern: "(",
        kind: "invalid",
        message: "not a valid Python regular expression: missing ), unterminated subpattern at position 0",
      },
      { path: "[1].c", keys: [1, "c"], pattern: "\\N{BULLET}", kind: "unsupported", message: expect.stringContaining("named character") },
    ]);
    expect(regexPatternProblems({ when: "{'at': 5}" })).toEqual([]); // a literal brace is fine in Python
  });
});

describe("classic: overall", () => {
  it("is 0.6 × tool + 0.4 × params, else the tool score", () => {
    expect(computeOverall(1, 0.5)).toBeCloseTo(0.8, 12);
    expect(computeOverall(0, 1)).toBeCloseTo(0.4, 12);
    expect(computeOverall(1, 1)).toBe(1);
    expect(computeOverall(0, null)).toBe(0);
  });
  it("right tool, half the params → 0.8; wrong tool, all params → 0.4; passes only at 1", () => {
    const exp: Expectation = { expected_tool: "get_weather", expected_params: { city: "Paris", units: "c" } };
    const a = scoreClassic(input(exp, [call("get_weather", { city: "paris", units: "f" })]));
    expect(a.overall).toBeCloseTo(0.8, 12);
    expect(a.passed).toBe(false);
    expect(a.error?.code).toBe("argument_hallucination");
    const b = scoreClassic(input(exp, [call("search_web", { city: "Paris", units: "c" })]));
    expect(b.overall).toBeCloseTo(0.4, 12);
    expect(b.error?.code).toBe("invalid_reasoning");
    const c = scoreClassic(input(exp, [call("GET_WEATHER", { city: "PARIS", units: "C" })]));
    expect(c.overall).toBe(1);
    expect(c.passed).toBe(true);
    expect(c.error).toBeNull();
  });
  it("a call to a tool the suite lacks is a tool hallucination", () => {
    const r = scoreClassic(input({ expected_tool: "get_weather" }, [call("make_coffee")]));
    expect(r.error?.code).toBe("tool_hallucination");
  });
});

describe("classic: multi-turn", () => {
  const chain = (...names: Array<[string, Record<string, unknown>?]>): ActualCall[] => names.map(([n, a]) => call(n, a ?? {}));
  it("empty chain scores 0 everywhere", () => {
    expect(scoreMultiTurnChain({ chain: [], expected_tool: "get_weather", expected_params: null, valid_prerequisites: [], optimal_hops: 1 })).toEqual(
      {
        completion: 0,
        efficiency: 0,
        redundancy_penalty: 0,
        detour_penalty: 0,
        overall: 0,
      },
    );
  });
  it("a perfect single hop scores 1", () => {
    const s = scoreMultiTurnChain({
      chain: chain(["get_weather", { city: "NYC" }]),
      expected_tool: "get_weather",
      expected_params: { city: "NYC" },
      valid_prerequisites: [],
      optimal_hops: 1,
    });
    expect(s).toMatchObject({ completion: 1, efficiency: 1, overall: 1 });
  });
  it("a valid prerequisite hop costs nothing", () => {
    const s = scoreMultiTurnChain({
      chain: chain(["search_location", { q: "Eiffel" }], ["get_weather", { lat: 48.8 }]),
      expected_tool: "get_weather",
      expected_params: { lat: 48.8 },
      valid_prerequisites: ["search_location"],
      optimal_hops: 2,
    });
    expect(s).toMatchObject({ completion: 1, efficiency: 1, detour_penalty: 0, overall: 1 });
  });
  it("repeats cost 0.10 each", () => {
    const s = scoreMultiTurnChain({
      chain: chain(["get_weather"], ["get_weather", { city: "NYC" }]),
      expected_tool: "get_weather",
      expected_params: { city: "NYC" },
      valid_prerequisites: [],
      optimal_hops: 1,
    });
    expect(s.redundancy_penalty).toBe(0.1);
    expect(s.overall).toBe(0.4); // 1 × (1/2) − 0.1
  });
  it("detours cost 0.10 each", () => {
    const s = scoreMultiTurnChain({
      chain: chain(["irrelevant_tool"], ["get_weather", { city: "NYC" }]),
      expected_tool: "get_weather",
      expected_params: { city: "NYC" },
      valid_prerequisites: [],
      optimal_hops: 2,
    });
    expect(s.detour_penalty).toBe(0.1);
    expect(s.overall).toBe(0.9);
  });
  it("efficiency = optimal / actual hops", () => {
    const s = scoreMultiTurnChain({
      chain: chain(["step1"], ["step2"], ["get_weather", { city: "NYC" }]),
      expected_tool: "get_weather",
      expected_params: { city: "NYC" },
      valid_prerequisites: ["step1", "step2"],
      optimal_hops: 1,
    });
    expect(s.efficiency).toBeCloseTo(1 / 3, 4);
    expect(s.overall).toBe(0.3333);
  });
  it("a wrong final tool gives completion 0; a list of names is accepted", () => {
    expect(
      scoreMultiTurnChain({
        chain: chain(["wrong_tool"]),
        expected_tool: "get_weather",
        expected_params: null,
        valid_prerequisites: [],
        optimal_hops: 1,
      }).completion,
    ).toBe(0);
    expect(
      scoreMultiTurnChain({
        chain: chain(["check_forecast", { city: "NYC" }]),
        expected_tool: ["get_weather", "check_forecast"],
        expected_params: { city: "NYC" },
        valid_prerequisites: [],
        optimal_hops: 1,
      }).completion,
    ).toBe(1);
  });
  it("clamps at 0", () => {
    const s = scoreMultiTurnChain({
      chain: chain(["x"], ["x"], ["x"], ["x"]),
      expected_tool: "get_weather",
      expected_params: null,
      valid_prerequisites: [],
      optimal_hops: 1,
    });
    expect(s.overall).toBe(0);
  });
  it("scoreClassic uses the chain, reports its parts, and classifies the failure", () => {
    const exp: Expectation = {
      expected_tool: "get_weather",
      expected_params: { city: "Denver" },
      multi_turn: { max_rounds: 4, optimal_hops: 2, valid_prerequisites: ["get_time"], mock_responses: {} },
    };
    const ok = scoreClassic({
      tools: TOOLS,
      expectation: exp,
      output: { calls: [], chain: chain(["get_time"], ["get_weather", { city: "denver" }]) },
    });
    expect(ok.overall).toBe(1);
    expect(ok.multi_turn?.chain).toEqual(["get_time", "get_weather"]);
    const slow = scoreClassic({
      tools: TOOLS,
      expectation: exp,
      output: { calls: [], chain: chain(["search_web"], ["get_time"], ["get_time"], ["get_weather", { city: "denver" }]), rounds_used: 4 },
    });
    expect(slow.multi_turn).toMatchObject({ efficiency: 0.5, redundancy_penalty: 0.1, detour_penalty: 0.1 });
    expect(slow.overall).toBe(0.3);
    expect(slow.tool_selection).toBe(1);
  });
});

describe("classic: irrelevance", () => {
  it("should_call_tool false: 1 iff no call, and the summary reports irrelevance separately", () => {
    const exp: Expectation = { expected_tool: null, should_call_tool: false, category: "irrelevance" };
    const quiet = scoreClassic(input(exp, []));
    expect(quiet).toMatchObject({ overall: 1, passed: true, irrelevance: 1, should_call_tool: false });
    const chatty = scoreClassic(input(exp, [call("get_weather", { city: "x" })]));
    expect(chatty).toMatchObject({ overall: 0, passed: false, irrelevance: 0 });
    const called = scoreClassic(input({ expected_tool: "get_weather" }, [call("get_weather")]));
    const s = summarize([quiet, chatty, called]);
    expect(s.irrelevance_pct).toBe(50);
    expect(s.irrelevance_cases).toBe(2);
    expect(s.category_breakdown.irrelevance).toMatchObject({ cases: 2, passed: 1, accuracy_pct: 50 });
  });
  it("expected_tool null without should_call_tool means no call expected (original semantics)", () => {
    expect(scoreClassic(input({ expected_tool: null }, [])).passed).toBe(true);
    expect(scoreClassic(input({ expected_tool: null }, [call("get_time")])).passed).toBe(false);
  });
});

describe("classic: parallel expected calls", () => {
  it("pairs by maximum matching where greedy by name would not", () => {
    const exp: Expectation = { expected_tool: "get_weather", expected_params: [{ city: "Paris" }, { city: "Rome" }] };
    const calls = [call("get_weather", { city: "Rome" }), call("get_weather", { city: "Paris" })];
    // Greedy (each expected call takes the first unused call with the right name) pairs Paris↔Rome: 0.6.
    const r = scoreClassic(input(exp, calls));
    expect(r.overall).toBe(1);
    expect(r.matching).toEqual({ method: "max_weight", pairs: [1, 0] });
    expect(r.passed).toBe(true);
  });
  it("averages tool and params over expected calls and reports extra calls", () => {
    const exp: Expectation = { expected_tool: ["get_weather", "get_time"], expected_params: [{ city: "Paris" }, {}] };
    const r = scoreClassic(input(exp, [call("search_web"), call("get_weather", { city: "paris" })]));
    expect(r.calls.map((c) => [c.actual_index, c.tool, c.params])).toEqual([
      [1, 1, 1],
      [0, 0, 1],
    ]);
    expect(r.tool_selection).toBe(0.5);
    expect(r.param_accuracy).toBe(1);
    expect(r.overall).toBeCloseTo(0.7, 12);
    const extra = scoreClassic(input(exp, [call("get_time"), call("get_weather", { city: "Paris" }), call("search_web")]));
    expect(extra.overall).toBe(1);
    expect(extra.extra_calls).toEqual([2]);
    const missing = scoreClassic(input(exp, [call("get_weather", { city: "Paris" })]));
    expect(missing.calls[1]).toMatchObject({ actual_index: null, tool: 0, params: 0 });
    expect(missing.overall).toBe(0.5);
  });
});

describe("classic: failures a user can read", () => {
  it("labels a call made when the right answer was no call as an irrelevance failure, and a missing call as such", () => {
    const joke = scoreClassic(input({ expected_tool: null }, [call("search_web", { q: "joke" })]));
    expect(joke.passed).toBe(false);
    expect(joke.error).toMatchObject({ code: "irrelevance_failure", message: "called search_web although no tool call was expected" });
    const quiet = scoreClassic(input({ expected_tool: "get_weather", expected_params: { city: "Paris" } }, []));
    expect(quiet.error?.code).toBe("missing_call");
    expect(scoreClassic(input({ expected_tool: null }, [])).error).toBeNull();
  });
});
