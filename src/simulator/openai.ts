/** OpenAI chat-completions wire format: request parsing, errors, full replies and stream chunks. */

import type { IncomingHttpHeaders } from "node:http";
import { openAiConversation, readSampling } from "./caller/conversation.ts";
import type { PlannedChunk } from "./plan.ts";
import { PREFIX_CHARS } from "./prefix-cache.ts";
import {
  type ErrorKind,
  isObject,
  type LlmRequest,
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

const ERROR_SHAPE: Record<ErrorKind, { type: string; code: string | null }> = {
  invalid: { type: "invalid_request_error", code: null },
  auth: { type: "invalid_request_error", code: "invalid_api_key" },
  not_found: { type: "invalid_request_error", code: "model_not_found" },
  rate_limit: { type: "requests", code: "rate_limit_exceeded" },
  server: { type: "server_error", code: null },
};

export const openaiAdapter: ProtocolAdapter = {
  protocol: "openai",

  apiKey(headers: IncomingHttpHeaders): string | undefined {
    const auth = headers.authorization;
    if (typeof auth === "string") {
      const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
      return match?.[1]?.trim() || undefined;
    }
    // Azure-style clients send the key in `api-key`.
    const azure = headers["api-key"];
    return typeof azure === "string" && azure !== "" ? azure : undefined;
  },

  parse: parseOpenAiRequest,

  errorBody(kind: ErrorKind, message: string) {
    return { error: { message, type: ERROR_SHAPE[kind].type, param: null, code: ERROR_SHAPE[kind].code } };
  },

  newResponseId: () => randomId("chatcmpl-sim"),
  newToolCallId: () => randomId("call_"),

  complete(ctx: RenderContext) {
    const { plan } = ctx;
    const message: Record<string, unknown> = {
      role: "assistant",
      content: plan.toolCalls.length > 0 && plan.text === "" ? null : plan.text,
      refusal: null,
    };
    if (plan.reasoning !== "") message.reasoning_content = plan.reasoning;
    if (plan.toolCalls.length > 0) {
      message.tool_calls = plan.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
    }
    return {
      id: ctx.responseId,
      object: "chat.completion",
      created: ctx.created,
      model: ctx.request.model,
      system_fingerprint: ctx.fingerprint,
      choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finish }],
      ...(ctx.profile.noUsage ? {} : { usage: usage(ctx) }),
    };
  },

  malformedComplete(ctx: RenderContext): string {
    return JSON.stringify(this.complete(ctx)).slice(0, 40);
  },

  streamSteps(ctx: RenderContext): StreamStep[] {
    const { plan, profile, request } = ctx;
    // With include_usage, OpenAI sends `usage: null` on every chunk before the usage chunk.
    const usageField = request.includeUsage && !profile.noUsage ? { usage: null } : {};
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      sse({
        id: ctx.responseId,
        object: "chat.completion.chunk",
        created: ctx.created,
        model: request.model,
        system_fingerprint: ctx.fingerprint,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...usageField,
      });
    let roleSent = false;
    const withRole = (delta: Record<string, unknown>) => {
      if (roleSent) return delta;
      roleSent = true;
      return { role: "assistant", ...delta };
    };

    return orderSteps(plan, profile, {
      open(): Payload[] {
        if (!profile.roleFirst) return [];
        roleSent = true;
        return [{ payload: chunk({ role: "assistant", content: "" }), kind: "role", tokens: 0 }];
      },
      chunk(c: PlannedChunk): Payload[] {
        return [{ payload: chunk(withRole(deltaFor(c, ctx))), kind: c.kind, tokens: c.tokens }];
      },
      malformed(): Payload {
        // A data: line cut off mid-JSON, as a broken proxy would produce.
        const broken = `{"id":"${ctx.responseId}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"trunc`;
        return { payload: sse(broken), kind: "error", tokens: 0 };
      },
      close(): Payload[] {
        const finish = chunk(withRole({}), plan.finish);
        const out: Payload[] = [
          plan.stopTokenCounted ? { payload: finish, kind: "stop_token", tokens: 1 } : { payload: finish, kind: "done", tokens: 0 },
        ];
        if (request.includeUsage && !profile.noUsage) {
          const final = {
            id: ctx.responseId,
            object: "chat.completion.chunk",
            created: ctx.created,
            model: request.model,
            system_fingerprint: ctx.fingerprint,
            choices: [],
            usage: usage(ctx),
          };
          out.push({ payload: sse(final), kind: "usage", tokens: 0 });
        }
        out.push({ payload: sse("[DONE]"), kind: "done", tokens: 0 });
        return out;
      },
    });
  },
};

function deltaFor(c: PlannedChunk, ctx: RenderContext): Record<string, unknown> {
  if (c.kind === "reasoning") return { reasoning_content: c.text };
  if (c.kind === "text") return { content: c.text };
  const index = c.call as number;
  const call = ctx.plan.toolCalls[index];
  const entry = c.opensCall
    ? { index, id: call?.id, type: "function", function: { name: call?.name, arguments: c.text } }
    : { index, function: { arguments: c.text } };
  return { tool_calls: [entry] };
}

function usage(ctx: RenderContext) {
  const { plan, request } = ctx;
  return {
    prompt_tokens: request.inputTokens,
    completion_tokens: reportedOutputTokens(ctx),
    total_tokens: request.inputTokens + reportedOutputTokens(ctx),
    ...(plan.reasoningTokens > 0 ? { completion_tokens_details: { reasoning_tokens: plan.reasoningTokens } } : {}),
  };
}

export function parseOpenAiRequest(body: unknown): RequestParse {
  if (!isObject(body)) return { ok: false, message: "Request body must be a JSON object." };
  const { model, messages } = body;
  if (typeof model !== "string" || model === "") return { ok: false, message: "you must provide a model parameter" };
  if (!Array.isArray(messages) || messages.length === 0) {
    return { ok: false, message: "'messages' must be a non-empty array" };
  }
  const maxCompletion = readPositiveInt(body.max_completion_tokens, "max_completion_tokens");
  if (typeof maxCompletion === "string") return { ok: false, message: maxCompletion };
  const maxTokens = readPositiveInt(body.max_tokens, "max_tokens");
  if (typeof maxTokens === "string") return { ok: false, message: maxTokens };

  let chars = 0;
  let prefix = "";
  for (const m of messages) {
    if (!isObject(m)) return { ok: false, message: "each message must be an object" };
    chars += contentChars(m.content);
    if (prefix.length < PREFIX_CHARS) prefix += contentText(m.content);
    if (Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) {
        if (isObject(call) && isObject(call.function) && typeof call.function.arguments === "string") {
          chars += call.function.arguments.length;
        }
      }
    }
  }

  const tools: ToolDef[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) return { ok: false, message: "'tools' must be an array" };
    for (const t of body.tools) {
      const fn = isObject(t) && isObject(t.function) ? t.function : t;
      if (!isObject(fn) || typeof fn.name !== "string") return { ok: false, message: "each tool needs function.name" };
      tools.push({ name: fn.name, ...(typeof fn.description === "string" ? { description: fn.description } : {}), schema: fn.parameters });
    }
  }

  const choice = parseToolChoice(body.tool_choice);
  if (typeof choice === "string") return { ok: false, message: choice };
  const temperature = readSampling(body.temperature, "temperature", 2);
  if (typeof temperature === "string") return { ok: false, message: temperature };
  const topP = readSampling(body.top_p, "top_p", 1);
  if (typeof topP === "string") return { ok: false, message: topP };
  const last = messages[messages.length - 1] as Record<string, unknown>;
  const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
  return {
    ok: true,
    request: {
      model,
      stream: body.stream === true,
      maxTokens: maxCompletion ?? maxTokens,
      inputTokens: estimateTokens(chars),
      tools,
      toolChoice: choice,
      includeUsage: streamOptions.include_usage === true,
      lastMessageIsToolResult: last.role === "tool" || last.role === "function",
      promptPrefix: prefix.slice(0, PREFIX_CHARS),
      conversation: openAiConversation(messages as Record<string, unknown>[]),
      sampling: { temperature, topP },
      responseFormat: readResponseFormat(body.response_format),
    },
  };
}

/** OpenAI's response_format: json_schema or json_object ask for JSON; text or anything else asks for nothing. */
function readResponseFormat(value: unknown): LlmRequest["responseFormat"] {
  if (!isObject(value)) return null;
  return value.type === "json_schema" || value.type === "json_object" ? value.type : null;
}

function parseToolChoice(value: unknown): ToolChoice | string {
  if (value === undefined || value === null || value === "auto") return { mode: "auto" };
  if (value === "none") return { mode: "none" };
  if (value === "required") return { mode: "required" };
  if (isObject(value)) {
    const fn = isObject(value.function) ? value.function : value;
    if (typeof fn.name === "string") return { mode: "named", name: fn.name };
    // e.g. {type: "allowed_tools", ...}: treat like auto.
    return { mode: "auto" };
  }
  return "tool_choice must be 'none', 'auto', 'required' or a named function";
}
