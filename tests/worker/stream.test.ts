/**
 * One streamed run through `streamChat` (the official SDKs, in workerd) against the simulator: what counts as a
 * failure and where a tool call's TTFT starts (docs/metrics.md). The tokenizer fallback is tested in
 * tests/node/stream-tokens.test.ts: loading the o200k tokenizer (a module over 1 MiB) in this pool crashes the
 * test files running beside it ("WebSocket … Message is too large").
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { runMetrics } from "../../src/shared/metrics.ts";
import { LlmError } from "../../src/worker/llm/errors.ts";
import { type LlmTarget, streamChat } from "../../src/worker/llm/stream.ts";

const KINDS = ["openai", "anthropic"] as const;

const target = (kind: (typeof KINDS)[number], model: string): LlmTarget => ({
  apiKind: kind,
  providerKey: kind === "openai" ? "local_simulator" : "anthropic",
  baseUrl: kind === "openai" ? `${env.SIMULATOR_BASE_URL}/v1` : env.SIMULATOR_BASE_URL!,
  apiKey: "sk-test-1234567890",
  modelId: model,
});

const run = (kind: (typeof KINDS)[number], model: string) =>
  streamChat(target(kind, model), { system: null, prompt: "Say something.", params: { max_tokens: 256 } }, { timeoutMs: 10_000 });

async function failureOf(promise: Promise<unknown>): Promise<LlmError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

const NO_PRICES = { inputPerMtok: null, outputPerMtok: null };

describe.each(KINDS)("streamChat over %s", (kind) => {
  it("fails a stream that carries no output token, whatever usage says", async () => {
    const err = await failureOf(run(kind, "sim-ttft5-tps1000-len0"));
    expect(err.cls).toBe("malformed_stream");
    expect(err.message).toBe("The stream carried no output tokens");
  });

  it("fails a 200 that is not an event stream (a full JSON completion) as malformed_stream", async () => {
    const err = await failureOf(run(kind, "sim-ttft5-tps1000-len5-noStream"));
    expect(err.cls).toBe("malformed_stream");
    expect(err.message).toContain("application/json");
  });

  it("starts a tool call's TTFT at the event that carries the call's name", async () => {
    // One call with long arguments, 100 ms between tokens: the name arrives at TTFT, the first argument 100 ms later.
    const id = `ttft${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const scripted = await fetch(`${env.SIMULATOR_BASE_URL}/__sim/scripts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id, replies: [{ tool_calls: [{ name: "get_weather", arguments: { city: "Paris", days: 3 } }] }] }),
    });
    expect(scripted.status).toBe(200);
    const res = await run(kind, `sim-ttft50-tps10-script${id}`);
    const m = runMetrics(res.observation, NO_PRICES);
    expect(m.ttft_ms).toBeGreaterThanOrEqual(49);
    expect(m.ttft_ms).toBeLessThan(130);
    expect(m.ttfa_ms).toBeNull(); // no answer text
  });
});
