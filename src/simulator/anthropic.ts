/** Anthropic messages wire format: request parsing, errors, full replies and named SSE events. */

import type { IncomingHttpHeaders } from "node:http";
import { anthropicConversation, readSampling } from "./caller/conversation.ts";
import type { FinishReason, PlannedChunk } from "./plan.ts";
import { PREFIX_CHARS } from "./prefix-cache.ts";
import {
  type ErrorKind,
  isObject,
  orderSteps,
  type Payload,
  type ProtocolAdapter,
  type RenderContext,
  type RequestParse,
  randomId,
  readPositiveInt,
  reportedOutputTokens,
  type StreamStep,
  sse,
} from "./protocol.ts";
import { contentChars, contentText, estimateTokens } from "./text.ts";
import type { ToolChoice, ToolDef } from "./tools.ts";

const ERROR_TYPE: Record<ErrorKind, string> = {
  invalid: "invalid_request_error",
  auth: "authentication_error",
  not_found: "not_found_error",
  rate_limit: "rate_limit_error",
  server: "api_error",
};

const STOP_REASON: Record<FinishReason, string> = { stop: "end_turn", length: "max_tokens", tool_calls: "tool_use" };

/** Thinking blocks end with a signature; clients that replay thinking need one to be present. */
const SIGNATURE = "c2ltdWxhdG9yLXNpZ25hdHVyZQ==";

/**
 * nousage on an Anthropic stream: a usage object without any counts. Dropping the field entirely
 * makes the SDK's messages.stream() helper throw (it assigns into message_start's usage on
 * message_delta), which would test the SDK rather than the client's tokenizer fallback.
 */
const NO_USAGE = {};

export const anthropicAdapter: ProtocolAdapter = {
  protocol: "anthropic",

  apiKey(headers: IncomingHttpHeaders): string | undefined {
    const key = headers["x-api-key"];
    if (typeof key === "string" && key.trim() !== "") return key.trim();
    // The SDK's authToken option sends a bearer token instead.
    const auth = headers.authorization;
    if (typeof auth === "string") return /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1]?.trim() || undefined;
    return undefined;
  },

  parse: parseAnthropicRequest,

  errorBody(kind: ErrorKind, message: string) {
    return { type: "error", error: { type: ERROR_TYPE[kind], message } };
  },

  newResponseId: () => randomId("msg_sim"),
  newToolCallId: () => randomId("toolu_sim"),

  complete(ctx: RenderContext) {
    const { plan } = ctx;
    const content: unknown[] = [];
    if (plan.reasoning !== "") content.push({ type: "thinking", thinking: plan.reasoning, signature: SIGNATURE });
    if (plan.text !== "" || (plan.toolCalls.length === 0 && plan.reasoning === "")) content.push({ type: "text", text: plan.text });
    for (const call of plan.toolCalls) content.push({ type: "tool_use", id: call.id, name: call.name, input: parseInput(call.arguments) });
    return {
      id: ctx.responseId,
      type: "message",
      role: "assistant",
      model: ctx.request.model,
      content,
      stop_reason: STOP_REASON[plan.finish],
      stop_sequence: null,
      ...(ctx.profile.noUsage ? {} : { usage: { input_tokens: ctx.request.inputTokens, output_tokens: reportedOutputTokens(ctx) } }),
    };
  },

  malformedComplete(ctx: RenderContext): string {
    return JSON.stringify(this.complete(ctx)).slice(0, 40);
  },

  streamSteps(ctx: RenderContext): StreamStep[] {
    const { plan, profile, request } = ctx;
    // The content block being streamed; a new kind or tool call closes it and opens the next.
    let block: { index: number; kind: PlannedChunk["kind"]; call?: number } | null = null;
    let nextIndex = 0;

    const closeBlock = (events: string[]): string => {
      if (!block) return "";
      let out = "";
      if (block.kind === "reasoning") {
        out += sse(
          { type: "content_block_delta", index: block.index, delta: { type: "signature_delta", signature: SIGNATURE } },
          "content_block_delta",
        );
        events.push("content_block_delta");
      }
      out += sse({ type: "content_block_stop", index: block.index }, "content_block_stop");
      events.push("content_block_stop");
      block = null;
      return out;
    };

    return orderSteps(plan, profile, {
      open(): Payload[] {
        const message = {
          id: ctx.responseId,
          type: "message",
          role: "assistant",
          model: request.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: profile.noUsage
            ? NO_USAGE
            : {
                input_tokens: request.inputTokens,
                cache_creation_input_tokens: 0,
                cache_read_input_tokens: 0,
                output_tokens: profile.zeroUsage ? 0 : 1,
              },
        };
        const payload = sse({ type: "message_start", message }, "message_start") + sse({ type: "ping" }, "ping");
        return [{ payload, kind: "role", tokens: 0, events: ["message_start", "ping"] }];
      },

      chunk(c: PlannedChunk): Payload[] {
        const events: string[] = [];
        let payload = "";
        if (!block || block.kind !== c.kind || block.call !== c.call) {
          payload += closeBlock(events);
          const index = nextIndex++;
          block = { index, kind: c.kind, ...(c.call !== undefined ? { call: c.call } : {}) };
          payload += sse({ type: "content_block_start", index, content_block: blockStart(c, ctx) }, "content_block_start");
          events.push("content_block_start");
        }
        payload += sse({ type: "content_block_delta", index: block.index, delta: deltaFor(c) }, "content_block_delta");
        events.push("content_block_delta");
        return [{ payload, kind: c.kind, tokens: c.tokens, events }];
      },

      malformed(): Payload {
        const broken = `{"type":"content_block_delta","index":${block?.index ?? 0},"delta":{"type":"text_delta","text":"trunc`;
        return { payload: sse(broken, "content_block_delta"), kind: "error", tokens: 0, events: ["content_block_delta"] };
      },

      close(): Payload[] {
        const events: string[] = [];
        let payload = closeBlock(events);
        const delta = {
          type: "message_delta",
          delta: { stop_reason: STOP_REASON[plan.finish], stop_sequence: null },
          usage: profile.noUsage ? NO_USAGE : { output_tokens: reportedOutputTokens(ctx) },
        };
        payload += sse(delta, "message_delta");
        events.push("message_delta");
        const finish: Payload = plan.stopTokenCounted
          ? { payload, kind: "stop_token", tokens: 1, events }
          : { payload, kind: profile.noUsage ? "done" : "usage", tokens: 0, events };
        return [finish, { payload: sse({ type: "message_stop" }, "message_stop"), kind: "done", tokens: 0, events: ["message_stop"] }];
      },
    });
  },
};

function blockStart(c: PlannedChunk, ctx: RenderContext): unknown {
  if (c.kind === "reasoning") return { type: "thinking", thinking: "", signature: "" };
  if (c.kind === "text") return { type: "text", text: "" };
  const call = ctx.plan.toolCalls[c.call as number];
  return { type: "tool_use", id: call?.id, name: call?.name, input: {} };
}

function deltaFor(c: PlannedChunk): unknown {
  if (c.kind === "reasoning") return { type: "thinking_delta", thinking: c.text };
  if (c.kind === "text") return { type: "text_delta", text: c.text };
  return { type: "input_json_delta", partial_json: c.text };
}

/** tool_use.input must be an object; scripted arguments that are not JSON objects become {}. */
function parseInput(args: string): unknown {
  try {
    const value: unknown = JSON.parse(args);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

export function parseAnthropicRequest(body: unknown): RequestParse {
  if (!isObject(body)) return { ok: false, message: "Request body must be a JSON object." };
  const { model, messages } = body;
  if (typeof model !== "string" || model === "") return { ok: false, message: "model: Field required" };
  if (body.max_tokens === undefined || body.max_tokens === null) return { ok: false, message: "max_tokens: Field required" };
  const maxTokens = readPositiveInt(body.max_tokens, "max_tokens");
  if (typeof maxTokens === "string") return { ok: false, message: maxTokens };
  if (!Array.isArray(messages) || messages.length === 0) return { ok: false, message: "messages: must be a non-empty array" };

  let chars = contentChars(body.system);
  let prefix = contentText(body.system);
  for (const m of messages) {
    if (!isObject(m)) return { ok: false, message: "messages: each message must be an object" };
    chars += contentChars(m.content);
    if (prefix.length < PREFIX_CHARS) prefix += contentText(m.content);
  }

  const tools: ToolDef[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) return { ok: false, message: "tools: must be an array" };
    for (const t of body.tools) {
      if (!isObject(t) || typeof t.name !== "string") return { ok: false, message: "tools: each tool needs a name" };
      tools.push({ name: t.name, ...(typeof t.description === "string" ? { description: t.description } : {}), schema: t.input_schema });
    }
  }

  let toolChoice: ToolChoice = { mode: "auto" };
  if (isObject(body.tool_choice)) {
    const tc = body.tool_choice;
    if (tc.type === "none") toolChoice = { mode: "none" };
    else if (tc.type === "any") toolChoice = { mode: "required" };
    else if (tc.type === "tool" && typeof tc.name === "string") toolChoice = { mode: "named", name: tc.name };
  }

  const temperature = readSampling(body.temperature, "temperature", 1);
  if (typeof temperature === "string") return { ok: false, message: temperature };
  const topP = readSampling(body.top_p, "top_p", 1);
  if (typeof topP === "string") return { ok: false, message: topP };
  const last = messages[messages.length - 1] as Record<string, unknown>;
  const lastIsToolResult = last.role === "user" && Array.isArray(last.content) && last.content.some((b) => isObject(b) && b.type === "tool_result");
  return {
    ok: true,
    request: {
      model,
      stream: body.stream === true,
      maxTokens: maxTokens as number,
      inputTokens: estimateTokens(chars),
      tools,
      toolChoice,
      includeUsage: true,
      lastMessageIsToolResult: lastIsToolResult,
      promptPrefix: prefix.slice(0, PREFIX_CHARS),
      conversation: anthropicConversation(body.system, messages as Record<string, unknown>[]),
      sampling: { temperature, topP },
      // Structured outputs: `output_format: {type: "json_schema", schema}`.
      responseFormat: isObject(body.output_format) && body.output_format.type === "json_schema" ? "json_schema" : null,
    },
  };
}
