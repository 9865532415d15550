/**
 * Turns (profile, request, script) into a protocol-neutral reply plan: which tokens are sent, how
 * they are grouped into chunks, and when each chunk is due relative to request receipt.
 * Pure, so the schedule can be checked without sockets or clocks.
 *
 * Timing rule: the first chunk is due at ttft; every later chunk is due when its last token is due,
 * tokens being spaced gap = 1000/tps ms apart. So chunk c is due at
 *   ttft + (lastToken(c) - lastToken(0)) * gap
 * which keeps TTFT exact for any chunk size and makes (tokens after the first chunk) / (last - first)
 * equal to tps.
 *
 * With stopCounted, a reply that ends on its own also generates a stop token one gap after its last token:
 * counted in usage, never streamed; the finish event goes out when it is generated.
 */

import type { SimProfile } from "./profile.ts";
import type { ScriptReply } from "./scripts.ts";
import { answerTokens, reasoningTokens, splitIntoTokens } from "./text.ts";
import { defaultToolCall, type PlannedToolCall, type ToolChoice, type ToolDef } from "./tools.ts";

export type OutputKind = "reasoning" | "text" | "tool";
export type FinishReason = "stop" | "length" | "tool_calls";

export interface PlannedChunk {
  kind: OutputKind;
  /** Reasoning/answer text, or a fragment of a tool call's arguments. */
  text: string;
  tokens: number;
  /** Tool call index (0-based) for kind "tool". */
  call?: number;
  /** True when this chunk starts a tool call (carries its id and name). */
  opensCall: boolean;
  /** When the chunk is due, in ms after request receipt. */
  offsetMs: number;
}

export interface PlanInput {
  profile: SimProfile;
  /** max_tokens / max_completion_tokens from the request, caps the answer tokens. */
  maxTokens: number | undefined;
  script: ScriptReply | undefined;
  tools: ToolDef[];
  toolChoice: ToolChoice;
  /** Default mode answers in text after a tool result, so an agent loop against it terminates. */
  lastMessageIsToolResult: boolean;
  /**
   * Calls decided by a realistic caller (src/simulator/caller): used instead of the placeholder call when
   * there is no script; an empty list is a text reply.
   */
  decided?: Array<{ name: string; arguments: string }>;
  /** The writer's answer to a prompt-generation request (sent as text, like a scripted reply). */
  written?: string;
  newToolCallId: () => string;
}

export interface Plan {
  chunks: PlannedChunk[];
  /** Delivered content (after the max_tokens cap). */
  reasoning: string;
  text: string;
  toolCalls: PlannedToolCall[];
  finish: FinishReason;
  reasoningTokens: number;
  /** Reasoning + answer tokens of the complete reply, plus the stop token when it is counted. */
  outputTokens: number;
  /** stopCounted and the reply ended on its own: one unstreamed stop token is part of outputTokens. */
  stopTokenCounted: boolean;
  ttftMs: number;
  /** Offset of the last output chunk (ttft when there is none). */
  endOffsetMs: number;
  /** When the stream's closing events (finish, usage) go out: endOffsetMs, or one gap later for a counted stop token. */
  finishOffsetMs: number;
  /** Non-streaming replies are sent whole after ttft + outputTokens * gap. */
  nonStreamMs: number;
  /** malformed<n>: the invalid event follows the first `afterChunks` chunks. */
  malformed: { afterChunks: number; offsetMs: number } | null;
  /** disconnect<n>: the socket is destroyed after the first `afterChunks` chunks. */
  disconnect: { afterChunks: number; offsetMs: number; nonStreamMs: number } | null;
}

interface Unit {
  kind: OutputKind;
  text: string;
  call?: number;
  opens: boolean;
}

export function buildPlan(input: PlanInput): Plan {
  const { profile } = input;
  const reasoning: Unit[] = reasoningTokens(profile.reason).map((text) => ({ kind: "reasoning", text, opens: false }));

  // What the answer is made of: scripted text and/or calls, a realistic caller's calls, a placeholder call, or generated words.
  let textPieces: string[] = [];
  let calls: PlannedToolCall[] = [];
  if (input.script) {
    textPieces = input.script.content !== undefined ? splitIntoTokens(input.script.content) : [];
    calls = (input.script.tool_calls ?? []).map((c) => ({
      id: c.id ?? input.newToolCallId(),
      name: c.name,
      arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
    }));
  } else if (input.written !== undefined) {
    textPieces = splitIntoTokens(input.written);
  } else if (input.decided) {
    calls = input.decided.map((c) => ({ id: input.newToolCallId(), ...c }));
    if (calls.length === 0) textPieces = answerTokens(profile.len);
  } else {
    const call = input.lastMessageIsToolResult ? null : defaultToolCall(input.tools, input.toolChoice);
    if (call) calls = [{ id: input.newToolCallId(), ...call }];
    else textPieces = answerTokens(profile.len);
  }

  let answer: Unit[] = textPieces.map((text) => ({ kind: "text", text, opens: false }));
  calls.forEach((call, index) => {
    answer.push({ kind: "tool", text: "", call: index, opens: true });
    for (const piece of splitIntoTokens(call.arguments)) answer.push({ kind: "tool", text: piece, call: index, opens: false });
  });

  let finish: FinishReason = calls.length > 0 ? "tool_calls" : "stop";
  if (input.maxTokens !== undefined && answer.length > input.maxTokens) {
    answer = answer.slice(0, input.maxTokens);
    finish = "length";
  }
  // A counted stop token needs room under max_tokens like any other token; without it the reply is cut.
  if (profile.stopCounted && finish !== "length" && input.maxTokens !== undefined && answer.length >= input.maxTokens) finish = "length";
  const stopTokenCounted = profile.stopCounted && finish !== "length";

  const units = [...reasoning, ...answer];
  const breaks = new Set<number>();
  if (profile.malformedAfter !== null) breaks.add(profile.malformedAfter);
  if (profile.disconnectAfter !== null) breaks.add(profile.disconnectAfter);
  const chunks = groupIntoChunks(units, profile, breaks);

  const endOffsetMs = chunks.length > 0 ? (chunks[chunks.length - 1] as PlannedChunk).offsetMs : profile.ttftMs;
  // The stop token is generated one gap after the last token (or at ttft, as the first token of an empty reply).
  const finishOffsetMs = stopTokenCounted && chunks.length > 0 ? endOffsetMs + profile.gapMs : endOffsetMs;
  const outputTokens = units.length + (stopTokenCounted ? 1 : 0);
  const cutAfter = (n: number) => {
    // Chunks never straddle a break, so the ones ending before unit n are exactly n tokens.
    let afterChunks = 0;
    let sent = 0;
    while (afterChunks < chunks.length && sent + (chunks[afterChunks] as PlannedChunk).tokens <= n) {
      sent += (chunks[afterChunks] as PlannedChunk).tokens;
      afterChunks++;
    }
    const offsetMs = afterChunks > 0 ? (chunks[afterChunks - 1] as PlannedChunk).offsetMs : profile.ttftMs;
    return { afterChunks, offsetMs, sent };
  };

  let disconnect: Plan["disconnect"] = null;
  if (profile.disconnectAfter !== null) {
    const cut = cutAfter(profile.disconnectAfter);
    disconnect = { afterChunks: cut.afterChunks, offsetMs: cut.offsetMs, nonStreamMs: profile.ttftMs + cut.sent * profile.gapMs };
  }
  let malformed: Plan["malformed"] = null;
  if (profile.malformedAfter !== null) {
    const cut = cutAfter(profile.malformedAfter);
    malformed = { afterChunks: cut.afterChunks, offsetMs: cut.offsetMs };
  }

  // Delivered content after the cap: truncated arguments stay truncated, dropped calls disappear.
  const deliveredArgs = new Map<number, string>();
  let text = "";
  for (const u of answer) {
    if (u.kind === "text") text += u.text;
    else if (u.call !== undefined) deliveredArgs.set(u.call, (deliveredArgs.get(u.call) ?? "") + u.text);
  }
  const toolCalls = calls.flatMap((c, i) => (deliveredArgs.has(i) ? [{ ...c, arguments: deliveredArgs.get(i) as string }] : []));

  return {
    chunks,
    reasoning: reasoning.map((u) => u.text).join(""),
    text,
    toolCalls,
    finish,
    reasoningTokens: reasoning.length,
    outputTokens,
    stopTokenCounted,
    ttftMs: profile.ttftMs,
    endOffsetMs,
    finishOffsetMs,
    nonStreamMs: profile.ttftMs + outputTokens * profile.gapMs,
    malformed,
    disconnect,
  };
}

/**
 * Groups consecutive tokens into chunks of up to `profile.chunk`, never mixing kinds or tool calls
 * and never crossing a fault break, then stamps each chunk's due offset.
 */
function groupIntoChunks(units: Unit[], profile: SimProfile, breaks: Set<number>): PlannedChunk[] {
  const chunks: PlannedChunk[] = [];
  const lastUnit: number[] = [];
  let current: PlannedChunk | null = null;
  units.forEach((u, i) => {
    const startNew =
      current === null || current.tokens >= profile.chunk || current.kind !== u.kind || current.call !== u.call || u.opens || breaks.has(i);
    if (startNew) {
      current = { kind: u.kind, text: "", tokens: 0, opensCall: u.opens, offsetMs: 0, ...(u.call !== undefined ? { call: u.call } : {}) };
      chunks.push(current);
      lastUnit.push(i);
    }
    const c = current as PlannedChunk;
    c.text += u.text;
    c.tokens++;
    lastUnit[lastUnit.length - 1] = i;
  });
  const first = lastUnit[0] ?? 0;
  chunks.forEach((c, i) => {
    c.offsetMs = profile.ttftMs + ((lastUnit[i] as number) - first) * profile.gapMs;
  });
  return chunks;
}
