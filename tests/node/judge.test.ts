/**
 * The judge's pure parts and the simulator's judge: sim-judge over real HTTP fed the app's own prompts
 * (src/shared/judge/prompts.ts) and read back with the app's parser (parse.ts); the swap logic; kappa and the sign
 * test on the figures a judge report shows.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  binaryOf,
  countedSummary,
  extractJson,
  parseCompareSummary,
  parsePairwise,
  parseReport,
  parseVerdict,
} from "../../src/shared/judge/parse.ts";
import { comparePrompt, type JudgedCase, reportPrompt, summaryPrompt, verdictPrompt } from "../../src/shared/judge/prompts.ts";
import { combineOrders, DISAGREEMENT_CONFIDENCE } from "../../src/shared/judge/swap.ts";
import { calibration, cohenKappa, signTest } from "../../src/shared/stats/index.ts";
import { simVerdict } from "../../src/simulator/judge/judge.ts";
import { parseModelId } from "../../src/simulator/profile.ts";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";

let sim: RunningSimulator;
let openai: OpenAI;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
  openai = new OpenAI({ apiKey: "sk-test", baseURL: `${sim.url}/v1`, maxRetries: 0, timeout: 20_000 });
});
afterAll(async () => {
  await sim?.close();
});

const JUDGE = "sim-judge-ttft1-tps100000";
const tools = [
  { name: "get_weather", description: "Weather for a city", parameters: { properties: { city: { type: "string" }, units: { type: "string" } } } },
];
const base = {
  prompt: "Weather in Paris in celsius?",
  expected_tool: "get_weather",
  expected_params: { city: "Paris", units: "celsius" },
  automated_score: null,
};
const exact: JudgedCase = { ...base, called_tool: "get_weather", called_params: { city: "paris", units: "celsius" } };
const half: JudgedCase = { ...base, called_tool: "get_weather", called_params: { city: "Paris", units: "fahrenheit" } };
const wrongTool: JudgedCase = { ...base, called_tool: "set_lights", called_params: {} };
const noCall: JudgedCase = { ...base, called_tool: null, called_params: null };

async function answer(model: string, user: string): Promise<string> {
  const res = await openai.chat.completions.create({ model, messages: [{ role: "user", content: user }], temperature: 0, max_tokens: 2048 });
  return res.choices[0]?.message.content ?? "";
}

describe("sim-judge", () => {
  it("gives the rule's verdict for each case: lenient on arguments, strict on the tool", async () => {
    const cases: Array<[JudgedCase, string, number]> = [
      [exact, "pass", 5],
      [half, "pass", 4], // the automated scorer fails this one: the disagreement calibration measures
      [wrongTool, "fail", 2],
      [noCall, "fail", 1],
      [{ ...base, expected_tool: null, expected_params: null, called_tool: null, called_params: null }, "pass", 5],
    ];
    for (const [c, verdict, quality] of cases) {
      const { verdict: v, format } = parseVerdict(await answer(JUDGE, verdictPrompt(tools, c, "Be strict about units.")));
      expect(format).toBe("json");
      expect(v).toMatchObject({ verdict, quality_score: quality });
      expect(v).toEqual({ ...simVerdict(c) });
    }
  });

  it("wraps its JSON as asked: fenced is read, partial gets defaults, broken is an error verdict", async () => {
    const fenced = parseVerdict(await answer(`${JUDGE}-jsonfenced`, verdictPrompt(tools, exact)));
    expect(fenced).toMatchObject({ format: "fenced", verdict: { verdict: "pass", quality_score: 5, param_assessment: "exact" } });
    const partial = parseVerdict(await answer(`${JUDGE}-jsonpartial`, verdictPrompt(tools, half)));
    expect(partial.verdict).toEqual({
      quality_score: 4,
      verdict: "pass",
      summary: "",
      reasoning: "",
      tool_selection_assessment: "unknown",
      param_assessment: "unknown",
    });
    const broken = parseVerdict(await answer(`${JUDGE}-jsonbroken`, verdictPrompt(tools, exact)));
    expect(broken).toMatchObject({ format: "invalid", verdict: { verdict: "error", quality_score: 0 } });
    expect(
      parseReport(await answer(`${JUDGE}-jsonbroken`, reportPrompt("m", [{ test_case_id: "c1", verdict: "pass", quality_score: 5, summary: "ok" }]))),
    ).toMatchObject({
      overall_grade: "?",
      overall_score: 0,
    });
  });

  it("compares on merit, and the biased judge prefers whichever answer is shown first", async () => {
    const pair = (a: JudgedCase, b: JudgedCase) => ({
      prompt: base.prompt,
      expected_tool: base.expected_tool,
      expected_params: base.expected_params,
      answer_a: a,
      answer_b: b,
    });
    const ask = async (model: string, a: JudgedCase, b: JudgedCase) =>
      parsePairwise(await answer(model, comparePrompt(tools, pair(a, b), { k: 1, n: 1 }))).pairwise;
    expect((await ask(JUDGE, exact, wrongTool)).winner).toBe("A");
    expect((await ask(JUDGE, wrongTool, exact)).winner).toBe("B");
    expect((await ask(JUDGE, exact, exact)).winner).toBe("tie");
    const biased = `${JUDGE}-biased`;
    const forward = await ask(biased, exact, wrongTool);
    const swapped = await ask(biased, wrongTool, exact);
    expect([forward.winner, swapped.winner]).toEqual(["A", "A"]);
    expect(combineOrders(forward, swapped)).toMatchObject({ winner: "tie", order_disagreement: true, confidence: DISAGREEMENT_CONFIDENCE });
    // Unbiased, both orders name the same run.
    expect(combineOrders(await ask(JUDGE, exact, wrongTool), await ask(JUDGE, wrongTool, exact))).toMatchObject({
      winner: "a",
      order_disagreement: false,
    });
  });

  it("writes a cross-case report and a comparison summary from their lines", async () => {
    const report = parseReport(
      await answer(
        JUDGE,
        reportPrompt("Model", [
          { test_case_id: "c1", verdict: "pass", quality_score: 5, summary: "ok" },
          { test_case_id: "c2", verdict: "fail", quality_score: 2, summary: "wrong tool" },
        ]),
      ),
    );
    expect(report).toMatchObject({ overall_score: 70, overall_grade: "C" });
    expect(report.strengths.length + report.weaknesses.length).toBeGreaterThan(0);
    const summary = parseCompareSummary(
      await answer(
        JUDGE,
        summaryPrompt("A", "B", [
          { test_case_id: "c1", winner: "a", confidence: 0.9, reasoning: "x" },
          { test_case_id: "c2", winner: "tie", confidence: 0.1, reasoning: "y" },
        ]),
      ),
    );
    expect(summary).toMatchObject({ overall_winner: "model_a", score_a: 50, score_b: 0, tie_cases: 1 });
  });

  it("refuses option combinations that make no sense", () => {
    expect(parseModelId("sim-judge-biased-jsonpartial").ok).toBe(true);
    expect(parseModelId("sim-biased")).toMatchObject({ ok: false, message: expect.stringMatching(/biased needs judge/) });
    expect(parseModelId("sim-writer-jsonpartial")).toMatchObject({ ok: false, message: expect.stringMatching(/jsonpartial needs judge/) });
    expect(parseModelId("sim-judge-jsonfenced-jsonbroken").ok).toBe(false);
  });
});

describe("judge answers: lenient parsing and fallbacks", () => {
  it("finds JSON whole, in a fence, or inside prose", () => {
    expect(extractJson('{"a":1}').format).toBe("json");
    expect(extractJson('Sure.\n```json\n{"a":1}\n```').format).toBe("fenced");
    expect(extractJson('My verdict: {"a": {"b": 2}} — done').format).toBe("extracted");
    expect(extractJson("no json here")).toEqual({ value: null, format: "invalid" });
    expect(extractJson("[1,2]").format).toBe("invalid");
  });

  it("defaults each odd field on its own and keeps the rest", () => {
    const { verdict } = parseVerdict(
      `{"quality_score": "4", "verdict": "PASS", "summary": "${"x".repeat(300)}", "tool_selection_assessment": "maybe", "param_assessment": 7}`,
    );
    expect(verdict).toMatchObject({ quality_score: 4, verdict: "pass", tool_selection_assessment: "unknown", param_assessment: "unknown" });
    expect(verdict.summary).toHaveLength(100);
    expect(parseVerdict('{"quality_score": 9, "verdict": "great"}').verdict).toMatchObject({ quality_score: 0, verdict: "fail" });
    expect(parseVerdict("").verdict).toMatchObject({ verdict: "error", summary: "Judge model returned invalid response" });
    expect(parsePairwise('{"winner":"model_b","confidence":3}').pairwise).toEqual({ winner: "B", confidence: 0, reasoning: "Judge error" });
    expect(parsePairwise("???").pairwise).toEqual({ winner: "tie", confidence: 0, reasoning: "Judge error" });
    expect(parseReport('{"overall_grade":"excellent","overall_score":88}')).toMatchObject({ overall_grade: "?", overall_score: 88, strengths: [] });
    expect(parseCompareSummary("nothing")).toBeNull();
    expect(countedSummary(3, 1, 1)).toEqual({
      overall_winner: "model_a",
      score_a: 60,
      score_b: 20,
      summary: "A won 3, B won 1, 1 ties.",
      tie_cases: 1,
    });
    expect([binaryOf("pass"), binaryOf("marginal"), binaryOf("fail"), binaryOf("error")]).toEqual(["pass", "fail", "fail", null]);
  });
});

describe("swap logic", () => {
  const p = (winner: "A" | "B" | "tie", confidence = 0.8) => ({ winner, confidence, reasoning: "" });
  it("maps each order back to the runs and keeps only what both orders say", () => {
    expect(combineOrders(p("A", 0.9), p("B", 0.7))).toEqual({ winner: "a", confidence: 0.8, order_disagreement: false, forward: "a", swapped: "a" });
    expect(combineOrders(p("B"), p("A"))).toMatchObject({ winner: "b", order_disagreement: false });
    expect(combineOrders(p("tie", 0.5), p("tie", 0.5))).toMatchObject({ winner: "tie", order_disagreement: false, confidence: 0.5 });
    expect(combineOrders(p("B"), p("B"))).toMatchObject({ winner: "tie", order_disagreement: true, forward: "b", swapped: "a" });
    expect(combineOrders(p("A"), p("tie"))).toMatchObject({ winner: "tie", order_disagreement: true });
  });
});

describe("agreement figures of a judge report, against textbook values", () => {
  it("kappa on Cohen's worked example and on a judge's pass/fail table; the sign test's exact p", () => {
    expect(
      cohenKappa([
        [20, 5],
        [10, 15],
      ]),
    ).toBeCloseTo(0.4, 10); // Wikipedia's example
    // Judge vs scorer, rows = scorer (fail, pass), columns = judge (fail, pass): 4 agree fail, 2 false passes, 6 agree pass.
    const items = [
      ...Array.from({ length: 4 }, () => ({ reference: "fail", judged: "fail" })),
      ...Array.from({ length: 2 }, () => ({ reference: "fail", judged: "pass" })),
      ...Array.from({ length: 6 }, () => ({ reference: "pass", judged: "pass" })),
    ];
    const cal = calibration(items, { seed: 1, resamples: 200 });
    expect(cal.table).toEqual([
      [4, 2],
      [0, 6],
    ]);
    // p_o = 10/12, p_e = (6·4 + 6·8)/144 = 0.5 → κ = (0.8333 − 0.5) / 0.5 = 2/3
    expect(cal.kappa).toBeCloseTo(2 / 3, 10);
    expect(cal.false_pass_rate).toBeCloseTo(2 / 6, 10);
    expect(cal.false_fail_rate).toBe(0);
    expect(signTest(9, 1)).toBeCloseTo(0.021484375, 10); // 2 · 11/1024
    expect(signTest(0, 0)).toBe(1);
  });
});
