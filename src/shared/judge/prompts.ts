/**
 * The judge's prompts (original §11.1–11.4). Each carries its case as JSON between markers (`<<<CASE … CASE>>>`,
 * `<<<COMPARE … COMPARE>>>`, `<<<REPORT … REPORT>>>`, `<<<SUMMARY … SUMMARY>>>`): a real model reads it as well as
 * prose, and the simulator's judge (src/simulator/judge/) finds the case without guessing.
 *
 * `JUDGE_PROMPT_VERSION` names these texts: a judge card is kept per (model, prompt version, instructions), so a
 * changed prompt is a new judge that is checked again against the same human labels.
 */

export const JUDGE_PROMPT_VERSION = "v1";

export interface JudgeTool {
  name: string;
  description?: string;
  parameters?: { properties?: Record<string, { type?: unknown; description?: string }> };
}

/** One block per tool: `- name: description`, then its parameters (§11.1). */
export function toolsText(tools: readonly JudgeTool[]): string {
  return tools
    .map((t) => {
      const props = Object.entries(t.parameters?.properties ?? {});
      const lines = props.map(([name, p]) => `    ${name} (${typeof p.type === "string" ? p.type : "any"}): ${(p.description ?? "").slice(0, 60)}`);
      return [`- ${t.name}: ${t.description ?? ""}`, ...(lines.length ? ["  Parameters:", ...lines] : [])].join("\n");
    })
    .join("\n");
}

export interface JudgedAnswer {
  called_tool: string | null;
  called_params: unknown;
  automated_score: number | null;
}

export interface JudgedCase extends JudgedAnswer {
  prompt: string;
  expected_tool: string | string[] | null;
  expected_params: unknown;
}

function instructionsBlock(custom: string | null | undefined): string {
  return custom?.trim() ? `\n\nADDITIONAL EVALUATION INSTRUCTIONS:\n${custom.trim()}` : "";
}

/** One case, one verdict (§11.2). */
export function verdictPrompt(tools: readonly JudgeTool[], c: JudgedCase, custom?: string | null): string {
  return `You are an expert evaluator of tool-calling quality.${instructionsBlock(custom)}

AVAILABLE TOOLS:
${toolsText(tools)}

The test case (the user's prompt, the expected tool and parameters) and the model's response (the tool it called, its parameters and the automated score):
<<<CASE
${JSON.stringify(c)}
CASE>>>

Assess: (1) tool selection: the right tool, or a reasonable alternative; (2) parameter accuracy: exact, close or missing; (3) whether the call reflects the user's intent; (4) handling of ambiguity and edge cases.

Return ONLY JSON: {"quality_score": 1-5, "verdict": "pass"|"marginal"|"fail", "summary": "one line, at most 100 characters", "reasoning": "2-3 sentences", "tool_selection_assessment": "correct"|"acceptable_alternative"|"wrong", "param_assessment": "exact"|"close"|"partial"|"wrong"}`;
}

/** Two answers to one case; A is whichever is shown first (the caller swaps them for the second order). */
export function comparePrompt(
  tools: readonly JudgeTool[],
  c: { prompt: string; expected_tool: unknown; expected_params: unknown; answer_a: JudgedAnswer; answer_b: JudgedAnswer },
  position: { k: number; n: number },
  custom?: string | null,
): string {
  return `You are an expert evaluator comparing two models' tool calls on the same request (case ${position.k}/${position.n}).${instructionsBlock(custom)}

AVAILABLE TOOLS:
${toolsText(tools)}

<<<COMPARE
${JSON.stringify(c)}
COMPARE>>>

Which answer serves the user's request better? Judge the calls, not their order.

Return ONLY JSON: {"winner": "A"|"B"|"tie", "confidence": 0.0-1.0, "reasoning": "1-2 sentences"}`;
}

/** A model's verdicts, for its cross-case report (§11.3). */
export function reportPrompt(
  modelName: string,
  lines: readonly { test_case_id: string; verdict: string; quality_score: number; summary: string }[],
): string {
  const body = lines.map((l) => `- Case ${l.test_case_id}: ${l.verdict} (score ${l.quality_score}/5) - ${l.summary}`).join("\n");
  return `You are an expert evaluator of tool-calling quality. Here are the verdicts on ${modelName}'s answers:
<<<REPORT
${body}
REPORT>>>

Find the patterns: strengths and weaknesses, which kinds of tool calls the model handles well or poorly. Give an overall letter grade (A to F, with + or -) and concrete recommendations.

Return ONLY JSON: {"overall_grade": "B+", "overall_score": 0-100, "strengths": [], "weaknesses": [], "cross_case_analysis": "a paragraph", "recommendations": []}`;
}

/** The comparison's summary over its case lines (§11.4). */
export function summaryPrompt(
  nameA: string,
  nameB: string,
  lines: readonly { test_case_id: string; winner: string; confidence: number; reasoning: string }[],
): string {
  const body = lines
    .map((l) => `- Case ${l.test_case_id}: winner=${l.winner}, confidence=${l.confidence.toFixed(2)}, reason: ${l.reasoning.slice(0, 100)}`)
    .join("\n");
  return `You compared two eval runs case by case: A is ${nameA}, B is ${nameB}.
<<<SUMMARY
${body}
SUMMARY>>>

Return ONLY JSON: {"overall_winner": "model_a"|"model_b"|"tie", "score_a": 0-100, "score_b": 0-100, "summary": "2-3 sentences", "tie_cases": 0}`;
}
