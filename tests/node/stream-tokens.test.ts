/**
 * The tokenizer fallback of `streamChat` (docs/metrics.md "Token counts"), in Node: the same SDK code as in
 * workerd, but the o200k tokenizer cannot be loaded in the workerd test pool (see tests/worker/stream.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";
import { streamChat } from "../../src/worker/llm/stream.ts";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
});
afterAll(async () => {
  await sim?.close();
});

const run = (apiKind: "openai" | "anthropic", modelId: string) =>
  streamChat(
    { apiKind, providerKey: apiKind, baseUrl: apiKind === "openai" ? `${sim.url}/v1` : sim.url, apiKey: "sk-test-1234567890", modelId },
    { system: null, prompt: "Say something.", params: { max_tokens: 256 } },
    { timeoutMs: 10_000 },
  );

describe.each(["openai", "anthropic"] as const)("token counts over %s", (kind) => {
  it("counts with the tokenizer when usage reports 0 output tokens beside streamed output", async () => {
    const trusted = await run(kind, "sim-ttft5-tps1000-len12");
    expect([trusted.observation.tokenSource, trusted.observation.outputTokens]).toEqual(["provider", 12]);
    const zero = await run(kind, "sim-ttft5-tps1000-len12-zeroUsage");
    expect(zero.observation.tokenSource).toBe("tokenizer");
    expect(zero.observation.outputTokens).toBeGreaterThanOrEqual(12); // 12 words: at least one token each
  });

  it("counts the whole output with the tokenizer, reasoning included, when usage is missing", async () => {
    const res = await run(kind, "sim-ttft5-tps1000-len2-reason20-nousage");
    expect(res.observation.tokenSource).toBe("tokenizer");
    expect(res.observation.outputTokens).toBeGreaterThanOrEqual(22);
  });
});
