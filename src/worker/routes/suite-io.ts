/**
 * Suite import and export: the original's suite JSON and BFCL question + possible-answer JSON Lines.
 * Imports parse and validate everything first and then write the suite and all its cases in one D1 batch:
 * a bad file changes nothing and the error says which line and field is wrong.
 */
import { z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { exportBfclText, importBfcl, looksLikeBfclEntry } from "../../shared/scoring/bfcl-format.ts";
import { exportOriginalSuite, importOriginalSuite, looksLikeOriginalSuite } from "../../shared/scoring/original-format.ts";
import { formatIssue, type ImportIssue, type ImportResult, type Suite } from "../../shared/scoring/suite.ts";
import { toolSuites, toolTestCases } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { ApiError } from "../lib/errors.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, route } from "../lib/http.ts";
import { ToolListSchema } from "../tool-eval/schemas.ts";
import { ownedSuite } from "../tool-eval/store.ts";
import { rowsToSuite, suiteToRows } from "../tool-eval/suite-model.ts";

const ImportBody = z.union([
  z
    .object({ format: z.literal("bfcl"), questions: z.string().min(1), answers: z.string().optional(), name: z.string().max(256).optional() })
    .strict(),
  z.array(z.record(z.string(), z.unknown())).min(1),
  // An original-format suite has no "format": a BFCL request with a bad field must not fall through to here.
  z.record(z.string(), z.unknown()).refine((b) => b.format === undefined, {
    error: 'Only "bfcl" takes a format, with questions (and answers) as JSON Lines strings',
    path: ["format"],
  }),
]);

const Imported = z.object({
  status: z.literal("ok"),
  suite_id: z.string(),
  test_cases_created: z.number().int(),
  tools_imported: z.number().int(),
  warnings: z.array(z.string()),
});

const EXAMPLE = {
  name: "Weather API Suite",
  description: "A small example: one tool, three cases (one expects no call).",
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Get the current weather for a city",
        parameters: {
          type: "object",
          properties: { city: { type: "string", description: "City name" }, units: { type: "string", enum: ["celsius", "fahrenheit"] } },
          required: ["city"],
        },
      },
    },
  ],
  test_cases: [
    { prompt: "What's the weather in Paris?", expected_tool: "get_weather", expected_params: { city: "Paris" } },
    { prompt: "How warm is it in Tokyo in fahrenheit?", expected_tool: "get_weather", expected_params: { city: "Tokyo", units: "fahrenheit" } },
    { prompt: "Tell me a joke about clouds.", expected_tool: null },
  ],
};

function issuesError(issues: ImportIssue[]): ApiError {
  return new ApiError(
    400,
    "validation_failed",
    `The file could not be imported: ${issues.length} problem${issues.length === 1 ? "" : "s"}`,
    issues
      .slice(0, 50)
      .map((i) => ({ path: [i.file, i.line ? `line ${i.line}` : "", i.field ?? ""].filter(Boolean).join(":"), message: formatIssue(i) })),
  );
}

function parseImport(body: z.infer<typeof ImportBody>): { result: ImportResult<Suite>; source: "import" | "bfcl" } {
  if (!Array.isArray(body) && body.format === "bfcl" && typeof body.questions === "string") {
    const b = body as { questions: string; answers?: string; name?: string };
    return { result: importBfcl(b.questions, b.answers ?? null, b.name ? { name: b.name } : {}), source: "bfcl" };
  }
  if (Array.isArray(body) && looksLikeBfclEntry(body[0])) {
    return { result: importBfcl(body.map((e) => JSON.stringify(e)).join("\n")), source: "bfcl" };
  }
  if (!Array.isArray(body) && looksLikeOriginalSuite(body)) return { result: importOriginalSuite(body), source: "import" };
  return {
    result: {
      ok: false,
      errors: [{ file: "suite", message: 'Not a suite: expected {name, tools, test_cases} or BFCL entries ({format:"bfcl", questions, answers})' }],
    },
    source: "import",
  };
}

/** Mounted at /api/tool-eval/import. */
export const suiteImportRoutes = newRouter();
/** Mounted at /api/tool-suites, beside toolSuiteRoutes (each route declares its own auth, so sharing a prefix is safe). */
export const suiteExportRoutes = newRouter();

suiteImportRoutes.openapi(
  route({
    method: "post",
    path: "/",
    operationId: "importToolSuite",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Import a suite: the original's JSON, or BFCL question/answer JSON Lines (all or nothing)",
    request: jsonBody(ImportBody),
    responses: { 201: jsonResponse(Imported, "Imported"), 400: errors[400] },
  }),
  async (c) => {
    const { result, source } = parseImport(c.req.valid("json"));
    if (!result.ok) throw issuesError(result.errors);
    const suite = result.value;
    const tools = ToolListSchema.safeParse(suite.tools);
    if (!tools.success) {
      throw issuesError(tools.error.issues.map((i) => ({ file: "suite", field: `tools.${i.path.join(".")}`, message: i.message })));
    }
    if (!suite.test_cases.length) throw issuesError([{ file: "suite", field: "test_cases", message: "No test cases" }]);
    const { suiteRow, caseRows } = suiteToRows(suite, c.var.user.id, source);
    const statements = [c.var.db.insert(toolSuites).values(suiteRow), ...caseRows.map((r) => c.var.db.insert(toolTestCases).values(r))];
    await c.var.db.batch([statements[0]!, ...statements.slice(1)]);
    await audit(c, {
      action: "suite_import",
      userId: c.var.user.id,
      resourceType: "tool_suite",
      resourceId: suiteRow.id,
      detail: { source, cases: caseRows.length },
    });
    return c.json(
      {
        status: "ok" as const,
        suite_id: suiteRow.id,
        test_cases_created: caseRows.length,
        tools_imported: suite.tools.length,
        warnings: result.warnings.map(formatIssue),
      },
      201,
    );
  },
);

suiteImportRoutes.openapi(
  route({
    method: "get",
    path: "/example",
    operationId: "getImportExample",
    auth: "user",
    tags: ["tool-eval"],
    summary: "An example suite in the importable format",
    responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), "An example suite in the importable format") },
  }),
  (c) => c.json(EXAMPLE as Record<string, unknown>, 200),
);

async function loadSuite(c: { var: { db: import("../db/client.ts").Db; user: { id: string } } }, id: string) {
  const row = await ownedSuite(c.var.db, c.var.user.id, id);
  const cases = await c.var.db
    .select()
    .from(toolTestCases)
    .where(eq(toolTestCases.suiteId, row.id))
    .orderBy(asc(toolTestCases.sortOrder), asc(toolTestCases.createdAt));
  return { row, suite: rowsToSuite(row, cases) };
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "suite";

suiteExportRoutes.openapi(
  route({
    method: "get",
    path: "/{id}/export",
    operationId: "exportToolSuite",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Download a suite in the original's JSON format (imports back unchanged)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), "The suite"), 404: errors[404] },
  }),
  async (c) => {
    const { row, suite } = await loadSuite(c, c.req.valid("param").id);
    c.header("Content-Disposition", `attachment; filename="suite-${slug(row.name)}.json"`);
    return c.json(exportOriginalSuite(suite), 200);
  },
);

suiteExportRoutes.openapi(
  route({
    method: "get",
    path: "/{id}/export/bfcl",
    operationId: "exportToolSuiteBfcl",
    auth: "user",
    tags: ["tool-eval"],
    summary: "The suite as BFCL question and possible-answer JSON Lines",
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ questions: z.string(), answers: z.string() }), "Two JSON Lines documents"), 404: errors[404] },
  }),
  async (c) => {
    const { suite } = await loadSuite(c, c.req.valid("param").id);
    return c.json(exportBfclText(suite), 200);
  },
);
