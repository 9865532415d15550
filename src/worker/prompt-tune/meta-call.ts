/**
 * One generation's prompts from the meta-model (§10.2): a non-streaming call at temperature 0.9, asking for JSON
 * through `response_format` where the provider speaks OpenAI's API, read leniently (`prompt-answer.ts`).
 *
 * Retries, up to three attempts: a transient failure (rate limit, server error, timeout, lost connection) or an
 * answer with no usable prompt waits 2 s, then 4 s. A provider that rejects `response_format` (400) is asked once
 * more without it, and that does not count as an attempt. Anything else (bad key, unknown model) fails at once:
 * retrying cannot fix it. An answer with no usable prompt counts as `malformed_stream` ("Malformed response").
 */
import { type MetaMessages, PROMPTS_RESPONSE_SCHEMA } from "../../shared/tuning/meta-prompt.ts";
import { type AnswerFormat, type ProposedPrompt, parsePromptAnswer } from "../../shared/tuning/prompt-answer.ts";
import { callParams } from "../llm/call-params.ts";
import { complete } from "../llm/complete.ts";
import { LlmError } from "../llm/errors.ts";
import type { LlmTarget } from "../llm/stream.ts";
import type { ResolvedTarget } from "../llm/targets.ts";
import { trialCost } from "../llm/usage.ts";

export const META_CALL = { temperature: 0.9, maxTokens: 4096, timeoutMs: 120_000, attempts: 3, backoffMs: [2000, 4000] } as const;

const TRANSIENT = new Set(["rate_limited", "server", "timeout", "connection", "disconnected", "malformed_stream"]);

export interface MetaSpend {
  attempts: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export type MetaOutcome =
  | ({ ok: true; prompts: ProposedPrompt[]; format: AnswerFormat } & MetaSpend)
  | ({ ok: false; error: string; errorClass: string } & MetaSpend);

export interface MetaCallOptions {
  count: number;
  signal: AbortSignal;
  /** Waits between attempts; tests may shorten it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export async function writePrompts(llm: LlmTarget, meta: ResolvedTarget, messages: MetaMessages, opts: MetaCallOptions): Promise<MetaOutcome> {
  const params = callParams(meta, { temperature: META_CALL.temperature, maxTokens: META_CALL.maxTokens }).params;
  const sleep = opts.sleep ?? wait;
  // Structured output only where the wire has the field; Anthropic reads the format from the prompt.
  let askSchema = llm.apiKind === "openai";
  const spend: MetaSpend = { attempts: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  let lastError = { error: "The meta-model wrote no usable prompt", errorClass: "malformed_stream" };
  while (spend.attempts < META_CALL.attempts) {
    if (opts.signal.aborted) break;
    spend.attempts += 1;
    try {
      const res = await complete(llm, {
        system: messages.system,
        user: messages.user,
        params,
        ...(askSchema ? { jsonSchema: { name: "prompt_candidates", schema: PROMPTS_RESPONSE_SCHEMA } } : {}),
        timeoutMs: META_CALL.timeoutMs,
        signal: opts.signal,
      });
      addSpend(spend, meta, res.usage);
      const parsed = parsePromptAnswer(res.text, opts.count);
      if (parsed?.prompts.length) return { ok: true, ...parsed, ...spend };
      lastError = { error: "The meta-model's answer held no usable prompt (not JSON with a prompts list)", errorClass: "malformed_stream" };
    } catch (err) {
      const e = err instanceof LlmError ? err : new LlmError("unknown", "Unexpected failure");
      if (askSchema && e.cls === "bad_request") {
        askSchema = false; // the provider does not take response_format: ask again without it, not an attempt
        spend.attempts -= 1;
        continue;
      }
      lastError = { error: e.message, errorClass: e.cls };
      if (!TRANSIENT.has(e.cls)) break;
    }
    const backoff = META_CALL.backoffMs[spend.attempts - 1];
    if (backoff !== undefined && spend.attempts < META_CALL.attempts) await sleep(backoff, opts.signal);
  }
  return { ok: false, ...lastError, ...spend };
}

function addSpend(spend: MetaSpend, meta: ResolvedTarget, usage: { input: number | null; output: number | null }) {
  spend.inputTokens = spend.inputTokens === null || usage.input === null ? null : spend.inputTokens + usage.input;
  spend.outputTokens = spend.outputTokens === null || usage.output === null ? null : spend.outputTokens + usage.output;
  const cost = trialCost(meta, usage);
  spend.costUsd = spend.costUsd === null || cost === null ? null : spend.costUsd + cost;
}
