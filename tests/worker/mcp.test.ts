/**
 * MCP import through the API against the simulator's demo MCP server (src/simulator/mcp-server.ts, built on the
 * SDK's server classes) over real HTTP: both transports, the auto fallback, every failure class, and the import.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { discoverMcpTools, McpDiscoveryError } from "../../src/worker/tool-eval/mcp-client.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const SIM = env.SIMULATOR_BASE_URL;
const DEMO_NAMES = ["get_weather", "search_web", "read_file", "send_email", "summarize_page", "list_projects", "search_web"];

const discover = (token: string, url: string, transport?: string) =>
  call("/api/mcp/discover", { token, body: { url, ...(transport ? { transport } : {}) } });

const countRows = async (userId: string) =>
  (await env.DB.prepare(
    "SELECT (SELECT COUNT(*) FROM tool_suites WHERE user_id = ?1) AS s, (SELECT COUNT(*) FROM tool_test_cases c JOIN tool_suites s ON s.id = c.suite_id WHERE s.user_id = ?1) AS c",
  )
    .bind(userId)
    .first<{ s: number; c: number }>())!;

/** The simulator's count of open MCP sessions and held /mcp/hang requests; waits for them to drain. */
async function expectMcpConnectionsClosed() {
  const drained = { http_sessions: 0, sse_sessions: 0, hanging: 0 };
  let counts: unknown;
  for (let i = 0; i < 40; i++) {
    counts = await (await fetch(`${SIM}/__sim/mcp`)).json();
    if (JSON.stringify(counts) === JSON.stringify(drained)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(counts).toEqual(drained);
}

describe("POST /api/mcp/discover", () => {
  it("lists every tool over Streamable HTTP, following tools/list pages", async () => {
    const u = await signUp();
    const r = await discover(u.token, `${SIM}/mcp`, "streamable_http");
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ status: "ok", server_name: "llm-simulator-mcp", transport: "streamable_http", tool_count: 7 });
    expect(r.json.error).toBeUndefined();
    expect(r.json.tools.map((t: any) => t.name)).toEqual(DEMO_NAMES);
    const weather = r.json.tools[0];
    expect(weather).toEqual({
      name: "get_weather",
      description: "Get the current weather for a city.",
      inputSchema: expect.objectContaining({ type: "object", required: ["city", "units"] }),
      parameter_count: 3,
    });
    expect(r.json.tools.find((t: any) => t.name === "list_projects").parameter_count).toBe(0);
  });

  it("lists the same tools over legacy SSE", async () => {
    const u = await signUp();
    const r = await discover(u.token, `${SIM}/mcp/sse`, "sse");
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ server_name: "llm-simulator-mcp", transport: "sse", tool_count: 7 });
    expect(r.json.tools.map((t: any) => t.name)).toEqual(DEMO_NAMES);
  });

  it("auto uses Streamable HTTP when it works and falls back to SSE when the POST gets a 4xx", async () => {
    const u = await signUp();
    const http = await discover(u.token, `${SIM}/mcp`);
    expect(http.status, http.text).toBe(200);
    expect(http.json.transport).toBe("streamable_http");
    const legacy = await discover(u.token, `${SIM}/mcp/sse`, "auto");
    expect(legacy.status, legacy.text).toBe(200);
    expect(legacy.json.transport).toBe("sse");
    expect(legacy.json.tool_count).toBe(7);
  });

  it("answers 200 with an error field when the server has no tools", async () => {
    const u = await signUp();
    const r = await discover(u.token, `${SIM}/mcp/empty`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ status: "ok", server_name: "llm-simulator-mcp", tools: [], tool_count: 0 });
    expect(r.json.error).toMatch(/no tools/i);
  });

  it("answers 502 for a refused connection and for a URL that is not an MCP server", async () => {
    const u = await signUp();
    // Port 9 (discard) on loopback has no listener here, so the connection is refused.
    for (const transport of ["streamable_http", "sse", "auto"]) {
      const refused = await discover(u.token, "http://127.0.0.1:9/mcp", transport);
      expectEnvelope(refused, 502, "upstream_error");
      expect(refused.json.error, transport).toMatch(/connect/i);
    }
    for (const transport of ["streamable_http", "sse", "auto"]) {
      const notMcp = await discover(u.token, `${SIM}/v1/models`, transport);
      expectEnvelope(notMcp, 502, "upstream_error");
      expect(notMcp.json.error, transport).toMatch(/not an mcp/i);
    }
  });

  it("answers 504 when the server accepts the connection but never answers", async () => {
    const u = await signUp();
    const started = Date.now();
    const r = await discover(u.token, `${SIM}/mcp/hang`);
    const took = Date.now() - started;
    expectEnvelope(r, 504, "upstream_timeout");
    expect(r.json.error).toMatch(/initialize within 10 s/);
    expect(took).toBeGreaterThanOrEqual(9_900);
    expect(took).toBeLessThan(15_000);
  });

  it("rejects URLs that are not http(s) with a host", async () => {
    const u = await signUp();
    for (const url of ["ftp://example.com/mcp", "not a url", "file:///etc/passwd", "http://", "javascript:alert(1)", ""]) {
      const r = await discover(u.token, url);
      expectEnvelope(r, 400, "validation_failed");
      expect(r.json.details[0].path).toBe("url");
    }
    expectEnvelope(await discover(u.token, `${SIM}/mcp`, "websocket"), 400, "validation_failed");
  });

  it("requires authentication", async () => {
    expectEnvelope(await call("/api/mcp/discover", { body: { url: `${SIM}/mcp` } }), 401);
    expectEnvelope(await call("/api/mcp/import", { body: { tools: [{ name: "x" }] } }), 401);
  });
});

// Called directly (not through SELF), so the test's own request context would keep an unclosed stream open:
// only the client's own close() makes the simulator see the connections end.
describe("the MCP client lets go of every connection", () => {
  it("after listing over Streamable HTTP: the session is ended with DELETE", async () => {
    const found = await discoverMcpTools(new URL(`${SIM}/mcp`), { transport: "streamable_http" });
    expect(found.tools).toHaveLength(7);
    await expectMcpConnectionsClosed();
  });

  it("after listing over SSE", async () => {
    const found = await discoverMcpTools(new URL(`${SIM}/mcp/sse`), { transport: "sse" });
    expect(found.tools).toHaveLength(7);
    await expectMcpConnectionsClosed();
  });

  it("after a deadline passes", async () => {
    const started = Date.now();
    const err = await discoverMcpTools(new URL(`${SIM}/mcp/hang`), { transport: "sse", timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpDiscoveryError);
    expect((err as McpDiscoveryError).kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
    await expectMcpConnectionsClosed();
  });
});

describe("POST /api/mcp/import", () => {
  it("imports discovered tools as a suite with one generated case per tool", async () => {
    const u = await signUp();
    const found = await discover(u.token, `${SIM}/mcp`);
    const imp = await call("/api/mcp/import", { token: u.token, body: { tools: found.json.tools, generate_test_cases: true } });
    expect(imp.status, imp.text).toBe(201);
    expect(imp.json).toMatchObject({ status: "ok", tools_imported: 7, test_cases_generated: 7 });

    const suite = (await call(`/api/tool-suites/${imp.json.suite_id}`, { token: u.token })).json;
    expect(suite).toMatchObject({ name: "MCP: get_weather, search_web, read_file...", source: "mcp", tool_count: 7, test_case_count: 7 });
    const names = suite.tools.map((t: any) => t.function.name);
    expect(names).toEqual(["get_weather", "search_web", "read_file", "send_email", "summarize_page", "list_projects", "search_web_2"]);
    expect(suite.tools[0]).toEqual({
      type: "function",
      function: { name: "get_weather", description: "Get the current weather for a city.", parameters: found.json.tools[0].inputSchema },
    });
    const long = suite.tools[4].function.description as string;
    expect(found.json.tools[4].description.length).toBeGreaterThan(1024);
    expect(long).toHaveLength(1024);
    expect(long.endsWith("...")).toBe(true);
    expect(long.slice(0, 1021)).toBe(found.json.tools[4].description.slice(0, 1021));

    const byTool = Object.fromEntries(suite.test_cases.map((c: any) => [c.expected_tool, c]));
    expect(byTool.get_weather).toMatchObject({
      prompt: 'Use the get_weather tool: Get the current weather for a city. Use these values: city="San Francisco", units="celsius"',
      expected_params: { city: "San Francisco", units: "celsius" },
      should_call_tool: true,
      multi_turn: false,
    });
    expect(byTool.search_web.expected_params).toEqual({ query: "test query", max_results: 42, safe: true });
    expect(byTool.read_file.prompt).toBe('Use the read_file tool: Read a text file from the workspace. Use these values: path="/tmp/example.txt"');
    expect(byTool.send_email.expected_params).toEqual({ email: "user@example.com", tags: [] });
    expect(byTool.list_projects).toMatchObject({ prompt: "Use the list_projects tool to list all projects you can access", expected_params: {} });
    expect(byTool.summarize_page.prompt).toBe(`Use the summarize_page tool to ${long.toLowerCase()}`);
    expect(byTool.search_web_2.expected_params).toEqual({ query: "test query" });
  });

  it("uses the given name and description and generates no cases unless asked", async () => {
    const u = await signUp();
    const imp = await call("/api/mcp/import", {
      token: u.token,
      body: {
        tools: [
          { name: "ping" },
          { name: "echo", description: "Echo text", inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } },
        ],
        suite_name: "My MCP",
        suite_description: "From my server",
      },
    });
    expect(imp.status, imp.text).toBe(201);
    expect(imp.json).toMatchObject({ tools_imported: 2, test_cases_generated: 0 });
    const suite = (await call(`/api/tool-suites/${imp.json.suite_id}`, { token: u.token })).json;
    expect(suite).toMatchObject({ name: "My MCP", description: "From my server", test_case_count: 0 });
    expect(suite.tools[0].function).toEqual({ name: "ping", description: "", parameters: { type: "object", properties: {} } });
  });

  it("changes nothing when one tool is bad, and names the tool and field", async () => {
    const u = await signUp();
    const before = await countRows(u.user.id);
    const good = { name: "ok_tool", inputSchema: { type: "object", properties: {} } };
    const cases: Array<[unknown, RegExp]> = [
      [
        { name: "broken", inputSchema: { type: "object", properties: { a: { type: "strang" } } } },
        /Tool "broken": function\.parameters: .*unknown type "strang"/,
      ],
      [{ name: "needs", inputSchema: { type: "object", properties: {}, required: ["missing"] } }, /Tool "needs".*"missing" is not a property/],
      [{ name: "bad/name" }, /Tool "bad\/name": function\.name/],
      [{ name: "list", inputSchema: [1, 2] }, /Tool "list": function\.parameters/],
    ];
    for (const [bad, message] of cases) {
      const r = await call("/api/mcp/import", { token: u.token, body: { tools: [good, bad], generate_test_cases: true } });
      expectEnvelope(r, 400, "validation_failed");
      expect(r.json.error).toMatch(message);
      expect(r.json.details[0].path).toMatch(/^tools\.1\.function\./);
    }
    expectEnvelope(await call("/api/mcp/import", { token: u.token, body: { tools: [] } }), 400, "validation_failed");
    expectEnvelope(await call("/api/mcp/import", { token: u.token, body: { tools: [{ description: "no name" }] } }), 400, "validation_failed");
    expect(await countRows(u.user.id)).toEqual(before);
  });

  it("creates the suite for its owner only", async () => {
    const owner = await signUp();
    const other = await signUp();
    const imp = await call("/api/mcp/import", { token: owner.token, body: { tools: [{ name: "mine" }], generate_test_cases: true } });
    expect(imp.status, imp.text).toBe(201);
    expectEnvelope(await call(`/api/tool-suites/${imp.json.suite_id}`, { token: other.token }), 404, "not_found");
    expect((await call("/api/tool-suites", { token: other.token })).json.suites).toEqual([]);
    const mine = (await call("/api/tool-suites", { token: owner.token })).json.suites;
    expect(mine.map((s: any) => s.id)).toEqual([imp.json.suite_id]);
  });
});
