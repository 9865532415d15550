/** Tokens and cost of one trial, from the provider's own usage figures (a multi-turn case sums its rounds). */
import { priceFor } from "../../shared/pricing.ts";

export interface Usage {
  input: number | null;
  output: number | null;
}

interface UsageFields {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
}

const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);

/** OpenAI (`prompt_tokens`/`completion_tokens`) or Anthropic (`input_tokens`/`output_tokens`) usage; null when a round has none. */
export function tokenUsage(rawResponse: unknown): Usage {
  const rounds = (rawResponse as { rounds?: unknown[] } | null)?.rounds ?? [rawResponse];
  let input: number | null = 0;
  let output: number | null = 0;
  for (const r of rounds) {
    const u = ((r as { usage?: UsageFields } | null)?.usage ?? {}) as UsageFields;
    const i = count(u.prompt_tokens ?? u.input_tokens);
    const o = count(u.completion_tokens ?? u.output_tokens);
    input = input === null || i === null ? null : input + i;
    output = output === null || o === null ? null : output + o;
  }
  return { input, output };
}

/** US dollars at the model's price (the user's own, else the built-in table); null when either is unknown. */
// The target's price fields spelled out (not a Pick of ResolvedTarget): the CLI's Node build imports this module
// through tool-call.ts and must not pull in the Worker's bindings.
export function trialCost(t: { modelId: string; inputCostPerMtok: number | null; outputCostPerMtok: number | null }, usage: Usage): number | null {
  const prices = priceFor(t.modelId, { input: t.inputCostPerMtok, output: t.outputCostPerMtok });
  if (usage.input === null || usage.output === null || prices.inputPerMtok === null || prices.outputPerMtok === null) return null;
  return (usage.input * prices.inputPerMtok + usage.output * prices.outputPerMtok) / 1e6;
}
