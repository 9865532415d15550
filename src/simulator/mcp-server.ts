/**
 * A demo MCP server inside the simulator, built on the official SDK's server classes, so MCP import can be tried
 * and tested without any external server:
 *   /mcp          Streamable HTTP with sessions (Mcp-Session-Id; DELETE ends one)
 *   /mcp/sse      legacy HTTP+SSE stream (GET); its endpoint event points at /mcp/sse/message?sessionId=…
 *   /mcp/empty    stateless Streamable HTTP server that offers the tools capability but lists no tools
 *   /mcp/hang     accepts the connection and never answers (for client timeouts)
 * tools/list pages through the demo tools three at a time, so clients must follow nextCursor.
 */

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { sendJson } from "./http.ts";

export const MCP_SERVER_NAME = "llm-simulator-mcp";
export const MCP_PAGE_SIZE = 3;
/** Clients that never end their session must not grow the simulator without bound: the oldest is closed. */
const MAX_HTTP_SESSIONS = 100;

const LONG_DESCRIPTION =
  "Summarize a web page for a reader in a hurry. " +
  "The tool fetches the page, strips navigation, advertising and boilerplate, keeps headings, lists and tables, and returns a summary. ".repeat(12);

/** Required and optional parameters, enums, a description over 1,024 characters, an output schema, a repeated name. */
export const MCP_DEMO_TOOLS: Tool[] = [
  {
    name: "get_weather",
    description: "Get the current weather for a city.",
    inputSchema: {
      type: "object",
      properties: {
        city: { type: "string", description: "City name" },
        units: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer", minimum: 1, maximum: 7, description: "Forecast days" },
      },
      required: ["city", "units"],
    },
    outputSchema: { type: "object", properties: { temperature: { type: "number" } }, required: ["temperature"] },
  },
  {
    name: "search_web",
    description: "Search the web and return the top results.",
    inputSchema: {
      type: "object",
      properties: { query: { type: "string" }, max_results: { type: "number" }, safe: { type: "boolean" } },
      required: ["query", "max_results", "safe"],
    },
  },
  {
    name: "read_file",
    description: "Read a text file from the workspace",
    inputSchema: { type: "object", properties: { path: { type: "string" }, encoding: { type: "string" } }, required: ["path"] },
  },
  {
    name: "send_email",
    description: "Send an email message.",
    inputSchema: {
      type: "object",
      properties: { email: { type: "string" }, subject: { type: "string" }, tags: { type: "array", items: { type: "string" } } },
      required: ["email", "tags"],
    },
  },
  { name: "summarize_page", description: LONG_DESCRIPTION.trim(), inputSchema: { type: "object", properties: { url: { type: "string" } } } },
  { name: "list_projects", description: "List all projects you can access", inputSchema: { type: "object", properties: {} } },
  // A second server revision left an old tool under the same name; importers must rename it.
  {
    name: "search_web",
    description: "Search the web (legacy engine).",
    inputSchema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
  },
];

function newMcpServer(tools: Tool[]): Server {
  const server = new Server({ name: MCP_SERVER_NAME, version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const cursor = request.params?.cursor;
    const start = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isInteger(start) || start < 0 || start > tools.length) throw new McpError(ErrorCode.InvalidParams, `Unknown cursor ${cursor}`);
    const end = start + MCP_PAGE_SIZE;
    return { tools: tools.slice(start, end), ...(end < tools.length ? { nextCursor: String(end) } : {}) };
  });
  // Calls are echoed, so the demo tools are usable from any MCP client too.
  server.setRequestHandler(CallToolRequestSchema, (request) => ({
    content: [{ type: "text", text: `${request.params.name} called with ${JSON.stringify(request.params.arguments ?? {})}` }],
    ...(request.params.name === "get_weather" ? { structuredContent: { temperature: 21 } } : {}),
  }));
  return server;
}

/** Open Streamable HTTP and legacy SSE sessions by id, and requests held by /mcp/hang; counted by the control API. */
export class McpState {
  readonly httpSessions = new Map<string, StreamableHTTPServerTransport>();
  readonly sseSessions = new Map<string, SSEServerTransport>();
  readonly hanging = new Set<ServerResponse>();

  counts() {
    return { http_sessions: this.httpSessions.size, sse_sessions: this.sseSessions.size, hanging: this.hanging.size };
  }
}

const jsonRpcError = (res: ServerResponse, status: number, message: string) =>
  sendJson(res, status, { jsonrpc: "2.0", error: { code: ErrorCode.ConnectionClosed, message }, id: null });

/** Handles /mcp and /mcp/*; returns false for any other path. */
export async function handleMcp(req: IncomingMessage, res: ServerResponse, url: URL, state: McpState): Promise<boolean> {
  const path = url.pathname.replace(/\/+$/, "");
  if (path !== "/mcp" && !path.startsWith("/mcp/")) return false;
  const method = req.method ?? "GET";

  if (path === "/mcp") {
    await handleSessionRequest(req, res, state);
    return true;
  }

  if (path === "/mcp/empty") {
    // Stateless Streamable HTTP has no standalone GET stream and no sessions to delete.
    if (method !== "POST") {
      jsonRpcError(res, 405, "Method not allowed.");
      return true;
    }
    const server = newMcpServer([]);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
    return true;
  }

  if (path === "/mcp/sse") {
    // A POST here must fail with a 4xx, which is what tells "auto" clients to fall back to SSE.
    if (method !== "GET") {
      jsonRpcError(res, 405, "This is a legacy SSE endpoint: open it with GET.");
      return true;
    }
    const transport = new SSEServerTransport("/mcp/sse/message", res);
    state.sseSessions.set(transport.sessionId, transport);
    res.on("close", () => state.sseSessions.delete(transport.sessionId));
    await newMcpServer(MCP_DEMO_TOOLS).connect(transport);
    return true;
  }

  if (path === "/mcp/sse/message") {
    if (method !== "POST") {
      jsonRpcError(res, 405, "Method not allowed.");
      return true;
    }
    const transport = state.sseSessions.get(url.searchParams.get("sessionId") ?? "");
    if (!transport) {
      jsonRpcError(res, 404, "Unknown or closed SSE session.");
      return true;
    }
    await transport.handlePostMessage(req, res);
    return true;
  }

  if (path === "/mcp/hang") {
    // Read and drop the body, then hold the response open until the client or the server closes it.
    req.resume();
    state.hanging.add(res);
    res.on("close", () => state.hanging.delete(res));
    return true;
  }

  jsonRpcError(res, 404, `Unknown MCP route ${url.pathname}. Try /mcp (Streamable HTTP) or /mcp/sse (legacy SSE).`);
  return true;
}

/** Streamable HTTP with sessions, the SDK's way: a POST without a session id must be `initialize` and starts one. */
async function handleSessionRequest(req: IncomingMessage, res: ServerResponse, state: McpState): Promise<void> {
  const sessionId = req.headers["mcp-session-id"];
  if (typeof sessionId === "string") {
    const transport = state.httpSessions.get(sessionId);
    if (!transport) return jsonRpcError(res, 404, "Unknown or ended session.");
    return transport.handleRequest(req, res);
  }
  if (req.method !== "POST") return jsonRpcError(res, 400, "No session: POST initialize first.");
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      state.httpSessions.set(id, transport);
      if (state.httpSessions.size > MAX_HTTP_SESSIONS) void state.httpSessions.values().next().value?.close();
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) state.httpSessions.delete(transport.sessionId);
  };
  await newMcpServer(MCP_DEMO_TOOLS).connect(transport);
  await transport.handleRequest(req, res);
  // Anything but a successful initialize (which registered the session) leaves nothing behind.
  if (!transport.sessionId) await transport.close();
}
