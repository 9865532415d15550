/**
 * The capacity probe's plan and its replay from stored levels: the config stored with a run, how many requests
 * and tokens each level plans (the estimate shown before a run, the budget rule, the progress bar), and, per
 * target, which level runs next. Everything here reads the config and the stored level rows only, so a
 * redelivered or sliced group reaches the same answer.
 */
import type { CapacityConfig, CapacityEstimate, CapacityRequest, CapacityStopReason } from "../../shared/capacity.ts";
import { DEFAULT_HOLD_REQUESTS } from "../../shared/capacity.ts";
import { openLoopRate, requestsPerStream } from "../../shared/capacity-analysis.ts";
import { costUsd, type Prices } from "../../shared/metrics.ts";

/** The benchmark's first built-in prompt, when the request names none. */
export const DEFAULT_CAPACITY_PROMPT =
  "Explain the concept of recursion in programming. Include a simple example in Python with comments, and describe how the call stack works.";

/** With `hold_seconds`, the estimate assumes each stream completes one request per second (it cannot know the latency). */
const ASSUMED_REQUESTS_PER_STREAM_SECOND = 1;
/** The unique prefix and the chat framing, on top of the prompt's tokens. */
const FRAMING_TOKENS = 12;

export function configOf(body: CapacityRequest, targets: CapacityConfig["targets"], seed: number): CapacityConfig {
  const holdRequests = body.hold_requests ?? (body.hold_seconds === undefined ? DEFAULT_HOLD_REQUESTS : null);
  return {
    targets,
    levels: body.levels,
    hold_requests: holdRequests,
    hold_seconds: body.hold_seconds ?? null,
    loop: body.loop,
    rate: body.rate ?? null,
    slo: body.slo,
    budget: body.budget ?? null,
    context_tier: body.context_tier,
    max_tokens: body.max_tokens,
    prompt: body.prompt?.trim() ? body.prompt : DEFAULT_CAPACITY_PROMPT,
    seed,
  };
}

/** Requests a level plans (with `hold_seconds`: an estimate). */
export function plannedRequests(c: CapacityConfig, level: number): number {
  if (c.loop === "closed") {
    if (c.hold_requests !== null) return requestsPerStream(level, c.hold_requests) * level;
    return Math.max(1, Math.ceil((c.hold_seconds ?? 1) * ASSUMED_REQUESTS_PER_STREAM_SECOND)) * level;
  }
  if (c.hold_requests !== null) return c.hold_requests;
  return Math.max(1, Math.round(openLoopRate(c.rate ?? 1, level, c.levels[0] ?? 1) * (c.hold_seconds ?? 1)));
}

/** Input tokens of one request before any was sent: the prompt's tokens, the tier's filler and the framing. */
export function plannedInputTokens(c: CapacityConfig, promptTokens: number): number {
  return promptTokens + c.context_tier + FRAMING_TOKENS;
}

/**
 * A level's planned tokens and cost (output at max_tokens: an upper bound); cost null when the price is unknown.
 * `inputPerRequest`: planned (plannedInputTokens) before a run, or what the last level's requests really took.
 */
export function levelEstimate(
  c: CapacityConfig,
  level: number,
  inputPerRequest: number,
  prices: Prices,
): { requests: number; tokens: number; input: number; output: number; cost: number | null } {
  const requests = plannedRequests(c, level);
  const input = Math.round(requests * inputPerRequest);
  const output = requests * c.max_tokens;
  return { requests, tokens: input + output, input, output, cost: costUsd(input, output, prices) };
}

/** The whole probe's estimate, every target's full ladder (stops can only make it smaller). */
export function runEstimate(c: CapacityConfig, promptTokens: number, pricesOf: (targetIndex: number) => Prices): CapacityEstimate {
  let requests = 0;
  let input = 0;
  let output = 0;
  let cost: number | null = 0;
  c.targets.forEach((_t, i) => {
    for (const level of c.levels) {
      const e = levelEstimate(c, level, plannedInputTokens(c, promptTokens), pricesOf(i));
      requests += e.requests;
      input += e.input;
      output += e.output;
      cost = cost === null || e.cost === null ? null : cost + e.cost;
    }
  });
  return { requests, input_tokens: input, output_tokens: output, cost_usd: cost === null ? null : Math.round(cost * 1e6) / 1e6 };
}

export interface StoredLevelRow {
  providerKey: string;
  modelId: string;
  level: number;
  stopReason: string | null;
  stopAtLevel: number | null;
}

/**
 * Where a target's ladder stands: the levels stored (in ladder order), the stop one of them decided, and the
 * level to run next (null when the ladder is over: stopped, or every level stored).
 */
export function ladderState(c: CapacityConfig, target: { provider_key: string; model_id: string }, rows: readonly StoredLevelRow[]) {
  const mine = rows.filter((r) => r.providerKey === target.provider_key && r.modelId === target.model_id);
  const stored = new Set(mine.map((r) => r.level));
  const done = c.levels.filter((l) => stored.has(l));
  const stopRow = mine.find((r) => r.stopReason !== null);
  const stopped = stopRow ? { at_level: stopRow.stopAtLevel ?? stopRow.level, reason: stopRow.stopReason as CapacityStopReason } : null;
  const next = stopped ? null : (c.levels.find((l) => !stored.has(l)) ?? null);
  return { done, stopped, next };
}
