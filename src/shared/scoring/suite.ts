// A suite as imported/exported: the original Benchmark Studio's shape (§5.7) plus optional fields that BFCL
// imports need. Keys are kept exactly as given (absent stays absent, null stays null) so exports round-trip.

import type { ActualOutput, AnswerKey, Expectation, MultiTurnConfig, ScoreInput, ScoringConfig, Tool } from "./types.ts";
import { DEFAULT_EPSILON, DEFAULT_MAX_ROUNDS, DEFAULT_OPTIMAL_HOPS } from "./types.ts";

export interface BfclMessage {
  role: string;
  content: string;
  [key: string]: unknown;
}

/** A function definition in BFCL's dialect (types dict, float, tuple, any…). */
export interface BfclFunction {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SuiteCase {
  prompt: string;
  expected_tool?: string | string[] | null;
  expected_params?: Record<string, unknown> | Array<Record<string, unknown>> | null;
  /** Stored and exported only; the original never scored with it (the mode lives in scoring_config). */
  param_scoring?: string;
  scoring_config?: ScoringConfig | null;
  multi_turn?: boolean;
  max_rounds?: number;
  mock_responses?: Record<string, unknown>;
  valid_prerequisites?: string[];
  optimal_hops?: number;
  /** Original (HEAD) nested-argument tracking, kept for round trips; informational only. */
  argument_source?: Record<string, string>;
  should_call_tool?: boolean;
  category?: string | null;
  // --- extensions (absent in the original's files)
  /** Stable id (BFCL entry id). */
  id?: string;
  /** System message(s) of the case (BFCL entries may carry one). */
  system_prompt?: string;
  /** Tools offered for this case, by provider name, in order; absent = every suite tool. */
  tool_names?: string[];
  /** Definitions that replace same-named suite tools for this case (BFCL entries may redefine a function). */
  tool_overrides?: Tool[];
  /** BFCL source data: the question turns as given, and the answer key (null for irrelevance entries). */
  bfcl?: { question: BfclMessage[][]; ground_truth: AnswerKey | null; entry_extra?: Record<string, unknown> };
}

export interface Suite {
  name: string;
  description?: string;
  system_prompt?: string;
  tools: Tool[];
  test_cases: SuiteCase[];
  /** Provider tool name → original name, for tools renamed to satisfy provider name rules. */
  name_map?: Record<string, string>;
  /** BFCL originals of imported functions, so export can reproduce them exactly. */
  bfcl_functions?: BfclFunction[];
}

export interface ImportIssue {
  /** Which input: "suite", "questions" or "answers". */
  file: string;
  /** 1-based line (JSON Lines) or entry number (JSON array); absent for whole-file problems. */
  line?: number;
  /** Path of the offending field, e.g. `test_cases[3].expected_tool` or `function[0].parameters`. */
  field?: string;
  message: string;
}

export type ImportResult<T> = { ok: true; value: T; warnings: ImportIssue[] } | { ok: false; errors: ImportIssue[] };

export function formatIssue(i: ImportIssue): string {
  const where = [i.file, i.line !== undefined ? `line ${i.line}` : "", i.field ?? ""].filter(Boolean).join(" ");
  return `${where}: ${i.message}`;
}

/** Tools offered to the model for one case (overrides applied, subset and order from tool_names). */
export function caseTools(suite: Suite, c: SuiteCase): Tool[] {
  const overrides = new Map((c.tool_overrides ?? []).map((t) => [t.function.name, t]));
  const byName = new Map(suite.tools.map((t) => [t.function.name, t]));
  const names = c.tool_names ?? suite.tools.map((t) => t.function.name);
  const out: Tool[] = [];
  for (const n of names) {
    const t = overrides.get(n) ?? byName.get(n);
    if (t) out.push(t);
  }
  return out;
}

export function caseMultiTurn(c: SuiteCase): MultiTurnConfig | null {
  if (!c.multi_turn) return null;
  return {
    max_rounds: c.max_rounds ?? DEFAULT_MAX_ROUNDS,
    optimal_hops: c.optimal_hops ?? DEFAULT_OPTIMAL_HOPS,
    valid_prerequisites: c.valid_prerequisites ?? [],
    mock_responses: c.mock_responses ?? {},
  };
}

export function caseExpectation(c: SuiteCase): Expectation {
  return {
    expected_tool: c.expected_tool ?? null,
    expected_params: c.expected_params ?? null,
    match_mode: c.scoring_config?.mode ?? "exact",
    epsilon: c.scoring_config?.epsilon ?? DEFAULT_EPSILON,
    ...(c.should_call_tool !== undefined ? { should_call_tool: c.should_call_tool } : {}),
    category: c.category ?? null,
    multi_turn: caseMultiTurn(c),
    answer_key: c.bfcl?.ground_truth ?? null,
  };
}

/** Everything a scorer needs for one case of a suite. */
export function scoreInputFor(suite: Suite, c: SuiteCase, output: ActualOutput): ScoreInput {
  return {
    tools: caseTools(suite, c),
    expectation: caseExpectation(c),
    output,
    ...(suite.name_map ? { name_map: suite.name_map } : {}),
  };
}
