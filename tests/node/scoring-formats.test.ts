import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportBfcl, exportBfclText, importBfcl, importBfclMany } from "../../src/shared/scoring/bfcl-format.ts";
import { scoreClassic } from "../../src/shared/scoring/classic.ts";
import { exportOriginalSuite, importOriginalSuite } from "../../src/shared/scoring/original-format.ts";
import { caseExpectation, caseTools, scoreInputFor } from "../../src/shared/scoring/suite.ts";
import { FloatValue } from "../../src/shared/scoring/values.ts";
import { FIXTURES, loadSample } from "../fixtures/scoring-sample.ts";

const smartHomeText = readFileSync(path.join(FIXTURES, "examples", "smart_home_suite.json"), "utf8");
/** Compare as JSON documents (what a file on disk would hold). */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const jsonLines = (text: string): unknown[] =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));

describe("original suite format", () => {
  it("imports the smart-home suite unchanged and exports it back equal", () => {
    const r = importOriginalSuite(smartHomeText);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings).toEqual([]);
    expect(r.value.tools).toHaveLength(10);
    expect(r.value.test_cases).toHaveLength(55);
    expect(r.value.test_cases.filter((c) => c.multi_turn)).toHaveLength(5);
    expect(asJson(exportOriginalSuite(r.value))).toEqual(JSON.parse(smartHomeText));
  });
  it("turns cases into expectations with the original's defaults", () => {
    const r = importOriginalSuite(smartHomeText);
    if (!r.ok) throw new Error("import failed");
    const mt = r.value.test_cases.find((c) => c.multi_turn);
    if (!mt) throw new Error("no multi-turn case");
    expect(caseExpectation(mt)).toMatchObject({ match_mode: "exact", epsilon: 0.01, multi_turn: { max_rounds: 4, optimal_hops: 2 } });
    expect(caseExpectation({ prompt: "x", multi_turn: true }).multi_turn).toEqual({
      max_rounds: 5,
      optimal_hops: 2,
      valid_prerequisites: [],
      mock_responses: {},
    });
  });
  it("reports every invalid field with the case index, and imports nothing", () => {
    const doc = JSON.parse(smartHomeText);
    doc.test_cases[3].expected_tool = 42;
    doc.test_cases[7].scoring_config = { mode: "fuzzy" };
    delete doc.test_cases[9].prompt;
    doc.tools[2].type = "plugin";
    const r = importOriginalSuite(JSON.stringify(doc));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual([
      "tools[2].type",
      "test_cases[3].expected_tool",
      "test_cases[7].scoring_config",
      "test_cases[9].prompt",
    ]);
    expect(r.errors[1]?.message).toMatch(/tool name/);
  });
  it("refuses regex-mode patterns Python rejects or JS cannot reproduce, naming the case, parameter and pattern", () => {
    const doc = {
      name: "regex",
      tools: [],
      test_cases: [
        { prompt: "fine", expected_tool: "f", expected_params: { city: "(?i)^\\w+$" }, scoring_config: { mode: "regex" } },
        { prompt: "look-behind", expected_tool: "f", expected_params: { city: "(?<=a+)b" }, scoring_config: { mode: "regex" } },
        { prompt: "named char", expected_tool: "f", expected_params: [{ x: "ok" }, { x: "\\N{BULLET}" }], param_scoring: "regex" },
        { prompt: "not regex mode", expected_tool: "f", expected_params: { city: "(" } },
      ],
    };
    const r = importOriginalSuite(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        file: "suite",
        field: "test_cases[1].expected_params.city",
        message: "regex '(?<=a+)b' cannot be used: not a valid Python regular expression: look-behind requires fixed-width pattern",
      },
      {
        file: "suite",
        field: "test_cases[2].expected_params[1].x",
        message: expect.stringMatching(/^regex '\\\\N\{BULLET\}' cannot be used: no JavaScript equivalent for the named character/),
      },
    ]);
  });
  it("rejects a document that is not JSON, naming the problem", () => {
    const r = importOriginalSuite("{ not json");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(/invalid JSON/);
  });
});

const sample = loadSample();

describe("BFCL format", () => {
  for (const cat of sample) {
    it(`${cat.category}: export reproduces the entries, and import → export → import is equal`, () => {
      const first = importBfcl(cat.questionsText, cat.answersText, { name: cat.category });
      if (!first.ok) throw new Error(JSON.stringify(first.errors.slice(0, 3)));
      const exported = exportBfclText(first.value);
      expect(jsonLines(exported.questions)).toEqual(jsonLines(cat.questionsText));
      expect(jsonLines(exported.answers)).toEqual(cat.answersText ? jsonLines(cat.answersText) : []);
      const second = importBfcl(exported.questions, cat.answersText ? exported.answers : null, { name: cat.category });
      if (!second.ok) throw new Error(JSON.stringify(second.errors.slice(0, 3)));
      expect(second.value).toEqual(first.value);
    });
  }

  it("keeps floats written as 100.0 through export", () => {
    const cat = sample.find((c) => c.category === "parallel_multiple");
    if (!cat?.answersText) throw new Error("fixture missing");
    const r = importBfcl(cat.questionsText, cat.answersText);
    if (!r.ok) throw new Error("import failed");
    const c = r.value.test_cases.find((x) => x.id === "parallel_multiple_13");
    const mass = (c?.bfcl?.ground_truth?.[0]?.["energy_calculator.calculate"]?.mass ?? [])[0];
    expect(mass).toEqual(new FloatValue(100));
    expect(exportBfclText(r.value).answers).toContain('"mass":[100.0]');
  });

  it("converts BFCL schemas and names for providers, with a reversible map", () => {
    const all = importBfclMany(sample.map((c) => ({ questions: c.questionsText, answers: c.answersText })));
    if (!all.ok) throw new Error(JSON.stringify(all.errors.slice(0, 3)));
    const suite = all.value;
    expect(suite.test_cases).toHaveLength(280);
    const text = JSON.stringify(suite.tools);
    for (const bfclType of ['"dict"', '"float"', '"tuple"', '"any"']) expect(text).not.toContain(`"type":${bfclType}`);
    for (const t of suite.tools) {
      expect(t.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(t.function.parameters?.type).toBe("object");
    }
    expect(suite.name_map?.math_hcf).toBe("math.hcf");
    const hcf = suite.tools.find((t) => t.function.name === "calculate_electric_field_strength");
    expect(hcf?.function.parameters?.properties?.charge?.type).toBe("number");
    // Same function name, different definitions across entries: each case sees its own.
    const overridden = suite.test_cases.filter((c) => c.tool_overrides);
    expect(overridden.length).toBeGreaterThan(0);
    for (const c of overridden) {
      const entryFns = c.tool_names ?? [];
      expect(caseTools(suite, c).map((t) => t.function.name)).toEqual(entryFns);
    }
    // And the whole multi-file suite exports back to the original entries.
    const exp = exportBfcl(suite);
    expect(asJson(exp.questions)).toEqual(sample.flatMap((c) => jsonLines(c.questionsText)));
  });

  it("derives cases: prompt from the first turn, system kept, expected calls from the key, irrelevance without one", () => {
    const q = [
      {
        id: "simple_python_1",
        question: [
          [
            { role: "system", content: "Be brief." },
            { role: "user", content: "HCF of 36 and 24?" },
          ],
        ],
        function: [
          {
            name: "math.hcf",
            description: "hcf",
            parameters: {
              type: "dict",
              properties: { a: { type: "integer" }, b: { type: "integer" }, verbose: { type: "boolean" } },
              required: ["a", "b"],
            },
          },
        ],
      },
      {
        id: "irrelevance_4",
        question: [[{ role: "user", content: "Tell me a joke" }]],
        function: [
          {
            name: "math.hcf",
            description: "hcf",
            parameters: {
              type: "dict",
              properties: { a: { type: "integer" }, b: { type: "integer" }, verbose: { type: "boolean" } },
              required: ["a", "b"],
            },
          },
        ],
      },
    ];
    const a = [{ id: "simple_python_1", ground_truth: [{ "math.hcf": { a: [36], b: [24], verbose: ["", false] } }] }];
    const r = importBfcl(q.map((x) => JSON.stringify(x)).join("\n"), JSON.stringify(a));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const [c0, c1] = r.value.test_cases;
    expect(c0).toMatchObject({
      id: "simple_python_1",
      prompt: "HCF of 36 and 24?",
      system_prompt: "Be brief.",
      expected_tool: "math_hcf",
      expected_params: { a: 36, b: 24 },
      should_call_tool: true,
      category: "simple_python",
    });
    expect(c1).toMatchObject({ expected_tool: null, should_call_tool: false, category: "irrelevance" });
    // The derived classic expectation scores a correct provider-side call as perfect.
    if (!c0) throw new Error("no case");
    expect(scoreClassic(scoreInputFor(r.value, c0, { calls: [{ name: "math_hcf", arguments: { a: 36, b: 24 } }] })).overall).toBe(1);
  });

  it("reports errors with line and field, all at once, and imports nothing", () => {
    const good = jsonLines(sample.find((c) => c.category === "simple_python")?.questionsText ?? "") as Array<Record<string, unknown>>;
    const lines = good.slice(0, 5).map((e) => JSON.stringify(e));
    lines[1] = "{ broken json";
    const bad = structuredClone(good[2]) as { function: Array<Record<string, unknown>> };
    if (bad.function[0]) delete bad.function[0].parameters;
    lines[2] = JSON.stringify(bad);
    const answers = jsonLines(sample.find((c) => c.category === "simple_python")?.answersText ?? "").slice(0, 5);
    const r1 = importBfcl(lines.join("\n"), answers.map((x) => JSON.stringify(x)).join("\n"));
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.errors.map((e) => [e.line, e.field ?? null])).toEqual([[2, null]]);
    // With the JSON fixed, the schema problem is found (field named), plus answers without questions.
    lines[1] = JSON.stringify(good[1]);
    const r2 = importBfcl(lines.join("\n"), [...answers, { id: "simple_python_9999", ground_truth: [] }].map((x) => JSON.stringify(x)).join("\n"));
    expect(r2.ok).toBe(false);
    if (!r2.ok) {
      expect(r2.errors.map((e) => [e.file, e.line, e.field])).toEqual([
        ["questions", 3, "function[0].parameters"],
        ["answers", 6, "id"],
      ]);
    }
    // A question without ground truth in a category that needs one.
    const r3 = importBfcl(lines.slice(0, 1).join("\n"), null);
    expect(r3.ok).toBe(false);
    if (!r3.ok) expect(r3.errors[0]).toMatchObject({ line: 1, field: "id" });
    // Ground truth naming a function the entry lacks, and a malformed ground-truth value.
    const r4 = importBfcl(lines[0] ?? "", JSON.stringify({ id: good[0]?.id, ground_truth: [{ nope: { x: [1] } }, { f: { x: 1 } }] }));
    expect(r4.ok).toBe(false);
    if (!r4.ok) expect(r4.errors.map((e) => e.field)).toEqual(["ground_truth[1].f.x"]);
    const r5 = importBfcl(lines[0] ?? "", JSON.stringify({ id: good[0]?.id, ground_truth: [{ nope: { x: [1] } }] }));
    expect(r5.ok).toBe(false);
    if (!r5.ok) expect(r5.errors[0]).toMatchObject({ file: "answers", line: 1, field: "ground_truth[0]" });
  });

  it("accepts a JSON array as well as JSON Lines", () => {
    const cat = sample.find((c) => c.category === "multiple");
    if (!cat?.answersText) throw new Error("fixture missing");
    const arr = `[${jsonLines(cat.questionsText)
      .map((e) => JSON.stringify(e))
      .join(",\n")}]`;
    const a = importBfcl(arr, cat.answersText);
    const b = importBfcl(cat.questionsText, cat.answersText);
    expect(a.ok && b.ok && asJson(a.value)).toEqual(b.ok && asJson(b.value));
  });

  it("exports a suite that did not come from BFCL, with ground truth from its expectations", () => {
    const r = importOriginalSuite(smartHomeText);
    if (!r.ok) throw new Error("import failed");
    const e = exportBfcl(r.value);
    expect(e.questions).toHaveLength(55);
    expect(e.questions[0]?.function[0]?.parameters.type).toBe("dict");
    const weather = e.answers.find((x) => JSON.stringify(x.ground_truth).includes("get_weather"));
    expect(weather?.ground_truth[0]).toEqual({ get_weather: { city: [expect.any(String)] } });
    const back = importBfcl(exportBfclText(r.value).questions, exportBfclText(r.value).answers);
    expect(back.ok).toBe(true);
  });
});
