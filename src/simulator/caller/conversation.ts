/**
 * The part of a chat request a simulated model reads to decide what to answer, in one shape for both
 * protocols: the system text, the task (the last user message) and the calls already made for it, each
 * with its result. Built by the OpenAI and Anthropic request parsers.
 */

import { contentText } from "../text.ts";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface PriorCall {
  name: string;
  /** The call's arguments (an object; anything unparseable becomes {}). */
  arguments: Record<string, unknown>;
  /** The tool's answer as text, or null when the conversation has none for this call. */
  result: string | null;
}

export interface Conversation {
  /** System prompt text (OpenAI system/developer messages, Anthropic's `system`), joined by blank lines. */
  system: string;
  /** The text of the last user message that is not only tool results: the task being answered. */
  user: string;
  /** Calls the assistant made since that message, oldest first. */
  calls: PriorCall[];
}

/** Sampling parameters as sent; absent ones stay undefined (the provider's default applies). */
export interface Sampling {
  temperature: number | undefined;
  topP: number | undefined;
}

export const EMPTY_CONVERSATION: Conversation = { system: "", user: "", calls: [] };

function parseArgs(value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  if (typeof value !== "string") return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** OpenAI chat messages → conversation. Messages are already known to be objects. */
export function openAiConversation(messages: Record<string, unknown>[]): Conversation {
  const system = messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map((m) => contentText(m.content))
    .filter((t) => t.trim() !== "")
    .join("\n\n");
  let start = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if ((messages[i] as Record<string, unknown>).role === "user") {
      start = i;
      break;
    }
  }
  const user = start >= 0 ? contentText((messages[start] as Record<string, unknown>).content) : "";
  const calls: PriorCall[] = [];
  const byId = new Map<string, PriorCall>();
  for (const m of messages.slice(start + 1)) {
    if (m.role === "assistant" && Array.isArray(m.tool_calls)) {
      for (const c of m.tool_calls) {
        if (!isObject(c) || !isObject(c.function) || typeof c.function.name !== "string") continue;
        const call: PriorCall = { name: c.function.name, arguments: parseArgs(c.function.arguments), result: null };
        calls.push(call);
        if (typeof c.id === "string") byId.set(c.id, call);
      }
    } else if (m.role === "tool" || m.role === "function") {
      const call = (typeof m.tool_call_id === "string" ? byId.get(m.tool_call_id) : undefined) ?? calls.find((c) => c.result === null);
      if (call) call.result = contentText(m.content);
    }
  }
  return { system, user, calls };
}

/** Anthropic messages (+ the `system` field) → conversation. Tool results arrive as user messages. */
export function anthropicConversation(systemField: unknown, messages: Record<string, unknown>[]): Conversation {
  const system = contentText(systemField);
  const isToolResults = (m: Record<string, unknown>) =>
    Array.isArray(m.content) && m.content.length > 0 && m.content.every((b) => isObject(b) && b.type === "tool_result");
  let start = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Record<string, unknown>;
    if (m.role === "user" && !isToolResults(m)) {
      start = i;
      break;
    }
  }
  const userMessage = start >= 0 ? (messages[start] as Record<string, unknown>) : undefined;
  const user = userMessage ? textBlocks(userMessage.content) : "";
  const calls: PriorCall[] = [];
  const byId = new Map<string, PriorCall>();
  for (const m of messages.slice(start + 1)) {
    if (!Array.isArray(m.content)) continue;
    for (const block of m.content) {
      if (!isObject(block)) continue;
      if (m.role === "assistant" && block.type === "tool_use" && typeof block.name === "string") {
        const call: PriorCall = { name: block.name, arguments: parseArgs(block.input), result: null };
        calls.push(call);
        if (typeof block.id === "string") byId.set(block.id, call);
      } else if (m.role === "user" && block.type === "tool_result") {
        const call = (typeof block.tool_use_id === "string" ? byId.get(block.tool_use_id) : undefined) ?? calls.find((c) => c.result === null);
        if (call) call.result = contentText(block.content);
      }
    }
  }
  return { system, user, calls };
}

/** The text of a user message, leaving out tool_result blocks (a mixed message keeps its own words). */
function textBlocks(content: unknown): string {
  if (!Array.isArray(content)) return contentText(content);
  return content
    .filter((b) => !(isObject(b) && b.type === "tool_result"))
    .map(contentText)
    .join("");
}

/**
 * A sampling parameter: absent → undefined; otherwise a number within [0, max], or an error text
 * (providers reject out-of-range values with a 400, so the simulator does too).
 */
export function readSampling(value: unknown, name: string, max: number): number | undefined | string {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) return `${name} must be a number`;
  if (value < 0 || value > max) return `${name} must be between 0 and ${max}`;
  return value;
}
