/** Tool suites and test cases in D1: owner-scoped look-ups and the row ↔ API mapping. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { toolSuites, toolTestCases } from "../db/schema.ts";
import { notFound } from "../lib/errors.ts";
import { isoNow, newId } from "../lib/ids.ts";
import type { CaseCreate, FunctionToolInput } from "./schemas.ts";

export type SuiteRow = typeof toolSuites.$inferSelect;
export type CaseRow = typeof toolTestCases.$inferSelect;

interface MultiTurnConfig {
  max_rounds: number;
  optimal_hops: number;
  valid_prerequisites: string[];
  mock_responses: Record<string, unknown>;
}
const MULTI_TURN_DEFAULTS: MultiTurnConfig = { max_rounds: 5, optimal_hops: 2, valid_prerequisites: [], mock_responses: {} };

export async function ownedSuite(db: Db, userId: string, id: string): Promise<SuiteRow> {
  const row = await db
    .select()
    .from(toolSuites)
    .where(and(eq(toolSuites.id, id), eq(toolSuites.userId, userId)))
    .get();
  if (!row) throw notFound("Tool suite");
  return row;
}

// A JSON null may be stored as SQL NULL or as the text 'null', depending on how the row was written.
const NO_CALL_SQL = sql.raw(`(c.expected_tool IS NULL OR c.expected_tool = 'null')`);

/** How many of these cases expect no tool call. */
export function noCallCount(cases: readonly { expected_tool: unknown }[]): number {
  return cases.filter((c) => c.expected_tool === null).length;
}

/** `noCallCaseCount`: cases whose right answer is no tool call (they cannot pass under tool choice "required"). */
export function suiteView(s: SuiteRow, testCaseCount: number, noCallCaseCount: number) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    system_prompt: s.systemPrompt,
    source: s.source,
    tool_count: (s.tools as unknown[]).length,
    test_case_count: testCaseCount,
    no_call_case_count: noCallCaseCount,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

export async function listSuites(db: Db, userId: string) {
  const rows = await db
    // Qualified by hand: drizzle renders ${toolSuites.id} as a bare "id", which inside the subquery means c.id.
    .select({
      s: toolSuites,
      n: sql<number>`(SELECT COUNT(*) FROM tool_test_cases c WHERE c.suite_id = "tool_suites"."id")`,
      noCall: sql<number>`(SELECT COUNT(*) FROM tool_test_cases c WHERE c.suite_id = "tool_suites"."id" AND ${NO_CALL_SQL})`,
    })
    .from(toolSuites)
    .where(eq(toolSuites.userId, userId))
    .orderBy(sql`${toolSuites.updatedAt} DESC`);
  return rows.map((r) => suiteView(r.s, r.n, r.noCall));
}

export function caseView(c: CaseRow) {
  const mt = (c.multiTurn ?? null) as MultiTurnConfig | null;
  return {
    id: c.id,
    suite_id: c.suiteId,
    prompt: c.prompt,
    expected_tool: (c.expectedTool ?? null) as string | string[] | null,
    expected_params: (c.expectedParams ?? null) as Record<string, unknown> | Record<string, unknown>[] | null,
    param_scoring: c.paramScoring,
    scoring_config: (c.scoringConfig ?? null) as Record<string, unknown> | null,
    should_call_tool: c.shouldCallTool,
    category: c.category,
    multi_turn: mt !== null,
    max_rounds: mt?.max_rounds ?? MULTI_TURN_DEFAULTS.max_rounds,
    optimal_hops: mt?.optimal_hops ?? MULTI_TURN_DEFAULTS.optimal_hops,
    valid_prerequisites: mt?.valid_prerequisites ?? [],
    mock_responses: mt?.mock_responses ?? {},
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}
export type CaseView = ReturnType<typeof caseView>;

export async function listCases(db: Db, suiteId: string) {
  const rows = await db
    .select()
    .from(toolTestCases)
    .where(eq(toolTestCases.suiteId, suiteId))
    .orderBy(asc(toolTestCases.sortOrder), asc(toolTestCases.createdAt));
  return rows.map(caseView);
}

/** Case fields → row values; `prev` is the current row for partial updates. */
export function caseValues(input: Partial<CaseCreate>, prev?: CaseRow) {
  const prevMt = (prev?.multiTurn ?? null) as MultiTurnConfig | null;
  const multiTurn = input.multi_turn ?? (prevMt !== null || input.max_rounds !== undefined || input.mock_responses !== undefined);
  const mt: MultiTurnConfig | null = multiTurn
    ? {
        max_rounds: input.max_rounds ?? prevMt?.max_rounds ?? MULTI_TURN_DEFAULTS.max_rounds,
        optimal_hops: input.optimal_hops ?? prevMt?.optimal_hops ?? MULTI_TURN_DEFAULTS.optimal_hops,
        valid_prerequisites: input.valid_prerequisites ?? prevMt?.valid_prerequisites ?? [],
        mock_responses: input.mock_responses ?? prevMt?.mock_responses ?? {},
      }
    : null;
  const expectedTool = input.expected_tool !== undefined ? input.expected_tool : (prev?.expectedTool ?? null);
  return {
    ...(input.prompt !== undefined && { prompt: input.prompt }),
    ...(input.expected_tool !== undefined && { expectedTool: input.expected_tool }),
    ...(input.expected_params !== undefined && { expectedParams: input.expected_params }),
    ...(input.param_scoring !== undefined && { paramScoring: input.param_scoring }),
    ...(input.scoring_config !== undefined && { scoringConfig: input.scoring_config }),
    // "No tool expected" implies the model should abstain unless the caller says otherwise.
    shouldCallTool: input.should_call_tool ?? (input.expected_tool !== undefined ? expectedTool !== null : (prev?.shouldCallTool ?? true)),
    ...(input.category !== undefined && { category: input.category }),
    multiTurn: mt,
  };
}

export function newCaseRow(suiteId: string, input: CaseCreate, sortOrder: number) {
  return { id: newId(), suiteId, sortOrder, prompt: input.prompt, ...caseValues(input) };
}

export async function touchSuite(db: Db, suiteId: string) {
  await db.update(toolSuites).set({ updatedAt: isoNow() }).where(eq(toolSuites.id, suiteId));
}

export function toolsOf(s: SuiteRow): FunctionToolInput[] {
  return s.tools as FunctionToolInput[];
}
