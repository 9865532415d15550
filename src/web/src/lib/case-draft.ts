// The test-case form as text fields (what the user types) ↔ the API's case fields, with client-side checks.
// Updates send only the fields whose text changed, so untouched values (and the suite's export) stay exact.
import { splitList } from "./format.ts";
import { isPlainObject, parseJsonText, toJsonText } from "./json-text.ts";
import { DEFAULT_MAX_ROUNDS, DEFAULT_OPTIMAL_HOPS, type ExpectedParams, MATCH_MODES, type MatchMode, type TestCase } from "./tool-suite-types.ts";

export interface CaseDraft {
  prompt: string;
  /** Comma-separated names; one name = a string, several = acceptable alternatives (or per-call names). */
  expected_tool: string;
  no_tool: boolean;
  should_call_tool: boolean;
  /** JSON text: object, array of objects (parallel calls), or empty = parameters not scored. */
  expected_params: string;
  param_scoring: MatchMode;
  /** numeric_tolerance epsilon (scoring_config.epsilon); empty = the scorer's default. */
  epsilon: string;
  category: string;
  multi_turn: boolean;
  max_rounds: string;
  optimal_hops: string;
  /** Comma-separated tool names. */
  valid_prerequisites: string;
  /** JSON object text {tool_name: response}; empty = {}. */
  mock_responses: string;
}

export type DraftField = keyof CaseDraft;
export type DraftErrors = Partial<Record<DraftField, string>>;

export const MATCH_MODE_LABELS: Record<MatchMode, string> = {
  exact: "Exact",
  case_insensitive: "Case insensitive",
  contains: "Contains",
  numeric_tolerance: "Numeric tolerance",
  regex: "Regex",
  subset: "Subset",
};
export { MATCH_MODES };

const MAX_NAMES = 32;
const NAME_MAX = 64;

export function emptyDraft(): CaseDraft {
  return {
    prompt: "",
    expected_tool: "",
    no_tool: false,
    should_call_tool: true,
    expected_params: "",
    param_scoring: "exact",
    epsilon: "",
    category: "",
    multi_turn: false,
    max_rounds: String(DEFAULT_MAX_ROUNDS),
    optimal_hops: String(DEFAULT_OPTIMAL_HOPS),
    valid_prerequisites: "",
    mock_responses: "",
  };
}

export function draftFromCase(c: TestCase): CaseDraft {
  const epsilon = c.scoring_config?.epsilon;
  return {
    prompt: c.prompt,
    expected_tool: c.expected_tool === null ? "" : Array.isArray(c.expected_tool) ? c.expected_tool.join(", ") : c.expected_tool,
    no_tool: c.expected_tool === null,
    should_call_tool: c.should_call_tool,
    expected_params: toJsonText(c.expected_params),
    param_scoring: c.param_scoring,
    epsilon: typeof epsilon === "number" ? String(epsilon) : "",
    category: c.category ?? "",
    multi_turn: c.multi_turn,
    max_rounds: String(c.max_rounds),
    optimal_hops: String(c.optimal_hops),
    valid_prerequisites: c.valid_prerequisites.join(", "),
    mock_responses: Object.keys(c.mock_responses).length ? toJsonText(c.mock_responses) : "",
  };
}

type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

function parseExpectedTool(d: CaseDraft): Parsed<string | string[] | null> {
  if (d.no_tool) return { value: null };
  const names = splitList(d.expected_tool);
  if (names.length === 0) return { error: "Name the expected tool, or tick “No tool expected”." };
  if (names.length > MAX_NAMES) return { error: `At most ${MAX_NAMES} names.` };
  const long = names.find((n) => n.length > NAME_MAX);
  if (long) return { error: `“${long.slice(0, 20)}…” is longer than ${NAME_MAX} characters.` };
  return { value: names.length === 1 ? names[0]! : names };
}

function parseExpectedParams(text: string): Parsed<ExpectedParams> {
  if (text.trim() === "") return { value: null };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { error: parsed.error };
  const v = parsed.value;
  if (v === null) return { value: null };
  if (isPlainObject(v)) return { value: v };
  if (Array.isArray(v)) {
    if (v.length > MAX_NAMES) return { error: `At most ${MAX_NAMES} parallel calls.` };
    if (v.every(isPlainObject)) return { value: v as Array<Record<string, unknown>> };
    return { error: 'A list of expected calls must hold only objects ({"param": value}).' };
  }
  return { error: 'Must be a JSON object ({"param": value}), a list of objects for parallel calls, or empty.' };
}

function parseMockResponses(text: string): Parsed<Record<string, unknown>> {
  if (text.trim() === "") return { value: {} };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { error: parsed.error };
  if (!isPlainObject(parsed.value)) return { error: 'Must be a JSON object: {"tool_name": response object or text}.' };
  return { value: parsed.value };
}

function parseRounds(text: string, label: string): Parsed<number> {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(n) || n < 1 || n > 20) return { error: `${label} must be a whole number from 1 to 20.` };
  return { value: n };
}

function parsePrerequisites(text: string): Parsed<string[]> {
  const names = splitList(text);
  if (names.length > MAX_NAMES) return { error: `At most ${MAX_NAMES} names.` };
  if (names.some((n) => n.length > NAME_MAX)) return { error: `Names are at most ${NAME_MAX} characters.` };
  return { value: names };
}

function parseEpsilon(text: string): Parsed<number | null> {
  if (text.trim() === "") return { value: null };
  const n = Number(text.trim());
  if (!Number.isFinite(n) || n < 0) return { error: "Epsilon must be a number ≥ 0." };
  return { value: n };
}

/** Every field's parsed value, or its error. */
function parseAll(d: CaseDraft) {
  return {
    prompt:
      d.prompt.trim() === ""
        ? { error: "The user message is required." }
        : d.prompt.length > 50_000
          ? { error: "At most 50,000 characters." }
          : { value: d.prompt },
    expected_tool: parseExpectedTool(d),
    expected_params: parseExpectedParams(d.expected_params),
    epsilon: parseEpsilon(d.epsilon),
    category: d.category.trim().length > 64 ? { error: "At most 64 characters." } : { value: d.category.trim() || null },
    max_rounds: parseRounds(d.max_rounds, "Max rounds"),
    optimal_hops: parseRounds(d.optimal_hops, "Optimal hops"),
    valid_prerequisites: parsePrerequisites(d.valid_prerequisites),
    mock_responses: parseMockResponses(d.mock_responses),
  } satisfies Partial<Record<DraftField, Parsed<unknown>>>;
}

/** Client-side problems, keyed by form field (multi-turn fields only count when multi-turn is on). */
export function validateDraft(d: CaseDraft): DraftErrors {
  const errors: DraftErrors = {};
  const multiOnly: DraftField[] = ["max_rounds", "optimal_hops", "valid_prerequisites", "mock_responses"];
  for (const [field, parsed] of Object.entries(parseAll(d)) as Array<[DraftField, Parsed<unknown>]>) {
    if (parsed.error && (d.multi_turn || !multiOnly.includes(field))) errors[field] = parsed.error;
  }
  return errors;
}

/**
 * The request body for POST (no `initial`) or PUT (only what changed since `initial`). `original` supplies
 * scoring_config keys the form does not show, so they survive an epsilon edit.
 */
export function draftToBody(d: CaseDraft, initial?: CaseDraft, original?: TestCase): Record<string, unknown> {
  const p = parseAll(d);
  const changed = (...fields: DraftField[]) => !initial || fields.some((f) => d[f] !== initial[f]);
  const body: Record<string, unknown> = {};
  if (changed("prompt")) body.prompt = p.prompt.value;
  if (changed("expected_tool", "no_tool")) body.expected_tool = p.expected_tool.value;
  if (changed("should_call_tool", "no_tool")) body.should_call_tool = d.should_call_tool;
  if (changed("expected_params") && (initial || p.expected_params.value !== null)) body.expected_params = p.expected_params.value;
  if (changed("param_scoring") && (initial || d.param_scoring !== "exact")) body.param_scoring = d.param_scoring;
  if (changed("epsilon")) {
    const { epsilon: _old, mode: _mode, ...rest } = original?.scoring_config ?? {};
    const epsilon = p.epsilon.value ?? null;
    const config = epsilon === null ? rest : { ...rest, epsilon };
    if (initial || epsilon !== null) body.scoring_config = Object.keys(config).length ? config : null;
  }
  if (changed("category") && (initial || p.category.value !== null)) body.category = p.category.value;
  if (d.multi_turn) {
    const toggled = changed("multi_turn");
    body.multi_turn = true;
    if (toggled || changed("max_rounds")) body.max_rounds = p.max_rounds.value;
    if (toggled || changed("optimal_hops")) body.optimal_hops = p.optimal_hops.value;
    if (toggled || changed("valid_prerequisites")) body.valid_prerequisites = p.valid_prerequisites.value;
    if (toggled || changed("mock_responses")) body.mock_responses = p.mock_responses.value;
    if (initial && !toggled && Object.keys(body).length === 1) delete body.multi_turn; // nothing multi-turn changed
  } else if (initial?.multi_turn) {
    body.multi_turn = false; // the API clears the multi-turn settings
  }
  return body;
}

/** API error paths ("expected_params", "scoring_config.epsilon", …) → form fields. */
export function draftFieldOf(path: string): DraftField | null {
  const head = path.split(".")[0] ?? "";
  if (head === "scoring_config") return "epsilon";
  const fields: DraftField[] = [
    "prompt",
    "expected_tool",
    "should_call_tool",
    "expected_params",
    "param_scoring",
    "category",
    "multi_turn",
    "max_rounds",
    "optimal_hops",
    "valid_prerequisites",
    "mock_responses",
  ];
  return (fields as string[]).includes(head) ? (head as DraftField) : null;
}

// ---------------------------------------------------------------- list display

export interface CaseBadge {
  kind: string;
  label: string;
  tone: "lime" | "blue" | "grey" | "teal" | "coral" | "amber" | "outline";
  title: string;
}

/** Badges for the case list: multi-turn, match mode, alternatives, no-tool/irrelevance, parallel, category. */
export function caseBadges(c: TestCase): CaseBadge[] {
  const out: CaseBadge[] = [];
  const parallel = Array.isArray(c.expected_params) ? c.expected_params.length : 0;
  if (c.multi_turn) {
    out.push({
      kind: "multi-turn",
      label: `Multi-turn · ${c.max_rounds} rounds`,
      tone: "teal",
      title: `Up to ${c.max_rounds} rounds, ${c.optimal_hops} optimal hops`,
    });
  }
  if (c.param_scoring !== "exact") {
    const eps = c.param_scoring === "numeric_tolerance" && typeof c.scoring_config?.epsilon === "number" ? ` ±${c.scoring_config.epsilon}` : "";
    out.push({
      kind: "match-mode",
      label: `${MATCH_MODE_LABELS[c.param_scoring] ?? c.param_scoring}${eps}`,
      tone: "amber",
      title: "Parameter match mode",
    });
  }
  if (Array.isArray(c.expected_tool) && parallel === 0) {
    out.push({ kind: "alternatives", label: `Any of ${c.expected_tool.length}`, tone: "blue", title: `Acceptable: ${c.expected_tool.join(", ")}` });
  }
  if (c.expected_tool === null) {
    out.push(
      c.should_call_tool
        ? { kind: "any-call", label: "Any call", tone: "grey", title: "No specific tool expected, but a call is" }
        : { kind: "no-tool", label: "No tool", tone: "coral", title: "The right answer is not to call a tool (irrelevance)" },
    );
  } else if (!c.should_call_tool) {
    out.push({ kind: "no-tool", label: "Should not call", tone: "coral", title: "should_call_tool is false" });
  }
  if (parallel > 1) out.push({ kind: "parallel", label: `Parallel ×${parallel}`, tone: "lime", title: `${parallel} calls expected` });
  if (c.category) out.push({ kind: "category", label: c.category, tone: "outline", title: "Category" });
  return out;
}

/** "get_weather", "a | b", "a + b" (parallel) or "—". */
export function expectedToolLabel(c: TestCase): string {
  if (c.expected_tool === null) return "—";
  if (!Array.isArray(c.expected_tool)) return c.expected_tool;
  return c.expected_tool.join(Array.isArray(c.expected_params) ? " + " : " | ");
}

/** Compact one-line JSON of the expected parameters. */
export function expectedParamsLabel(c: TestCase, max = 90): string {
  if (c.expected_params === null) return "";
  const text = JSON.stringify(c.expected_params);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
