// Tool suites, test cases and MCP import as the API returns them (docs/api-contract.md, "Tool suites and evaluation").
import type { MatchMode, Tool } from "../../../shared/scoring/types.ts";

export { DEFAULT_EPSILON, DEFAULT_MAX_ROUNDS, DEFAULT_OPTIMAL_HOPS, MATCH_MODES } from "../../../shared/scoring/types.ts";
export type { MatchMode, Tool };

export interface SuiteSummary {
  id: string;
  name: string;
  description: string;
  system_prompt: string | null;
  /** "manual", "import", "bfcl" or "mcp". */
  source: string;
  tool_count: number;
  test_case_count: number;
  created_at: string;
  updated_at: string;
}

export type ExpectedParams = Record<string, unknown> | Array<Record<string, unknown>> | null;

export interface TestCase {
  id: string;
  suite_id: string;
  prompt: string;
  /** A name, acceptable names (or per-call names for parallel calls), or null = no tool expected. */
  expected_tool: string | string[] | null;
  /** Object for one call, array of objects for parallel calls, null = parameters not scored. */
  expected_params: ExpectedParams;
  /** The parameter match mode. */
  param_scoring: MatchMode;
  /** Extra match settings, e.g. {epsilon} for numeric_tolerance. */
  scoring_config: Record<string, unknown> | null;
  should_call_tool: boolean;
  category: string | null;
  multi_turn: boolean;
  max_rounds: number;
  optimal_hops: number;
  valid_prerequisites: string[];
  mock_responses: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface SuiteDetail extends SuiteSummary {
  tools: Tool[];
  test_cases: TestCase[];
}

export interface ImportResponse {
  status: "ok";
  suite_id: string;
  test_cases_created: number;
  tools_imported: number;
  warnings: string[];
}

export type McpTransport = "auto" | "streamable_http" | "sse";

export interface McpTool {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  parameter_count: number;
}

export interface McpDiscoverResponse {
  status: string;
  server_name: string;
  tools: McpTool[];
  tool_count: number;
  transport: string;
  /** Set (with status 200) when the server answered but offers no tools. */
  error?: string;
}

export interface McpImportResponse {
  status: string;
  suite_id: string;
  tools_imported: number;
  test_cases_generated: number;
}
