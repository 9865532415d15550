// partial: explainable partial credit on BFCL's rules (spec/tool-scoring.md §3).
//
// Per expected call, five parts in [0, 1], each computed with the same per-argument rules as the bfcl scorer:
//   name                name matches (after mapping provider names back)                        weight 35
//   values_correct      provided known arguments with an acceptable value, over those arguments
//                       plus answer-key parameters left out that may not be left out              weight 35
//   required_present    schema-required parameters present                                        weight 10
//   types_correct       provided arguments the schema knows whose type passes BFCL's type rule    weight 10
//   hallucination_free  1 − unknown / provided (unknown = not in the schema or not in the key)    weight 10
// Name and values carry most of the weight because they decide what the call does; the other three describe
// the shape of the call. Weights are integers over 100 so that a perfect call sums to exactly 1.
//
// Case score = mean over expected calls (paired by maximum-weight matching) − 0.25 per call beyond the count
// BFCL allows, clamped to [0, 1]. Irrelevance and relevance cases are binary.
//
// Why "1 exactly iff bfcl passes" holds: all five parts are 1 exactly when BFCL's per-call check passes (each
// part is zero-loss only if its BFCL rule holds, and every BFCL rule feeds a part), a perfect matching exists
// whenever BFCL's greedy pairing succeeds, and a call count BFCL rejects either leaves an expected call unpaired
// (scores 0) or adds a penalised extra call. Two corners remain where the parts are perfect but BFCL fails:
// parallel calls that only a non-greedy pairing can match, and `multiple` entries with several expected calls.
// Those get a residual deduction of 0.05 named after BFCL's error, so the score still says why.

import { type BfclVerdict, bfclVerdict } from "./bfcl.ts";
import type { FunctionCheck } from "./bfcl-rules.ts";
import { maxWeightAssignment } from "./matching.ts";
import type { CallScore, CaseScore, PartialParts, ScoreInput } from "./types.ts";

export const PARTIAL_WEIGHTS: Readonly<Record<keyof PartialParts, number>> = {
  name: 35,
  values_correct: 35,
  required_present: 10,
  types_correct: 10,
  hallucination_free: 10,
};
const WEIGHT_TOTAL = 100;
export const EXTRA_CALL_PENALTY = 0.25;
export const RESIDUAL_PENALTY = 0.05;

const ZERO_PARTS: PartialParts = { name: 0, required_present: 0, values_correct: 0, hallucination_free: 0, types_correct: 0 };

const ratio = (num: number, den: number): number => (den === 0 ? 1 : num / den);

/** Parts of one (expected, actual) pair from BFCL's per-call check. */
export function partsOf(check: FunctionCheck): PartialParts {
  if (!check.decoded) return { ...ZERO_PARTS, name: check.name_ok ? 1 : 0 };
  const provided = check.args.filter((a) => a.status !== "missing");
  const missing = check.args.filter((a) => a.status === "missing").length;
  const known = provided.filter((a) => a.status !== "unknown");
  const typed = provided.filter((a) => a.in_schema);
  return {
    name: check.name_ok ? 1 : 0,
    required_present: ratio(check.required.length - check.required_missing.length, check.required.length),
    values_correct: ratio(known.filter((a) => a.status === "ok").length, known.length + missing),
    hallucination_free: ratio(known.length, provided.length),
    types_correct: ratio(typed.filter((a) => a.type_ok === true).length, typed.length),
  };
}

export function weightedParts(p: PartialParts): number {
  let sum = 0;
  for (const k of Object.keys(PARTIAL_WEIGHTS) as Array<keyof PartialParts>) sum += PARTIAL_WEIGHTS[k] * p[k];
  return sum / WEIGHT_TOTAL;
}

export interface PartialResult {
  score: CaseScore;
  verdict: BfclVerdict;
}

export function scorePartialDetailed(input: ScoreInput): PartialResult {
  const v = bfclVerdict(input);
  const base = {
    scorer: "partial" as const,
    success: true as const,
    category: input.expectation.category ?? null,
    should_call_tool: v.kind !== "irrelevance",
  };
  if (v.kind !== "ast") {
    const s = v.valid ? 1 : 0;
    return {
      verdict: v,
      score: {
        ...base,
        tool_selection: s,
        param_accuracy: null,
        overall: s,
        passed: v.valid,
        irrelevance: s,
        calls: [],
        matching: { method: "none", pairs: [] },
        extra_calls: v.kind === "irrelevance" ? v.calls.map((_, j) => j) : [],
        error: v.error,
        penalties: { extra_calls: 0, residual: 0 },
      },
    };
  }

  // simple/multiple: BFCL checks the first expected call only and allows 1 (simple) or k (multiple) calls.
  const considered = v.routing === "parallel" ? v.expected.length : 1;
  const allowed = v.routing === "simple" ? 1 : v.expected.length;
  const parts = v.checks.slice(0, considered).map((row) => row.map(partsOf));
  const weights = parts.map((row) => row.map(weightedParts));
  const pairs = maxWeightAssignment(weights, v.calls.length);
  const calls: CallScore[] = pairs.map((j, i) => {
    const p = j === null ? ZERO_PARTS : (parts[i]?.[j] ?? ZERO_PARTS);
    const check = j === null ? null : (v.checks[i]?.[j] ?? null);
    return {
      expected_index: i,
      expected_name: v.expected[i]?.name ?? null,
      actual_index: j,
      actual_name: j === null ? null : (v.calls[j]?.name ?? null),
      tool: p.name,
      params: p.values_correct,
      score: weightedParts(p),
      parts: p,
      valid: check?.valid ?? false,
      error: check ? check.error : { code: "unmatched", message: "no call left to pair with this expected call" },
    };
  });
  const mean = calls.reduce((s, c) => s + c.score, 0) / considered;
  const extra = Math.max(0, v.calls.length - allowed);
  const extraPenalty = EXTRA_CALL_PENALTY * extra;
  const raw = Math.min(1, Math.max(0, mean - extraPenalty));
  const residual = raw === 1 && !v.valid ? RESIDUAL_PENALTY : 0;
  const overall = raw - residual;
  const used = new Set(pairs.filter((j): j is number => j !== null));
  return {
    verdict: v,
    score: {
      ...base,
      tool_selection: calls.reduce((s, c) => s + c.tool, 0) / considered,
      param_accuracy: calls.reduce((s, c) => s + (c.params ?? 0), 0) / considered,
      overall,
      passed: overall === 1,
      irrelevance: v.calls.length > 0 ? 1 : 0,
      calls,
      matching: { method: "max_weight", pairs },
      extra_calls: v.calls.map((_, j) => j).filter((j) => !used.has(j)),
      error: v.error,
      penalties: { extra_calls: extraPenalty, residual },
    },
  };
}

export function scorePartial(input: ScoreInput): CaseScore {
  return scorePartialDetailed(input).score;
}
