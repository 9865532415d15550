/**
 * One streamed chat request through the official SDK for its API kind, stamped per metrics.md: `t0` just
 * before the request, then each streamed event as it is read. No CPU-heavy work between reading and stamping.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { RunObservation } from "../../shared/metrics.ts";
import { classifyError, LlmError, type AbortReason } from "./errors.ts";
import { countTokens } from "./tokens.ts";

export interface LlmTarget {
  apiKind: "openai" | "anthropic";
  providerKey: string;
  baseUrl: string;
  apiKey: string;
  modelId: string;
  skipParams: readonly string[];
}

export interface ChatRequest {
  system: string | null;
  prompt: string;
  maxTokens: number;
  temperature: number | null;
}

export interface StreamResult {
  observation: RunObservation;
  text: string;
  /** Arrival offsets (ms from t0) of every output-bearing event, kept so any metric can be recomputed. */
  arrivals: number[];
}

export interface StreamOptions {
  timeoutMs: number;
  /** Resolves when the run must stop (job cancelled); the stream is aborted at once. */
  cancelled?: Promise<void>;
}

const now = () => performance.now();

/**
 * Iterates a stream but gives up the moment `signal` aborts, even while a read is pending: an aborted fetch
 * body does not always reject a read that is already waiting (a hung provider would hold the run forever).
 */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new DOMException("The operation was aborted", "AbortError"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {}); // observed below; never an unhandled rejection
  try {
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void it.return?.(undefined)?.catch(() => {});
  }
}

export async function streamChat(target: LlmTarget, req: ChatRequest, opts: StreamOptions): Promise<StreamResult> {
  const controller = new AbortController();
  let abortReason: AbortReason | null = null;
  const timer = setTimeout(() => {
    abortReason = "timeout";
    controller.abort();
  }, opts.timeoutMs);
  opts.cancelled?.then(() => {
    abortReason ??= "cancelled";
    controller.abort();
  });
  try {
    const run = target.apiKind === "anthropic" ? streamAnthropic : streamOpenAi;
    const result = await run(target, req, controller.signal);
    // An aborted SDK stream may simply end; a cut-short run must never be reported as a success.
    if (abortReason) throw new LlmError(abortReason, abortReason === "cancelled" ? "Cancelled" : "Timed out waiting for the provider");
    return result;
  } catch (err) {
    throw classifyError(err, [target.apiKey], abortReason);
  } finally {
    clearTimeout(timer);
  }
}

interface Stamps {
  t0: number;
  firstEventAt: number | null;
  firstOutputAt: number | null;
  firstAnswerAt: number | null;
  lastOutputAt: number | null;
  arrivals: number[];
}

function newStamps(): Stamps {
  return { t0: now(), firstEventAt: null, firstOutputAt: null, firstAnswerAt: null, lastOutputAt: null, arrivals: [] };
}

function onEvent(s: Stamps, at: number, output: boolean, answer: boolean) {
  s.firstEventAt ??= at;
  if (!output) return;
  s.firstOutputAt ??= at;
  if (answer) s.firstAnswerAt ??= at;
  s.lastOutputAt = at;
  s.arrivals.push(at - s.t0);
}

async function finish(s: Stamps, text: string, promptText: string, usage: { input: number | null; output: number | null }): Promise<StreamResult> {
  const endAt = now();
  // Provider usage first; a real tokenizer only when the provider reported none (never chunk counts).
  const fromProvider = usage.output !== null;
  const outputTokens = fromProvider ? usage.output : await countTokens(text);
  const inputTokens = usage.input ?? (await countTokens(promptText));
  return {
    observation: {
      t0: s.t0,
      firstEventAt: s.firstEventAt,
      firstOutputAt: s.firstOutputAt,
      firstAnswerAt: s.firstAnswerAt,
      lastOutputAt: s.lastOutputAt,
      endAt,
      outputTokens,
      inputTokens,
      tokenSource: fromProvider ? "provider" : "tokenizer",
    },
    text,
    arrivals: s.arrivals,
  };
}

function sampling(target: LlmTarget, req: ChatRequest) {
  const skip = new Set(target.skipParams);
  return { temperature: req.temperature !== null && !skip.has("temperature") ? req.temperature : undefined };
}

async function streamOpenAi(target: LlmTarget, req: ChatRequest, signal: AbortSignal): Promise<StreamResult> {
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000 });
  const messages: OpenAI.ChatCompletionMessageParam[] = [];
  if (req.system) messages.push({ role: "system", content: req.system });
  messages.push({ role: "user", content: req.prompt });
  // OpenAI's own API wants max_completion_tokens; OpenAI-compatible servers mostly still read max_tokens.
  const limit = target.providerKey === "openai" ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens };
  const s = newStamps();
  const stream = await client.chat.completions.create(
    { model: target.modelId, messages, stream: true, stream_options: { include_usage: true }, ...limit, ...sampling(target, req) },
    { signal },
  );
  let text = "";
  let usage = { input: null as number | null, output: null as number | null };
  for await (const chunk of untilAborted(stream, signal)) {
    const at = now();
    const delta = chunk.choices[0]?.delta as (OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string; reasoning?: string }) | undefined;
    const answer = delta?.content ?? "";
    const reasoning = delta?.reasoning_content ?? delta?.reasoning ?? "";
    const tool = Boolean(delta?.tool_calls?.length);
    onEvent(s, at, answer !== "" || reasoning !== "" || tool, answer !== "");
    text += answer;
    if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
  }
  return finish(s, text, `${req.system ?? ""}\n${req.prompt}`, usage);
}

async function streamAnthropic(target: LlmTarget, req: ChatRequest, signal: AbortSignal): Promise<StreamResult> {
  const client = new Anthropic({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000 });
  const s = newStamps();
  const stream = await client.messages.create(
    {
      model: target.modelId,
      max_tokens: req.maxTokens,
      messages: [{ role: "user", content: req.prompt }],
      ...(req.system ? { system: req.system } : {}),
      ...sampling(target, req),
      stream: true,
    },
    { signal },
  );
  let text = "";
  let input: number | null = null;
  let output: number | null = null;
  for await (const event of untilAborted(stream, signal)) {
    const at = now();
    if (event.type === "content_block_delta") {
      const d = event.delta;
      const answer = d.type === "text_delta" ? d.text : "";
      const other = d.type === "thinking_delta" ? d.thinking : d.type === "input_json_delta" ? d.partial_json : "";
      onEvent(s, at, answer !== "" || other !== "", answer !== "");
      text += answer;
    } else {
      onEvent(s, at, false, false);
      if (event.type === "message_start") {
        const u = event.message.usage;
        input = (u.input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
      } else if (event.type === "message_delta" && typeof event.usage?.output_tokens === "number") {
        output = event.usage.output_tokens;
      }
    }
  }
  if (s.firstOutputAt === null && output === null) throw new LlmError("malformed_stream", "Stream ended without any output");
  return finish(s, text, `${req.system ?? ""}\n${req.prompt}`, { input, output });
}
