/**
 * The sampling kwargs for one call: the run's temperature and max_tokens, the model's skip_params removed.
 * (The provider parameter registry — ranges, conflicts, passthrough — plugs in here.)
 */
import type { ResolvedTarget } from "./targets.ts";

export interface CallParamsInput {
  temperature: number | null;
  maxTokens: number;
  providerParams?: Record<string, unknown> | null;
}

export function callParams(t: Pick<ResolvedTarget, "providerKey" | "modelId" | "skipParams">, input: CallParamsInput) {
  const skip = new Set(t.skipParams);
  // OpenAI's own API wants max_completion_tokens; OpenAI-compatible servers mostly still read max_tokens.
  const limitKey = t.providerKey === "openai" ? "max_completion_tokens" : "max_tokens";
  const params: Record<string, unknown> = { [limitKey]: input.maxTokens };
  if (input.temperature !== null && !skip.has("temperature")) params.temperature = input.temperature;
  return { params, adjustments: [] as Array<{ param: string; action: string; reason: string }>, warnings: [] as string[] };
}
