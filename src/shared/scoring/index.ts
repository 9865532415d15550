// Entry points: score one case with a named scorer, and summarise a model's case results (original §8.7, §19.4).

import { scoreBfcl } from "./bfcl.ts";
import { scoreClassic } from "./classic.ts";
import { scorePartial } from "./partial.ts";
import type { CaseOutcome, CaseScore, ScoreInput, ScorerName } from "./types.ts";
import { pyRound } from "./values.ts";

export function scoreCase(scorer: ScorerName, input: ScoreInput): CaseScore {
  switch (scorer) {
    case "classic":
      return scoreClassic(input);
    case "bfcl":
      return scoreBfcl(input);
    case "partial":
      return scorePartial(input);
    default:
      throw new Error(`unknown scorer ${String(scorer)}`);
  }
}

export interface CategorySummary {
  cases: number;
  passed: number;
  /** passed / cases × 100. */
  accuracy_pct: number;
  tool_accuracy_pct: number;
  overall_pct: number;
}

export interface ScoreSummary {
  scorer: ScorerName | null;
  /** Every case, including ones that failed to run. */
  cases_run: number;
  /** Cases that ran and were scored (the means are over these, as in the original). */
  cases_scored: number;
  cases_passed: number;
  pass_rate_pct: number;
  tool_accuracy_pct: number;
  /** Mean over cases whose parameters were scored; 0 when none were. */
  param_accuracy_pct: number;
  overall_pct: number;
  /** Mean irrelevance score over cases that expect no call; null when there are none. */
  irrelevance_pct: number | null;
  irrelevance_cases: number;
  category_breakdown: Record<string, CategorySummary>;
  /** Error code → cases (failing and failed-to-run cases). */
  error_type_counts: Record<string, number>;
}

const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const pct = (x: number): number => pyRound(x * 100, 1);

export function summarize(results: readonly CaseOutcome[]): ScoreSummary {
  const scored = results.filter((r): r is CaseScore => r.success);
  const irrelevant = scored.filter((r) => !r.should_call_tool);
  const params = scored.map((r) => r.param_accuracy).filter((p): p is number => p !== null);
  const errors: Record<string, number> = {};
  for (const r of results) {
    const code = r.success ? (r.passed ? null : (r.error?.code ?? "unclassified")) : r.error.code;
    if (code) errors[code] = (errors[code] ?? 0) + 1;
  }
  const byCat = new Map<string, CaseOutcome[]>();
  for (const r of results) {
    const cat = r.category || "uncategorized";
    const list = byCat.get(cat);
    if (list) list.push(r);
    else byCat.set(cat, [r]);
  }
  const breakdown: Record<string, CategorySummary> = {};
  for (const [cat, rs] of byCat) {
    const ok = rs.filter((r): r is CaseScore => r.success);
    const passed = ok.filter((r) => r.passed).length;
    breakdown[cat] = {
      cases: rs.length,
      passed,
      accuracy_pct: pct(passed / rs.length),
      tool_accuracy_pct: pct(mean(ok.map((r) => r.tool_selection))),
      overall_pct: pct(mean(ok.map((r) => r.overall))),
    };
  }
  const passed = scored.filter((r) => r.passed).length;
  return {
    scorer: scored[0]?.scorer ?? null,
    cases_run: results.length,
    cases_scored: scored.length,
    cases_passed: passed,
    pass_rate_pct: results.length === 0 ? 0 : pct(passed / results.length),
    tool_accuracy_pct: pct(mean(scored.map((r) => r.tool_selection))),
    param_accuracy_pct: pct(mean(params)),
    overall_pct: pct(mean(scored.map((r) => r.overall))),
    irrelevance_pct: irrelevant.length === 0 ? null : pct(mean(irrelevant.map((r) => r.irrelevance))),
    irrelevance_cases: irrelevant.length,
    category_breakdown: breakdown,
    error_type_counts: errors,
  };
}

export * from "./types.ts";
export { scoreClassic, scoreToolSelection, scoreParams, scoreParamsDetailed, matchValue, subsetMatch, computeOverall, scoreMultiTurnChain, CLASSIC_ERROR_TYPES, regexPatternProblems, regexProblemMessage, REGEX_UNSUPPORTED, type RegexProblem } from "./classic.ts";
export { translatePythonRegex, type PythonRegex } from "./python-regex.ts";
export { scoreBfcl, bfclVerdict, bfclRouting, bfclContainsCall, deriveAnswerKey, type BfclVerdict } from "./bfcl.ts";
export { checkFunctionCall, checkArgument, standardizeString, BFCL_ERROR_TYPES, ANY } from "./bfcl-rules.ts";
export { scorePartial, scorePartialDetailed, partsOf, weightedParts, PARTIAL_WEIGHTS, EXTRA_CALL_PENALTY, RESIDUAL_PENALTY } from "./partial.ts";
export { importBfcl, importBfclMany, exportBfcl, exportBfclText, bfclCategoryFromId, convertBfclParameters, looksLikeBfclEntry, type BfclEntry, type BfclAnswerEntry } from "./bfcl-format.ts";
export { importOriginalSuite, exportOriginalSuite, looksLikeOriginalSuite } from "./original-format.ts";
export { caseTools, caseExpectation, scoreInputFor, formatIssue, type Suite, type SuiteCase, type ImportIssue, type ImportResult, type BfclFunction, type BfclMessage } from "./suite.ts";
export { parseRecords, toJsonLines } from "./records.ts";
export { parsePythonCalls } from "./python-calls.ts";
export { buildNameMap, sanitizeToolName, makeNameResolver } from "./names.ts";
export { FloatValue, BigIntValue, parseJsonLossless, parseArguments, toPlain, pyNumbersEqual } from "./values.ts";
export { maxWeightAssignment, greedyInOrder } from "./matching.ts";
