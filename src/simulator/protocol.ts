/**
 * What the OpenAI and Anthropic front-ends have in common: a normalised request, an adapter
 * interface, and the protocol-neutral ordering of stream steps (opening, chunks, fault insertions,
 * closing events) so both protocols place faults identically.
 */

import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Conversation, Sampling } from "./caller/conversation.ts";
import type { Plan, PlannedChunk } from "./plan.ts";
import type { SimProfile } from "./profile.ts";
import type { ChunkKind } from "./send-log.ts";
import type { ToolChoice, ToolDef } from "./tools.ts";

export type ErrorKind = "invalid" | "auth" | "not_found" | "rate_limit" | "server";

export const STATUS_OF: Record<ErrorKind, number> = { invalid: 400, auth: 401, not_found: 404, rate_limit: 429, server: 500 };

export function errorKindOf(status: number): ErrorKind {
  if (status === 401) return "auth";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limit";
  if (status >= 500) return "server";
  return "invalid";
}

export interface LlmRequest {
  model: string;
  stream: boolean;
  maxTokens: number | undefined;
  inputTokens: number;
  tools: ToolDef[];
  toolChoice: ToolChoice;
  /** OpenAI stream_options.include_usage (Anthropic always reports usage). */
  includeUsage: boolean;
  lastMessageIsToolResult: boolean;
  /** The prompt's first PREFIX_CHARS characters (system text first): the key of the prefix cache (cache<ms>). */
  promptPrefix: string;
  /** System text, the task and the calls made for it: what a realistic caller (careful, sloppy, …) reads. */
  conversation: Conversation;
  sampling: Sampling;
  /** A structured-output request (OpenAI response_format, Anthropic output_format); the writer honours it. */
  responseFormat: "json_schema" | "json_object" | null;
}

export type RequestParse = { ok: true; request: LlmRequest } | { ok: false; message: string };

export interface RenderContext {
  plan: Plan;
  profile: SimProfile;
  request: LlmRequest;
  /** Response id (chatcmpl-… / msg_…), shared by every chunk of one reply. */
  responseId: string;
  /** Unix seconds. */
  created: number;
  /** `system_fingerprint` of OpenAI-style replies (`fp_simulator` unless a drift sets another). */
  fingerprint: string;
  /** Billed output tokens a drift adds to the usage (0 without one). */
  extraOutputTokens: number;
}

/** One write of a stream, due `offsetMs` after receipt; `destroy` cuts the connection instead. */
export type StreamStep =
  | { offsetMs: number; payload: string; kind: ChunkKind; tokens: number; events?: string[] }
  | { offsetMs: number; destroy: true };

export interface ProtocolAdapter {
  protocol: "openai" | "anthropic";
  /** The caller's key, or undefined if none was sent. */
  apiKey(headers: IncomingHttpHeaders): string | undefined;
  parse(body: unknown): RequestParse;
  errorBody(kind: ErrorKind, message: string): unknown;
  newResponseId(): string;
  newToolCallId(): string;
  /** Non-streaming response body. */
  complete(ctx: RenderContext): unknown;
  /** Non-streaming body for malformed<n>: a 200 whose body is not valid JSON. */
  malformedComplete(ctx: RenderContext): string;
  streamSteps(ctx: RenderContext): StreamStep[];
}

export type Payload = { payload: string; kind: ChunkKind; tokens: number; events?: string[] };

/** Per-protocol rendering used by `orderSteps`. Hooks may keep state (e.g. whether role was sent). */
export interface StreamHooks {
  /** Sent at receipt with roleFirst, otherwise right before the first thing that follows. */
  open(): Payload[];
  chunk(chunk: PlannedChunk, index: number): Payload[];
  malformed(): Payload;
  /**
   * Closing events after the last output chunk (finish, usage, [DONE] / message_stop). The write carrying the
   * finish is logged as kind "stop_token" (1 token) when the plan counts an unstreamed stop token.
   */
  close(): Payload[];
}

export function orderSteps(plan: Plan, profile: SimProfile, hooks: StreamHooks): StreamStep[] {
  const steps: StreamStep[] = [];
  let opened = false;
  const push = (offsetMs: number, payloads: Payload[]) => {
    if (!opened) {
      opened = true;
      for (const p of hooks.open()) steps.push({ offsetMs: profile.roleFirst ? 0 : offsetMs, ...p });
    }
    for (const p of payloads) steps.push({ offsetMs, ...p });
  };
  if (profile.roleFirst) push(0, []);

  const faultsAt = (i: number): boolean => {
    if (plan.malformed && plan.malformed.afterChunks === i) push(plan.malformed.offsetMs, [hooks.malformed()]);
    if (plan.disconnect && plan.disconnect.afterChunks === i) {
      push(plan.disconnect.offsetMs, []);
      steps.push({ offsetMs: plan.disconnect.offsetMs, destroy: true });
      return true;
    }
    return false;
  };

  for (const [i, chunk] of plan.chunks.entries()) {
    if (faultsAt(i)) return steps;
    push(chunk.offsetMs, hooks.chunk(chunk, i));
  }
  if (faultsAt(plan.chunks.length)) return steps;
  push(plan.finishOffsetMs, hooks.close());
  return steps;
}

/** The output token count usage reports: the plan's, or 0 with zeroUsage. */
export function reportedOutputTokens(ctx: RenderContext): number {
  return ctx.profile.zeroUsage ? 0 : ctx.plan.outputTokens + ctx.extraOutputTokens;
}

/** One SSE event; `event:` is only used by Anthropic. */
export function sse(data: unknown, event?: string): string {
  const body = typeof data === "string" ? data : JSON.stringify(data);
  return `${event ? `event: ${event}\n` : ""}data: ${body}\n\n`;
}

/** Random id with a provider-like prefix. */
export function randomId(prefix: string, length = 24): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A positive integer, or undefined when absent; a string describing the problem otherwise. */
export function readPositiveInt(value: unknown, name: string): number | undefined | string {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) return `${name} must be a positive integer`;
  return value;
}
