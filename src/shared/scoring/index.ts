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

export { type BfclVerdict, bfclContainsCall, bfclRouting, bfclVerdict, deriveAnswerKey, scoreBfcl } from "./bfcl.ts";
export {
  type BfclAnswerEntry,
  type BfclEntry,
  bfclCategoryFromId,
  convertBfclParameters,
  exportBfcl,
  exportBfclText,
  importBfcl,
  importBfclMany,
  looksLikeBfclEntry,
} from "./bfcl-format.ts";
export { ANY, BFCL_ERROR_TYPES, checkArgument, checkFunctionCall, standardizeString } from "./bfcl-rules.ts";
export {
  CLASSIC_ERROR_TYPES,
  computeOverall,
  matchValue,
  REGEX_UNSUPPORTED,
  type RegexProblem,
  regexPatternProblems,
  regexProblemMessage,
  scoreClassic,
  scoreMultiTurnChain,
  scoreParams,
  scoreParamsDetailed,
  scoreToolSelection,
  subsetMatch,
} from "./classic.ts";
export { greedyInOrder, maxWeightAssignment } from "./matching.ts";
export { buildNameMap, makeNameResolver, sanitizeToolName } from "./names.ts";
export { exportOriginalSuite, importOriginalSuite, looksLikeOriginalSuite } from "./original-format.ts";
export { EXTRA_CALL_PENALTY, PARTIAL_WEIGHTS, partsOf, RESIDUAL_PENALTY, scorePartial, scorePartialDetailed, weightedParts } from "./partial.ts";
export { parsePythonCalls } from "./python-calls.ts";
export { type PythonRegex, translatePythonRegex } from "./python-regex.ts";
export { parseRecords, toJsonLines } from "./records.ts";
export {
  type BfclFunction,
  type BfclMessage,
  caseExpectation,
  caseTools,
  formatIssue,
  type ImportIssue,
  type ImportResult,
  type Suite,
  type SuiteCase,
  scoreInputFor,
} from "./suite.ts";
export * from "./types.ts";
export { BigIntValue, FloatValue, parseArguments, parseJsonLossless, pyNumbersEqual, toPlain } from "./values.ts";
