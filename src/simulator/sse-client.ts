/**
 * Minimal SSE reader for fetch responses that stamps when each event arrived. Used by the tests
 * and handy for Node-side fidelity checks against the send log (same clock: nowMs()).
 */

import { nowMs } from "./send-log.ts";

export interface ReceivedEvent {
  /** `event:` field (Anthropic), or null. */
  event: string | null;
  /** Joined `data:` lines. */
  data: string;
  /** Epoch ms when the bytes completing this event were read. */
  at: number;
}

export interface SseResult {
  events: ReceivedEvent[];
  /** Set when the body ended abnormally (connection reset, abort). */
  error: unknown;
}

export async function readSse(res: Response): Promise<SseResult> {
  const events: ReceivedEvent[] = [];
  if (!res.body) return { events, error: new Error("response has no body") };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const at = nowMs();
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseBlock(block, at);
        if (parsed) events.push(parsed);
      }
    }
    return { events, error: null };
  } catch (error) {
    return { events, error };
  }
}

function parseBlock(block: string, at: number): ReceivedEvent | null {
  let event: string | null = null;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (event === null && data.length === 0) return null;
  return { event, data: data.join("\n"), at };
}
