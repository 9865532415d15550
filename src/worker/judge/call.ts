/**
 * One judge call (§11.1): non-streaming, a single user message, temperature 0, max_tokens 2048, 120 s timeout,
 * through the provider-params builder. Up to three attempts, waiting 2 s then 4 s, for transient failures (rate
 * limit, server error, timeout, lost connection); anything else fails at once. The caller turns a failure into an
 * error verdict: one case's failure never fails the run.
 */
import { callParams } from "../llm/call-params.ts";
import { complete } from "../llm/complete.ts";
import { LlmError } from "../llm/errors.ts";
import type { LlmTarget } from "../llm/stream.ts";
import type { ResolvedTarget } from "../llm/targets.ts";
import { trialCost } from "../llm/usage.ts";

export const JUDGE_CALL = { temperature: 0, maxTokens: 2048, timeoutMs: 120_000, attempts: 3, backoffMs: [2000, 4000] } as const;

const TRANSIENT = new Set(["rate_limited", "server", "timeout", "connection", "disconnected", "malformed_stream"]);

export interface JudgeSpend {
  attempts: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  latencyMs: number | null;
}

export type JudgeCallOutcome = ({ ok: true; text: string } | { ok: false; error: string; errorClass: string }) & JudgeSpend;

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

export async function askJudge(llm: LlmTarget, judge: ResolvedTarget, user: string, signal: AbortSignal): Promise<JudgeCallOutcome> {
  const params = callParams(judge, { temperature: JUDGE_CALL.temperature, maxTokens: JUDGE_CALL.maxTokens }).params;
  const spend: JudgeSpend = { attempts: 0, inputTokens: null, outputTokens: null, costUsd: null, latencyMs: null };
  let last = { error: "The judge was not called", errorClass: "unknown" };
  while (spend.attempts < JUDGE_CALL.attempts && !signal.aborted) {
    spend.attempts += 1;
    try {
      const res = await complete(llm, { system: null, user, params, timeoutMs: JUDGE_CALL.timeoutMs, signal });
      spend.inputTokens = res.usage.input;
      spend.outputTokens = res.usage.output;
      spend.costUsd = trialCost(judge, res.usage);
      spend.latencyMs = res.latencyMs;
      return { ok: true, text: res.text, ...spend };
    } catch (err) {
      const e = err instanceof LlmError ? err : new LlmError("unknown", "Unexpected failure");
      last = { error: e.message, errorClass: e.cls };
      if (!TRANSIENT.has(e.cls)) break;
    }
    const backoff = JUDGE_CALL.backoffMs[spend.attempts - 1];
    if (backoff !== undefined && spend.attempts < JUDGE_CALL.attempts) await wait(backoff, signal);
  }
  return { ok: false, ...last, ...spend };
}
