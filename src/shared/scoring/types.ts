// The shape every scorer reads (spec/tool-scoring.md): the suite's tools, one case's expectation, and the model's
// parsed calls. Everything here is plain JSON so it can be stored, sent to the browser, and scored in a Worker.

/** JSON Schema subset used by tool parameters (BFCL's dialect is converted on import, see bfcl-format.ts). */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  [keyword: string]: unknown;
}

export interface ToolFunction {
  name: string;
  description?: string;
  parameters?: JsonSchema;
}

/** OpenAI function-tool JSON. */
export interface Tool {
  type: "function";
  function: ToolFunction;
}

export const MATCH_MODES = ["exact", "case_insensitive", "contains", "numeric_tolerance", "regex", "subset"] as const;
export type MatchMode = (typeof MATCH_MODES)[number];
export const DEFAULT_EPSILON = 0.01;

export interface ScoringConfig {
  mode?: MatchMode | string; // unknown modes fall back to exact, as in the original
  epsilon?: number;
}

/** Multi-turn settings (original defaults: 5 rounds, 2 optimal hops). */
export interface MultiTurnConfig {
  max_rounds: number;
  optimal_hops: number;
  valid_prerequisites: string[];
  mock_responses: Record<string, unknown>;
}
export const DEFAULT_MAX_ROUNDS = 5;
export const DEFAULT_OPTIMAL_HOPS = 2;

/**
 * BFCL answer key ("possible answer"): one entry per expected call, `{functionName: {param: acceptableValues}}`.
 * An acceptable list containing "" means the parameter may be left out. Names are BFCL's own (dots allowed).
 */
export type AnswerKey = Array<Record<string, Record<string, unknown[]>>>;

/** What one case expects. Only `expected_tool` is required; the rest default as documented. */
export interface Expectation {
  /** Name, acceptable names (one call), or per-call names when expected_params is an array; null = no call. */
  expected_tool: string | string[] | null;
  /** Object for one call, array of objects for parallel calls; null/absent = parameters not scored. */
  expected_params?: Record<string, unknown> | Array<Record<string, unknown>> | null;
  /** classic parameter match mode (default exact). */
  match_mode?: MatchMode | string;
  /** numeric_tolerance epsilon (default 0.01). */
  epsilon?: number;
  /**
   * false = irrelevance case (the right answer is no call). Absent: false when nothing is expected
   * (expected_tool null and no answer key), else true. true with nothing expected = relevance (any call).
   */
  should_call_tool?: boolean;
  /** Free text, BFCL-style (simple_python, parallel, live_multiple, irrelevance…). Drives BFCL's count rules. */
  category?: string | null;
  multi_turn?: MultiTurnConfig | null;
  /** BFCL ground truth; when absent the bfcl/partial scorers derive one from expected_tool/expected_params. */
  answer_key?: AnswerKey | null;
}

/** A parsed tool call; `arguments` is the raw string when it did not parse as a JSON object. */
export interface ActualCall {
  name: string;
  arguments: Record<string, unknown> | string;
}

export interface ActualOutput {
  /** Calls of the (single) response, in order. */
  calls: ActualCall[];
  /** Multi-turn: one call per round, in order (the original records the first call of each round). */
  chain?: ActualCall[];
  /** Multi-turn: rounds the loop used (for the error taxonomy). */
  rounds_used?: number;
}

export interface ScoreInput {
  /** Tools offered for this case (provider-safe names). */
  tools: Tool[];
  expectation: Expectation;
  output: ActualOutput;
  /** Provider tool name → original name (BFCL names with dots); see names.ts. */
  name_map?: Record<string, string>;
}

export const SCORER_NAMES = ["classic", "bfcl", "partial"] as const;
export type ScorerName = (typeof SCORER_NAMES)[number];

export interface ScoreError {
  /** Stable code: classic → the original's error taxonomy; bfcl/partial → BFCL's error_type strings. */
  code: string;
  message: string;
}

/** Parts of the partial scorer for one expected call (all in [0, 1]). */
export interface PartialParts {
  name: number;
  required_present: number;
  values_correct: number;
  hallucination_free: number;
  types_correct: number;
}

/** Score of one expected call against the actual call paired with it. */
export interface CallScore {
  expected_index: number;
  /** Expected name(s), as given by the expectation. */
  expected_name: string | string[] | null;
  actual_index: number | null;
  actual_name: string | null;
  tool: number;
  params: number | null;
  /** partial: the weighted sum for this call; classic: 0.6/0.4 overall of the pair. */
  score: number;
  parts?: PartialParts;
  /** bfcl/partial: whether the pair passes BFCL's function check, and why not. */
  valid?: boolean;
  error?: ScoreError | null;
}

export interface Matching {
  /** "first_call": the original's single-call rule; "max_weight": Hungarian; "greedy": BFCL's in-order rule. */
  method: "first_call" | "max_weight" | "greedy" | "none";
  /** For each expected call, the actual call index paired with it (or null). */
  pairs: Array<number | null>;
  /** bfcl: pairs a maximum matching would give, when it differs from BFCL's greedy pairing. */
  max_matching_pairs?: Array<number | null>;
  /** bfcl: true when maximum matching would have paired every expected call but greedy did not. */
  greedy_differs?: boolean;
}

export interface MultiTurnScore {
  completion: number;
  efficiency: number;
  redundancy_penalty: number;
  detour_penalty: number;
  chain: string[];
  rounds_used: number | null;
}

export interface CaseScore {
  scorer: ScorerName;
  success: true;
  category: string | null;
  should_call_tool: boolean;
  tool_selection: number;
  /** null = parameters not scored. */
  param_accuracy: number | null;
  overall: number;
  passed: boolean;
  /** 1 when (a call was made) == should_call_tool. */
  irrelevance: number;
  calls: CallScore[];
  matching: Matching;
  /** Indices of actual calls not paired with an expected call. */
  extra_calls: number[];
  error: ScoreError | null;
  multi_turn?: MultiTurnScore;
  /** partial: case-level deductions. */
  penalties?: { extra_calls: number; residual: number };
}

/** A case that could not be run (API error…): counted in cases, left out of the means (as the original does). */
export interface FailedCase {
  success: false;
  category?: string | null;
  should_call_tool?: boolean;
  error: ScoreError;
}

export type CaseOutcome = CaseScore | FailedCase;
