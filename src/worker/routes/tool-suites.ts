/**
 * /api/tool-suites: tool suites (OpenAI function tools + a suite system prompt that evals actually send) and
 * their test cases, with single and bulk operations. Every look-up is owner-scoped (404 otherwise).
 */

import { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { inList } from "../db/in-list.ts";
import { toolSuites, toolTestCases } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { ApiError, badRequest, notFound } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, OkSchema, route } from "../lib/http.ts";
import { isoNow, newId } from "../lib/ids.ts";
import {
  CaseCreateSchema,
  CaseSchema,
  CaseUpdateSchema,
  regexPatternIssues,
  SuiteCreateSchema,
  SuiteDetailSchema,
  SuiteSchema,
  SuiteUpdateSchema,
} from "../tool-eval/schemas.ts";
import {
  caseValues,
  caseView,
  listCases,
  listSuites,
  newCaseRow,
  noCallCount,
  ownedSuite,
  suiteView,
  toolsOf,
  touchSuite,
} from "../tool-eval/store.ts";

const CaseParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
  case_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "case_id", in: "path" } }),
});
const MAX_CASES_PER_SUITE = 5000;

export const toolSuiteRoutes = newRouter();

toolSuiteRoutes.openapi(
  route({
    method: "get",
    path: "/",
    operationId: "listToolSuites",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Your tool suites, recently updated first",
    responses: { 200: jsonResponse(z.object({ suites: z.array(SuiteSchema) }), "Suites, recently updated first"), 401: errors[401] },
  }),
  async (c) => c.json({ suites: await listSuites(c.var.db, c.var.user.id) }, 200),
);

toolSuiteRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "createToolSuite",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Create a tool suite",
    request: jsonBody(SuiteCreateSchema),
    responses: { 201: jsonResponse(z.object({ status: z.literal("ok"), suite_id: z.string() }), "Created"), 400: errors[400] },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const id = newId();
    await c.var.db.insert(toolSuites).values({
      id,
      userId: c.var.user.id,
      name: b.name,
      description: b.description ?? "",
      systemPrompt: b.system_prompt ?? null,
      tools: b.tools,
    });
    await audit(c, { action: "suite_create", userId: c.var.user.id, resourceType: "tool_suite", resourceId: id });
    return c.json({ status: "ok" as const, suite_id: id }, 201);
  },
);

toolSuiteRoutes.openapi(
  route({
    method: "get",
    path: "/{id}",
    operationId: "getToolSuite",
    auth: "user",
    tags: ["tool-eval"],
    summary: "A suite with its tools and test cases",
    request: { params: IdParam },
    responses: { 200: jsonResponse(SuiteDetailSchema, "Suite with tools and cases"), 404: errors[404] },
  }),
  async (c) => {
    const suite = await ownedSuite(c.var.db, c.var.user.id, c.req.valid("param").id);
    const cases = await listCases(c.var.db, suite.id);
    return c.json({ ...suiteView(suite, cases.length, noCallCount(cases)), tools: toolsOf(suite), test_cases: cases }, 200);
  },
);

for (const method of ["put", "patch"] as const) {
  toolSuiteRoutes.openapi(
    route({
      method,
      path: "/{id}",
      operationId: method === "put" ? "updateToolSuite" : "patchToolSuite",
      auth: "user",
      tags: ["tool-eval"],
      summary: method === "put" ? "Update a suite (the system prompt is saved too)" : "Partially update a suite",
      request: { params: IdParam, ...jsonBody(SuiteUpdateSchema) },
      responses: { 200: jsonResponse(SuiteSchema, "Updated"), 400: errors[400], 404: errors[404] },
    }),
    async (c) => {
      const suite = await ownedSuite(c.var.db, c.var.user.id, c.req.valid("param").id);
      const b = c.req.valid("json");
      const [row] = await c.var.db
        .update(toolSuites)
        .set({
          ...(b.name !== undefined && { name: b.name }),
          ...(b.description !== undefined && { description: b.description }),
          ...(b.tools !== undefined && { tools: b.tools }),
          ...(b.system_prompt !== undefined && { systemPrompt: b.system_prompt }),
          updatedAt: isoNow(),
        })
        .where(eq(toolSuites.id, suite.id))
        .returning();
      const cases = await listCases(c.var.db, suite.id);
      return c.json(suiteView(row!, cases.length, noCallCount(cases)), 200);
    },
  );
}

toolSuiteRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}",
    operationId: "deleteToolSuite",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Delete a suite and its cases (eval history keeps its snapshot)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const suite = await ownedSuite(c.var.db, c.var.user.id, c.req.valid("param").id);
    await c.var.db.delete(toolSuites).where(eq(toolSuites.id, suite.id));
    await audit(c, { action: "suite_delete", userId: c.var.user.id, resourceType: "tool_suite", resourceId: suite.id });
    return c.json({ status: "ok" as const }, 200);
  },
);

// ---------------------------------------------------------------- cases

toolSuiteRoutes.openapi(
  route({
    method: "get",
    path: "/{id}/cases",
    operationId: "listTestCases",
    auth: "user",
    tags: ["tool-eval"],
    summary: "A suite's test cases, in order",
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ cases: z.array(CaseSchema) }), "Cases in order"), 404: errors[404] },
  }),
  async (c) => {
    const suite = await ownedSuite(c.var.db, c.var.user.id, c.req.valid("param").id);
    return c.json({ cases: await listCases(c.var.db, suite.id) }, 200);
  },
);

const CreateCasesBody = z.union([CaseCreateSchema, z.object({ cases: z.array(CaseCreateSchema).min(1).max(1000) }).strict()]);

toolSuiteRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/cases",
    operationId: "createTestCases",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Add one case, or many with {cases:[…]} (all or nothing)",
    request: { params: IdParam, ...jsonBody(CreateCasesBody) },
    responses: {
      201: jsonResponse(z.object({ status: z.literal("ok"), case_id: z.string().optional(), created: z.number().int() }), "Created"),
      400: errors[400],
      404: errors[404],
    },
  }),
  async (c) => {
    const suite = await ownedSuite(c.var.db, c.var.user.id, c.req.valid("param").id);
    const body = c.req.valid("json");
    const inputs = "cases" in body ? body.cases : [body];
    const existing = await c.var.db
      .select({ n: sql<number>`COUNT(*)`, max: sql<number>`COALESCE(MAX(${toolTestCases.sortOrder}), -1)` })
      .from(toolTestCases)
      .where(eq(toolTestCases.suiteId, suite.id))
      .get();
    if ((existing?.n ?? 0) + inputs.length > MAX_CASES_PER_SUITE) throw badRequest(`A suite holds at most ${MAX_CASES_PER_SUITE} cases`);
    const rows = inputs.map((input, i) => newCaseRow(suite.id, input, (existing?.max ?? -1) + 1 + i));
    // D1 batches run as one transaction: a bulk insert lands completely or not at all.
    const statements = rows.map((r) => c.var.db.insert(toolTestCases).values(r));
    await c.var.db.batch([statements[0]!, ...statements.slice(1)]);
    await touchSuite(c.var.db, suite.id);
    return c.json({ status: "ok" as const, ...(rows.length === 1 ? { case_id: rows[0]!.id } : {}), created: rows.length }, 201);
  },
);

async function ownedCase(c: { var: { db: import("../db/client.ts").Db; user: { id: string } } }, suiteId: string, caseId: string) {
  const suite = await ownedSuite(c.var.db, c.var.user.id, suiteId);
  const row = await c.var.db
    .select()
    .from(toolTestCases)
    .where(and(eq(toolTestCases.id, caseId), eq(toolTestCases.suiteId, suite.id)))
    .get();
  if (!row) throw notFound("Test case");
  return { suite, row };
}

toolSuiteRoutes.openapi(
  route({
    method: "put",
    path: "/{id}/cases/{case_id}",
    operationId: "updateTestCase",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Update a case; multi_turn:false clears its multi-turn settings, scoring_config:null clears it",
    request: { params: CaseParams, ...jsonBody(CaseUpdateSchema) },
    responses: { 200: jsonResponse(CaseSchema, "Updated"), 400: errors[400], 404: errors[404] },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const { suite, row } = await ownedCase(c, p.id, p.case_id);
    const body = c.req.valid("json");
    // Checked against the case as it will be stored: a new mode may apply to the old parameters, and back.
    const issues = regexPatternIssues(
      `Test case ${row.id}`,
      body.param_scoring ?? row.paramScoring,
      body.expected_params !== undefined ? body.expected_params : row.expectedParams,
    );
    if (issues.length > 0) {
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
      throw new ApiError(
        400,
        "validation_failed",
        `${issues[0]!.message}${more}`,
        issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      );
    }
    const [updated] = await c.var.db
      .update(toolTestCases)
      .set({ ...caseValues(body, row), updatedAt: isoNow() })
      .where(eq(toolTestCases.id, row.id))
      .returning();
    await touchSuite(c.var.db, suite.id);
    return c.json(caseView(updated!), 200);
  },
);

toolSuiteRoutes.openapi(
  route({
    method: "delete",
    path: "/{id}/cases/{case_id}",
    operationId: "deleteTestCase",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Delete a test case",
    request: { params: CaseParams },
    responses: { 200: jsonResponse(OkSchema, "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const { suite, row } = await ownedCase(c, p.id, p.case_id);
    await c.var.db.delete(toolTestCases).where(eq(toolTestCases.id, row.id));
    await touchSuite(c.var.db, suite.id);
    return c.json({ status: "ok" as const }, 200);
  },
);

toolSuiteRoutes.openapi(
  route({
    method: "post",
    path: "/{id}/cases/bulk-delete",
    operationId: "deleteTestCases",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Delete several test cases of a suite",
    request: { params: IdParam, ...jsonBody(z.object({ case_ids: z.array(z.string().min(1).max(64)).min(1).max(1000) }).strict()) },
    responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), deleted: z.number().int() }), "Deleted"), 404: errors[404] },
  }),
  async (c) => {
    const suite = await ownedSuite(c.var.db, c.var.user.id, c.req.valid("param").id);
    const removed = await c.var.db
      .delete(toolTestCases)
      .where(and(eq(toolTestCases.suiteId, suite.id), inList(toolTestCases.id, c.req.valid("json").case_ids)))
      .returning({ id: toolTestCases.id });
    await touchSuite(c.var.db, suite.id);
    return c.json({ status: "ok" as const, deleted: removed.length }, 200);
  },
);
