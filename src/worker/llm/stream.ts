/**
 * One streamed chat request through the official SDK for its API kind, stamped per metrics.md: `t0` as the
 * request is handed to fetch, then each streamed event as it is read. No CPU-heavy work between reading and stamping.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { hostOf } from "../../shared/call-errors.ts";
import type { RunObservation } from "../../shared/metrics.ts";
import { anthropicThinkingBudget } from "../../shared/provider-params.ts";
import { type AbortReason, classifyError, LlmError } from "./errors.ts";
import { countTokens } from "./tokens.ts";

export interface LlmTarget {
  apiKind: "openai" | "anthropic";
  providerKey: string;
  baseUrl: string;
  apiKey: string;
  modelId: string;
}

export interface ChatRequest {
  system: string | null;
  prompt: string;
  /**
   * Final sampling kwargs in OpenAI wire names (temperature, max_tokens or max_completion_tokens, top_p, top_k,
   * frequency_penalty, presence_penalty, seed, reasoning_effort, stop, plus provider passthrough keys), already
   * validated by the provider parameter registry and stripped of the model's skip_params.
   */
  params: Record<string, unknown>;
}

export interface StreamResult {
  observation: RunObservation;
  /** The answer text (reasoning and tool calls left out). */
  text: string;
  /** Arrival offsets (ms from t0) of every output-bearing event, kept so any metric can be recomputed. */
  arrivals: number[];
  /** Arrival offset (ms from t0) of the finish event, null when the stream carried none. */
  finishArrival: number | null;
  /** What the provider said served the call: a change between scheduled runs names a likely cause of a regression. */
  served?: ServedBy;
}

export interface ServedBy {
  model: string | null;
  system_fingerprint: string | null;
}

export interface StreamOptions {
  timeoutMs: number;
  /** Aborted when the run must stop (job cancelled); the stream is aborted at once. */
  signal?: AbortSignal;
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
  const onCancel = () => {
    abortReason ??= "cancelled";
    controller.abort();
  };
  if (opts.signal?.aborted) onCancel();
  else opts.signal?.addEventListener("abort", onCancel, { once: true });
  const progress = { responseStarted: false };
  try {
    const run = target.apiKind === "anthropic" ? streamAnthropic : streamOpenAi;
    const result = await run(target, req, controller.signal, progress);
    // An aborted SDK stream may simply end; a cut-short run must never be reported as a success.
    if (abortReason) throw classifyError(null, [], abortReason);
    return result;
  } catch (err) {
    throw classifyError(err, [target.apiKey], abortReason, { host: hostOf(target.baseUrl), responseStarted: progress.responseStarted });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onCancel); // a group's runs share one signal
  }
}

interface Stamps {
  t0: number;
  firstEventAt: number | null;
  firstOutputAt: number | null;
  firstAnswerAt: number | null;
  lastOutputAt: number | null;
  finishAt: number | null;
  arrivals: number[];
}

function newStamps(): Stamps {
  return { t0: now(), firstEventAt: null, firstOutputAt: null, firstAnswerAt: null, lastOutputAt: null, finishAt: null, arrivals: [] };
}

/**
 * The SDK's fetch: stamps `t0` when the request is handed to the network (metrics.md), after the SDK has built
 * it. Workers' clock only moves across I/O, so a zero-delay timer first lets it catch up with the SDK's CPU
 * time; stamping without it would read the clock of the last I/O and count that work as TTFT.
 */
function stampingFetch(s: Stamps): typeof fetch {
  return async (input, init) => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    s.t0 = now();
    return fetch(input, init);
  };
}

function onEvent(s: Stamps, at: number, output: boolean, answer: boolean) {
  s.firstEventAt ??= at;
  if (!output) return;
  s.firstOutputAt ??= at;
  if (answer) s.firstAnswerAt ??= at;
  s.lastOutputAt = at;
  s.arrivals.push(at - s.t0);
}

/**
 * A 200 that is not an event stream (a server ignoring `stream`, a proxy's HTML page) carries nothing to measure;
 * the SDKs would read it as an empty stream. A missing Content-Type is let through: the stream's own content decides.
 */
function requireEventStream(response: Response): void {
  const type = response.headers.get("content-type");
  if (type === null || type.toLowerCase().includes("text/event-stream")) return;
  void response.body?.cancel().catch(() => {});
  throw new LlmError("malformed_stream", `The provider answered 200 with Content-Type ${type.split(";")[0]}, not an event stream`);
}

/**
 * `outputText` is everything the model output (answer, reasoning, tool-call names and arguments): what the
 * tokenizer fallback counts.
 */
async function finish(
  s: Stamps,
  text: string,
  outputText: string,
  promptText: string,
  usage: { input: number | null; output: number | null },
): Promise<StreamResult> {
  const endAt = now();
  // A run that streamed no output token measured nothing (metrics.md): a failure, never a success with null TTFT.
  if (s.firstOutputAt === null) throw new LlmError("malformed_stream", "The stream carried no output tokens");
  // Provider usage first; a real tokenizer when the provider reported none, or 0 beside streamed output (never chunk counts).
  const fromProvider = usage.output !== null && usage.output > 0;
  const outputTokens = fromProvider ? usage.output : await countTokens(outputText);
  const inputTokens = usage.input ?? (await countTokens(promptText));
  return {
    observation: {
      t0: s.t0,
      firstEventAt: s.firstEventAt,
      firstOutputAt: s.firstOutputAt,
      firstAnswerAt: s.firstAnswerAt,
      lastOutputAt: s.lastOutputAt,
      finishAt: s.finishAt,
      endAt,
      outputTokens,
      inputTokens,
      tokenSource: fromProvider ? "provider" : "tokenizer",
    },
    text,
    arrivals: s.arrivals,
    finishArrival: s.finishAt === null ? null : s.finishAt - s.t0,
  };
}

/** Anthropic's Messages API names some parameters differently; reasoning effort becomes a thinking budget. */
export function toAnthropicParams(params: Record<string, unknown>): Record<string, unknown> {
  const { max_tokens, max_completion_tokens, stop, reasoning_effort, frequency_penalty, presence_penalty, seed, ...rest } = params;
  void frequency_penalty; // not supported by Anthropic: the registry has already warned; never sent
  void presence_penalty;
  void seed;
  const out: Record<string, unknown> = { ...rest, max_tokens: max_tokens ?? max_completion_tokens ?? 1024 };
  if (Array.isArray(stop)) out.stop_sequences = stop;
  else if (typeof stop === "string") out.stop_sequences = [stop];
  const budget = anthropicThinkingBudget(reasoning_effort);
  if (budget) out.thinking = { type: "enabled", budget_tokens: budget };
  return out;
}

/** Set once the provider has answered with a status and headers (a connection lost after that was cut mid-answer). */
interface CallProgress {
  responseStarted: boolean;
}

async function streamOpenAi(target: LlmTarget, req: ChatRequest, signal: AbortSignal, progress: CallProgress): Promise<StreamResult> {
  const s = newStamps();
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000, fetch: stampingFetch(s) });
  const messages: OpenAI.ChatCompletionMessageParam[] = [];
  if (req.system) messages.push({ role: "system", content: req.system });
  messages.push({ role: "user", content: req.prompt });
  const body = { ...req.params, model: target.modelId, messages, stream: true as const, stream_options: { include_usage: true } };
  const { data: stream, response } = await client.chat.completions
    .create(body as OpenAI.ChatCompletionCreateParamsStreaming, { signal })
    .withResponse();
  progress.responseStarted = true;
  requireEventStream(response);
  let text = "";
  let outputText = "";
  let usage = { input: null as number | null, output: null as number | null };
  const served: ServedBy = { model: null, system_fingerprint: null };
  for await (const chunk of untilAborted(stream, signal)) {
    const at = now();
    served.model ??= chunk.model || null;
    served.system_fingerprint ??= chunk.system_fingerprint ?? null;
    const delta = chunk.choices[0]?.delta as
      | (OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string; reasoning?: string })
      | undefined;
    const answer = delta?.content ?? "";
    const reasoning = delta?.reasoning_content ?? delta?.reasoning ?? "";
    // A tool call is output from the delta that names it (docs/metrics.md "Tool calls").
    const tool = delta?.tool_calls?.length ? delta.tool_calls.map((c) => (c.function?.name ?? "") + (c.function?.arguments ?? "")).join("") : "";
    onEvent(s, at, answer !== "" || reasoning !== "" || tool !== "", answer !== "");
    // The finish event ends the decode span (docs/metrics.md "Runs that end on a stop token").
    if (chunk.choices[0]?.finish_reason) s.finishAt ??= at;
    text += answer;
    outputText += reasoning + answer + tool;
    if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
  }
  return { ...(await finish(s, text, outputText, `${req.system ?? ""}\n${req.prompt}`, usage)), served };
}

async function streamAnthropic(target: LlmTarget, req: ChatRequest, signal: AbortSignal, progress: CallProgress): Promise<StreamResult> {
  const s = newStamps();
  const client = new Anthropic({ apiKey: target.apiKey, baseURL: target.baseUrl, maxRetries: 0, timeout: 600_000, fetch: stampingFetch(s) });
  const body = {
    ...toAnthropicParams(req.params),
    model: target.modelId,
    messages: [{ role: "user" as const, content: req.prompt }],
    ...(req.system ? { system: req.system } : {}),
    stream: true as const,
  };
  const { data: stream, response } = await client.messages.create(body as Anthropic.MessageCreateParamsStreaming, { signal }).withResponse();
  progress.responseStarted = true;
  requireEventStream(response);
  let text = "";
  let outputText = "";
  let input: number | null = null;
  let output: number | null = null;
  const served: ServedBy = { model: null, system_fingerprint: null }; // Anthropic reports the model, no fingerprint
  for await (const event of untilAborted(stream, signal)) {
    const at = now();
    if (event.type === "content_block_delta") {
      const d = event.delta;
      const answer = d.type === "text_delta" ? d.text : "";
      const other = d.type === "thinking_delta" ? d.thinking : d.type === "input_json_delta" ? d.partial_json : "";
      onEvent(s, at, answer !== "" || other !== "", answer !== "");
      text += answer;
      outputText += answer + other;
    } else if (event.type === "content_block_start") {
      // A tool call is output from the block that names it, as on OpenAI (docs/metrics.md "Tool calls").
      const name = event.content_block.type === "tool_use" ? event.content_block.name : "";
      onEvent(s, at, name !== "", false);
      outputText += name;
    } else {
      onEvent(s, at, false, false);
      if (event.type === "message_start") {
        served.model ??= event.message.model || null;
        const u = event.message.usage;
        input = (u.input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
      } else if (event.type === "message_delta") {
        if (event.delta.stop_reason) s.finishAt ??= at; // ends the decode span (docs/metrics.md)
        if (typeof event.usage?.output_tokens === "number") output = event.usage.output_tokens;
      }
    }
  }
  return { ...(await finish(s, text, outputText, `${req.system ?? ""}\n${req.prompt}`, { input, output })), served };
}
