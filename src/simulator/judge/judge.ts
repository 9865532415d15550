/**
 * The simulator's judge model (`sim-judge`): answers the app's LLM-as-judge requests with verdict JSON that
 * follows a fixed rule, so a test knows the right verdict for every case.
 *
 * The app's judge prompts (src/shared/judge/prompts.ts) carry the case as JSON between markers:
 * `<<<CASE … CASE>>>` (one verdict), `<<<COMPARE … COMPARE>>>` (two answers, A shown first), `<<<REPORT … REPORT>>>`
 * (a model's verdict lines, for the cross-case report) and `<<<SUMMARY … SUMMARY>>>` (a comparison's case lines).
 * Any other request gets the usual reply.
 *
 * The verdict rule (`simVerdict`) is lenient on parameters where the automated scorers are strict: the right
 * tool with at least half of the expected arguments is a pass. So the judge and the scorer disagree on a known
 * set of cases, which gives calibration something to measure. `biased` makes comparisons prefer whichever
 * answer is shown first (A), whatever it says: the position bias that judging in both orders must catch.
 */

/** How the JSON is wrapped: plain, in a ```json fence after a sentence, with keys missing, or cut off. */
export type JudgeFormat = "json" | "fenced" | "partial" | "broken";

export interface JudgeOptions {
  format: JudgeFormat;
  /** Comparisons: always prefer the answer shown first. */
  biased: boolean;
}

export interface SimCase {
  expected_tool: string | string[] | null;
  expected_params: unknown;
  called_tool: string | null;
  called_params: unknown;
}

export interface SimVerdict {
  quality_score: number;
  verdict: "pass" | "marginal" | "fail";
  summary: string;
  reasoning: string;
  tool_selection_assessment: "correct" | "acceptable_alternative" | "wrong";
  param_assessment: "exact" | "close" | "partial" | "wrong";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Values compared loosely: strings without case or surrounding space, numbers as numbers. */
function loose(v: unknown): string {
  if (typeof v === "string") {
    const t = v.trim().toLowerCase();
    return t !== "" && Number.isFinite(Number(t)) ? String(Number(t)) : t;
  }
  if (Array.isArray(v)) return `[${v.map(loose).join(",")}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}:${loose(v[k])}`)
      .join(",")}}`;
  return String(v);
}

/** Share of the expected arguments the call gives (1 when none are expected). */
export function argumentShare(expected: unknown, called: unknown): number {
  const want = Array.isArray(expected) ? expected[0] : expected;
  if (!isObject(want)) return 1;
  const keys = Object.keys(want);
  if (!keys.length) return 1;
  const got = isObject(called) ? called : {};
  return keys.filter((k) => k in got && loose(got[k]) === loose(want[k])).length / keys.length;
}

function toolRight(c: SimCase): boolean {
  const names = c.expected_tool === null ? [] : Array.isArray(c.expected_tool) ? c.expected_tool : [c.expected_tool];
  return c.called_tool !== null && names.includes(c.called_tool);
}

/** The rule: what sim-judge says about one case. */
export function simVerdict(c: SimCase): SimVerdict {
  const v = (
    quality_score: number,
    verdict: SimVerdict["verdict"],
    tool: SimVerdict["tool_selection_assessment"],
    param: SimVerdict["param_assessment"],
    summary: string,
  ): SimVerdict => ({
    quality_score,
    verdict,
    summary,
    reasoning: `${summary}. The simulated judge compares the call with the expected one. It accepts half of the arguments.`,
    tool_selection_assessment: tool,
    param_assessment: param,
  });
  if (c.expected_tool === null)
    return c.called_tool === null
      ? v(5, "pass", "correct", "exact", "Correctly made no call")
      : v(1, "fail", "wrong", "wrong", "Called a tool when none was needed");
  if (c.called_tool === null) return v(1, "fail", "wrong", "wrong", "Made no call");
  if (!toolRight(c)) return v(2, "fail", "wrong", "wrong", `Called ${c.called_tool} instead`);
  const share = argumentShare(c.expected_params, c.called_params);
  if (share === 1) return v(5, "pass", "correct", "exact", "Right tool, exact arguments");
  if (share >= 0.5) return v(4, "pass", "correct", "close", "Right tool, arguments close enough");
  if (share > 0) return v(3, "marginal", "correct", "partial", "Right tool, some arguments wrong");
  return v(2, "fail", "correct", "wrong", "Right tool, wrong arguments");
}

/** How good an answer is for comparisons: 0 (wrong tool or call) up to 2 (right tool, every argument). */
export function answerMerit(c: SimCase): number {
  if (c.expected_tool === null) return c.called_tool === null ? 2 : 0;
  return toolRight(c) ? 1 + argumentShare(c.expected_params, c.called_params) : 0;
}

function between(text: string, tag: string): string | null {
  const start = text.indexOf(`<<<${tag}`);
  const end = text.indexOf(`${tag}>>>`, start + 1);
  if (start < 0 || end < 0) return null;
  return text.slice(start + tag.length + 3, end).trim();
}

function parseJson(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

function asCase(o: Record<string, unknown>, answer: unknown): SimCase {
  const a = isObject(answer) ? answer : {};
  return {
    expected_tool: (o.expected_tool ?? null) as SimCase["expected_tool"],
    expected_params: o.expected_params ?? null,
    called_tool: typeof a.called_tool === "string" ? a.called_tool : null,
    called_params: a.called_params ?? null,
  };
}

/** The answer text for a judge request, or null when the request is not one. */
export function judgeAnswer(user: string, options: JudgeOptions): string | null {
  const single = parseJson(between(user, "CASE"));
  if (single) return render(simVerdict(asCase(single, single)) as unknown as Record<string, unknown>, ["quality_score", "verdict"], options.format);
  const pair = parseJson(between(user, "COMPARE"));
  if (pair) return render(compareAnswer(pair, options.biased), ["winner"], options.format);
  const report = between(user, "REPORT");
  if (report !== null) return render(reportAnswer(report), ["overall_grade"], options.format);
  const summary = between(user, "SUMMARY");
  if (summary !== null) return render(summaryAnswer(summary), ["overall_winner"], options.format);
  return null;
}

function compareAnswer(o: Record<string, unknown>, biased: boolean): Record<string, unknown> {
  if (biased) return { winner: "A", confidence: 0.8, reasoning: "The first answer reads better." };
  const a = answerMerit(asCase(o, o.answer_a));
  const b = answerMerit(asCase(o, o.answer_b));
  if (a === b) return { winner: "tie", confidence: 0.5, reasoning: "Both answers are equally good." };
  return {
    winner: a > b ? "A" : "B",
    confidence: Math.abs(a - b) >= 1 ? 0.9 : 0.7,
    reasoning: `Answer ${a > b ? "A" : "B"} matches the expected call more closely.`,
  };
}

const GRADES: Array<[number, string]> = [
  [93, "A"],
  [90, "A-"],
  [87, "B+"],
  [83, "B"],
  [80, "B-"],
  [77, "C+"],
  [70, "C"],
  [60, "D"],
];

/** The letter for a score out of 100, as sim-judge grades (A ≥ 93 … D ≥ 60, else F). */
export function simGrade(score: number): string {
  return GRADES.find(([min]) => score >= min)?.[1] ?? "F";
}

function reportAnswer(lines: string): Record<string, unknown> {
  const scores = [...lines.matchAll(/\(score (\d)\/5\)/g)].map((m) => Number(m[1]));
  const passes = [...lines.matchAll(/^- Case [^:]+: pass\b/gm)].length;
  const score = scores.length ? Math.round((100 * scores.reduce((s, x) => s + x, 0)) / (5 * scores.length)) : 0;
  return {
    overall_grade: simGrade(score),
    overall_score: score,
    strengths: passes ? [`Passed ${passes} of ${scores.length} cases`] : [],
    weaknesses: passes < scores.length ? [`${scores.length - passes} cases not passed`] : [],
    cross_case_analysis: `The model passed ${passes} of ${scores.length} cases with a mean quality of ${(score / 20).toFixed(1)} out of 5.`,
    recommendations: passes < scores.length ? ["Check the arguments of the failed cases"] : ["Keep the current settings"],
  };
}

function summaryAnswer(lines: string): Record<string, unknown> {
  const winners = [...lines.matchAll(/winner=(\w+)/g)].map((m) => m[1]!.toLowerCase());
  const n = winners.length || 1;
  const a = winners.filter((w) => w === "a" || w === "model_a").length;
  const b = winners.filter((w) => w === "b" || w === "model_b").length;
  return {
    overall_winner: a > b ? "model_a" : b > a ? "model_b" : "tie",
    score_a: Math.round((100 * a) / n),
    score_b: Math.round((100 * b) / n),
    summary: `A won ${a}, B won ${b}, ${winners.length - a - b} ties.`,
    tie_cases: winners.length - a - b,
  };
}

function render(answer: Record<string, unknown>, partialKeys: string[], format: JudgeFormat): string {
  const json = JSON.stringify(answer);
  switch (format) {
    case "json":
      return json;
    case "fenced":
      return `Here is my assessment.\n\n\`\`\`json\n${JSON.stringify(answer, null, 2)}\n\`\`\``;
    case "partial":
      return JSON.stringify(Object.fromEntries(partialKeys.map((k) => [k, answer[k]])));
    case "broken":
      return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
  }
}
