/**
 * Lists a remote MCP server's tools with the official SDK client, over Streamable HTTP or the legacy HTTP+SSE
 * transport. "auto" follows the MCP spec's backwards-compatibility rule: POST `initialize` to the URL first and,
 * only if that fails with an HTTP 4xx, open the URL as a legacy SSE stream. Connecting (+ `initialize`) and
 * listing (every `tools/list` page) each get their own deadline; the client and transport are closed on every path.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport, SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { McpError, type Tool as McpListedTool } from "@modelcontextprotocol/sdk/types.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";

export const MCP_TIMEOUT_MS = 10_000;
/** Pagination guard: a server that keeps sending cursors stops being followed here. */
export const MCP_MAX_PAGES = 50;
export const MCP_MAX_TOOLS = 1000;

export type McpTransportChoice = "auto" | "streamable_http" | "sse";
export type McpTransportKind = "streamable_http" | "sse";

export interface McpDiscovery {
  serverName: string;
  transport: McpTransportKind;
  tools: McpListedTool[];
}

/** Why discovery failed: `timeout` → 504; `unreachable` and `not_mcp` → 502. */
export class McpDiscoveryError extends Error {
  readonly kind: "timeout" | "unreachable" | "not_mcp";
  constructor(kind: McpDiscoveryError["kind"], message: string) {
    super(message);
    this.name = "McpDiscoveryError";
    this.kind = kind;
  }
}

/**
 * The SDK compiles validators for tools' output schemas while listing them, with Ajv by default, and Ajv
 * generates code with `new Function`, which Workers forbid. We never call tools, so nothing needs validating.
 */
const noOutputValidation: jsonSchemaValidator = {
  getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
};

export interface DiscoverOptions {
  transport?: McpTransportChoice;
  timeoutMs?: number;
  clientVersion?: string;
}

export async function discoverMcpTools(url: URL, opts: DiscoverOptions = {}): Promise<McpDiscovery> {
  const choice = opts.transport ?? "auto";
  const timeoutMs = opts.timeoutMs ?? MCP_TIMEOUT_MS;
  const version = opts.clientVersion ?? "dev";
  const first: McpTransportKind = choice === "sse" ? "sse" : "streamable_http";
  try {
    return await listOver(first, url, timeoutMs, version);
  } catch (err) {
    const status = err instanceof StreamableHTTPError ? (err.code ?? 0) : 0;
    const rejectedPost = status >= 400 && status <= 499;
    if (choice !== "auto" || !rejectedPost) throw classify(err, first);
  }
  try {
    return await listOver("sse", url, timeoutMs, version);
  } catch (err) {
    throw classify(err, "sse");
  }
}

/** One attempt over one transport; errors come out as thrown (classify() turns them into McpDiscoveryError). */
async function listOver(kind: McpTransportKind, url: URL, timeoutMs: number, version: string): Promise<McpDiscovery> {
  const transport: Transport = kind === "sse" ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url);
  const client = new Client({ name: "llm-benchmark-studio", version }, { capabilities: {}, jsonSchemaValidator: noOutputValidation });
  try {
    // Our deadlines are the only timers that matter: closing the client clears the SDK's own (60 s) ones.
    await withDeadline(client.connect(transport), timeoutMs, "initialize");
    const serverName = client.getServerVersion()?.name || "unknown";
    // A server that does not offer tools has none to list (asking would only earn a "method not found").
    if (!client.getServerCapabilities()?.tools) return { serverName, transport: kind, tools: [] };
    const tools = await withDeadline(listAllTools(client), timeoutMs, "tools/list");
    return { serverName, transport: kind, tools };
  } finally {
    await closeQuietly(client, transport);
  }
}

async function listAllTools(client: Client): Promise<McpListedTool[]> {
  const tools: McpListedTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MCP_MAX_PAGES && tools.length < MCP_MAX_TOOLS; page++) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools.slice(0, MCP_MAX_TOOLS);
}

async function withDeadline<T>(work: Promise<T>, ms: number, phase: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new McpDiscoveryError("timeout", `The MCP server did not answer ${phase} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Bounds the polite session DELETE; a server that ignores it must not hold the response. */
const END_SESSION_MS = 2_000;

/**
 * Ends a Streamable HTTP session with DELETE (the spec asks clients to), then closes the client, which closes its
 * transport and aborts any request still in flight (and the SSE stream).
 */
async function closeQuietly(client: Client, transport: Transport): Promise<void> {
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
    await withDeadline(transport.terminateSession(), END_SESSION_MS, "session end").catch(() => {});
  }
  await client.close().catch(() => {});
  await transport.close().catch(() => {});
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function classify(err: unknown, kind: McpTransportKind): McpDiscoveryError {
  if (err instanceof McpDiscoveryError) return err;
  const via = kind === "sse" ? "over SSE" : "over Streamable HTTP";
  if (err instanceof StreamableHTTPError) {
    return new McpDiscoveryError(
      "not_mcp",
      (err.code ?? 0) > 0 ? `Not an MCP endpoint ${via}: the URL answered HTTP ${err.code}` : `Not an MCP endpoint ${via}: ${clip(err.message)}`,
    );
  }
  if (err instanceof SseError) {
    if (err.code !== undefined) return new McpDiscoveryError("not_mcp", `Not an MCP SSE endpoint: the URL answered HTTP ${err.code}`);
    const message = err.message.replace(/^SSE error:\s*/, "");
    if (/content type/i.test(message)) return new McpDiscoveryError("not_mcp", `Not an MCP SSE endpoint: ${clip(message)}`);
    return new McpDiscoveryError("unreachable", `Could not connect to the MCP server ${via}: ${clip(message)}`);
  }
  if (err instanceof McpError) return new McpDiscoveryError("not_mcp", `The MCP server answered with an error: ${clip(err.message)}`);
  if (err instanceof TypeError || (err instanceof Error && /network|connect|fetch|refused|socket/i.test(err.message))) {
    return new McpDiscoveryError("unreachable", `Could not connect to the MCP server: ${clip(err.message)}`);
  }
  // Anything else (an answer that is not JSON-RPC, a bad protocol version, ...) is not a usable MCP server.
  return new McpDiscoveryError("not_mcp", `Not an MCP server ${via}: ${clip(err instanceof Error ? err.message : String(err))}`);
}
