/** Tool calls through the official SDKs against the simulator's scripted replies (real loopback HTTP). */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LlmTarget } from "../../src/worker/llm/stream.ts";
import { callsFromText, callWithTools, type FunctionTool } from "../../src/worker/llm/tool-call.ts";

const TOOLS: FunctionTool[] = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
  {
    type: "function",
    function: {
      name: "set_light",
      parameters: { type: "object", properties: { room: { type: "string" }, on: { type: "boolean" } }, required: ["room", "on"] },
    },
  },
];

async function script(replies: unknown[]) {
  const id = `t${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const r = await fetch(`${env.SIMULATOR_BASE_URL}/__sim/scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, replies }),
  });
  expect(r.status).toBe(200);
  return id;
}

const target = (kind: "openai" | "anthropic", model: string): LlmTarget => ({
  apiKind: kind,
  providerKey: kind === "openai" ? "local_simulator" : "anthropic",
  baseUrl: kind === "openai" ? `${env.SIMULATOR_BASE_URL}/v1` : env.SIMULATOR_BASE_URL!,
  apiKey: "sk-test-1234567890",
  modelId: model,
});

const base = { tools: TOOLS, toolChoice: "required" as const, params: { max_tokens: 256, temperature: 0 }, timeoutMs: 10_000 };

describe("tool calls", () => {
  it("parses parallel native calls (OpenAI) and records latency and the raw exchange without the key", async () => {
    const id = await script([
      {
        tool_calls: [
          { name: "get_weather", arguments: { city: "Paris" } },
          { name: "set_light", arguments: { room: "hall", on: true } },
        ],
      },
    ]);
    const r = await callWithTools(target("openai", `sim-ttft30-tps500-script${id}`), {
      ...base,
      messages: [{ role: "user", content: "Weather and lights" }],
    });
    expect(r.format).toBe("PASS");
    expect(r.calls.map((c) => [c.name, c.arguments])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["set_light", { room: "hall", on: true }],
    ]);
    expect(r.latencyMs).toBeGreaterThanOrEqual(25);
    expect(JSON.stringify(r.rawRequest)).not.toContain("sk-test");
    expect(JSON.stringify(r.rawRequest)).toContain('"tool_choice":"required"');
  });

  it("recovers calls written as text and marks them NORMALIZED; unparseable arguments are kept raw", async () => {
    const id = await script([{ content: 'Sure. <tool_call>{"name": "get_weather", "arguments": {"city": "Oslo"}}</tool_call>' }]);
    const r = await callWithTools(target("openai", `sim-ttft5-tps2000-script${id}`), {
      ...base,
      toolChoice: "auto",
      messages: [{ role: "user", content: "Oslo?" }],
    });
    expect(r.format).toBe("NORMALIZED");
    expect(r.calls[0]).toMatchObject({ name: "get_weather", arguments: { city: "Oslo" } });
    const bad = await script([{ tool_calls: [{ name: "get_weather", arguments: '{"city": "Oslo"' }] }]);
    const r2 = await callWithTools(target("openai", `sim-ttft5-tps2000-script${bad}`), { ...base, messages: [{ role: "user", content: "x" }] });
    expect(r2.calls[0]!.arguments).toBe('{"city": "Oslo"');
    expect(r2.format).toBe("NORMALIZED");
    expect(callsFromText('{"name": "unknown_tool", "arguments": {}}', new Set(["get_weather"]))).toEqual([]);
  });

  it("runs a multi-turn exchange through the Anthropic SDK (tool_use, tool_result)", async () => {
    const id = await script([
      { tool_calls: [{ name: "get_weather", arguments: { city: "Rome" } }] },
      { tool_calls: [{ name: "set_light", arguments: { room: "kitchen", on: false } }] },
    ]);
    const t = target("anthropic", `sim-ttft5-tps2000-script${id}`);
    const first = await callWithTools(t, {
      ...base,
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "Go" },
      ],
    });
    expect(first.calls[0]).toMatchObject({ name: "get_weather", arguments: { city: "Rome" } });
    const second = await callWithTools(t, {
      ...base,
      messages: [
        { role: "user", content: "Go" },
        { role: "assistant", content: null, tool_calls: [{ id: first.calls[0]!.id, name: "get_weather", arguments: first.calls[0]!.rawArguments }] },
        { role: "tool", tool_call_id: first.calls[0]!.id, name: "get_weather", content: '{"temp": 21}' },
      ],
    });
    expect(second.calls[0]).toMatchObject({ name: "set_light", arguments: { room: "kitchen", on: false } });
    expect((second.rawRequest as { tool_choice: unknown }).tool_choice).toEqual({ type: "any" });
  });

  it("retries once with tool_choice auto when a provider rejects required, and says so", async () => {
    const id = await script([{ tool_calls: [{ name: "get_weather", arguments: { city: "Lima" } }] }]);
    const r = await callWithTools(target("openai", `sim-ttft5-tps2000-noRequired-script${id}`), {
      ...base,
      messages: [{ role: "user", content: "Lima?" }],
    });
    expect(r.toolChoiceUsed).toBe("auto");
    expect(r.calls[0]).toMatchObject({ name: "get_weather", arguments: { city: "Lima" } });
    expect((r.rawRequest as { tool_choice: string }).tool_choice).toBe("auto");
    // With auto requested in the first place there is nothing to fall back from.
    const plain = await callWithTools(target("openai", "sim-ttft5-tps2000-noRequired"), {
      ...base,
      toolChoice: "auto",
      messages: [{ role: "user", content: "x" }],
    });
    expect(plain.toolChoiceUsed).toBe("auto");
  });

  it("classifies provider errors", async () => {
    await expect(callWithTools(target("openai", "sim-fault401"), { ...base, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({
      cls: "auth",
    });
    await expect(
      callWithTools(target("openai", "sim-ttft5000"), { ...base, timeoutMs: 200, messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ cls: "timeout" });
  });
});
