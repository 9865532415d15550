/**
 * Built-in list prices (USD per 1M tokens, standard tier, no caching), used when a model has no custom price.
 * A model's custom price always wins; an unknown model has no price (cost null, never 0).
 * Keys are model ids without any provider prefix; matching also tries the id after the last "/".
 */
import type { Prices } from "./metrics.ts";

const TABLE: Record<string, [input: number, output: number]> = {
  "gpt-4o": [2.5, 10],
  "gpt-4o-mini": [0.15, 0.6],
  "gpt-4.1": [2, 8],
  "gpt-4.1-mini": [0.4, 1.6],
  "gpt-4.1-nano": [0.1, 0.4],
  o3: [2, 8],
  "o4-mini": [1.1, 4.4],
  "claude-sonnet-4-5": [3, 15],
  "claude-haiku-4-5": [1, 5],
  "claude-opus-4-1": [15, 75],
  "gemini-2.5-flash": [0.3, 2.5],
  "gemini-2.5-pro": [1.25, 10],
  "mistral-small-latest": [0.1, 0.3],
  "mistral-large-latest": [2, 6],
  "deepseek-chat": [0.27, 1.1],
  "deepseek-reasoner": [0.55, 2.19],
  "grok-3-mini": [0.3, 0.5],
  "command-r-plus": [2.5, 10],
  "llama-3.3-70b-versatile": [0.59, 0.79],
};

/**
 * Pretend list prices for the Local simulator's catalogue models, so cost, cost per case and the tuners' budgets
 * can be seen and tested without a real provider. Shaped like real tiers (fast and cheap … careful and dear).
 */
export const SIMULATOR_PRICES: Record<string, [input: number, output: number]> = {
  "sim-ttft80-tps150-len200": [0.1, 0.4],
  "sim-ttft300-tps60-len200": [0.5, 1.5],
  "sim-ttft1500-tps25-len200": [1.25, 5],
  "sim-ttft200-tps80-len200-reason40": [1.1, 4.4],
  // The tool-callers: the careful one costs more, as accuracy does.
  "sim-careful": [1, 4],
  "sim-sloppy": [0.15, 0.6],
  "sim-eager": [0.3, 1.2],
  "sim-tunable": [0.5, 2],
  "sim-writer": [2.5, 10], // priced like a strong model: meta-models usually are
  "sim-writer-ttft200-tps400": [2.5, 10],
  "sim-judge": [2.5, 10], // a judge is usually a strong model too
  "sim-judge-ttft100-tps400": [2.5, 10],
  "sim-ttft200-tps50-len64-slots8-load100": [0.2, 0.8], // a small self-hosted model's price
};

/** A simulator caller or writer with timing options ("sim-tunable-ttft1-tps5000") costs what its family does. */
function simulatorFamilyPrice(modelId: string) {
  const family = /^sim-(careful|sloppy|eager|tunable|writer|judge)(?=-|$)/.exec(modelId)?.[0];
  return family ? SIMULATOR_PRICES[family] : undefined;
}

export function builtInPrice(modelId: string): Prices {
  const hit = TABLE[modelId] ?? SIMULATOR_PRICES[modelId] ?? simulatorFamilyPrice(modelId) ?? TABLE[modelId.split("/").at(-1) ?? ""];
  return hit ? { inputPerMtok: hit[0], outputPerMtok: hit[1] } : { inputPerMtok: null, outputPerMtok: null };
}

/** Custom price (both halves set) beats the table. */
export function priceFor(modelId: string, custom: { input: number | null; output: number | null }): Prices {
  if (custom.input !== null && custom.output !== null) return { inputPerMtok: custom.input, outputPerMtok: custom.output };
  return builtInPrice(modelId);
}
