/**
 * D1 rows ↔ the scoring library's Suite model (src/shared/scoring/suite.ts), used by imports, exports and the
 * eval engine. Fields the API does not expose (BFCL answer keys, per-case tool lists, original ids) live in
 * the case's `extra_json` and the suite's `meta_json`, so an imported file exports back unchanged.
 */
import type { Suite, SuiteCase } from "../../shared/scoring/suite.ts";
import type { Tool } from "../../shared/scoring/types.ts";
import { newId } from "../lib/ids.ts";
import { MATCH_MODES } from "./schemas.ts";
import type { CaseRow, SuiteRow } from "./store.ts";
import { caseView } from "./store.ts";

type CaseExtra = Pick<SuiteCase, "id" | "system_prompt" | "tool_names" | "tool_overrides" | "bfcl" | "argument_source"> & {
  /** An original param_scoring value our match modes do not have (e.g. "fuzzy"), kept for export. */
  param_scoring_original?: string;
};
type SuiteMeta = Pick<Suite, "name_map" | "bfcl_functions">;

export function caseToModel(row: CaseRow): SuiteCase {
  const c = caseView(row);
  const extra = (row.extra ?? {}) as CaseExtra;
  const { param_scoring_original, ...rest } = extra;
  return {
    ...rest,
    prompt: c.prompt,
    expected_tool: c.expected_tool,
    ...(c.expected_params !== null ? { expected_params: c.expected_params } : {}),
    ...(param_scoring_original ? { param_scoring: param_scoring_original } : c.param_scoring !== "exact" ? { param_scoring: c.param_scoring } : {}),
    // The scorers read the match mode from scoring_config; the API keeps it in param_scoring.
    ...(c.scoring_config || c.param_scoring !== "exact" ? { scoring_config: { ...(c.scoring_config ?? {}), mode: c.param_scoring } } : {}),
    ...(c.multi_turn
      ? {
          multi_turn: true,
          max_rounds: c.max_rounds,
          optimal_hops: c.optimal_hops,
          valid_prerequisites: c.valid_prerequisites,
          mock_responses: c.mock_responses,
        }
      : {}),
    // Written only when it differs from what the expectation implies, so imported files export unchanged.
    ...(c.should_call_tool !== defaultShouldCall(c.expected_tool, extra.bfcl?.ground_truth) ? { should_call_tool: c.should_call_tool } : {}),
    ...(c.category !== null ? { category: c.category } : {}),
  };
}

function defaultShouldCall(expectedTool: unknown, groundTruth: unknown): boolean {
  return (expectedTool !== null && expectedTool !== undefined) || Boolean(groundTruth);
}

export function rowsToSuite(suite: SuiteRow, cases: CaseRow[]): Suite {
  const meta = (suite.meta ?? {}) as SuiteMeta;
  return {
    name: suite.name,
    description: suite.description,
    ...(suite.systemPrompt ? { system_prompt: suite.systemPrompt } : {}),
    tools: suite.tools as Tool[],
    test_cases: cases.map(caseToModel),
    ...(meta.name_map ? { name_map: meta.name_map } : {}),
    ...(meta.bfcl_functions ? { bfcl_functions: meta.bfcl_functions } : {}),
  };
}

/** A parsed suite → the rows to insert (one D1 batch, so an import lands whole or not at all). */
export function suiteToRows(s: Suite, userId: string, source: "import" | "bfcl" | "mcp") {
  const suiteId = newId();
  const suiteRow = {
    id: suiteId,
    userId,
    name: s.name.slice(0, 256) || "Imported suite",
    description: s.description ?? "",
    systemPrompt: s.system_prompt ?? null,
    tools: s.tools,
    meta: s.name_map || s.bfcl_functions ? { name_map: s.name_map, bfcl_functions: s.bfcl_functions } : null,
    source,
  };
  const caseRows = s.test_cases.map((c, i) => {
    const mode = c.scoring_config?.mode ?? c.param_scoring ?? "exact";
    const known = (MATCH_MODES as readonly string[]).includes(mode);
    const { mode: _mode, ...scoringRest } = c.scoring_config ?? {};
    void _mode;
    const extra: CaseExtra = {
      ...(c.id !== undefined && { id: c.id }),
      ...(c.system_prompt !== undefined && { system_prompt: c.system_prompt }),
      ...(c.tool_names !== undefined && { tool_names: c.tool_names }),
      ...(c.tool_overrides !== undefined && { tool_overrides: c.tool_overrides }),
      ...(c.bfcl !== undefined && { bfcl: c.bfcl }),
      ...(c.argument_source !== undefined && { argument_source: c.argument_source }),
      ...(c.param_scoring !== undefined && c.param_scoring !== mode ? { param_scoring_original: c.param_scoring } : {}),
      ...(!known ? { param_scoring_original: c.param_scoring ?? mode } : {}),
    };
    const multi = c.multi_turn
      ? {
          max_rounds: c.max_rounds ?? 5,
          optimal_hops: c.optimal_hops ?? 2,
          valid_prerequisites: c.valid_prerequisites ?? [],
          mock_responses: c.mock_responses ?? {},
        }
      : null;
    return {
      id: newId(),
      suiteId,
      sortOrder: i,
      prompt: c.prompt,
      expectedTool: c.expected_tool ?? null,
      expectedParams: c.expected_params ?? null,
      paramScoring: (known ? mode : "exact") as (typeof MATCH_MODES)[number],
      shouldCallTool: c.should_call_tool ?? defaultShouldCall(c.expected_tool, c.bfcl?.ground_truth),
      category: c.category ?? null,
      multiTurn: multi,
      scoringConfig: Object.keys(scoringRest).length ? scoringRest : null,
      extra: Object.keys(extra).length ? extra : null,
    };
  });
  return { suiteRow, caseRows };
}
