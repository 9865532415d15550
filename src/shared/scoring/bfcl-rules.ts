// BFCL v4's AST rules for one function call, reimplemented from its documented behaviour
// (bfcl_eval/eval_checker/ast_eval/ast_checker.py): required parameters, unknown arguments, Python type rules
// (int accepted for float, float not for int, bool is not int, one level of array element types, the answer
// key's own type as an override), and value rules (string standardization, order-sensitive lists, dicts,
// numbers by value, "" = may be omitted). Every check is computed, not only the first failing one, so the
// partial scorer can explain each part; `error` still reports the first failure in BFCL's order.
//
// Error codes are BFCL's `error_type` strings so results can be compared with BFCL score files.

import type { JsonSchema, ScoreError, ToolFunction } from "./types.ts";
import { FloatValue, hasOwn, isPlainObject, type PyType, pyEquals, pyFloat, pyIn, pyRepr, pyType } from "./values.ts";

export const BFCL_ERROR_TYPES = [
  "ast_decoder:decoder_failed",
  "simple_function_checker:wrong_count",
  "multiple_function_checker:wrong_count",
  "parallel_function_checker_no_order:wrong_count",
  "parallel_function_checker_no_order:cannot_find_match",
  "simple_function_checker:wrong_func_name",
  "simple_function_checker:missing_required",
  "simple_function_checker:unexpected_param",
  "simple_function_checker:missing_optional",
  "type_error:simple",
  "type_error:nested",
  "value_error:string",
  "value_error:list/tuple",
  "value_error:dict_key",
  "value_error:dict_value",
  "value_error:list_dict_count",
  "value_error:others",
  "dict_checker:unclear",
  "list_dict_checker:unclear",
  "irrelevance_error:decoder_success",
  "relevance_error:decoder_failed",
] as const;
export type BfclErrorType = (typeof BFCL_ERROR_TYPES)[number];

/**
 * Wildcard in a derived answer key (cases not imported from BFCL): any value of the schema's type, and the
 * parameter may be left out. Never appears in imported BFCL data.
 */
export class AnyValue {
  toJSON(): string {
    return "<any>";
  }
}
export const ANY = new AnyValue();
const isAny = (v: unknown): boolean => v instanceof AnyValue;

// ---------------------------------------------------------------- strings

const STANDARDIZE = /[ ,./\-_*^]/g;

/** BFCL string standardization: drop spaces and `, . / - _ * ^`, lower-case, `'` → `"`. */
export function standardizeString(s: string): string {
  return s.replace(STANDARDIZE, "").toLowerCase().replace(/'/g, '"');
}

const std = (v: unknown): unknown => (typeof v === "string" ? standardizeString(v) : v);

// ---------------------------------------------------------------- types

const PY_TYPE_OF: Record<string, PyType> = {
  string: "str",
  any: "str", // BFCL maps "any" to str
  integer: "int",
  long: "int",
  float: "float",
  number: "float", // converted suites write BFCL's float as JSON Schema number
  double: "float",
  boolean: "bool",
  array: "list",
  tuple: "list",
  dict: "dict",
  object: "dict",
};

interface TypeSpec {
  py: PyType | null; // null = no type rule (unknown or missing type)
  desc: string;
  isFloat: boolean;
}

function typeSpec(schema: JsonSchema | undefined): TypeSpec {
  const t = schema?.type;
  const names = Array.isArray(t) ? t : typeof t === "string" ? [t] : [];
  for (const name of names) {
    const py = hasOwn(PY_TYPE_OF, name) ? PY_TYPE_OF[name] : undefined;
    if (py) return { py, desc: name, isFloat: py === "float" };
  }
  return { py: null, desc: names.join("|") || "unspecified", isFloat: false };
}

/** Type of the first acceptable value that is not "" (BFCL uses it when the key disagrees with the schema). */
function answerType(acceptable: readonly unknown[]): PyType | null {
  for (const a of acceptable) if (a !== "" && !isAny(a)) return pyType(a);
  return null;
}

interface TypeResult {
  valid: boolean;
  isVariable: boolean;
  code?: BfclErrorType;
  message?: string;
}

function typeCheck(
  param: string,
  value: unknown,
  acceptable: readonly unknown[],
  expected: PyType,
  desc: string,
  nested: PyType | null,
  nestedDesc: string,
): TypeResult {
  const pat = answerType(acceptable);
  const isVariable = pat !== null && pat !== expected;
  let nestedFailed = false;
  if (pyType(value) === expected) {
    if (nested === null) return { valid: true, isVariable };
    // One level deep: the elements must have the item type for at least one acceptable list. A non-list
    // acceptable value (such as "") lets the check pass, exactly as in BFCL.
    for (const item of acceptable) {
      let ok = true;
      if (Array.isArray(item)) {
        for (const el of value as unknown[]) {
          if (!typeCheck(param, el, item, nested, nestedDesc, null, "").valid) {
            ok = false;
            break;
          }
        }
      }
      if (ok) return { valid: true, isVariable };
    }
    nestedFailed = true;
  }
  if (pat !== null && pyType(value) === pat) {
    if (nestedFailed) {
      return {
        valid: false,
        isVariable: true,
        code: "type_error:nested",
        message: `${param}: elements of ${pyRepr(value)} are not all ${nestedDesc} (expected ${desc} of ${nestedDesc})`,
      };
    }
    return { valid: true, isVariable: true };
  }
  return {
    valid: false,
    isVariable,
    code: "type_error:simple",
    message: `${param}: expected type ${desc}, got ${pyType(value)} ${pyRepr(value)}`,
  };
}

// ---------------------------------------------------------------- values

interface ValueResult {
  valid: boolean;
  code?: BfclErrorType;
  message?: string;
}

const OK: ValueResult = { valid: true };

function stringValue(param: string, value: string, acceptable: readonly unknown[]): ValueResult {
  const wanted = acceptable.filter((a): a is string => typeof a === "string").map(standardizeString);
  if (wanted.includes(standardizeString(value))) return OK;
  return {
    valid: false,
    code: "value_error:string",
    message: `${param}: ${pyRepr(value)} is not one of ${pyRepr(acceptable)} (after standardization)`,
  };
}

function listValue(param: string, value: unknown[], acceptable: readonly unknown[]): ValueResult {
  const got = value.map(std);
  // A string acceptable value is iterated character by character, as Python does with len()/indexing;
  // "" therefore accepts the empty list.
  const options = acceptable.map((a) => (typeof a === "string" ? [...a].map(std) : Array.isArray(a) ? a.map(std) : null));
  if (options.some((o) => o !== null && pyEquals(got, o))) return OK;
  return {
    valid: false,
    code: "value_error:list/tuple",
    message: `${param}: ${pyRepr(value)} is not one of ${pyRepr(acceptable)} (order matters)`,
  };
}

function dictValue(param: string, value: Record<string, unknown>, acceptable: readonly unknown[]): ValueResult {
  let result: ValueResult = { valid: false, code: "dict_checker:unclear", message: `${param}: no acceptable dict` };
  for (const option of acceptable) {
    if (option === "") continue;
    if (!isPlainObject(option)) {
      result = { valid: false, code: "dict_checker:unclear", message: `${param}: answer key entry is not a dict` };
      continue;
    }
    const problems: string[] = [];
    let code: BfclErrorType | undefined;
    for (const [k, v] of Object.entries(value)) {
      if (!hasOwn(option, k)) {
        problems.push(`unexpected key ${pyRepr(k)}`);
        code = "value_error:dict_key";
        break;
      }
      const raw = option[k];
      const allowed = Array.isArray(raw) ? raw : [raw];
      if (allowed.some(isAny)) continue;
      if (!pyIn(std(v), allowed.map(std))) {
        problems.push(`${pyRepr(k)}: ${pyRepr(v)} is not one of ${pyRepr(allowed)}`);
        code = "value_error:dict_value";
        break;
      }
    }
    // BFCL runs the missing-key pass even after a failure above; its code then wins.
    for (const [k, raw] of Object.entries(option)) {
      const allowed = Array.isArray(raw) ? raw : [raw];
      if (!hasOwn(value, k) && !allowed.some((a) => a === "" || isAny(a))) {
        problems.push(`missing key ${pyRepr(k)}`);
        code = "value_error:dict_key";
        break;
      }
    }
    if (problems.length === 0) return OK;
    result = { valid: false, code, message: `${param}: ${problems.join("; ")}` };
  }
  return result;
}

function listOfDictsValue(param: string, value: unknown[], acceptable: readonly unknown[]): ValueResult {
  let result: ValueResult = { valid: false, code: "list_dict_checker:unclear", message: `${param}: no acceptable list` };
  for (const option of acceptable) {
    const items = typeof option === "string" ? [...option] : Array.isArray(option) ? option : null;
    if (items === null || items.length !== value.length) {
      result = {
        valid: false,
        code: "value_error:list_dict_count",
        message: `${param}: ${value.length} dicts where the answer key has ${items?.length ?? "none"}`,
      };
      continue;
    }
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      const el = value[i];
      result = isPlainObject(el)
        ? dictValue(`${param}[${i}]`, el, [items[i]])
        : { valid: false, code: "value_error:dict_value", message: `${param}[${i}]: not a dict` };
      if (!result.valid) {
        ok = false;
        break;
      }
    }
    if (ok) return OK;
  }
  return result;
}

// ---------------------------------------------------------------- one argument

export interface ArgCheck {
  param: string;
  /** ok | unknown (not in schema or not in answer key) | type_error | value_error | missing (key param left out, not optional) */
  status: "ok" | "unknown" | "type_error" | "value_error" | "missing";
  in_schema: boolean;
  /** Type verdict against the schema; null when the argument is not in the schema or was not provided. */
  type_ok: boolean | null;
  error?: ScoreError;
}

/** Type and value of one provided argument against its schema and acceptable values. */
export function checkArgument(
  param: string,
  rawValue: unknown,
  acceptable: readonly unknown[],
  schema: JsonSchema | undefined,
): { type_ok: boolean; value_ok: boolean; error?: ScoreError } {
  const spec = typeSpec(schema);
  // Python converts an int to float before checking a float parameter (bool is not converted).
  const value = spec.isFloat && pyType(rawValue) === "int" ? new FloatValue(pyFloat(rawValue) ?? Number.NaN) : rawValue;
  const wildcard = acceptable.some(isAny);
  if (spec.py === null) {
    // No usable schema type (BFCL would crash): only the value rule applies.
    if (wildcard || pyIn(value, acceptable)) return { type_ok: true, value_ok: true };
    return {
      type_ok: true,
      value_ok: false,
      error: { code: "value_error:others", message: `${param}: ${pyRepr(value)} is not one of ${pyRepr(acceptable)}` },
    };
  }
  const itemSpec = spec.py === "list" ? typeSpec(schema?.items) : null;
  const nested = itemSpec?.py ?? null;
  if (wildcard) {
    const ok =
      pyType(value) === spec.py &&
      (nested === null || (value as unknown[]).every((el) => pyType(el) === nested || (nested === "float" && pyType(el) === "int")));
    return ok
      ? { type_ok: true, value_ok: true }
      : {
          type_ok: false,
          value_ok: false,
          error: { code: "type_error:simple", message: `${param}: expected type ${spec.desc}, got ${pyType(value)}` },
        };
  }
  const t = typeCheck(param, value, acceptable, spec.py, spec.desc, nested, itemSpec?.desc ?? "");
  if (!t.valid) {
    return { type_ok: false, value_ok: false, error: { code: t.code ?? "type_error:simple", message: t.message ?? "" } };
  }
  // A value whose type follows the answer key rather than the schema (BFCL's "variable") skips the special
  // string/list/dict rules and is compared as is.
  let v: ValueResult;
  if (!t.isVariable && spec.py === "dict" && isPlainObject(value)) v = dictValue(param, value, acceptable);
  else if (!t.isVariable && spec.py === "list" && nested === "dict" && Array.isArray(value)) {
    v = listOfDictsValue(param, value, acceptable);
  } else if (!t.isVariable && spec.py === "str" && typeof value === "string") v = stringValue(param, value, acceptable);
  else if (!t.isVariable && spec.py === "list" && Array.isArray(value)) v = listValue(param, value, acceptable);
  else if (pyIn(value, acceptable)) v = OK;
  else {
    v = {
      valid: false,
      code: "value_error:others",
      message: `${param}: ${pyRepr(value)} is not one of ${pyRepr(acceptable)}`,
    };
  }
  return v.valid
    ? { type_ok: true, value_ok: true }
    : { type_ok: true, value_ok: false, error: { code: v.code ?? "value_error:others", message: v.message ?? "" } };
}

// ---------------------------------------------------------------- one call

export interface FunctionCheck {
  valid: boolean;
  /** First failure in BFCL's order: decode, name, required, per argument (unknown, type, value), optional. */
  error: ScoreError | null;
  decoded: boolean;
  name_ok: boolean;
  required: string[];
  required_missing: string[];
  /** Provided arguments in output order, then answer-key parameters left out without "" (status missing). */
  args: ArgCheck[];
}

const acceptsOmission = (acceptable: readonly unknown[]): boolean => acceptable.some((a) => a === "" || isAny(a));

/**
 * Checks one actual call against one expected call. `def` is the expected function's definition (undefined when
 * the suite lacks it: then every argument is unknown); `actualName` must already be mapped back to the original.
 */
export function checkFunctionCall(
  def: ToolFunction | undefined,
  expectedName: string,
  key: Record<string, unknown[]>,
  actualName: string,
  args: Record<string, unknown> | string,
): FunctionCheck {
  const props = def?.parameters?.properties ?? {};
  const required = def?.parameters?.required ?? [];
  const nameOk = actualName === expectedName;
  if (typeof args === "string") {
    return {
      valid: false,
      error: { code: "ast_decoder:decoder_failed", message: `arguments of ${actualName} are not a JSON object` },
      decoded: false,
      name_ok: nameOk,
      required,
      required_missing: [...required],
      args: [],
    };
  }
  const errors: ScoreError[] = [];
  if (!nameOk) {
    errors.push({
      code: "simple_function_checker:wrong_func_name",
      message: `expected a call to ${expectedName}, got ${actualName}`,
    });
  }
  const requiredMissing = required.filter((p) => !hasOwn(args, p));
  if (requiredMissing.length > 0) {
    errors.push({
      code: "simple_function_checker:missing_required",
      message: `missing required parameter ${requiredMissing.map((p) => pyRepr(p)).join(", ")}`,
    });
  }
  const checks: ArgCheck[] = [];
  for (const [param, value] of Object.entries(args)) {
    const inSchema = hasOwn(props, param);
    const inKey = hasOwn(key, param);
    if (!inSchema || !inKey) {
      // Still type-check what the schema knows, for the partial scorer's types part.
      const typeOk = inSchema ? checkArgument(param, value, [ANY], props[param]).type_ok : null;
      const error = {
        code: "simple_function_checker:unexpected_param",
        message: inSchema
          ? `unexpected parameter ${pyRepr(param)} (not in the answer key)`
          : `unexpected parameter ${pyRepr(param)} (not in the schema)`,
      };
      checks.push({ param, status: "unknown", in_schema: inSchema, type_ok: typeOk, error });
      errors.push(error);
      continue;
    }
    const r = checkArgument(param, value, key[param] ?? [], props[param]);
    const status = !r.type_ok ? "type_error" : !r.value_ok ? "value_error" : "ok";
    checks.push({ param, status, in_schema: true, type_ok: r.type_ok, ...(r.error ? { error: r.error } : {}) });
    if (r.error) errors.push(r.error);
  }
  for (const [param, acceptable] of Object.entries(key)) {
    if (hasOwn(args, param) || acceptsOmission(acceptable)) continue;
    const error = {
      code: "simple_function_checker:missing_optional",
      message: `parameter ${pyRepr(param)} left out but the answer key does not allow omitting it`,
    };
    checks.push({ param, status: "missing", in_schema: hasOwn(props, param), type_ok: null, error });
    errors.push(error);
  }
  return {
    valid: errors.length === 0,
    error: errors[0] ?? null,
    decoded: true,
    name_ok: nameOk,
    required,
    required_missing: requiredMissing,
    args: checks,
  };
}
