// BFCL question/answer files ↔ suites.
//
// Import: a question file (entries {id, question, function}) and a possible-answer file (entries
// {id, ground_truth}), JSON Lines or JSON arrays, become one suite. Tools are the union of the entries'
// functions with BFCL's schema dialect converted to JSON Schema (dict→object, float→number, tuple→array,
// any→string, top level object) and names made provider-safe (`.`→`_`, map kept on the suite). An entry that
// redefines a function already in the union keeps its own definition as a case override, and every case lists
// the tools it offers, so the model sees exactly the entry's functions. Imports are transactional: everything is
// parsed and checked first, and the result is either a suite or the full list of errors with line and field.
//
// Export reproduces imported entries exactly (original function definitions and question turns are kept on the
// suite), and builds BFCL entries for cases that did not come from BFCL.

import { buildNameMap } from "./names.ts";
import { parseRecords, type SourceRecord, toJsonLines } from "./records.ts";
import { type BfclFunction, type BfclMessage, caseTools, type ImportIssue, type ImportResult, type Suite, type SuiteCase } from "./suite.ts";
import type { AnswerKey, JsonSchema, Tool } from "./types.ts";
import { FloatValue, hasOwn, isPlainObject } from "./values.ts";

export interface BfclEntry {
  id: string;
  question: BfclMessage[][];
  function: BfclFunction[];
  [key: string]: unknown;
}

export interface BfclAnswerEntry {
  id: string;
  ground_truth: AnswerKey;
}

// ---------------------------------------------------------------- schema dialect

const TO_JSON_SCHEMA: Record<string, string> = {
  dict: "object",
  float: "number",
  double: "number",
  tuple: "array",
  any: "string",
  long: "integer",
};
const TO_BFCL: Record<string, string> = { object: "dict", number: "float" };

function mapSchema(node: unknown, types: Record<string, string>): unknown {
  if (!isPlainObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "type" && typeof v === "string") out[k] = hasOwn(types, v) ? types[v] : v;
    else if ((k === "properties" || k === "patternProperties") && isPlainObject(v)) {
      const props: Record<string, unknown> = {};
      for (const [p, s] of Object.entries(v)) props[p] = mapSchema(s, types);
      out[k] = props;
    } else if (k === "items" || k === "additionalProperties") {
      out[k] = Array.isArray(v) ? v.map((s) => mapSchema(s, types)) : mapSchema(v, types);
    } else out[k] = v;
  }
  return out;
}

/** BFCL parameters → JSON Schema for providers (top level always `object`). */
export function convertBfclParameters(parameters: unknown): JsonSchema {
  const converted = mapSchema(isPlainObject(parameters) ? parameters : { properties: {} }, TO_JSON_SCHEMA);
  return { ...(converted as JsonSchema), type: "object" };
}

export function bfclFunctionToTool(fn: BfclFunction, providerName: string): Tool {
  return {
    type: "function",
    function: {
      name: providerName,
      ...(fn.description !== undefined ? { description: fn.description } : {}),
      parameters: convertBfclParameters(fn.parameters),
    },
  };
}

/** Best-effort reverse conversion for tools that did not come from BFCL (object→dict, number→float). */
export function toolToBfclFunction(tool: Tool, originalName: string): BfclFunction {
  const params = mapSchema(tool.function.parameters ?? { type: "object", properties: {} }, TO_BFCL) as Record<string, unknown>;
  return {
    name: originalName,
    ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
    parameters: { ...params, type: "dict" },
  };
}

/** Structural key for deep comparison (key order ignored, floats kept apart from ints). */
function canonical(v: unknown): string {
  if (v instanceof FloatValue) return `{"$f":${v.value}}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

// ---------------------------------------------------------------- category, prompt

/** Category from an id, as BFCL does: everything before the last `_` (`live_simple_7-3-3` → `live_simple`). */
export function bfclCategoryFromId(id: string): string {
  const i = id.lastIndexOf("_");
  return i > 0 ? id.slice(0, i) : id;
}

function firstTurnText(question: BfclMessage[][], role: string): string | undefined {
  const parts = (question[0] ?? []).filter((m) => m.role === role).map((m) => m.content);
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}

// ---------------------------------------------------------------- validation

type Issues = ImportIssue[];

function validateMessages(v: unknown, file: string, line: number, issues: Issues): BfclMessage[][] | null {
  if (!Array.isArray(v) || v.length === 0) {
    issues.push({ file, line, field: "question", message: "must be a non-empty array of turns" });
    return null;
  }
  let ok = true;
  v.forEach((turn, t) => {
    if (!Array.isArray(turn)) {
      issues.push({ file, line, field: `question[${t}]`, message: "must be an array of messages" });
      ok = false;
      return;
    }
    turn.forEach((m, k) => {
      if (!isPlainObject(m) || typeof m.role !== "string" || typeof m.content !== "string") {
        issues.push({ file, line, field: `question[${t}][${k}]`, message: "must be {role: string, content: string}" });
        ok = false;
      }
    });
  });
  if (!ok) return null;
  const q = v as BfclMessage[][];
  if (!(q[0] ?? []).some((m) => m.role === "user")) {
    issues.push({ file, line, field: "question[0]", message: "the first turn has no user message" });
    return null;
  }
  return q;
}

function validateFunctions(v: unknown, file: string, line: number, issues: Issues): BfclFunction[] | null {
  if (!Array.isArray(v)) {
    issues.push({ file, line, field: "function", message: "must be an array of function definitions" });
    return null;
  }
  let ok = true;
  v.forEach((fn, k) => {
    const field = `function[${k}]`;
    if (!isPlainObject(fn)) {
      issues.push({ file, line, field, message: "must be an object" });
      ok = false;
      return;
    }
    if (typeof fn.name !== "string" || fn.name === "") {
      issues.push({ file, line, field: `${field}.name`, message: "must be a non-empty string" });
      ok = false;
    }
    if (fn.description !== undefined && typeof fn.description !== "string") {
      issues.push({ file, line, field: `${field}.description`, message: "must be a string" });
      ok = false;
    }
    if (!isPlainObject(fn.parameters)) {
      issues.push({ file, line, field: `${field}.parameters`, message: "must be an object" });
      ok = false;
    } else if (fn.parameters.properties !== undefined && !isPlainObject(fn.parameters.properties)) {
      issues.push({ file, line, field: `${field}.parameters.properties`, message: "must be an object" });
      ok = false;
    }
  });
  return ok ? (v as BfclFunction[]) : null;
}

function validateGroundTruth(v: unknown, file: string, line: number, field: string, issues: Issues): AnswerKey | null {
  if (!Array.isArray(v)) {
    issues.push({ file, line, field, message: "must be an array of {function: {param: [acceptable values]}}" });
    return null;
  }
  let ok = true;
  v.forEach((call, k) => {
    const f = `${field}[${k}]`;
    if (!isPlainObject(call) || Object.keys(call).length !== 1) {
      const hint = typeof call === "string" || Array.isArray(call) ? " (multi-turn/executable ground truth is not supported)" : "";
      issues.push({ file, line, field: f, message: `must be an object with exactly one function name${hint}` });
      ok = false;
      return;
    }
    const [name, params] = Object.entries(call)[0] ?? ["", null];
    if (!isPlainObject(params)) {
      issues.push({ file, line, field: `${f}.${name}`, message: "must map parameter names to arrays of acceptable values" });
      ok = false;
      return;
    }
    for (const [p, values] of Object.entries(params)) {
      if (!Array.isArray(values)) {
        issues.push({ file, line, field: `${f}.${name}.${p}`, message: "must be an array of acceptable values" });
        ok = false;
      }
    }
  });
  return ok ? (v as AnswerKey) : null;
}

// ---------------------------------------------------------------- import

export interface BfclImportOptions {
  name?: string;
  description?: string;
}

/** Expected params for the classic scorer: first acceptable value of each parameter, optional ("") ones left out. */
export function firstAcceptableParams(params: Record<string, unknown[]>, schema: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [p, values] of Object.entries(params)) {
    if (values.includes("") || values.length === 0) continue;
    out[p] = materialize(values[0], schema?.properties?.[p]);
  }
  return out;
}

/** An acceptable value as a concrete value: acceptable dicts ({k: [values]}) become plain dicts. */
function materialize(value: unknown, schema: JsonSchema | undefined): unknown {
  const isAcceptableDict = (v: unknown): v is Record<string, unknown[]> => isPlainObject(v) && Object.values(v).every(Array.isArray);
  if (schema?.type === "object" && isAcceptableDict(value)) return firstAcceptableParams(value, schema);
  if (schema?.type === "array" && schema.items?.type === "object" && Array.isArray(value) && value.every(isAcceptableDict)) {
    return value.map((d) => firstAcceptableParams(d as Record<string, unknown[]>, schema.items));
  }
  return value;
}

interface ParsedEntry {
  file: string;
  line: number;
  id: string;
  question: BfclMessage[][];
  functions: BfclFunction[];
  groundTruth: AnswerKey | null;
  extra: Record<string, unknown>;
}

function parseQuestionEntries(records: SourceRecord[], file: string, issues: Issues, seenIds: Set<string>): ParsedEntry[] {
  const out: ParsedEntry[] = [];
  for (const { value, line } of records) {
    if (isPlainObject(value) && typeof value.id === "string") seenIds.add(value.id);
    if (!isPlainObject(value)) {
      issues.push({ file, line, message: "entry must be a JSON object" });
      continue;
    }
    const before = issues.length;
    if (typeof value.id !== "string" || value.id === "") issues.push({ file, line, field: "id", message: "must be a non-empty string" });
    const question = validateMessages(value.question, file, line, issues);
    const functions = validateFunctions(value.function, file, line, issues);
    const inline = value.ground_truth === undefined ? null : validateGroundTruth(value.ground_truth, file, line, "ground_truth", issues);
    if (issues.length > before || !question || !functions) continue;
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!["id", "question", "function", "ground_truth"].includes(k)) extra[k] = v;
    out.push({ file, line, id: value.id as string, question, functions, groundTruth: inline, extra });
  }
  return out;
}

/** Imports question + answer texts (JSON Lines or arrays). Answers may be null for irrelevance categories. */
export function importBfcl(questionsText: string, answersText?: string | null, options: BfclImportOptions = {}): ImportResult<Suite> {
  return importBfclMany([{ questions: questionsText, answers: answersText ?? null }], options);
}

/** Imports several question/answer file pairs into one suite. */
export function importBfclMany(
  sources: Array<{ questions: string; answers?: string | null; questionsFile?: string; answersFile?: string }>,
  options: BfclImportOptions = {},
): ImportResult<Suite> {
  const issues: Issues = [];
  const entries: ParsedEntry[] = [];
  const answers = new Map<string, { key: AnswerKey; file: string; line: number; used: boolean }>();
  // Ids of every question record, valid or not, so an invalid entry does not also flag its answer as orphaned.
  const questionIds = new Set<string>();
  const answerIds = new Set<string>(); // likewise for answers: an invalid answer is not also "missing"
  let unreadable = false;
  for (const src of sources) {
    const qFile = src.questionsFile ?? "questions";
    const aFile = src.answersFile ?? "answers";
    const q = parseRecords(src.questions, qFile);
    if (!q.ok) {
      issues.push(...q.errors);
      unreadable = true;
    } else entries.push(...parseQuestionEntries(q.records, qFile, issues, questionIds));
    if (src.answers !== null && src.answers !== undefined) {
      const a = parseRecords(src.answers, aFile);
      if (!a.ok) {
        issues.push(...a.errors);
        continue;
      }
      for (const { value, line } of a.records) {
        if (!isPlainObject(value)) {
          issues.push({ file: aFile, line, message: "entry must be a JSON object" });
          continue;
        }
        if (typeof value.id !== "string" || value.id === "") {
          issues.push({ file: aFile, line, field: "id", message: "must be a non-empty string" });
          continue;
        }
        answerIds.add(value.id);
        const key = validateGroundTruth(value.ground_truth, aFile, line, "ground_truth", issues);
        if (!key) continue;
        if (answers.has(value.id)) {
          issues.push({ file: aFile, line, field: "id", message: `duplicate answer for ${value.id}` });
          continue;
        }
        answers.set(value.id, { key, file: aFile, line, used: false });
      }
    }
  }
  const seenIds = new Map<string, number>();
  for (const e of entries) {
    const prev = seenIds.get(e.id);
    if (prev !== undefined) issues.push({ file: e.file, line: e.line, field: "id", message: `duplicate id ${e.id} (also line ${prev})` });
    seenIds.set(e.id, e.line);
  }

  // Provider-safe names for every function and answer name.
  const allNames: string[] = [];
  for (const e of entries) for (const fn of e.functions) allNames.push(fn.name);
  const { toProvider, providerToOriginal } = buildNameMap(allNames);

  const tools: Tool[] = [];
  const toolByName = new Map<string, string>(); // provider name → canonical of its suite definition
  const originals: BfclFunction[] = [];
  const originalKeys = new Set<string>();
  const cases: SuiteCase[] = [];

  for (const e of entries) {
    const category = bfclCategoryFromId(e.id);
    const a = answers.get(e.id);
    if (a) a.used = true;
    const key = a?.key ?? e.groundTruth;
    const names = new Set(e.functions.map((f) => f.name));
    if (key) {
      key.forEach((call, k) => {
        const name = Object.keys(call)[0] ?? "";
        if (!names.has(name)) {
          issues.push({
            file: a?.file ?? e.file,
            line: a?.line ?? e.line,
            field: `ground_truth[${k}]`,
            message: `function ${name} is not among the entry's functions (${e.id})`,
          });
        }
      });
    } else if (!category.includes("relevance") && !answerIds.has(e.id)) {
      issues.push({ file: e.file, line: e.line, field: "id", message: `no ground truth for ${e.id} (give the possible-answer file)` });
    }

    const caseToolNames: string[] = [];
    const overrides: Tool[] = [];
    for (const fn of e.functions) {
      const providerName = toProvider.get(fn.name) ?? fn.name;
      const tool = bfclFunctionToTool(fn, providerName);
      const canon = canonical(tool);
      const existing = toolByName.get(providerName);
      if (existing === undefined) {
        tools.push(tool);
        toolByName.set(providerName, canon);
      } else if (existing !== canon) overrides.push(tool);
      caseToolNames.push(providerName);
      const fnKey = canonical(fn);
      if (!originalKeys.has(fnKey)) {
        originalKeys.add(fnKey);
        originals.push(fn);
      }
    }

    const c: SuiteCase = { id: e.id, prompt: firstTurnText(e.question, "user") ?? "" };
    const system = firstTurnText(e.question, "system");
    if (system !== undefined) c.system_prompt = system;
    if (key && key.length > 0) {
      const calls = key.map((call): [string, Record<string, unknown[]>] => Object.entries(call)[0] ?? ["", {}]);
      const providerNames = calls.map(([n]) => toProvider.get(n) ?? n);
      const params = calls.map(([n, p]) => {
        const fn = e.functions.find((f) => f.name === n);
        return firstAcceptableParams(p, fn ? convertBfclParameters(fn.parameters) : undefined);
      });
      c.expected_tool = providerNames.length === 1 ? (providerNames[0] ?? null) : providerNames;
      c.expected_params = params.length === 1 ? (params[0] ?? null) : params;
      c.should_call_tool = true;
    } else {
      c.expected_tool = null;
      c.should_call_tool = !category.includes("irrelevance");
    }
    c.category = category;
    c.tool_names = caseToolNames;
    if (overrides.length > 0) c.tool_overrides = overrides;
    c.bfcl = { question: e.question, ground_truth: key ?? null };
    if (Object.keys(e.extra).length > 0) c.bfcl.entry_extra = e.extra;
    cases.push(c);
  }
  for (const [id, a] of answers) {
    if (!a.used && !unreadable && !questionIds.has(id))
      issues.push({ file: a.file, line: a.line, field: "id", message: `answer for ${id}, which no question entry has` });
  }
  if (entries.length === 0 && issues.length === 0) issues.push({ file: "questions", message: "no entries" });
  if (issues.length > 0) return { ok: false, errors: issues };

  const suite: Suite = {
    name: options.name ?? "BFCL import",
    description: options.description ?? "",
    tools,
    test_cases: cases,
  };
  if (Object.keys(providerToOriginal).length > 0) suite.name_map = providerToOriginal;
  suite.bfcl_functions = originals;
  return { ok: true, value: suite, warnings: [] };
}

// ---------------------------------------------------------------- export

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "") || "suite"
  );
}

function questionFor(c: SuiteCase): BfclMessage[][] {
  const q = c.bfcl?.question;
  if (q && firstTurnText(q, "user") === c.prompt && firstTurnText(q, "system") === c.system_prompt) return q;
  const turn: BfclMessage[] = [];
  if (c.system_prompt !== undefined) turn.push({ role: "system", content: c.system_prompt });
  turn.push({ role: "user", content: c.prompt });
  return [turn];
}

function acceptableOf(v: unknown): unknown {
  if (isPlainObject(v)) {
    const d: Record<string, unknown[]> = {};
    for (const [k, x] of Object.entries(v)) d[k] = [x];
    return d;
  }
  if (Array.isArray(v) && v.length > 0 && v.every(isPlainObject)) return v.map(acceptableOf);
  return v;
}

/** Ground truth for a case that did not come from BFCL: each expected parameter accepts its expected value. */
function derivedGroundTruth(c: SuiteCase, toOriginal: (n: string) => string): AnswerKey | null {
  if (c.should_call_tool === false || c.expected_tool === null || c.expected_tool === undefined) return null;
  const paramsList = Array.isArray(c.expected_params) ? c.expected_params : [c.expected_params ?? {}];
  const tool = c.expected_tool;
  return paramsList.map((params, i) => {
    const name = typeof tool === "string" ? tool : tool.length === paramsList.length ? (tool[i] ?? "") : (tool[0] ?? "");
    const key: Record<string, unknown[]> = {};
    for (const [p, v] of Object.entries(params ?? {})) key[p] = [acceptableOf(v)];
    return { [toOriginal(name)]: key };
  });
}

export interface BfclExport {
  questions: BfclEntry[];
  answers: BfclAnswerEntry[];
}

export function exportBfcl(suite: Suite): BfclExport {
  const map = suite.name_map ?? {};
  const toOriginal = (n: string): string => (hasOwn(map, n) ? (map[n] ?? n) : n);
  const originals = new Map<string, BfclFunction[]>();
  for (const fn of suite.bfcl_functions ?? []) originals.set(fn.name, [...(originals.get(fn.name) ?? []), fn]);
  const questions: BfclEntry[] = [];
  const answers: BfclAnswerEntry[] = [];
  const prefix = slug(suite.name);
  suite.test_cases.forEach((c, i) => {
    const id = c.id ?? `${c.category ? slug(c.category) : prefix}_${i}`;
    const functions = caseTools(suite, c).map((tool) => {
      const original = toOriginal(tool.function.name);
      const target = canonical(tool);
      const kept = (originals.get(original) ?? []).find((fn) => canonical(bfclFunctionToTool(fn, tool.function.name)) === target);
      return kept ?? toolToBfclFunction(tool, original);
    });
    questions.push({ id, question: questionFor(c), function: functions, ...(c.bfcl?.entry_extra ?? {}) });
    const gt = c.bfcl ? c.bfcl.ground_truth : derivedGroundTruth(c, toOriginal);
    if (gt && gt.length > 0) answers.push({ id, ground_truth: gt });
  });
  return { questions, answers };
}

/** Export as the two JSON Lines texts BFCL uses. */
export function exportBfclText(suite: Suite): { questions: string; answers: string } {
  const e = exportBfcl(suite);
  return { questions: toJsonLines(e.questions), answers: toJsonLines(e.answers) };
}

/** True when a parsed record looks like a BFCL question entry. */
export function looksLikeBfclEntry(v: unknown): boolean {
  return isPlainObject(v) && typeof v.id === "string" && Array.isArray(v.question) && Array.isArray(v.function);
}
