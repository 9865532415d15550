/**
 * Loopback LLM simulator: a node:http server speaking the OpenAI chat-completions and Anthropic
 * messages protocols with per-model deterministic timing, fault modes, scripted tool calls and a
 * send log. See profile.ts for the model-name grammar and control.ts for the control API.
 * It also hosts a demo MCP server (mcp-server.ts) under /mcp.
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { anthropicAdapter } from "./anthropic.ts";
import { CapacityStore } from "./capacity.ts";
import { handleControl } from "./control.ts";
import { DriftStore, WebhookInbox } from "./drift.ts";
import { handleLlmRequest, type SimState } from "./handler.ts";
import { sendJson } from "./http.ts";
import { handleLocalBackend } from "./local-backends.ts";
import { handleMcp, McpState } from "./mcp-server.ts";
import { openaiAdapter } from "./openai.ts";
import { PrefixCache } from "./prefix-cache.ts";
import { ModelCounters, ScriptStore } from "./scripts.ts";
import { SendLog, type SendRecord, snapshot } from "./send-log.ts";

export interface SimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Suppress warnings about internal errors. */
  quiet?: boolean;
  /** Print one line per finished LLM request. */
  verbose?: boolean;
}

export interface RunningSimulator {
  url: string;
  port: number;
  /** Stops listening and drops every open connection, hanging ones included. Safe to call unbound and twice. */
  close(): Promise<void>;
  /** In-process access to the send log (detached copies). */
  log: {
    get(id: string): SendRecord | undefined;
    /** Newest first. */
    list(limit?: number): SendRecord[];
    clear(): void;
  };
}

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const host = opts.host ?? "127.0.0.1";
  let closing = false;
  const state: SimState = {
    log: new SendLog(),
    scripts: new ScriptStore(),
    counters: new ModelCounters(),
    prefixCache: new PrefixCache(),
    drift: new DriftStore(),
    capacity: new CapacityStore(),
    webhooks: new WebhookInbox(),
    isClosing: () => closing,
    verbose: opts.verbose === true,
  };
  const mcp = new McpState();

  // noDelay: each SSE write must leave at once, not wait for Nagle to coalesce it with the next one.
  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    route(req, res, state, mcp).catch((err: unknown) => {
      if (!opts.quiet) console.error("[sim] internal error:", err);
      if (!res.headersSent) sendJson(res, 500, { error: { message: "Simulator internal error.", type: "server_error" } });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => socket.setNoDelay(true));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      state.log.detach();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    close,
    log: {
      get: (id) => {
        const record = state.log.get(id);
        return record ? snapshot(record) : undefined;
      },
      list: (limit = 100) => state.log.list(limit).map(snapshot),
      clear: () => state.log.clear(),
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, state: SimState, mcp: McpState): Promise<void> {
  const url = new URL(req.url ?? "/", "http://simulator.local");
  const path = url.pathname.replace(/\/+$/, "");
  // Before the LLM routes: "/mcp/sse/message" must not be mistaken for an Anthropic "/messages" call.
  if (await handleMcp(req, res, url, mcp)) return;
  if (path === "/__sim/mcp" && req.method === "GET") {
    sendJson(res, 200, mcp.counts());
    return;
  }
  // Suffix match, so base URLs with extra prefixes (".../openai/v1") still work.
  const isOpenAi = path.endsWith("/chat/completions");
  const isAnthropic = path.endsWith("/messages") && !path.startsWith("/__sim/");
  if (isOpenAi || isAnthropic) {
    const adapter = isOpenAi ? openaiAdapter : anthropicAdapter;
    if (req.method !== "POST") {
      sendJson(res, 405, adapter.errorBody("invalid", `Use POST for ${path}.`));
      return;
    }
    await handleLlmRequest(adapter, req, res, state);
    return;
  }
  // Simulated LM Studio, Ollama, llama.cpp and vLLM under their own prefixes (local-backends.ts).
  if (handleLocalBackend(req, res, path)) return;
  if (await handleControl(req, res, url, state)) return;
  sendJson(
    res,
    404,
    openaiAdapter.errorBody("invalid", `Unknown route ${req.method} ${url.pathname}. Try POST /v1/chat/completions or POST /v1/messages.`),
  );
}

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
