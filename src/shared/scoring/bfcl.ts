// bfcl: strict pass/fail verdicts compatible with BFCL v4's AST checker (spec/tool-scoring.md §2).
//
// Entry-level rules: which check applies (irrelevance, relevance, or AST by category), call counts, decoding,
// and for parallel categories BFCL's greedy in-order pairing (we also compute a maximum matching and report when
// the two disagree). Per-call rules live in bfcl-rules.ts.
//
// One deliberate BFCL quirk is kept: a call whose arguments are not a JSON object makes the whole output
// undecodable, and an undecodable output counts as "no call" — so it passes an irrelevance entry and fails a
// relevance entry, as in BFCL.

import { ANY, checkFunctionCall, type FunctionCheck } from "./bfcl-rules.ts";
import { resolveShouldCall } from "./classic.ts";
import { type Assignment, greedyInOrder, maxCompatibleMatching } from "./matching.ts";
import { makeNameResolver, sanitizeToolName } from "./names.ts";
import type { ActualCall, AnswerKey, CallScore, CaseScore, Expectation, ScoreError, ScoreInput, Tool, ToolFunction } from "./types.ts";
import { hasOwn, isPlainObject } from "./values.ts";

export type BfclKind = "ast" | "irrelevance" | "relevance";
export type BfclRouting = "simple" | "multiple" | "parallel";

export interface ExpectedCall {
  name: string;
  params: Record<string, unknown[]>;
}

export interface BfclVerdict {
  valid: boolean;
  kind: BfclKind;
  routing: BfclRouting | null;
  error: ScoreError | null;
  /** The answer key in use (imported, or derived from expected_tool/expected_params). */
  expected: ExpectedCall[];
  derived_key: boolean;
  /** Calls as checked (names mapped back to original names; multi-turn: the final call only). */
  calls: ActualCall[];
  /** checks[i][j]: expected call i against actual call j. */
  checks: FunctionCheck[][];
  /** Pairs BFCL used: greedy for parallel, call 0 for simple/multiple. */
  pairs: Assignment;
  max_pairs?: Assignment;
  greedy_differs: boolean;
}

/** Routing by category, as BFCL: "parallel" in the name → parallel, "multiple" → multiple, else simple. */
export function bfclRouting(category: string | null | undefined, expectedCount: number): BfclRouting {
  const c = category ?? "";
  if (c.includes("parallel")) return "parallel";
  if (c.includes("multiple")) return "multiple";
  // Our extension for uncategorised suites: several expected calls are checked as parallel.
  return expectedCount > 1 ? "parallel" : "simple";
}

/** BFCL treats an output as containing a call only if every call decodes. */
export function bfclContainsCall(calls: readonly ActualCall[]): boolean {
  return calls.length > 0 && calls.every((c) => typeof c.arguments !== "string");
}

function originalNameOf(tool: Tool, nameMap: Record<string, string> | undefined): string {
  const n = tool.function.name;
  return nameMap && hasOwn(nameMap, n) ? (nameMap[n] ?? n) : n;
}

export function findFunction(tools: readonly Tool[], name: string, nameMap?: Record<string, string>): ToolFunction | undefined {
  return tools.find((t) => originalNameOf(t, nameMap) === name)?.function;
}

function answerKeyToCalls(key: AnswerKey): ExpectedCall[] {
  return key.map((entry) => {
    const [name, params] = Object.entries(entry)[0] ?? ["", {}];
    return { name, params: params ?? {} };
  });
}

/**
 * Answer key for a case without BFCL ground truth: each expected parameter accepts its expected value (nested
 * objects accept the given keys and leave the schema's other keys free); every other schema parameter accepts
 * any value of its type and may be left out. Match modes of the classic scorer do not apply.
 */
export function deriveAnswerKey(
  exp: Expectation,
  tools: readonly Tool[],
  calls: readonly ActualCall[],
  resolve: (name: string) => string,
  nameMap?: Record<string, string>,
): ExpectedCall[] {
  const tool = exp.expected_tool;
  if (tool === null) return [];
  const paramsList = Array.isArray(exp.expected_params) ? exp.expected_params : [exp.expected_params ?? null];
  const perCallNames = Array.isArray(tool) && Array.isArray(exp.expected_params) && tool.length === paramsList.length;
  const called = calls.map((c) => resolve(c.name));
  return paramsList.map((expected, i) => {
    let name: string;
    if (typeof tool === "string") name = tool;
    else if (perCallNames) name = tool[i] ?? "";
    else name = tool.find((t) => called.includes(resolve(t))) ?? tool[0] ?? "";
    name = resolve(name);
    const def = findFunction(tools, name, nameMap);
    const props = def?.parameters?.properties ?? {};
    const params: Record<string, unknown[]> = {};
    for (const [p, schema] of Object.entries(props)) {
      if (expected && hasOwn(expected, p)) {
        const v = expected[p];
        if (isPlainObject(v) && schema.properties) {
          const acceptableDict: Record<string, unknown[]> = {};
          for (const sub of Object.keys(schema.properties)) acceptableDict[sub] = hasOwn(v, sub) ? [v[sub]] : [ANY];
          for (const [sub, sv] of Object.entries(v)) if (!hasOwn(acceptableDict, sub)) acceptableDict[sub] = [sv];
          params[p] = [acceptableDict];
        } else params[p] = [v];
      } else params[p] = [ANY];
    }
    for (const [p, v] of Object.entries(expected ?? {})) if (!hasOwn(params, p)) params[p] = [v];
    return { name, params };
  });
}

function fail(code: string, message: string): ScoreError {
  return { code, message };
}

/**
 * The suite's name map, completed for tools whose provider name is the sanitized form of an answer-key name
 * (so scoring works even when the caller did not pass the map).
 */
function effectiveNameMap(tools: readonly Tool[], keyNames: readonly string[], given: Record<string, string> | undefined): Record<string, string> {
  const map: Record<string, string> = { ...(given ?? {}) };
  const toolNames = new Set(tools.map((t) => t.function.name));
  for (const n of keyNames) {
    const safe = sanitizeToolName(n);
    if (safe !== n && !hasOwn(map, safe) && toolNames.has(safe) && !keyNames.includes(safe)) map[safe] = n;
  }
  return map;
}

export function bfclVerdict(input: ScoreInput): BfclVerdict {
  const exp = input.expectation;
  const givenKey = exp.answer_key && exp.answer_key.length > 0 ? answerKeyToCalls(exp.answer_key) : null;
  const nameMap = effectiveNameMap(
    input.tools,
    (givenKey ?? []).map((c) => c.name),
    input.name_map,
  );
  const known = [...input.tools.map((t) => originalNameOf(t, nameMap)), ...(givenKey ?? []).map((c) => c.name)];
  const resolve = makeNameResolver(known, nameMap);
  const rawCalls = exp.multi_turn
    ? (input.output.chain ?? input.output.calls).slice(-1) // multi-turn: the final call is the answer
    : input.output.calls;
  const calls = rawCalls.map((c) => ({ name: resolve(c.name), arguments: c.arguments }));
  const shouldCall = resolveShouldCall(exp);
  const expected = givenKey ?? (shouldCall ? deriveAnswerKey(exp, input.tools, calls, resolve, nameMap) : []);
  const base = {
    expected,
    derived_key: givenKey === null,
    calls,
    checks: [] as FunctionCheck[][],
    pairs: [] as Assignment,
    greedy_differs: false,
  };

  if (!shouldCall || expected.length === 0) {
    const contains = bfclContainsCall(calls);
    const kind: BfclKind = shouldCall ? "relevance" : "irrelevance";
    const valid = kind === "irrelevance" ? !contains : contains;
    let error: ScoreError | null = null;
    if (!valid && kind === "irrelevance") {
      error = fail("irrelevance_error:decoder_success", `called ${calls.map((c) => c.name).join(", ")} where no call was expected`);
    } else if (!valid) {
      error = fail(
        "relevance_error:decoder_failed",
        calls.length === 0 ? "no call where one was expected" : "calls made, but their arguments do not decode",
      );
    }
    return { ...base, valid, kind, routing: null, error };
  }

  const routing = exp.multi_turn ? "simple" : bfclRouting(exp.category, expected.length);
  const checks = expected.map((e) => {
    const def = findFunction(input.tools, e.name, nameMap);
    return calls.map((c) => checkFunctionCall(def, e.name, e.params, c.name, c.arguments));
  });
  const ast = { ...base, kind: "ast" as const, routing, checks };

  const undecodable = calls.findIndex((c) => typeof c.arguments === "string");
  if (undecodable >= 0) {
    return {
      ...ast,
      valid: false,
      pairs: expected.map(() => null),
      error: fail("ast_decoder:decoder_failed", `arguments of call ${undecodable} (${calls[undecodable]?.name}) are not a JSON object`),
    };
  }

  const needed = routing === "simple" ? 1 : expected.length;
  if (calls.length !== needed) {
    const code =
      routing === "simple"
        ? "simple_function_checker:wrong_count"
        : routing === "multiple"
          ? "multiple_function_checker:wrong_count"
          : "parallel_function_checker_no_order:wrong_count";
    return {
      ...ast,
      valid: false,
      pairs: expected.map(() => null),
      error: fail(code, `${calls.length} call${calls.length === 1 ? "" : "s"} made, ${needed} expected`),
    };
  }

  if (routing !== "parallel") {
    // simple and multiple check the first call against the first expected call only.
    const check = checks[0]?.[0];
    const pairs: Assignment = expected.map((_, i) => (i === 0 ? 0 : null));
    return { ...ast, valid: check?.valid ?? false, pairs, error: check?.error ?? null };
  }

  const passes = checks.map((row) => row.map((c) => c.valid));
  const pairs = greedyInOrder(passes, calls.length);
  const maxPairs = maxCompatibleMatching(passes, calls.length);
  const greedyOk = pairs.every((j) => j !== null);
  const maxOk = maxPairs.every((j) => j !== null);
  const differs = !greedyOk && maxOk;
  if (greedyOk) return { ...ast, valid: true, pairs, error: null };
  const i = pairs.indexOf(null);
  const used = new Set(pairs.slice(0, i).filter((j): j is number => j !== null));
  const tried = calls.map((_, j) => j).filter((j) => !used.has(j));
  const why = tried.map((j) => `call ${j}: ${checks[i]?.[j]?.error?.message ?? "no match"}`).join("; ");
  return {
    ...ast,
    valid: false,
    pairs,
    max_pairs: maxPairs,
    greedy_differs: differs,
    error: fail(
      "parallel_function_checker_no_order:cannot_find_match",
      `no remaining call matches expected call ${i} (${expected[i]?.name})${why ? `: ${why}` : ""}` +
        (differs ? " [a maximum matching would have paired every call; BFCL pairs greedily in order]" : ""),
    ),
  };
}

export function scoreBfcl(input: ScoreInput): CaseScore {
  const v = bfclVerdict(input);
  const shouldCall = v.kind !== "irrelevance";
  const called = bfclContainsCall(v.calls);
  let calls: CallScore[] = [];
  let tool: number;
  let params: number | null = null;
  if (v.kind === "ast") {
    // Name agreement (a maximum matching on names) and full per-call validity under BFCL's pairing.
    const nameOk = v.expected.map((e) => v.calls.map((c) => c.name === e.name));
    const namePairs = maxCompatibleMatching(nameOk, v.calls.length);
    tool = namePairs.filter((j) => j !== null).length / v.expected.length;
    calls = v.expected.map((e, i) => {
      const j = v.pairs[i] ?? null;
      const check = j === null ? null : (v.checks[i]?.[j] ?? null);
      const valid = check?.valid === true && v.valid;
      return {
        expected_index: i,
        expected_name: e.name,
        actual_index: j,
        actual_name: j === null ? null : (v.calls[j]?.name ?? null),
        tool: check?.name_ok ? 1 : 0,
        params: check?.valid ? 1 : 0,
        score: valid ? 1 : 0,
        valid: check?.valid ?? false,
        error: check?.error ?? null,
      };
    });
    params = calls.filter((c) => c.params === 1).length / v.expected.length;
  } else {
    tool = v.valid ? 1 : 0;
  }
  const used = new Set(v.pairs.filter((j): j is number => j !== null));
  return {
    scorer: "bfcl",
    success: true,
    category: input.expectation.category ?? null,
    should_call_tool: shouldCall,
    tool_selection: tool,
    param_accuracy: params,
    overall: v.valid ? 1 : 0,
    passed: v.valid,
    irrelevance: called === shouldCall ? 1 : 0,
    calls,
    matching: {
      method: v.kind !== "ast" ? "none" : v.routing === "parallel" ? "greedy" : "first_call",
      pairs: v.pairs,
      ...(v.max_pairs ? { max_matching_pairs: v.max_pairs } : {}),
      ...(v.kind === "ast" && v.routing === "parallel" ? { greedy_differs: v.greedy_differs } : {}),
    },
    extra_calls: v.kind === "ast" ? v.calls.map((_, j) => j).filter((j) => !used.has(j)) : v.kind === "irrelevance" ? v.calls.map((_, j) => j) : [],
    error: v.error,
  };
}
