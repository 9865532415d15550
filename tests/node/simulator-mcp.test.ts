/** The simulator's demo MCP server, driven by the SDK's own client over both transports (and raw HTTP for edges). */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCP_DEMO_TOOLS, MCP_PAGE_SIZE } from "../../src/simulator/mcp-server.ts";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
});
afterAll(async () => {
  await sim?.close();
});

const transports = {
  streamable_http: () => new StreamableHTTPClientTransport(new URL(`${sim.url}/mcp`)),
  sse: () => new SSEClientTransport(new URL(`${sim.url}/mcp/sse`)),
};

describe("demo MCP server", () => {
  for (const [kind, make] of Object.entries(transports)) {
    it(`pages tools/list ${MCP_PAGE_SIZE} at a time and echoes tool calls (${kind})`, async () => {
      const client = new Client({ name: "test", version: "1" });
      const transport = make();
      await client.connect(transport);
      try {
        expect(client.getServerVersion()?.name).toBe("llm-simulator-mcp");
        const first = await client.listTools();
        expect(first.tools).toHaveLength(MCP_PAGE_SIZE);
        expect(first.nextCursor).toBe(String(MCP_PAGE_SIZE));
        const names = first.tools.map((t) => t.name);
        let cursor = first.nextCursor;
        while (cursor) {
          const page = await client.listTools({ cursor });
          names.push(...page.tools.map((t) => t.name));
          cursor = page.nextCursor;
        }
        expect(names).toEqual(MCP_DEMO_TOOLS.map((t) => t.name));
        await expect(client.listTools({ cursor: "nope" })).rejects.toThrow(/cursor/);
        const result = await client.callTool({ name: "read_file", arguments: { path: "/tmp/x" } });
        expect(result.content).toEqual([{ type: "text", text: 'read_file called with {"path":"/tmp/x"}' }]);
        const open = (await (await fetch(`${sim.url}/__sim/mcp`)).json()) as Record<string, number>;
        expect(open[kind === "sse" ? "sse_sessions" : "http_sessions"]).toBe(1);
      } finally {
        if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession();
        await client.close();
      }
    });
  }

  it("has a demo description over the 1,024-character limit and a repeated name", () => {
    expect(MCP_DEMO_TOOLS.some((t) => (t.description ?? "").length > 1024)).toBe(true);
    const names = MCP_DEMO_TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBeLessThan(names.length);
  });

  it("refuses a POST to the SSE endpoint with a 4xx (what tells auto clients to fall back)", async () => {
    const res = await fetch(`${sim.url}/mcp/sse`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(405);
    expect((await fetch(`${sim.url}/mcp`)).status).toBe(400); // GET without a session
    expect((await fetch(`${sim.url}/mcp`, { headers: { "mcp-session-id": "ended" } })).status).toBe(404);
    expect((await fetch(`${sim.url}/mcp/empty`)).status).toBe(405);
    expect((await fetch(`${sim.url}/mcp/sse/message?sessionId=unknown`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${sim.url}/mcp/nothing`)).status).toBe(404);
  });

  it("lists no tools on /mcp/empty", async () => {
    const client = new Client({ name: "test", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${sim.url}/mcp/empty`)));
    try {
      expect(client.getServerCapabilities()?.tools).toBeDefined();
      expect((await client.listTools()).tools).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("holds /mcp/hang open until the client gives up, and counts it meanwhile", async () => {
    const controller = new AbortController();
    const pending = fetch(`${sim.url}/mcp/hang`, { method: "POST", body: "{}", signal: controller.signal }).catch((e: unknown) => e);
    let counts: any;
    for (let i = 0; i < 40; i++) {
      counts = await (await fetch(`${sim.url}/__sim/mcp`)).json();
      if (counts.hanging === 1) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(counts.hanging).toBe(1);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    for (let i = 0; i < 40 && counts.hanging !== 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      counts = await (await fetch(`${sim.url}/__sim/mcp`)).json();
    }
    expect(counts).toEqual({ http_sessions: 0, sse_sessions: 0, hanging: 0 });
  });
});
