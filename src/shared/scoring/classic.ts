// classic: the original Benchmark Studio's scoring, kept so scores stay comparable with it
// (spec/tool-scoring.md §1, spec/original-inventory.md §8.4–8.5, §19.4). Python semantics are reproduced where
// they show through: `5 == 5.0`, `True == 1`, `str()` forms for contains/regex, `float()` for tolerance.
// Additions over the original: the `subset` mode, and several expected calls (expected_params as an array)
// paired by maximum-weight matching instead of looking at the first call only.

import { maxWeightAssignment } from "./matching.ts";
import { type PythonRegex, translatePythonRegex } from "./python-regex.ts";
import type { ActualCall, CallScore, CaseScore, Expectation, MultiTurnScore, ScoreError, ScoreInput, Tool } from "./types.ts";
import { DEFAULT_EPSILON, DEFAULT_OPTIMAL_HOPS } from "./types.ts";
import { hasOwn, isPlainObject, pyEquals, pyFloat, pyNumber, pyNumbersEqual, pyRepr, pyRound, pyStr } from "./values.ts";

/** The original's weights: overall = 0.6 × tool + 0.4 × params when params are scored. */
export const CLASSIC_TOOL_WEIGHT = 0.6;
export const CLASSIC_PARAM_WEIGHT = 0.4;
/** Multi-turn deductions, per consecutive repeat and per detour call. */
export const MULTI_TURN_PENALTY = 0.1;

type Params = Record<string, unknown>;

// ---------------------------------------------------------------- tool selection

/** 1/0: expected null → no call; name or list → case-insensitive match of the called name. */
export function scoreToolSelection(expected: string | string[] | null, actual: string | null): number {
  if (expected === null) return actual === null ? 1 : 0;
  if (actual === null) return 0;
  const a = actual.toLowerCase();
  if (Array.isArray(expected)) return expected.some((e) => e.toLowerCase() === a) ? 1 : 0;
  return expected.toLowerCase() === a ? 1 : 0;
}

// ---------------------------------------------------------------- value matching

/** Translated regex-mode patterns, reused across cases and models (bounded: suites are finite). */
const regexCache = new Map<string, PythonRegex>();
const REGEX_CACHE_SIZE = 1000;

function pythonRegex(pattern: string): PythonRegex {
  let r = regexCache.get(pattern);
  if (!r) {
    if (regexCache.size >= REGEX_CACHE_SIZE) regexCache.clear();
    r = translatePythonRegex(pattern);
    regexCache.set(pattern, r);
  }
  return r;
}

export interface RegexProblem {
  /** Parameter path in expected_params: `city`, or `[1].city` for the second of several expected calls. */
  path: string;
  /** The same path as keys: ["city"] or [1, "city"]. */
  keys: Array<string | number>;
  pattern: string;
  /** invalid: Python cannot compile it (the original then compares it as text); unsupported: no faithful JS. */
  kind: "invalid" | "unsupported";
  message: string;
}

/** The regex-mode patterns of an expectation (str() of each expected value) that cannot be used as written. */
export function regexPatternProblems(expectedParams: unknown): RegexProblem[] {
  const calls = Array.isArray(expectedParams) ? expectedParams : [expectedParams];
  const problems: RegexProblem[] = [];
  calls.forEach((params, i) => {
    if (!isPlainObject(params)) return;
    for (const [key, value] of Object.entries(params)) {
      const pattern = pyStr(value);
      const r = pythonRegex(pattern);
      if (r.ok) continue;
      const keys = Array.isArray(expectedParams) ? [i, key] : [key];
      problems.push({ path: Array.isArray(expectedParams) ? `[${i}].${key}` : key, keys, pattern, kind: r.kind, message: r.message });
    }
  });
  return problems;
}

/** What is wrong with one pattern, quoting it (the caller names the case and parameter). */
export function regexProblemMessage(p: RegexProblem): string {
  return `regex ${pyRepr(p.pattern)} cannot be used: ${p.message}`;
}

/** Error code of a case that failed because its expected regex cannot be evaluated here. */
export const REGEX_UNSUPPORTED = "regex_unsupported";

/**
 * A failed case whose expected regex could not be evaluated says so, instead of silently blaming the model
 * (the parameter counted as not matching). Patterns Python rejects keep the original's text comparison.
 */
function regexError(mode: string, expectedParams: unknown, wrongKeys?: readonly string[]): ScoreError | null {
  if (mode !== "regex") return null;
  const problems = regexPatternProblems(expectedParams).filter((p) => p.kind === "unsupported" && (!wrongKeys || wrongKeys.includes(p.path)));
  if (problems.length === 0) return null;
  return {
    code: REGEX_UNSUPPORTED,
    message: `the expected regex could not be evaluated, so the parameter counted as not matching — ${problems.map((p) => `${p.path}: ${regexProblemMessage(p)}`).join("; ")}`,
  };
}

/** `exact` scalar rule: strings case-insensitive, numbers (bools included, as in Python) by value, else ==. */
function exactMatch(expected: unknown, actual: unknown): boolean {
  if (typeof expected === "string" && typeof actual === "string") return expected.toLowerCase() === actual.toLowerCase();
  if (pyNumber(expected) !== null && pyNumber(actual) !== null) return pyNumbersEqual(expected, actual);
  return pyEquals(expected, actual);
}

/** subset: every key of an expected object (recursively) is present and matches; every element of an expected array matches a distinct actual element; scalars as `exact`. */
export function subsetMatch(expected: unknown, actual: unknown): boolean {
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    return Object.entries(expected).every(([k, v]) => hasOwn(actual, k) && subsetMatch(v, actual[k]));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    if (expected.length > actual.length) return false;
    const ok = expected.map((e) => actual.map((a) => (subsetMatch(e, a) ? 1 : 0)));
    const pairs = maxWeightAssignment(ok, actual.length);
    return pairs.every((j, i) => j !== null && ok[i]?.[j] === 1);
  }
  return exactMatch(expected, actual);
}

/** One expected value against one actual value under a match mode (unknown modes behave as exact). */
export function matchValue(expected: unknown, actual: unknown, mode: string = "exact", epsilon = DEFAULT_EPSILON): boolean {
  switch (mode) {
    case "case_insensitive":
      if (typeof expected === "string" && typeof actual === "string") return expected.toLowerCase() === actual.toLowerCase();
      return pyEquals(expected, actual);
    case "contains": {
      const e = pyStr(expected).toLowerCase();
      const a = pyStr(actual).toLowerCase();
      return a.includes(e) || e.includes(a);
    }
    case "numeric_tolerance": {
      const e = pyFloat(expected);
      const a = pyFloat(actual);
      if (e === null || a === null) return pyStr(expected) === pyStr(actual);
      return Math.abs(e - a) <= epsilon;
    }
    case "regex": {
      // re.search(expected, str(actual)); a pattern Python rejects is compared as text, as the original does.
      // A pattern JS cannot evaluate faithfully does not match, and the scorers report why (regexPatternProblems).
      const r = pythonRegex(pyStr(expected));
      if (r.ok) return r.regex.test(pyStr(actual));
      return r.kind === "invalid" && pyStr(expected) === pyStr(actual);
    }
    case "subset":
      return subsetMatch(expected, actual);
    default:
      return exactMatch(expected, actual);
  }
}

export interface ParamScore {
  score: number | null;
  /** Expected keys that were missing or did not match. */
  wrong: string[];
  unparseable: boolean;
}

/** null expected → not scored; {} → 1; unparseable/non-object actual → 0; else matched keys / expected keys. */
export function scoreParamsDetailed(
  expected: Params | null | undefined,
  actual: Params | string | null,
  mode: string = "exact",
  epsilon = DEFAULT_EPSILON,
): ParamScore {
  if (expected === null || expected === undefined) return { score: null, wrong: [], unparseable: false };
  const keys = Object.keys(expected);
  if (keys.length === 0) return { score: 1, wrong: [], unparseable: false };
  if (!isPlainObject(actual)) return { score: 0, wrong: keys, unparseable: typeof actual === "string" };
  const wrong = keys.filter((k) => !(hasOwn(actual, k) && matchValue(expected[k], actual[k], mode, epsilon)));
  return { score: (keys.length - wrong.length) / keys.length, wrong, unparseable: false };
}

export function scoreParams(
  expected: Params | null | undefined,
  actual: Params | string | null,
  mode: string = "exact",
  epsilon = DEFAULT_EPSILON,
): number | null {
  return scoreParamsDetailed(expected, actual, mode, epsilon).score;
}

export function computeOverall(tool: number, params: number | null): number {
  return params === null ? tool : CLASSIC_TOOL_WEIGHT * tool + CLASSIC_PARAM_WEIGHT * params;
}

// ---------------------------------------------------------------- multi-turn

export interface MultiTurnInput {
  chain: ActualCall[];
  expected_tool: string | string[] | null;
  expected_params: Params | null | undefined;
  valid_prerequisites: string[];
  optimal_hops: number;
  mode?: string;
  epsilon?: number;
}

/** completion × efficiency − 0.10 per consecutive repeat − 0.10 per detour, clamped, 4 dp (original §8.5). */
export function scoreMultiTurnChain(input: MultiTurnInput): Omit<MultiTurnScore, "chain" | "rounds_used"> & {
  overall: number;
} {
  const { chain } = input;
  const last = chain[chain.length - 1];
  if (!last) return { completion: 0, efficiency: 0, redundancy_penalty: 0, detour_penalty: 0, overall: 0 };
  const tool = scoreToolSelection(input.expected_tool, last.name);
  const params = scoreParams(input.expected_params, last.arguments, input.mode, input.epsilon);
  const completion = computeOverall(tool, params);
  const efficiency = Math.min(1, input.optimal_hops / chain.length);
  // Repeated additions, not count × 0.1, so the float sums round exactly as the Python original's do.
  let redundancy = 0;
  for (let i = 1; i < chain.length; i++) if (chain[i]?.name === chain[i - 1]?.name) redundancy += MULTI_TURN_PENALTY;
  const valid = new Set(input.valid_prerequisites.map((p) => p.toLowerCase()));
  const expected = input.expected_tool;
  if (Array.isArray(expected)) for (const e of expected) valid.add(e.toLowerCase());
  else if (expected) valid.add(expected.toLowerCase());
  let detour = 0;
  for (const call of chain.slice(0, -1)) {
    const name = call.name.toLowerCase();
    if (name && !valid.has(name)) detour += MULTI_TURN_PENALTY;
  }
  const overall = Math.min(1, Math.max(0, completion * efficiency - redundancy - detour));
  return {
    completion: pyRound(completion),
    efficiency: pyRound(efficiency),
    redundancy_penalty: pyRound(redundancy),
    detour_penalty: pyRound(detour),
    overall: pyRound(overall),
  };
}

// ---------------------------------------------------------------- error taxonomy (original §19.4)

export const CLASSIC_ERROR_TYPES = [
  "invalid_invocation",
  "tool_hallucination",
  "argument_hallucination",
  "reentrant_failure",
  "partial_execution",
  "invalid_reasoning",
  // Added to the original's list: it filed both of these under "unclassified", which told the user nothing.
  "irrelevance_failure", // a tool was called although the right answer was no call
  "missing_call", // no tool was called although one was expected
  "unclassified",
] as const;

interface TaxonomyInput {
  shouldCall: boolean;
  actualTool: string | null;
  expectedTool: string | string[] | null;
  expectedParams: unknown;
  toolMatches: boolean;
  suiteToolNames: Set<string>;
  paramsParseFailed: boolean;
  multiTurn: boolean;
  roundsUsed: number;
  optimalHops: number;
}

function classifyError(t: TaxonomyInput): string {
  if (!t.shouldCall && t.actualTool) return "irrelevance_failure";
  if (t.shouldCall && !t.actualTool) return "missing_call";
  if (t.paramsParseFailed) return "invalid_invocation";
  if (t.actualTool && t.suiteToolNames.size > 0 && !t.suiteToolNames.has(t.actualTool.toLowerCase())) {
    return "tool_hallucination";
  }
  const hasExpectedParams =
    t.expectedParams !== null &&
    t.expectedParams !== undefined &&
    (Array.isArray(t.expectedParams) ? t.expectedParams.length > 0 : Object.keys(t.expectedParams).length > 0);
  if (t.actualTool && t.expectedTool && t.toolMatches && hasExpectedParams) return "argument_hallucination";
  if (t.multiTurn && t.roundsUsed >= t.optimalHops * 2) return "reentrant_failure";
  if (t.multiTurn && t.roundsUsed > 0) return "partial_execution";
  if (t.actualTool && t.expectedTool) return "invalid_reasoning";
  return "unclassified";
}

// ---------------------------------------------------------------- case scorer

function describeExpected(e: string | string[] | null): string {
  if (e === null) return "no call";
  return Array.isArray(e) ? e.join(" | ") : e;
}

/** Resolves whether a call is expected at all (see Expectation.should_call_tool). */
export function resolveShouldCall(e: Expectation): boolean {
  if (typeof e.should_call_tool === "boolean") return e.should_call_tool;
  return !(e.expected_tool === null && !(e.answer_key && e.answer_key.length > 0));
}

/** Maps original (dotted) names in output back to the provider names the expectation uses. */
function providerNamer(nameMap: Record<string, string> | undefined): (name: string) => string {
  const back = new Map<string, string>();
  for (const [provider, original] of Object.entries(nameMap ?? {})) back.set(original, provider);
  return (name) => back.get(name) ?? name;
}

export function scoreClassic(input: ScoreInput): CaseScore {
  const exp = input.expectation;
  const toProvider = providerNamer(input.name_map);
  const calls = input.output.calls.map((c) => ({ ...c, name: toProvider(c.name) }));
  const shouldCall = resolveShouldCall(exp);
  const mode = exp.match_mode ?? "exact";
  const epsilon = exp.epsilon ?? DEFAULT_EPSILON;
  const category = exp.category ?? null;
  const suiteToolNames = new Set(input.tools.map((t: Tool) => t.function.name.toLowerCase()));
  // An irrelevance case expects no call whatever else it says; "relevance" (call expected, none named) accepts any.
  const expectedTool = shouldCall ? exp.expected_tool : null;
  const relevanceOnly = shouldCall && exp.expected_tool === null;
  const expectedParams = shouldCall ? (exp.expected_params ?? null) : null;

  if (exp.multi_turn && shouldCall) return scoreClassicMultiTurn(input, calls, category, suiteToolNames, toProvider);

  if (Array.isArray(expectedParams) && expectedParams.length > 0) {
    return scoreClassicParallel(calls, expectedTool, expectedParams, mode, epsilon, category, suiteToolNames);
  }

  const first = calls[0] ?? null;
  const called = calls.length > 0;
  const single = Array.isArray(expectedParams) ? null : expectedParams;
  const tool = relevanceOnly ? (called ? 1 : 0) : scoreToolSelection(expectedTool, first?.name ?? null);
  const p = scoreParamsDetailed(single, first ? first.arguments : null, mode, epsilon);
  const overall = computeOverall(tool, p.score);
  const passed = overall === 1;
  let error: ScoreError | null = null;
  if (!passed) {
    const code = classifyError({
      shouldCall,
      actualTool: first?.name ?? null,
      expectedTool,
      expectedParams: single,
      toolMatches: tool === 1,
      suiteToolNames,
      paramsParseFailed: p.unparseable,
      multiTurn: false,
      roundsUsed: 0,
      optimalHops: DEFAULT_OPTIMAL_HOPS,
    });
    let message: string;
    if (!shouldCall) message = `called ${first?.name ?? "a tool"} although no tool call was expected`;
    else if (!first) message = `no tool call; expected ${describeExpected(expectedTool ?? "any tool")}`;
    else if (tool === 0) message = `called ${first.name}; expected ${describeExpected(expectedTool)}`;
    else if (p.unparseable) message = `arguments of ${first.name} did not parse as a JSON object`;
    else message = `parameters wrong or missing (${mode}): ${p.wrong.join(", ")}`;
    error = (tool === 1 && !p.unparseable ? regexError(mode, single, p.wrong) : null) ?? { code, message };
  }
  const callScore: CallScore = {
    expected_index: 0,
    expected_name: expectedTool,
    actual_index: first ? 0 : null,
    actual_name: first?.name ?? null,
    tool,
    params: p.score,
    score: overall,
  };
  return {
    scorer: "classic",
    success: true,
    category,
    should_call_tool: shouldCall,
    tool_selection: tool,
    param_accuracy: p.score,
    overall,
    passed,
    irrelevance: called === shouldCall ? 1 : 0,
    calls: [callScore],
    matching: { method: first ? "first_call" : "none", pairs: [first ? 0 : null] },
    extra_calls: calls.length > 1 ? calls.slice(1).map((_, i) => i + 1) : [],
    error,
  };
}

function namesForCall(expectedTool: string | string[] | null, index: number, count: number): string[] {
  if (expectedTool === null) return [];
  if (!Array.isArray(expectedTool)) return [expectedTool];
  if (expectedTool.length === count) return [expectedTool[index] ?? ""];
  return expectedTool; // a list of a different length: acceptable names for every call
}

function scoreClassicParallel(
  calls: ActualCall[],
  expectedTool: string | string[] | null,
  expectedParams: Params[],
  mode: string,
  epsilon: number,
  category: string | null,
  suiteToolNames: Set<string>,
): CaseScore {
  const k = expectedParams.length;
  const pair = expectedParams.map((ep, i) => {
    const names = namesForCall(expectedTool, i, k);
    return calls.map((c) => {
      const tool = names.length === 0 ? 1 : scoreToolSelection(names, c.name);
      const p = scoreParamsDetailed(ep, c.arguments, mode, epsilon);
      return { tool, p, overall: computeOverall(tool, p.score) };
    });
  });
  const assignment = maxWeightAssignment(
    pair.map((row) => row.map((x) => x.overall)),
    calls.length,
  );
  const callScores: CallScore[] = assignment.map((j, i) => {
    const cell = j === null ? null : pair[i]?.[j];
    return {
      expected_index: i,
      expected_name: namesForCall(expectedTool, i, k).join(" | ") || null,
      actual_index: j,
      actual_name: j === null ? null : (calls[j]?.name ?? null),
      tool: cell?.tool ?? 0,
      params: cell?.p.score ?? 0,
      score: cell?.overall ?? 0,
    };
  });
  const tool = callScores.reduce((s, c) => s + c.tool, 0) / k;
  const params = callScores.reduce((s, c) => s + (c.params ?? 0), 0) / k;
  const overall = computeOverall(tool, params);
  const used = new Set(assignment.filter((j): j is number => j !== null));
  const extra = calls.map((_, j) => j).filter((j) => !used.has(j));
  const passed = overall === 1;
  let error: ScoreError | null = null;
  if (!passed) {
    const firstCall = calls[0] ?? null;
    const code = classifyError({
      shouldCall: true, // parallel expectations always expect calls
      actualTool: firstCall?.name ?? null,
      expectedTool,
      expectedParams,
      toolMatches: tool === 1,
      suiteToolNames,
      paramsParseFailed: calls.some((c) => typeof c.arguments === "string"),
      multiTurn: false,
      roundsUsed: 0,
      optimalHops: DEFAULT_OPTIMAL_HOPS,
    });
    const missing = callScores.filter((c) => c.actual_index === null).length;
    const wrongName = callScores.filter((c) => c.actual_index !== null && c.tool === 0).length;
    const wrongParams = callScores.filter((c) => c.actual_index !== null && c.tool === 1 && c.params !== 1).length;
    const bits = [
      missing ? `${missing} of ${k} expected calls unmatched` : "",
      wrongName ? `${wrongName} paired with the wrong tool` : "",
      wrongParams ? `${wrongParams} with wrong parameters` : "",
    ].filter(Boolean);
    error = regexError(mode, expectedParams) ?? { code, message: bits.join("; ") || "parallel calls do not match" };
  }
  return {
    scorer: "classic",
    success: true,
    category,
    should_call_tool: true,
    tool_selection: tool,
    param_accuracy: params,
    overall,
    passed,
    irrelevance: calls.length > 0 ? 1 : 0,
    calls: callScores,
    matching: { method: "max_weight", pairs: assignment },
    extra_calls: extra,
    error,
  };
}

function scoreClassicMultiTurn(
  input: ScoreInput,
  calls: ActualCall[],
  category: string | null,
  _suiteToolNames: Set<string>,
  toProvider: (name: string) => string,
): CaseScore {
  const exp = input.expectation;
  const mt = exp.multi_turn;
  const chain = (input.output.chain ?? calls).map((c) => ({ ...c, name: toProvider(c.name) }));
  const expectedParams = Array.isArray(exp.expected_params) ? (exp.expected_params[0] ?? null) : (exp.expected_params ?? null);
  const mode = exp.match_mode ?? "exact";
  const epsilon = exp.epsilon ?? DEFAULT_EPSILON;
  const optimal = mt?.optimal_hops ?? DEFAULT_OPTIMAL_HOPS;
  const s = scoreMultiTurnChain({
    chain,
    expected_tool: exp.expected_tool,
    expected_params: expectedParams,
    valid_prerequisites: mt?.valid_prerequisites ?? [],
    optimal_hops: optimal,
    mode,
    epsilon,
  });
  // The original's run loop stops at the expected tool; the reported call is that one, or the last one.
  const matchIndex = chain.findIndex((c) => scoreToolSelection(exp.expected_tool, c.name) === 1);
  const finalIndex = matchIndex >= 0 ? matchIndex : chain.length - 1;
  const final = chain[finalIndex] ?? null;
  const tool = scoreToolSelection(exp.expected_tool, final?.name ?? null);
  const p = scoreParamsDetailed(expectedParams, final ? final.arguments : null, mode, epsilon);
  const roundsUsed = input.output.rounds_used ?? chain.length;
  const passed = s.overall === 1;
  let error: ScoreError | null = null;
  if (!passed) {
    const code = classifyError({
      shouldCall: true, // only cases that expect a call reach the multi-turn scorer
      actualTool: final?.name ?? null,
      expectedTool: exp.expected_tool,
      expectedParams,
      toolMatches: tool === 1,
      suiteToolNames: new Set(), // as the original: no hallucination check in multi-turn
      paramsParseFailed: false,
      multiTurn: true,
      roundsUsed,
      optimalHops: optimal,
    });
    const bits: string[] = [];
    if (chain.length === 0) bits.push("no tool call");
    else {
      if (s.completion < 1) bits.push(`final call ${chain[chain.length - 1]?.name} completes ${s.completion}`);
      if (s.efficiency < 1) bits.push(`${chain.length} hops for ${optimal} optimal`);
      if (s.redundancy_penalty > 0) bits.push(`repeats −${s.redundancy_penalty}`);
      if (s.detour_penalty > 0) bits.push(`detours −${s.detour_penalty}`);
    }
    error = regexError(mode, expectedParams) ?? { code, message: bits.join("; ") || "multi-turn chain incomplete" };
  }
  return {
    scorer: "classic",
    success: true,
    category,
    should_call_tool: true,
    tool_selection: tool,
    param_accuracy: p.score,
    overall: s.overall,
    passed,
    irrelevance: chain.length > 0 ? 1 : 0,
    calls: [
      {
        expected_index: 0,
        expected_name: exp.expected_tool,
        actual_index: final ? finalIndex : null,
        actual_name: final?.name ?? null,
        tool,
        params: p.score,
        score: computeOverall(tool, p.score),
      },
    ],
    matching: { method: final ? "first_call" : "none", pairs: [final ? finalIndex : null] },
    extra_calls: [],
    error,
    multi_turn: {
      completion: s.completion,
      efficiency: s.efficiency,
      redundancy_penalty: s.redundancy_penalty,
      detour_penalty: s.detour_penalty,
      chain: chain.map((c) => c.name),
      rounds_used: input.output.rounds_used ?? null,
    },
  };
}
