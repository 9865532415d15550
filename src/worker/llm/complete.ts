/**
 * One non-streaming text completion (no tools), for calls whose answer is read as a whole: the prompt tuner's
 * meta-model. A JSON schema may be asked for as OpenAI's `response_format`; Anthropic has no such field, so there
 * the instructions in the prompt carry the format and the caller parses leniently.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { hostOf } from "../../shared/call-errors.ts";
import { classifyError } from "./errors.ts";
import type { LlmTarget } from "./stream.ts";
import { toAnthropicParams } from "./stream.ts";
import { tokenUsage, type Usage } from "./usage.ts";

export interface CompletionRequest {
  /** Null or empty: no system message at all (some servers reject an empty one). */
  system: string | null;
  user: string;
  /** Final sampling kwargs in OpenAI wire names (from `callParams`). */
  params: Record<string, unknown>;
  /** Sent as `response_format: {type: "json_schema", …}` to OpenAI-compatible providers. */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface Completion {
  text: string;
  usage: Usage;
  latencyMs: number;
}

export async function complete(target: LlmTarget, req: CompletionRequest): Promise<Completion> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  const onCancel = () => controller.abort();
  req.signal?.addEventListener("abort", onCancel, { once: true });
  const t0 = performance.now();
  try {
    const res =
      target.apiKind === "anthropic" ? await anthropicText(target, req, controller.signal) : await openAiText(target, req, controller.signal);
    return { text: res.text, usage: tokenUsage(res.raw), latencyMs: performance.now() - t0 };
  } catch (err) {
    throw classifyError(err, [target.apiKey], controller.signal.aborted ? (req.signal?.aborted ? "cancelled" : "timeout") : null, {
      host: hostOf(target.baseUrl),
    });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener("abort", onCancel);
  }
}

async function openAiText(target: LlmTarget, req: CompletionRequest, signal: AbortSignal) {
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000 });
  const body = {
    ...req.params,
    model: target.modelId,
    messages: [...(req.system ? [{ role: "system" as const, content: req.system }] : []), { role: "user" as const, content: req.user }],
    ...(req.jsonSchema
      ? { response_format: { type: "json_schema", json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: true } } }
      : {}),
  };
  const res = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal });
  return { text: res.choices[0]?.message?.content ?? "", raw: res };
}

async function anthropicText(target: LlmTarget, req: CompletionRequest, signal: AbortSignal) {
  const client = new Anthropic({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000 });
  const body = {
    ...toAnthropicParams(req.params),
    model: target.modelId,
    ...(req.system ? { system: req.system } : {}),
    messages: [{ role: "user" as const, content: req.user }],
  };
  const res = await client.messages.create(body as Anthropic.MessageCreateParamsNonStreaming, { signal });
  const text = res.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
  return { text, raw: res };
}
