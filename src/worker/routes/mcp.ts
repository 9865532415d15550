/**
 * /api/mcp: list a remote MCP server's tools (discover), and turn chosen tools into a tool suite, optionally with
 * one generated test case per tool (import). The import validates every tool like any suite and writes the suite
 * and its cases in one D1 batch: a bad tool changes nothing and the error names it.
 */
import { z } from "@hono/zod-openapi";
import { toolSuites, toolTestCases } from "../db/schema.ts";
import { audit } from "../lib/audit.ts";
import { ApiError } from "../lib/errors.ts";
import { ErrorSchema, errors, HttpUrl, jsonBody, jsonResponse, newRouter, route } from "../lib/http.ts";
import { assertPublicUrl } from "../lib/url-guard.ts";
import { discoverMcpTools, McpDiscoveryError } from "../tool-eval/mcp-client.ts";
import { defaultSuiteName, generateTestCase, mcpToolsToOpenAi, parameterCount } from "../tool-eval/mcp-convert.ts";
import { ToolListSchema } from "../tool-eval/schemas.ts";
import { suiteToRows } from "../tool-eval/suite-model.ts";

const MAX_IMPORT_TOOLS = 256;

const DiscoverBody = z
  .object({
    url: z.string().trim().pipe(HttpUrl),
    transport: z.enum(["auto", "streamable_http", "sse"]).default("auto"),
  })
  .strict()
  .openapi("McpDiscoverRequest");

const DiscoveredTool = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  parameter_count: z.number().int(),
});

const Discovered = z
  .object({
    status: z.literal("ok"),
    server_name: z.string(),
    tools: z.array(DiscoveredTool),
    tool_count: z.number().int(),
    transport: z.enum(["streamable_http", "sse"]),
    error: z.string().optional().openapi({ description: "Set when the server lists no tools" }),
  })
  .openapi("McpDiscovery");

// Tool content is checked after conversion, so problems are reported against the tool's name.
const ImportedTool = z.object({
  name: z.string().min(1).max(256),
  description: z.string().max(100_000).nullable().optional(),
  inputSchema: z.unknown().optional(),
});

const ImportBody = z
  .object({
    tools: z.array(ImportedTool).min(1).max(MAX_IMPORT_TOOLS),
    suite_name: z.string().trim().min(1).max(256).optional(),
    suite_description: z.string().max(5000).optional(),
    generate_test_cases: z.boolean().default(false),
  })
  .strict()
  .openapi("McpImportRequest");

const Imported = z
  .object({ status: z.literal("ok"), suite_id: z.string(), tools_imported: z.number().int(), test_cases_generated: z.number().int() })
  .openapi("McpImportResult");

export const mcpRoutes = newRouter();

mcpRoutes.openapi(
  route({
    method: "post",
    path: "/discover",
    operationId: "discoverMcpTools",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Connect to an MCP server (Streamable HTTP, legacy SSE, or auto) and list its tools",
    request: jsonBody(DiscoverBody),
    responses: {
      200: jsonResponse(Discovered, "The server's tools"),
      400: errors[400],
      401: errors[401],
      502: jsonResponse(ErrorSchema, "Not reachable, or not an MCP server"),
      504: jsonResponse(ErrorSchema, "The MCP server did not answer in time"),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const url = new URL(body.url);
    assertPublicUrl(c.env, url, "url"); // the SDK follows only same-origin redirects, so the checked host is the one called
    const found = await discoverMcpTools(url, { transport: body.transport, clientVersion: c.env.APP_VERSION }).catch((err: unknown) => {
      if (!(err instanceof McpDiscoveryError)) throw err;
      c.var.log.warn("mcp discover failed", { host: url.host, kind: err.kind });
      throw err.kind === "timeout" ? new ApiError(504, "upstream_timeout", err.message) : new ApiError(502, "upstream_error", err.message);
    });
    const tools = found.tools.map((t) => ({
      name: t.name,
      description: t.description ?? "",
      inputSchema: t.inputSchema as Record<string, unknown>,
      parameter_count: parameterCount(t.inputSchema),
    }));
    return c.json(
      {
        status: "ok" as const,
        server_name: found.serverName,
        tools,
        tool_count: tools.length,
        transport: found.transport,
        ...(tools.length === 0 ? { error: "The MCP server has no tools" } : {}),
      },
      200,
    );
  },
);

mcpRoutes.openapi(
  route({
    method: "post",
    path: "/import",
    operationId: "importMcpTools",
    auth: "user",
    tags: ["tool-eval"],
    summary: "Create a tool suite from MCP tools, optionally with one generated test case per tool (all or nothing)",
    request: jsonBody(ImportBody),
    responses: { 201: jsonResponse(Imported, "Imported"), 400: errors[400], 401: errors[401] },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const tools = mcpToolsToOpenAi(body.tools);
    const checked = ToolListSchema.safeParse(tools);
    if (!checked.success) {
      const details = checked.error.issues.slice(0, 50).map((i) => {
        const [index, ...field] = i.path;
        const name = typeof index === "number" ? body.tools[index]?.name : undefined;
        return {
          path: [`tools.${String(index)}`, ...field.map(String)].join("."),
          message: `Tool "${name ?? "?"}": ${field.join(".")}: ${i.message}`,
        };
      });
      throw new ApiError(400, "validation_failed", `Cannot import: ${details[0]?.message ?? "invalid tools"}`, details);
    }
    const testCases = body.generate_test_cases ? tools.map(generateTestCase) : [];
    const suite = {
      name: body.suite_name ?? defaultSuiteName(tools.map((t) => t.function.name)),
      description: body.suite_description ?? "Imported from an MCP server",
      tools,
      test_cases: testCases,
    };
    const { suiteRow, caseRows } = suiteToRows(suite, c.var.user.id, "mcp");
    // One D1 batch is one transaction: the suite and its cases land together or not at all.
    await c.var.db.batch([c.var.db.insert(toolSuites).values(suiteRow), ...caseRows.map((r) => c.var.db.insert(toolTestCases).values(r))]);
    await audit(c, {
      action: "suite_import",
      userId: c.var.user.id,
      resourceType: "tool_suite",
      resourceId: suiteRow.id,
      detail: { source: "mcp", tools: tools.length, cases: caseRows.length },
    });
    return c.json({ status: "ok" as const, suite_id: suiteRow.id, tools_imported: tools.length, test_cases_generated: caseRows.length }, 201);
  },
);
