/**
 * Scripted replies (for tool-calling tests) and per-model request counters (for faultAfter).
 * Both are in-memory state of one simulator instance, reset through the control API.
 */

export interface ScriptToolCall {
  name: string;
  /** An object is streamed as its JSON text; a string is streamed verbatim (lets tests send broken JSON). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

export interface ScriptReply {
  content?: string;
  tool_calls?: ScriptToolCall[];
}

export const SCRIPT_ID = /^[A-Za-z0-9]{1,64}$/;

export type ScriptParse = { ok: true; id: string; replies: ScriptReply[] } | { ok: false; message: string };

/** Validates the body of `POST /__sim/scripts`. */
export function parseScriptBody(body: unknown): ScriptParse {
  if (!isObject(body)) return { ok: false, message: "body must be a JSON object {id, replies}" };
  const { id, replies } = body;
  if (typeof id !== "string" || !SCRIPT_ID.test(id)) return { ok: false, message: "id must be 1-64 letters or digits" };
  if (!Array.isArray(replies) || replies.length === 0) return { ok: false, message: "replies must be a non-empty array" };
  const out: ScriptReply[] = [];
  for (const [i, reply] of replies.entries()) {
    const where = `replies[${i}]`;
    if (!isObject(reply)) return { ok: false, message: `${where} must be an object` };
    const parsed: ScriptReply = {};
    if (reply.content !== undefined && reply.content !== null) {
      if (typeof reply.content !== "string") return { ok: false, message: `${where}.content must be a string` };
      parsed.content = reply.content;
    }
    if (reply.tool_calls !== undefined && reply.tool_calls !== null) {
      if (!Array.isArray(reply.tool_calls) || reply.tool_calls.length === 0) {
        return { ok: false, message: `${where}.tool_calls must be a non-empty array` };
      }
      parsed.tool_calls = [];
      for (const [j, call] of reply.tool_calls.entries()) {
        const cw = `${where}.tool_calls[${j}]`;
        if (!isObject(call) || typeof call.name !== "string" || call.name === "") {
          return { ok: false, message: `${cw} needs a non-empty name` };
        }
        const args = call.arguments ?? {};
        if (typeof args !== "string" && !isObject(args)) {
          return { ok: false, message: `${cw}.arguments must be an object or a string` };
        }
        if (call.id !== undefined && typeof call.id !== "string") return { ok: false, message: `${cw}.id must be a string` };
        parsed.tool_calls.push({ name: call.name, arguments: args, ...(call.id ? { id: call.id } : {}) });
      }
    }
    if (parsed.content === undefined && parsed.tool_calls === undefined) {
      return { ok: false, message: `${where} needs content or tool_calls` };
    }
    out.push(parsed);
  }
  return { ok: true, id, replies: out };
}

export class ScriptStore {
  #scripts = new Map<string, { replies: ScriptReply[]; next: number }>();

  /** Adds or replaces a script; replacing restarts it from its first reply. */
  set(id: string, replies: ScriptReply[]): void {
    this.#scripts.set(id, { replies, next: 0 });
  }

  has(id: string): boolean {
    return this.#scripts.has(id);
  }

  /** The next reply in order; after the last one, the last one again. */
  take(id: string): ScriptReply | undefined {
    const script = this.#scripts.get(id);
    if (!script) return undefined;
    const reply = script.replies[Math.min(script.next, script.replies.length - 1)];
    script.next++;
    return reply;
  }

  delete(id: string): boolean {
    return this.#scripts.delete(id);
  }

  clear(): void {
    this.#scripts.clear();
  }

  list(): { id: string; replies: number; served: number }[] {
    return [...this.#scripts].map(([id, s]) => ({ id, replies: s.replies.length, served: s.next }));
  }
}

/** Requests seen per exact model id, so `faultAfter<k>` can let the first k through. */
export class ModelCounters {
  #counts = new Map<string, number>();

  /** Counts one request and returns its 1-based ordinal. */
  hit(model: string): number {
    const n = (this.#counts.get(model) ?? 0) + 1;
    this.#counts.set(model, n);
    return n;
  }

  reset(model?: string): void {
    if (model === undefined) this.#counts.clear();
    else this.#counts.delete(model);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
