/**
 * Deterministic token text. One word per token so counts are easy to verify from the client side,
 * and scripted text is cut into word-sized pieces whose concatenation is the original text.
 */

const ANSWER_WORDS = (
  "The simulated model streams these words at a steady pace so that latency and throughput " +
  "measurements can be checked against the exact moments each chunk left the server while the " +
  "benchmark client records what it observed on its side of the connection"
).split(" ");

const REASONING_WORDS = (
  "Let me think about this carefully and reason through each step before I write the final " +
  "answer because the question deserves a considered reply"
).split(" ");

function words(list: readonly string[], count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = list[i % list.length] as string;
    out.push(i === 0 ? word : ` ${word}`);
  }
  return out;
}

/** `count` answer tokens: "The", " simulated", " model", ... */
export function answerTokens(count: number): string[] {
  return words(ANSWER_WORDS, count);
}

/** `count` reasoning tokens, from a different word list so they are easy to tell apart. */
export function reasoningTokens(count: number): string[] {
  return words(REASONING_WORDS, count);
}

/**
 * Splits text into token-like pieces (leading whitespace + up to 8 non-space characters), so long
 * JSON or markup such as `<tool_call>{...}</tool_call>` also spreads over several chunks.
 * Joining the pieces gives back the exact input.
 */
export function splitIntoTokens(text: string): string[] {
  if (text === "") return [];
  const pieces: string[] = text.match(/\s*\S{1,8}/g) ?? [];
  const joined = pieces.join("");
  if (joined.length < text.length) {
    // Trailing whitespace (or a whitespace-only text) is not matched above; keep it.
    const tail = text.slice(joined.length);
    if (pieces.length > 0) pieces[pieces.length - 1] += tail;
    else pieces.push(tail);
  }
  return pieces;
}

/** Rough prompt size, the same rule for both protocols: ceil(characters / 4). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** The plain text of a message content (string, or the `text` of parts/blocks, nested results included). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map(contentText).join("");
  if (content && typeof content === "object") {
    const obj = content as Record<string, unknown>;
    return (typeof obj.text === "string" ? obj.text : "") + (obj.content !== undefined ? contentText(obj.content) : "");
  }
  return "";
}

/** Total characters of the text found in a message content (string, parts/blocks, nested results). */
export function contentChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (Array.isArray(content)) {
    let total = 0;
    for (const part of content) total += contentChars(part);
    return total;
  }
  if (content && typeof content === "object") {
    const obj = content as Record<string, unknown>;
    let total = 0;
    if (typeof obj.text === "string") total += obj.text.length;
    if (typeof obj.thinking === "string") total += obj.thinking.length;
    // Anthropic tool_use input / tool_result content.
    if (obj.input !== undefined) total += JSON.stringify(obj.input).length;
    if (obj.content !== undefined) total += contentChars(obj.content);
    return total;
  }
  return 0;
}
