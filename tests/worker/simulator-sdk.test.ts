/**
 * The simulator must speak the providers' wire protocols well enough for the official SDKs, called from
 * inside workerd over real loopback HTTP (this is the path every benchmark and eval call takes).
 */

import { env } from "cloudflare:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";

const openai = () => new OpenAI({ apiKey: "sk-sim-test", baseURL: `${env.SIMULATOR_BASE_URL}/v1`, maxRetries: 0 });
const anthropic = () => new Anthropic({ apiKey: "sk-ant-sim-test", baseURL: env.SIMULATOR_BASE_URL, maxRetries: 0 });

describe("simulator through the official SDKs (in workerd)", () => {
  it("streams OpenAI chat completions with usage, paced by the model name", async () => {
    const t0 = performance.now();
    const stream = await openai().chat.completions.create({
      model: "sim-ttft60-tps200-len12",
      messages: [{ role: "user", content: "hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let firstAt = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) {
        if (!firstAt) firstAt = performance.now() - t0;
        text += delta;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.split(" ").length).toBe(12);
    expect(usage?.completion_tokens).toBe(12);
    expect(firstAt).toBeGreaterThanOrEqual(55); // TTFT is injected by the simulator
  });

  it("returns scripted-or-default tool calls to the OpenAI SDK, non-streaming", async () => {
    const res = await openai().chat.completions.create({
      model: "sim-ttft10-tps500",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
      tool_choice: "required",
    });
    const call = res.choices[0]!.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    expect(call && "function" in call ? call.function.name : undefined).toBe("get_weather");
    expect(res.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("streams Anthropic messages through the Anthropic SDK", async () => {
    const stream = anthropic().messages.stream({
      model: "sim-ttft30-tps300-len8",
      max_tokens: 100,
      messages: [{ role: "user", content: "hello" }],
    });
    let text = "";
    stream.on("text", (t) => (text += t));
    const final = await stream.finalMessage();
    expect(text.split(" ").length).toBe(8);
    expect(final.usage.output_tokens).toBe(8);
    expect(final.stop_reason).toBe("end_turn");
  });

  it("maps fault modes to the SDKs' typed errors (and never echoes the key)", async () => {
    const err429 = await openai()
      .chat.completions.create({ model: "sim-fault429", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(err429).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err429 as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after")).toBe("2");
    const err401 = await anthropic()
      .messages.create({ model: "sim-fault401", max_tokens: 10, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(err401).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(String(err401)).not.toContain("sk-ant-sim-test");
  });
});
