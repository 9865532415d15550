/**
 * The suite editor's pure logic (src/web/src/lib): which fields a case update sends (only what changed, so the
 * export stays exact), client-side checks, badges, which import body a chosen file becomes, JSON error positions.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CaseDraft, caseBadges, draftFromCase, draftToBody, emptyDraft, validateDraft } from "../../src/web/src/lib/case-draft.ts";
import { parseJsonText, syntaxErrorOffset } from "../../src/web/src/lib/json-text.ts";
import { planImport } from "../../src/web/src/lib/suite-files.ts";
import type { TestCase } from "../../src/web/src/lib/tool-suite-types.ts";

const FIXTURES = path.join(import.meta.dirname, "../fixtures");

const base: TestCase = {
  id: "c1",
  suite_id: "s1",
  prompt: "Heat the living room to 23 degrees",
  expected_tool: "set_thermostat",
  expected_params: { room: "living room", temperature: 23 },
  param_scoring: "exact",
  scoring_config: null,
  should_call_tool: true,
  category: null,
  multi_turn: false,
  max_rounds: 5,
  optimal_hops: 2,
  valid_prerequisites: [],
  mock_responses: {},
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

const edited = (c: TestCase, patch: Partial<CaseDraft>) => {
  const initial = draftFromCase(c);
  return draftToBody({ ...initial, ...patch }, initial, c);
};

describe("case form → API body", () => {
  it("sends nothing when nothing changed, and only the changed field otherwise", () => {
    expect(edited(base, {})).toEqual({});
    expect(edited(base, { expected_params: '{"room": "office"}' })).toEqual({ expected_params: { room: "office" } });
    expect(edited(base, { expected_params: "" })).toEqual({ expected_params: null });
    expect(edited(base, { category: " simple " })).toEqual({ category: "simple" });
  });

  it("keeps a one-name list untouched unless its text changes, and reads several names as a list", () => {
    const listCase = { ...base, expected_tool: ["set_thermostat"] };
    expect(edited(listCase, {})).toEqual({});
    expect(edited(listCase, { expected_tool: "set_thermostat, control_lights" })).toEqual({ expected_tool: ["set_thermostat", "control_lights"] });
  });

  it('"No tool expected" sends expected_tool null and the should-call flag the form set', () => {
    expect(edited(base, { no_tool: true, should_call_tool: false })).toEqual({ expected_tool: null, should_call_tool: false });
  });

  it("epsilon edits scoring_config, keeping keys the form does not show and leaving the mode to param_scoring", () => {
    const c = { ...base, param_scoring: "numeric_tolerance" as const, scoring_config: { epsilon: 0.01, mode: "numeric_tolerance", note: "x" } };
    expect(draftFromCase(c).epsilon).toBe("0.01");
    expect(edited(c, { epsilon: "0.5" })).toEqual({ scoring_config: { note: "x", epsilon: 0.5 } });
    expect(edited(c, { epsilon: "" })).toEqual({ scoring_config: { note: "x" } });
    expect(edited({ ...c, scoring_config: { epsilon: 0.01 } }, { epsilon: "" })).toEqual({ scoring_config: null });
  });

  it("multi-turn: turning it on sends every setting, off clears them, an edit sends just that setting", () => {
    expect(edited(base, { multi_turn: true })).toEqual({
      multi_turn: true,
      max_rounds: 5,
      optimal_hops: 2,
      valid_prerequisites: [],
      mock_responses: {},
    });
    const multi = {
      ...base,
      multi_turn: true,
      max_rounds: 4,
      valid_prerequisites: ["get_weather"],
      mock_responses: { get_weather: { temperature_celsius: 2 } },
    };
    expect(edited(multi, {})).toEqual({});
    expect(edited(multi, { max_rounds: "6" })).toEqual({ multi_turn: true, max_rounds: 6 });
    expect(edited(multi, { valid_prerequisites: "get_weather, get_time" })).toEqual({
      multi_turn: true,
      valid_prerequisites: ["get_weather", "get_time"],
    });
    expect(edited(multi, { mock_responses: '{"get_weather": "cold"}' })).toEqual({ multi_turn: true, mock_responses: { get_weather: "cold" } });
    expect(edited(multi, { multi_turn: false })).toEqual({ multi_turn: false });
  });

  it("a new case leaves defaults out", () => {
    const d = { ...emptyDraft(), prompt: "Tell me a joke", no_tool: true, should_call_tool: false };
    expect(draftToBody(d)).toEqual({ prompt: "Tell me a joke", expected_tool: null, should_call_tool: false });
    const parallel = {
      ...emptyDraft(),
      prompt: "Weather in Paris and Rome",
      expected_tool: "get_weather",
      expected_params: '[{"city": "Paris"}, {"city": "Rome"}]',
    };
    expect(draftToBody(parallel)).toMatchObject({ expected_tool: "get_weather", expected_params: [{ city: "Paris" }, { city: "Rome" }] });
  });
});

describe("case form checks", () => {
  it("names the field and the line of a JSON mistake", () => {
    const errors = validateDraft({ ...draftFromCase(base), expected_params: '{\n  "room": \n}' });
    expect(Object.keys(errors)).toEqual(["expected_params"]);
    expect(errors.expected_params).toMatch(/line 3/);
    expect(validateDraft({ ...draftFromCase(base), expected_params: "[1, 2]" }).expected_params).toMatch(/only objects/);
    expect(validateDraft({ ...draftFromCase(base), expected_params: '"Paris"' }).expected_params).toMatch(/JSON object/);
  });

  it("requires a message and a tool (or no tool), and checks multi-turn fields only when multi-turn is on", () => {
    expect(Object.keys(validateDraft(emptyDraft())).sort()).toEqual(["expected_tool", "prompt"]);
    const bad = { ...draftFromCase(base), max_rounds: "25", mock_responses: "[]" };
    expect(validateDraft(bad)).toEqual({});
    expect(Object.keys(validateDraft({ ...bad, multi_turn: true })).sort()).toEqual(["max_rounds", "mock_responses"]);
    expect(validateDraft({ ...draftFromCase(base), epsilon: "-1" }).epsilon).toMatch(/≥ 0/);
  });

  it("badges say what kind of case it is", () => {
    const kinds = (c: TestCase) => caseBadges(c).map((b) => b.kind);
    expect(kinds(base)).toEqual([]);
    expect(kinds({ ...base, multi_turn: true, param_scoring: "numeric_tolerance", category: "simple" })).toEqual([
      "multi-turn",
      "match-mode",
      "category",
    ]);
    expect(kinds({ ...base, expected_tool: ["a", "b"] })).toEqual(["alternatives"]);
    expect(kinds({ ...base, expected_tool: ["a", "b"], expected_params: [{}, {}] })).toEqual(["parallel"]);
    expect(kinds({ ...base, expected_tool: null, should_call_tool: false })).toEqual(["no-tool"]);
    expect(kinds({ ...base, expected_tool: null, should_call_tool: true })).toEqual(["any-call"]);
  });
});

describe("import files → request body", () => {
  const smartHome = readFileSync(path.join(FIXTURES, "examples/smart_home_suite.json"), "utf8");
  const questions = readFileSync(path.join(FIXTURES, "bfcl/BFCL_v4_simple_python.json"), "utf8");
  const answers = readFileSync(path.join(FIXTURES, "bfcl/possible_answer/BFCL_v4_simple_python.json"), "utf8");

  it("sends the original's suite JSON as is", () => {
    const plan = planImport([{ name: "smart_home_suite.json", text: smartHome }]);
    expect(plan).toMatchObject({ ok: true, format: "original" });
    expect(plan.ok && plan.body).toEqual(JSON.parse(smartHome));
  });

  it("sends BFCL JSON Lines as text, with the answer file whichever order the files come in", () => {
    expect(planImport([{ name: "BFCL_v4_simple_python.json", text: questions }])).toMatchObject({
      ok: true,
      body: { format: "bfcl", questions, name: "BFCL_v4_simple_python" },
    });
    for (const files of [
      [
        { name: "q.json", text: questions },
        { name: "a.json", text: answers },
      ],
      [
        { name: "a.json", text: answers },
        { name: "q.json", text: questions },
      ],
    ]) {
      expect(planImport(files)).toMatchObject({ ok: true, body: { format: "bfcl", questions, answers, name: "q" } });
    }
  });

  it("refuses what the server could not read, saying why", () => {
    expect(planImport([{ name: "a.json", text: answers }])).toMatchObject({ ok: false, message: expect.stringMatching(/possible-answer/) });
    const broken = planImport([{ name: "broken.json", text: '{\n  "name": "x",\n  "tools": [,]\n}' }]);
    expect(broken).toMatchObject({ ok: false, details: [expect.stringMatching(/^broken\.json: .*line 3, column 13/)] });
    expect(
      planImport([
        { name: "q.json", text: questions },
        { name: "q2.json", text: questions },
      ]),
    ).toMatchObject({ ok: false });
    expect(planImport([1, 2, 3].map((i) => ({ name: `${i}.json`, text: "{}" })))).toMatchObject({ ok: false });
  });
});

describe("JSON error positions", () => {
  it("finds the first syntax error, and none in valid JSON", () => {
    expect(syntaxErrorOffset('{"a": }')).toBe(6);
    expect(syntaxErrorOffset('{"a": [1, 2')).toBe(11);
    expect(syntaxErrorOffset('{"a": 1} x')).toBe(9);
    expect(syntaxErrorOffset('{"a": "b\\q"}')).toBe(9); // the character after the backslash
    expect(syntaxErrorOffset('{"ok": [1.5e3, -0, "\\u00e9", null, true, {}]}')).toBe(-1);
    const r = parseJsonText('{\n "a": 1,\n}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/line 3/);
  });
});
