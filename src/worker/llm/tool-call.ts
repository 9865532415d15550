/**
 * One non-streaming chat call with tools, through the official SDK for the provider's API kind.
 * Returns the model's tool calls in one normalized shape, whether they came as native tool calls or were
 * embedded in the text (recorded as format compliance), plus latency, the provider's own token usage, what it
 * said served the call (model version, `system_fingerprint`) and the raw exchange without keys.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { hostOf } from "../../shared/call-errors.ts";
import { classifyError, LlmError } from "./errors.ts";
import { type LlmTarget, type ServedBy, toAnthropicParams } from "./stream.ts";
import type { Usage } from "./usage.ts";

export type ToolChoice = "required" | "auto" | "none";

export interface FunctionTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: Array<{ id: string; name: string; arguments: string }> }
  | { role: "tool"; tool_call_id: string; name: string; content: string };

export interface ToolCallRequest {
  messages: ChatMessage[];
  tools: FunctionTool[];
  toolChoice: ToolChoice;
  params: Record<string, unknown>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ParsedCall {
  id: string;
  name: string;
  /** The parsed arguments, or the raw string when it was not valid JSON. */
  arguments: Record<string, unknown> | string;
  rawArguments: string;
}

export interface ToolCallResult {
  calls: ParsedCall[];
  content: string | null;
  /** PASS: native calls (or a correct abstention); NORMALIZED: recovered from text or repaired. */
  format: "PASS" | "NORMALIZED";
  latencyMs: number;
  /** Tokens the provider billed for this call (null halves when it reported none). */
  usage: Usage;
  /** What the provider said served the call: a change between scheduled evals names a likely cause of a regression. */
  served: ServedBy;
  toolChoiceUsed: ToolChoice;
  rawRequest: unknown;
  rawResponse: unknown;
}

function parseArgs(raw: string): Record<string, unknown> | string {
  try {
    const v = JSON.parse(raw || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : raw;
  } catch {
    return raw;
  }
}

/** Calls some models write as text instead of native tool calls: `<tool_call>{…}</tool_call>` or a bare JSON object. */
export function callsFromText(text: string, toolNames: ReadonlySet<string>): ParsedCall[] {
  const candidates: string[] = [];
  for (const m of text.matchAll(/<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g)) candidates.push(m[1]!);
  if (!candidates.length) {
    const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
    const trimmed = (fenced ?? text).trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) candidates.push(trimmed);
  }
  const calls: ParsedCall[] = [];
  for (const c of candidates) {
    let value: unknown;
    try {
      value = JSON.parse(c);
    } catch {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!item || typeof item !== "object") continue;
      const o = item as Record<string, unknown>;
      const fn = (o.function ?? o) as Record<string, unknown>;
      const name = typeof fn.name === "string" ? fn.name : undefined;
      if (!name || !toolNames.has(name)) continue;
      const args = fn.arguments ?? fn.parameters ?? {};
      const rawArguments = typeof args === "string" ? args : JSON.stringify(args);
      calls.push({ id: `text_${calls.length}`, name, arguments: parseArgs(rawArguments), rawArguments });
    }
  }
  return calls;
}

export async function callWithTools(target: LlmTarget, req: ToolCallRequest): Promise<ToolCallResult> {
  try {
    return await attempt(target, req, req.toolChoice);
  } catch (err) {
    const e = err instanceof LlmError ? err : classifyError(err, [target.apiKey], null, { host: hostOf(target.baseUrl) });
    // Some providers reject tool_choice "required": retry once with "auto", and say so in the result.
    if (req.toolChoice === "required" && e.cls === "bad_request" && /tool_choice|required/i.test(e.message)) {
      return attempt(target, req, "auto");
    }
    throw e;
  }
}

async function attempt(target: LlmTarget, req: ToolCallRequest, choice: ToolChoice): Promise<ToolCallResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  const onCancel = () => controller.abort();
  req.signal?.addEventListener("abort", onCancel, { once: true });
  const t0 = performance.now();
  try {
    const names = new Set(req.tools.map((t) => t.function.name));
    const out =
      target.apiKind === "anthropic"
        ? await anthropicCall(target, req, choice, controller.signal)
        : await openAiCall(target, req, choice, controller.signal);
    const latencyMs = performance.now() - t0;
    let calls = out.calls;
    let format: "PASS" | "NORMALIZED" = calls.some((c) => typeof c.arguments === "string") ? "NORMALIZED" : "PASS";
    if (!calls.length && out.content) {
      const recovered = callsFromText(out.content, names);
      if (recovered.length) {
        calls = recovered;
        format = "NORMALIZED";
      }
    }
    return {
      calls,
      content: out.content,
      format,
      latencyMs,
      usage: out.usage,
      served: out.served,
      toolChoiceUsed: choice,
      rawRequest: out.rawRequest,
      rawResponse: out.rawResponse,
    };
  } catch (err) {
    throw classifyError(err, [target.apiKey], controller.signal.aborted ? (req.signal?.aborted ? "cancelled" : "timeout") : null, {
      host: hostOf(target.baseUrl),
    });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener("abort", onCancel); // eval runs share one signal across many calls
  }
}

async function openAiCall(target: LlmTarget, req: ToolCallRequest, choice: ToolChoice, signal: AbortSignal) {
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000 });
  const messages = req.messages.map((m): OpenAI.ChatCompletionMessageParam => {
    if (m.role === "assistant") {
      return {
        role: "assistant",
        content: m.content,
        ...(m.tool_calls?.length
          ? { tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      };
    }
    if (m.role === "tool") return { role: "tool", tool_call_id: m.tool_call_id, content: m.content };
    return { role: m.role, content: m.content };
  });
  const body = { ...req.params, model: target.modelId, messages, tools: req.tools, tool_choice: choice };
  const res = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal });
  const message = res.choices[0]?.message;
  const calls: ParsedCall[] = (message?.tool_calls ?? []).flatMap((c) =>
    c.type === "function"
      ? [{ id: c.id, name: c.function.name, arguments: parseArgs(c.function.arguments), rawArguments: c.function.arguments }]
      : [],
  );
  const usage: Usage = { input: tokens(res.usage?.prompt_tokens), output: tokens(res.usage?.completion_tokens) };
  const served: ServedBy = { model: res.model || null, system_fingerprint: res.system_fingerprint ?? null };
  return { calls, content: message?.content ?? null, usage, served, rawRequest: body, rawResponse: res }; // the body never holds the key (it travels in a header)
}

async function anthropicCall(target: LlmTarget, req: ToolCallRequest, choice: ToolChoice, signal: AbortSignal) {
  const client = new Anthropic({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000 });
  const system = req.messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const messages: Anthropic.MessageParam[] = [];
  for (const m of req.messages) {
    if (m.role === "user") messages.push({ role: "user", content: m.content });
    else if (m.role === "assistant") {
      const blocks: Anthropic.ContentBlockParam[] = [];
      if (m.content) blocks.push({ type: "text", text: m.content });
      for (const c of m.tool_calls ?? []) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: parseArgs(c.arguments) });
      messages.push({ role: "assistant", content: blocks });
    } else if (m.role === "tool") {
      messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: m.tool_call_id, content: m.content }] });
    }
  }
  const tools = req.tools.map((t) => ({
    name: t.function.name,
    description: t.function.description,
    input_schema: (t.function.parameters ?? { type: "object", properties: {} }) as Anthropic.Tool.InputSchema,
  }));
  const toolChoice = choice === "required" ? { type: "any" as const } : choice === "none" ? { type: "none" as const } : { type: "auto" as const };
  const body = {
    ...toAnthropicParams(req.params),
    model: target.modelId,
    messages,
    tools,
    tool_choice: toolChoice,
    ...(system ? { system } : {}),
  };
  const res = await client.messages.create(body as Anthropic.MessageCreateParamsNonStreaming, { signal });
  const calls: ParsedCall[] = [];
  let content: string | null = null;
  for (const block of res.content) {
    if (block.type === "tool_use") {
      const raw = JSON.stringify(block.input ?? {});
      calls.push({ id: block.id, name: block.name, arguments: (block.input ?? {}) as Record<string, unknown>, rawArguments: raw });
    } else if (block.type === "text") content = (content ?? "") + block.text;
  }
  const usage: Usage = { input: tokens(res.usage?.input_tokens), output: tokens(res.usage?.output_tokens) };
  const served: ServedBy = { model: res.model || null, system_fingerprint: null }; // Anthropic reports the model, no fingerprint
  return { calls, content, usage, served, rawRequest: body, rawResponse: res };
}

/** A token count as the provider reported it, or null when it reported none (or nonsense). */
const tokens = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);
