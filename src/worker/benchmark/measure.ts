/**
 * One measured benchmark run, shared by the Worker's benchmark job and the CLI's local mode (so both measure the
 * same way): which tiers fit a model, the request (filler, unique prefix, validated sampling parameters) and the
 * streamed call with its metrics and retries.
 */
import { type RunMetrics, runMetrics } from "../../shared/metrics.ts";
import type { priceFor } from "../../shared/pricing.ts";
import { newId } from "../lib/ids.ts";
import { callParams } from "../llm/call-params.ts";
import { LlmError } from "../llm/errors.ts";
import { fillerText } from "../llm/filler.ts";
import { type ChatRequest, type LlmTarget, type ServedBy, streamChat } from "../llm/stream.ts";
import type { BenchmarkConfig } from "./config.ts";

/** A run's outcome: measured, failed, or skipped (its tier does not fit the model). */
export type Outcome =
  | { ok: true; metrics: RunMetrics; arrivals: number[]; finishArrival: number | null; served?: ServedBy | undefined; skipped?: undefined }
  | { ok: false; error: LlmError; skipped?: undefined }
  | { ok: false; skipped: string; error?: undefined };

const MAX_ATTEMPTS = 3; // only for 429/5xx before any output: safe, nothing was measured
export const TIER_HEADROOM = 100;

/**
 * What a measurement needs to know about its model: a ResolvedTarget, or a model of the CLI's config. Spelled out
 * rather than picked from ResolvedTarget so Node code (the CLI) can use this module without the Worker's types.
 */
export interface MeasureTarget {
  providerKey: string;
  modelId: string;
  skipParams: string[];
  systemPrompt: string | null;
  contextWindow: number;
}

export function tierFits(tier: number, t: Pick<MeasureTarget, "contextWindow">, maxTokens: number): boolean {
  return tier === 0 || tier <= t.contextWindow - maxTokens - TIER_HEADROOM;
}

/**
 * A short line unique to one request, put at the very start of what is sent first (the system message, else the
 * user prompt): prefix caches match from the first token, so no run can be served from an earlier one's prefill
 * (docs/metrics.md "Prefix caches").
 */
export function uniquePrefix(): string {
  return `[run ${newId().slice(0, 8)}]\n`;
}

export async function buildRequest(t: MeasureTarget, c: BenchmarkConfig, tier: number, seed: string): Promise<ChatRequest> {
  const filler = await fillerText(tier, seed);
  const system = [filler, t.systemPrompt ?? ""].filter(Boolean).join("\n\n") || null;
  const prefix = c.unique_prefix ? uniquePrefix() : "";
  const params = callParams(t, { temperature: c.temperature, maxTokens: c.max_tokens, providerParams: c.provider_params }).params;
  return system ? { system: prefix + system, prompt: c.prompt, params } : { system: null, prompt: prefix + c.prompt, params };
}

/** One streamed run, retried only on 429/5xx before any output (nothing was measured yet). */
export async function measure(
  llm: LlmTarget,
  req: ChatRequest,
  c: BenchmarkConfig,
  signal: AbortSignal,
  prices: ReturnType<typeof priceFor>,
): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await streamChat(llm, req, { timeoutMs: c.timeout_s * 1000, signal });
      return { ok: true, metrics: runMetrics(res.observation, prices), arrivals: res.arrivals, finishArrival: res.finishArrival, served: res.served };
    } catch (err) {
      const e = err instanceof LlmError ? err : new LlmError("unknown", "Unexpected failure");
      if (!e.retryable || attempt >= MAX_ATTEMPTS || signal.aborted) return { ok: false, error: e };
      const waitMs = Math.min(10, e.retryAfterSeconds ?? 2 ** (attempt - 1)) * 1000;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        signal.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (signal.aborted) return { ok: false, error: new LlmError("cancelled", "Cancelled") };
    }
  }
}
