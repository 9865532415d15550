// The original Benchmark Studio's suite file: {name, description, tools, test_cases:[…]} (§5.7 export shape,
// e.g. smart_home_suite.json). Import validates every field and reports all problems with the case index and
// field (regex-mode patterns included: they must compile as Python's `re` would and translate faithfully);
// keys are kept exactly as given so that export gives back an equal document. Our extensions (id,
// system_prompt, tool_names, tool_overrides, bfcl, name_map, bfcl_functions) pass through when present.

import { regexPatternProblems, regexProblemMessage } from "./classic.ts";
import type { ImportIssue, ImportResult, Suite, SuiteCase } from "./suite.ts";
import { MATCH_MODES, type Tool } from "./types.ts";
import { hasOwn, isPlainObject, parseJsonLossless } from "./values.ts";

const FILE = "suite";

/** param_scoring values: the original's (stored only) and our match modes. */
export const PARAM_SCORING_VALUES = ["exact", "fuzzy", "contains", "semantic", ...MATCH_MODES] as const;

/** Case keys in export order. */
const CASE_KEYS = [
  "id",
  "prompt",
  "system_prompt",
  "expected_tool",
  "expected_params",
  "param_scoring",
  "multi_turn",
  "max_rounds",
  "mock_responses",
  "valid_prerequisites",
  "optimal_hops",
  "argument_source",
  "scoring_config",
  "should_call_tool",
  "category",
  "tool_names",
  "tool_overrides",
  "bfcl",
] as const;

const SUITE_KEYS = ["name", "description", "system_prompt", "tools", "test_cases", "name_map", "bfcl_functions"] as const;

type Check = (v: unknown) => string | null; // error message or null

const isStr = (v: unknown): v is string => typeof v === "string";
const stringArray: Check = (v) => (Array.isArray(v) && v.every(isStr) ? null : "must be an array of strings");
const positiveInt: Check = (v) => (typeof v === "number" && Number.isInteger(v) && v >= 1 ? null : "must be an integer ≥ 1");
const bool: Check = (v) => (typeof v === "boolean" ? null : "must be true or false");
const object: Check = (v) => (isPlainObject(v) ? null : "must be an object");

function toolError(t: unknown): { field: string; message: string } | null {
  if (!isPlainObject(t)) return { field: "", message: "must be an object" };
  if (t.type !== "function") return { field: ".type", message: 'must be "function"' };
  if (!isPlainObject(t.function)) return { field: ".function", message: "must be an object" };
  if (typeof t.function.name !== "string" || t.function.name === "") return { field: ".function.name", message: "must be a non-empty string" };
  if (t.function.description !== undefined && typeof t.function.description !== "string") {
    return { field: ".function.description", message: "must be a string" };
  }
  if (t.function.parameters !== undefined && !isPlainObject(t.function.parameters)) {
    return { field: ".function.parameters", message: "must be an object (JSON Schema)" };
  }
  return null;
}

const CASE_CHECKS: Record<(typeof CASE_KEYS)[number], Check> = {
  id: (v) => (isStr(v) && v !== "" ? null : "must be a non-empty string"),
  prompt: (v) => (isStr(v) && v.trim() !== "" ? (v.length <= 50_000 ? null : "must be at most 50,000 characters") : "must be a non-empty string"),
  system_prompt: (v) => (isStr(v) ? null : "must be a string"),
  expected_tool: (v) =>
    v === null || (isStr(v) && v !== "") || (Array.isArray(v) && v.length > 0 && v.every((x) => isStr(x) && x !== ""))
      ? null
      : "must be a tool name, a non-empty array of tool names, or null",
  expected_params: (v) =>
    v === null || isPlainObject(v) || (Array.isArray(v) && v.every(isPlainObject))
      ? null
      : "must be an object, an array of objects (parallel calls), or null",
  param_scoring: (v) =>
    isStr(v) && (PARAM_SCORING_VALUES as readonly string[]).includes(v) ? null : `must be one of ${[...new Set(PARAM_SCORING_VALUES)].join(", ")}`,
  multi_turn: bool,
  max_rounds: positiveInt,
  mock_responses: object,
  valid_prerequisites: stringArray,
  optimal_hops: positiveInt,
  argument_source: (v) => (isPlainObject(v) && Object.values(v).every(isStr) ? null : 'must map argument names to "tool.field" strings'),
  scoring_config: (v) => {
    if (v === null) return null;
    if (!isPlainObject(v)) return "must be an object {mode, epsilon?} or null";
    if (v.mode !== undefined && !(isStr(v.mode) && (MATCH_MODES as readonly string[]).includes(v.mode))) {
      return `mode must be one of ${MATCH_MODES.join(", ")}`;
    }
    if (v.epsilon !== undefined && !(typeof v.epsilon === "number" && v.epsilon >= 0)) return "epsilon must be a number ≥ 0";
    return null;
  },
  should_call_tool: bool,
  category: (v) => (v === null || isStr(v) ? null : "must be a string or null"),
  tool_names: stringArray,
  tool_overrides: (v) => (Array.isArray(v) && v.every((t) => toolError(t) === null) ? null : "must be an array of function tools"),
  bfcl: (v) =>
    isPlainObject(v) && Array.isArray(v.question) && (v.ground_truth === null || Array.isArray(v.ground_truth))
      ? null
      : "must be {question: [...], ground_truth: [...] | null}",
};

/**
 * Whether a case's expected values are regex patterns: scoring_config.mode, or param_scoring when there is no
 * mode (how the app stores an imported case), so a pattern is checked whichever consumer reads the case.
 */
function usesRegexMode(raw: Record<string, unknown>): boolean {
  const mode = isPlainObject(raw.scoring_config) ? raw.scoring_config.mode : undefined;
  return mode === "regex" || (mode === undefined && raw.param_scoring === "regex");
}

/** True when a parsed document has the original suite shape. */
export function looksLikeOriginalSuite(v: unknown): boolean {
  return isPlainObject(v) && Array.isArray(v.test_cases);
}

/** Imports an original-format suite from its text or parsed JSON. */
export function importOriginalSuite(input: string | unknown): ImportResult<Suite> {
  let doc: unknown = input;
  if (typeof input === "string") {
    try {
      doc = parseJsonLossless(input);
    } catch (e) {
      return { ok: false, errors: [{ file: FILE, message: `invalid JSON: ${(e as Error).message}` }] };
    }
  }
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  if (!isPlainObject(doc)) return { ok: false, errors: [{ file: FILE, message: "must be a JSON object {name, tools, test_cases}" }] };
  if (typeof doc.name !== "string" || doc.name.trim() === "") errors.push({ file: FILE, field: "name", message: "must be a non-empty string" });
  if (doc.description !== undefined && typeof doc.description !== "string")
    errors.push({ file: FILE, field: "description", message: "must be a string" });
  if (doc.system_prompt !== undefined && typeof doc.system_prompt !== "string")
    errors.push({ file: FILE, field: "system_prompt", message: "must be a string" });
  if (!Array.isArray(doc.tools)) errors.push({ file: FILE, field: "tools", message: "must be an array of function tools" });
  else {
    const seen = new Set<string>();
    doc.tools.forEach((t, i) => {
      const e = toolError(t);
      if (e) errors.push({ file: FILE, field: `tools[${i}]${e.field}`, message: e.message });
      else {
        const name = (t as Tool).function.name;
        if (seen.has(name)) errors.push({ file: FILE, field: `tools[${i}].function.name`, message: `duplicate tool name ${name}` });
        seen.add(name);
      }
    });
  }
  if (doc.name_map !== undefined && !(isPlainObject(doc.name_map) && Object.values(doc.name_map).every(isStr))) {
    errors.push({ file: FILE, field: "name_map", message: "must map provider names to original names" });
  }
  if (doc.bfcl_functions !== undefined && !Array.isArray(doc.bfcl_functions)) {
    errors.push({ file: FILE, field: "bfcl_functions", message: "must be an array" });
  }
  for (const k of Object.keys(doc)) {
    if (!(SUITE_KEYS as readonly string[]).includes(k)) warnings.push({ file: FILE, field: k, message: "unknown key ignored" });
  }
  const cases: SuiteCase[] = [];
  if (!Array.isArray(doc.test_cases)) errors.push({ file: FILE, field: "test_cases", message: "must be an array" });
  else {
    doc.test_cases.forEach((raw, i) => {
      const at = `test_cases[${i}]`;
      if (!isPlainObject(raw)) {
        errors.push({ file: FILE, field: at, message: "must be an object" });
        return;
      }
      if (raw.prompt === undefined) errors.push({ file: FILE, field: `${at}.prompt`, message: "is required" });
      const c: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) {
        const check = hasOwn(CASE_CHECKS, k) ? CASE_CHECKS[k as (typeof CASE_KEYS)[number]] : undefined;
        if (!check) {
          warnings.push({ file: FILE, field: `${at}.${k}`, message: "unknown key ignored" });
          continue;
        }
        const problem = check(v);
        if (problem) errors.push({ file: FILE, field: `${at}.${k}`, message: problem });
        else c[k] = v;
      }
      if (c.expected_params !== undefined && usesRegexMode(raw)) {
        for (const p of regexPatternProblems(c.expected_params)) {
          const key = p.keys.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");
          errors.push({ file: FILE, field: `${at}.expected_params${key}`, message: regexProblemMessage(p) });
        }
      }
      const et = raw.expected_tool;
      const ep = raw.expected_params;
      if (Array.isArray(ep) && ep.length > 1 && Array.isArray(et) && et.length !== ep.length && et.length !== 1) {
        warnings.push({
          file: FILE,
          field: `${at}.expected_tool`,
          message: `${et.length} names for ${ep.length} expected calls: read as acceptable names for every call`,
        });
      }
      if (raw.should_call_tool === false && et !== undefined && et !== null) {
        warnings.push({
          file: FILE,
          field: `${at}.should_call_tool`,
          message: 'false with an expected tool: the case is scored as "no call expected"',
        });
      }
      cases.push(c as unknown as SuiteCase);
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const d = doc as Record<string, unknown>;
  const suite: Record<string, unknown> = {};
  for (const k of SUITE_KEYS) {
    if (k === "test_cases") suite[k] = cases;
    else if (d[k] !== undefined) suite[k] = d[k];
  }
  return { ok: true, value: suite as unknown as Suite, warnings };
}

/** Exports a suite in the original's shape (extensions only where present). */
export function exportOriginalSuite(suite: Suite): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const s = suite as unknown as Record<string, unknown>;
  for (const k of SUITE_KEYS) {
    if (k === "test_cases") {
      out[k] = suite.test_cases.map((c) => {
        const src = c as unknown as Record<string, unknown>;
        const tc: Record<string, unknown> = {};
        for (const key of CASE_KEYS) if (src[key] !== undefined) tc[key] = src[key];
        return tc;
      });
    } else if (k === "description") out[k] = suite.description ?? "";
    else if (s[k] !== undefined) out[k] = s[k];
  }
  return out;
}
