// Per-case tool-eval results as CSV (one row per case × model), built in the browser with the shared csv helper.
import { type CsvCell, toCsv } from "./csv";
import type { EvalResult } from "./eval-types";

const json = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v));
const expectedTool = (t: EvalResult["expected_tool"]) => (Array.isArray(t) ? t.join(" | ") : t);

const COLUMNS: [header: string, value: (r: EvalResult) => CsvCell][] = [
  ["model", (r) => r.model_name],
  ["provider_key", (r) => r.provider_key],
  ["model_id", (r) => r.model_id],
  ["test_case_id", (r) => r.test_case_id],
  ["category", (r) => r.category],
  ["prompt", (r) => r.prompt],
  ["expected_tool", (r) => expectedTool(r.expected_tool)],
  ["expected_params", (r) => json(r.expected_params)],
  ["actual_tool", (r) => r.actual_tool],
  ["actual_params", (r) => json(r.actual_params)],
  ["chain", (r) => r.actual_chain?.map((c) => c.name).join(" > ") ?? null],
  ["tool_selection_score", (r) => r.tool_selection_score],
  ["param_accuracy", (r) => r.param_accuracy],
  ["overall_score", (r) => r.overall_score],
  ["passed", (r) => r.passed],
  ["irrelevance_score", (r) => r.irrelevance_score],
  ["format_compliance", (r) => r.format_compliance],
  ["error_type", (r) => r.error_type],
  ["rounds", (r) => r.rounds],
  ["latency_ms", (r) => r.latency_ms],
  ["success", (r) => r.success],
  ["error", (r) => r.error],
];

export function evalResultsToCsv(results: readonly EvalResult[]): string {
  return toCsv(
    COLUMNS.map(([h]) => h),
    results.map((r) => COLUMNS.map(([, value]) => value(r))),
  );
}

/** e.g. "tool-eval-1a2b3c4d.csv" / ".json" */
export function evalFilename(evalId: string | null, ext: "csv" | "json"): string {
  return `tool-eval${evalId ? `-${evalId.slice(0, 8)}` : ""}.${ext}`;
}
