// `llm-bench score`: score recorded tool calls against a suite offline, without the web app.
//
//   llm-bench score --suite <file> --outputs <jsonl> --scorer classic|bfcl|partial
//        [--answers <file>] [--format table|json] [--min-score 0.9]
//
// Exit codes: 0 passed (or no --min-score); 1 below --min-score (mean score, or pass rate for bfcl); 2 bad input
// or usage; 3 internal error (a bug: an unexpected exception, reported with its stack).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { importBfclMany, looksLikeBfclEntry } from "../shared/scoring/bfcl-format.ts";
import { type ScoreSummary, scoreCase, summarize } from "../shared/scoring/index.ts";
import { importOriginalSuite, looksLikeOriginalSuite } from "../shared/scoring/original-format.ts";
import { parsePythonCalls } from "../shared/scoring/python-calls.ts";
import { parseRecords } from "../shared/scoring/records.ts";
import { formatIssue, type ImportIssue, type Suite, scoreInputFor } from "../shared/scoring/suite.ts";
import { type ActualCall, type ActualOutput, type CaseOutcome, SCORER_NAMES, type ScorerName } from "../shared/scoring/types.ts";
import { isPlainObject, parseJsonLossless } from "../shared/scoring/values.ts";

export const SCORE_USAGE = `llm-bench score — score recorded tool calls offline

Usage:
  llm-bench score --suite <file> --outputs <file> [options]
  llm-bench score --help

Options:
  --suite <file>      suite in the original Benchmark Studio format ({name, tools, test_cases}),
                      or a BFCL question file (JSON Lines or JSON array); detected automatically
  --answers <file>    BFCL possible-answer file (default: possible_answer/<same name> next to the
                      question file, when it exists; irrelevance files need none)
  --outputs <file>    recorded outputs, JSON Lines, one line per case:
                        {"id": "...", "calls": [{"name": "...", "arguments": {...} | "<json>"}]}
                        {"case_index": 0, "calls": [...], "chain": [...]}     (chain: multi-turn rounds)
                        {"id": "...", "result": [{"fname": {...args} | "<json>"}] | "<text or python calls>"}
  --scorer <name>     classic (default) | bfcl | partial
  --format <fmt>      table (default) | json
  --min-score <x>     exit 1 when the mean score (bfcl: the pass rate) is below x (0..1)
  -h, --help          this text

Cases without a recorded output count as failed with score 0; an empty outputs file is
accepted (every case fails). Numbers are read as Python's json module reads them: integers
are exact at any size, and NaN, Infinity and -Infinity are floats (they match no finite value).

Exit codes: 0 passed, 1 below --min-score, 2 bad input or usage, 3 internal error.
`;

export class InputError extends Error {}

function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new InputError(`${what} file not found: ${file}`);
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${what} file ${file}: ${(e as Error).message}`);
  }
}

/** All problems, each with file, line and field (the first 20 when there are many). */
function issuesError(file: string, issues: ImportIssue[]): InputError {
  const shown = issues.slice(0, 20).map((i) => `  ${formatIssue({ ...i, file: i.file === "suite" ? file : i.file })}`);
  const more = issues.length > 20 ? `\n  … ${issues.length - 20} more` : "";
  return new InputError(`invalid input:\n${shown.join("\n")}${more}`);
}

// ---------------------------------------------------------------- suite

export function loadSuite(suiteFile: string, answersFile: string | undefined): Suite {
  const text = readText(suiteFile, "suite");
  let doc: unknown;
  try {
    doc = parseJsonLossless(text);
  } catch {
    doc = undefined; // may be JSON Lines
  }
  if (doc !== undefined && looksLikeOriginalSuite(doc)) {
    const r = importOriginalSuite(doc);
    if (!r.ok) throw issuesError(suiteFile, r.errors);
    return r.value;
  }
  const records = parseRecords(text, suiteFile);
  const isBfcl = records.ok && records.records.length > 0 && looksLikeBfclEntry(records.records[0]?.value);
  if (!isBfcl) {
    if (!records.ok && doc === undefined) throw issuesError(suiteFile, records.errors);
    throw new InputError(`${suiteFile}: not a suite (expected {name, tools, test_cases} or BFCL entries {id, question, function})`);
  }
  let answers: string | null = null;
  let answersLabel = answersFile;
  if (answersFile) answers = readText(answersFile, "answers");
  else {
    const sibling = path.join(path.dirname(suiteFile), "possible_answer", path.basename(suiteFile));
    if (existsSync(sibling)) {
      answers = readText(sibling, "answers");
      answersLabel = sibling;
    }
  }
  const r = importBfclMany([{ questions: text, answers, questionsFile: suiteFile, answersFile: answersLabel ?? "answers" }], {
    name: path.basename(suiteFile).replace(/\.jsonl?$/, ""),
  });
  if (!r.ok) throw issuesError(suiteFile, r.errors);
  return r.value;
}

// ---------------------------------------------------------------- outputs

/** Python writes NaN/Infinity in JSON by default (json.dumps), and json.loads reads them back as floats. */
const PYTHON_JSON = { nonFinite: true } as const;

function toArguments(v: unknown): Record<string, unknown> | string {
  if (typeof v === "string") {
    try {
      const parsed = parseJsonLossless(v, PYTHON_JSON);
      return isPlainObject(parsed) ? parsed : v;
    } catch {
      return v;
    }
  }
  return isPlainObject(v) ? v : JSON.stringify(v);
}

function callsFromList(v: unknown[], where: string): ActualCall[] {
  return v.map((c, k) => {
    if (!isPlainObject(c) || typeof c.name !== "string") {
      throw new InputError(`${where}.calls[${k}]: expected {name: string, arguments: object | string}`);
    }
    return { name: c.name, arguments: c.arguments === undefined ? {} : toArguments(c.arguments) };
  });
}

/** BFCL result: [{fname: args}], or a string (JSON of that list, Python call syntax, or plain text = no call). */
function callsFromBfclResult(v: unknown, where: string): ActualCall[] {
  if (typeof v === "string") {
    try {
      const parsed = parseJsonLossless(v, PYTHON_JSON);
      if (Array.isArray(parsed)) return callsFromBfclResult(parsed, where);
    } catch {
      // not JSON
    }
    try {
      return parsePythonCalls(v);
    } catch {
      return []; // a text answer: BFCL cannot decode a call from it
    }
  }
  if (!Array.isArray(v)) throw new InputError(`${where}.result: expected a list of {function: arguments} or a string`);
  return v.map((item, k) => {
    if (!isPlainObject(item) || Object.keys(item).length !== 1) {
      throw new InputError(`${where}.result[${k}]: expected an object with exactly one function name`);
    }
    const [name, args] = Object.entries(item)[0] ?? ["", {}];
    return { name, arguments: toArguments(args) };
  });
}

export function loadOutputs(file: string, suite: Suite): Map<number, ActualOutput> {
  const text = readText(file, "outputs");
  // No recorded output at all is a run where every case failed, not bad input.
  if (text.replace(/^\uFEFF/, "").trim() === "") return new Map();
  const parsed = parseRecords(text, file, PYTHON_JSON);
  if (!parsed.ok) throw issuesError(file, parsed.errors);
  const byId = new Map<string, number>();
  suite.test_cases.forEach((c, i) => {
    if (c.id !== undefined) byId.set(c.id, i);
  });
  const out = new Map<number, ActualOutput>();
  for (const { value, line } of parsed.records) {
    const where = `${file} line ${line}`;
    if (!isPlainObject(value)) throw new InputError(`${where}: expected a JSON object`);
    let index: number | undefined;
    if (typeof value.id === "string") {
      index = byId.get(value.id);
      if (index === undefined) throw new InputError(`${where}: id ${value.id} is not a case of the suite`);
    } else if (typeof value.case_index === "number" && Number.isInteger(value.case_index)) {
      index = value.case_index;
      if (index < 0 || index >= suite.test_cases.length) {
        throw new InputError(`${where}: case_index ${index} is out of range (suite has ${suite.test_cases.length} cases)`);
      }
    } else throw new InputError(`${where}: needs "id" (string) or "case_index" (integer)`);
    if (out.has(index)) throw new InputError(`${where}: a second output for case ${value.id ?? index}`);
    let calls: ActualCall[];
    if (Array.isArray(value.calls)) calls = callsFromList(value.calls, where);
    else if (value.result !== undefined) calls = callsFromBfclResult(value.result, where);
    else throw new InputError(`${where}: needs "calls" (array) or "result" (BFCL result)`);
    const output: ActualOutput = { calls };
    if (value.chain !== undefined) {
      if (!Array.isArray(value.chain)) throw new InputError(`${where}.chain: expected an array of calls`);
      output.chain = callsFromList(value.chain, `${where}.chain`);
    }
    if (typeof value.rounds_used === "number") output.rounds_used = value.rounds_used;
    out.set(index, output);
  }
  return out;
}

// ---------------------------------------------------------------- scoring and report

interface Row {
  case_index: number;
  id: string | null;
  category: string | null;
  passed: boolean;
  score: number;
  reason: string;
  result: CaseOutcome;
}

export function scoreAll(suite: Suite, outputs: Map<number, ActualOutput>, scorer: ScorerName): Row[] {
  return suite.test_cases.map((c, i) => {
    const output = outputs.get(i);
    if (!output) {
      const result: CaseOutcome = {
        success: false,
        category: c.category ?? null,
        should_call_tool: c.should_call_tool ?? true,
        error: { code: "no_output", message: "no recorded output" },
      };
      return { case_index: i, id: c.id ?? null, category: c.category ?? null, passed: false, score: 0, reason: "no recorded output", result };
    }
    const r = scoreCase(scorer, scoreInputFor(suite, c, output));
    return {
      case_index: i,
      id: c.id ?? null,
      category: c.category ?? null,
      passed: r.passed,
      score: r.overall,
      reason: r.passed ? "" : r.error ? `${r.error.code}: ${r.error.message}` : "",
      result: r,
    };
  });
}

/** Three decimals, never showing 1.000 for a score below 1. */
function fmtScore(x: number): string {
  const s = x.toFixed(3);
  return x < 1 && s === "1.000" ? "0.999" : s;
}

const pctText = (x: number): string => `${x.toFixed(1)}%`;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function renderTable(rows: Row[], summary: ScoreSummary, scorer: ScorerName, gate: Gate): string {
  const label = (r: Row): string => r.id ?? `#${r.case_index}`;
  const w = Math.min(40, Math.max(4, ...rows.map((r) => label(r).length)));
  const lines: string[] = [];
  lines.push(`${pad("case", w)}  ${pad("passed", 6)}  ${pad("score", 5)}  reason`);
  lines.push(`${"-".repeat(w)}  ------  -----  ${"-".repeat(40)}`);
  for (const r of rows) {
    lines.push(`${pad(clip(label(r), w), w)}  ${pad(r.passed ? "yes" : "no", 6)}  ${fmtScore(r.score)}  ${clip(r.reason, 110)}`);
  }
  lines.push("");
  lines.push(
    `scorer ${scorer}: ${summary.cases_passed}/${summary.cases_run} passed (${pctText(summary.pass_rate_pct)}), ` +
      `mean score ${fmtScore(gate.mean)}, tool ${pctText(summary.tool_accuracy_pct)}, params ${pctText(summary.param_accuracy_pct)}, ` +
      `overall ${pctText(summary.overall_pct)}` +
      (summary.irrelevance_pct !== null ? `, irrelevance ${pctText(summary.irrelevance_pct)} (${summary.irrelevance_cases} cases)` : ""),
  );
  const cats = Object.entries(summary.category_breakdown);
  if (cats.length > 1 || (cats[0] && cats[0][0] !== "uncategorized")) {
    const cw = Math.max(8, ...cats.map(([c]) => c.length));
    lines.push("");
    lines.push(`${pad("category", cw)}  cases  passed  accuracy  overall`);
    for (const [c, s] of cats) {
      lines.push(
        `${pad(c, cw)}  ${pad(String(s.cases), 5)}  ${pad(String(s.passed), 6)}  ${pad(pctText(s.accuracy_pct), 8)}  ${pctText(s.overall_pct)}`,
      );
    }
  }
  const errs = Object.entries(summary.error_type_counts).sort((a, b) => b[1] - a[1]);
  if (errs.length > 0) {
    lines.push("");
    lines.push(`errors: ${errs.map(([k, n]) => `${k} ${n}`).join(", ")}`);
  }
  if (gate.min !== null) {
    lines.push("");
    lines.push(`min-score ${gate.min}: ${gate.ok ? "ok" : "FAILED"} (${gate.metric} ${fmtScore(gate.value)})`);
  }
  return `${lines.join("\n")}\n`;
}

interface Gate {
  metric: "mean_score" | "pass_rate";
  value: number;
  mean: number;
  min: number | null;
  ok: boolean;
}

function computeGate(rows: Row[], scorer: ScorerName, min: number | null): Gate {
  const n = rows.length;
  const mean = n === 0 ? 0 : rows.reduce((s, r) => s + r.score, 0) / n;
  const passRate = n === 0 ? 0 : rows.filter((r) => r.passed).length / n;
  const metric = scorer === "bfcl" ? "pass_rate" : "mean_score";
  const value = metric === "pass_rate" ? passRate : mean;
  return { metric, value, mean, min, ok: min === null || value >= min };
}

// ---------------------------------------------------------------- main

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      suite: { type: "string" },
      answers: { type: "string" },
      outputs: { type: "string" },
      scorer: { type: "string", default: "classic" },
      format: { type: "string", default: "table" },
      "min-score": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

export function scoreMain(argv: string[]): { code: number; stdout: string; stderr: string } {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(argv);
  } catch (e) {
    return { code: 2, stdout: "", stderr: `llm-bench: ${(e as Error).message}\nRun llm-bench score --help for usage.\n` };
  }
  const { values, positionals } = args;
  if (values.help) return { code: 0, stdout: SCORE_USAGE, stderr: "" };
  if (positionals.length > 0) {
    return { code: 2, stdout: "", stderr: `llm-bench score: unexpected argument ${positionals.join(" ")}\nRun llm-bench score --help for usage.\n` };
  }
  try {
    if (!values.suite) throw new InputError("--suite is required");
    if (!values.outputs) throw new InputError("--outputs is required");
    const scorer = values.scorer as ScorerName;
    if (!SCORER_NAMES.includes(scorer)) throw new InputError(`--scorer must be one of ${SCORER_NAMES.join(", ")}`);
    if (values.format !== "table" && values.format !== "json") throw new InputError("--format must be table or json");
    let min: number | null = null;
    if (values["min-score"] !== undefined) {
      min = Number(values["min-score"]);
      if (!Number.isFinite(min) || min < 0 || min > 1) throw new InputError("--min-score must be a number between 0 and 1");
    }
    const suite = loadSuite(values.suite, values.answers);
    const outputs = loadOutputs(values.outputs, suite);
    const rows = scoreAll(suite, outputs, scorer);
    const summary = summarize(rows.map((r) => r.result));
    const gate = computeGate(rows, scorer, min);
    const code = gate.ok ? 0 : 1;
    if (values.format === "json") {
      const doc = {
        scorer,
        suite: { name: suite.name, cases: suite.test_cases.length },
        results: rows,
        summary,
        gate: { metric: gate.metric, value: gate.value, mean_score: gate.mean, min_score: gate.min, ok: gate.ok },
      };
      return { code, stdout: `${JSON.stringify(doc, null, 2)}\n`, stderr: "" };
    }
    return { code, stdout: renderTable(rows, summary, scorer, gate), stderr: "" };
  } catch (e) {
    if (e instanceof InputError) return { code: 2, stdout: "", stderr: `llm-bench: ${e.message}\n` };
    // Anything else is a bug in llm-bench, not in the input: a distinct code so CI does not read it as a low score.
    const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    return { code: 3, stdout: "", stderr: `llm-bench: internal error: ${detail}\nPlease report this with the command line and input files.\n` };
  }
}
