import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";
import { type ReceivedEvent, readSse } from "../../src/simulator/sse-client.ts";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
});
afterAll(async () => {
  await sim?.close();
});

const WAIT_MS = 10_000;

const WEATHER_TOOL_OPENAI = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer" },
        note: { type: "string" },
      },
      required: ["city", "unit", "days"],
    },
  },
};
const WEATHER_TOOL_ANTHROPIC = { name: "get_weather", description: "Current weather", input_schema: WEATHER_TOOL_OPENAI.function.parameters };

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "x-api-key": "sk-test", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
}

const chat = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  post("/v1/chat/completions", { messages: [{ role: "user", content: "What's the weather in Paris?" }], ...body }, headers);
const messages = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  post("/v1/messages", { max_tokens: 512, messages: [{ role: "user", content: "What's the weather in Paris?" }], ...body }, headers);

async function addScript(id: string, replies: unknown[]) {
  const res = await post("/__sim/scripts", { id, replies });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", id, replies: replies.length });
}

const json = (e: ReceivedEvent) => JSON.parse(e.data) as Record<string, any>;

describe("default tool calls", () => {
  it("calls the first offered tool with arguments derived from its required properties", async () => {
    const res = await chat({
      model: "sim-ttft5-tps1000",
      tools: [WEATHER_TOOL_OPENAI, { type: "function", function: { name: "other", parameters: {} } }],
    });
    const body = (await res.json()) as Record<string, any>;
    const choice = body.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls[0];
    expect(call).toMatchObject({ type: "function", function: { name: "get_weather" } });
    expect(call.id).toMatch(/^call_/);
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "example", unit: "celsius", days: 1 });
  });

  it("answers in text when tool_choice is none, and honours a named tool_choice", async () => {
    const none = (await (await chat({ model: "sim-ttft5-tps1000-len3", tools: [WEATHER_TOOL_OPENAI], tool_choice: "none" })).json()) as any;
    expect(none.choices[0].message.content).toBe("The simulated model");
    expect(none.choices[0].message.tool_calls).toBeUndefined();

    const named = (await (
      await chat({
        model: "sim-ttft5-tps1000",
        tools: [WEATHER_TOOL_OPENAI, { type: "function", function: { name: "ping", parameters: {} } }],
        tool_choice: { type: "function", function: { name: "ping" } },
      })
    ).json()) as any;
    expect(named.choices[0].message.tool_calls[0].function).toEqual({ name: "ping", arguments: "{}" });
  });

  it("returns Anthropic tool_use blocks, and text after a tool_result", async () => {
    const body = (await (await messages({ model: "sim-ttft5-tps1000", tools: [WEATHER_TOOL_ANTHROPIC] })).json()) as any;
    expect(body.stop_reason).toBe("tool_use");
    expect(body.content).toEqual([
      { type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "get_weather", input: { city: "example", unit: "celsius", days: 1 } },
    ]);

    const followUp = (await (
      await messages({
        model: "sim-ttft5-tps1000-len2",
        tools: [WEATHER_TOOL_ANTHROPIC],
        messages: [
          { role: "user", content: "Weather?" },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "Sunny, 21C" }] },
        ],
      })
    ).json()) as any;
    expect(followUp.stop_reason).toBe("end_turn");
    expect(followUp.content).toEqual([{ type: "text", text: "The simulated" }]);
  });
});

describe("scripted replies", () => {
  it("serves replies in order (parallel calls, then text) and repeats the last one", async () => {
    await addScript("weather1", [
      {
        tool_calls: [
          { name: "get_weather", arguments: { city: "Paris" } },
          { name: "get_weather", arguments: { city: "Rome" } },
        ],
      },
      { content: "Paris is sunny and Rome is cloudy." },
    ]);
    const first = (await (await chat({ model: "sim-ttft5-tps1000-scriptweather1", tools: [WEATHER_TOOL_OPENAI] })).json()) as any;
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const calls = first.choices[0].message.tool_calls;
    expect(calls.map((c: any) => [c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_weather", { city: "Rome" }],
    ]);
    expect(new Set(calls.map((c: any) => c.id)).size).toBe(2);

    for (let i = 0; i < 2; i++) {
      const next = (await (await chat({ model: "sim-ttft5-tps1000-scriptweather1", tools: [WEATHER_TOOL_OPENAI] })).json()) as any;
      expect(next.choices[0].finish_reason).toBe("stop");
      expect(next.choices[0].message.content).toBe("Paris is sunny and Rome is cloudy.");
      expect(next.usage.completion_tokens).toBeGreaterThan(1);
    }
  });

  it("selects a script with the x-sim-script header and keeps timing options", async () => {
    await addScript("hdr2", [{ content: "one two three four" }]);
    const res = await chat({ model: "sim-ttft30-tps100", stream: true }, { "x-sim-script": "hdr2" });
    const { events } = await readSse(res);
    const text = events
      .slice(0, -1)
      .map(json)
      .map((c) => c.choices[0].delta.content ?? "")
      .join("");
    expect(text).toBe("one two three four");
    const log = (await (
      await fetch(`${sim.url}/__sim/log?request_id=${res.headers.get("x-sim-request-id")}`, { signal: AbortSignal.timeout(WAIT_MS) })
    ).json()) as any;
    expect(log.first_output_at - log.received_at).toBeGreaterThanOrEqual(29);
    expect(log.chunks.filter((c: any) => c.kind === "text")).toHaveLength(4);
  });

  it("streams OpenAI tool-call deltas whose arguments concatenate to the scripted object", async () => {
    const args = { city: "San Francisco", unit: "celsius", days: 3, flags: { hourly: true, alerts: ["wind", "rain"] } };
    await addScript("stream3", [
      {
        tool_calls: [
          { name: "get_weather", arguments: args },
          { name: "get_time", arguments: { tz: "PST" } },
        ],
      },
    ]);
    const res = await chat({ model: "sim-ttft5-tps1000-scriptstream3", stream: true, tools: [WEATHER_TOOL_OPENAI] });
    const { events } = await readSse(res);
    expect(events.at(-1)!.data).toBe("[DONE]");
    const deltas = events
      .slice(0, -1)
      .map(json)
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    const byIndex = new Map<number, { id?: string; name?: string; args: string; pieces: number }>();
    for (const d of deltas) {
      const entry = byIndex.get(d.index) ?? { args: "", pieces: 0 };
      if (d.id) entry.id = d.id;
      if (d.function?.name) entry.name = d.function.name;
      entry.args += d.function?.arguments ?? "";
      entry.pieces++;
      byIndex.set(d.index, entry);
    }
    expect(byIndex.get(0)!.name).toBe("get_weather");
    expect(byIndex.get(0)!.pieces).toBeGreaterThan(3);
    expect(JSON.parse(byIndex.get(0)!.args)).toEqual(args);
    expect(byIndex.get(1)!.name).toBe("get_time");
    expect(JSON.parse(byIndex.get(1)!.args)).toEqual({ tz: "PST" });
    // Only the first delta of a call carries id and type.
    expect(deltas.filter((d) => d.id).map((d) => d.index)).toEqual([0, 1]);
    const finish = events.slice(0, -1).map(json).at(-1)!;
    expect(finish.choices[0].finish_reason).toBe("tool_calls");
  });

  it("streams Anthropic input_json_delta fragments that parse to the scripted input", async () => {
    await addScript("anth4", [{ content: "Checking.", tool_calls: [{ name: "get_weather", arguments: { city: "Oslo", days: 2 } }] }]);
    const res = await messages({ model: "sim-ttft5-tps1000-chunk2-scriptanth4", stream: true, tools: [WEATHER_TOOL_ANTHROPIC] });
    const events = (await readSse(res)).events.map(json);
    const starts = events.filter((e) => e.type === "content_block_start").map((e) => e.content_block);
    expect(starts.map((b) => b.type)).toEqual(["text", "tool_use"]);
    expect(starts[1]).toMatchObject({ name: "get_weather", input: {} });
    const partial = events
      .filter((e) => e.type === "content_block_delta" && e.delta.type === "input_json_delta")
      .map((e) => e.delta.partial_json)
      .join("");
    expect(JSON.parse(partial)).toEqual({ city: "Oslo", days: 2 });
    const text = events
      .filter((e) => e.delta?.type === "text_delta")
      .map((e) => e.delta.text)
      .join("");
    expect(text).toBe("Checking.");
    expect(events.find((e) => e.type === "message_delta")!.delta.stop_reason).toBe("tool_use");
  });

  it("keeps text-embedded calls as plain text", async () => {
    const embedded = '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>';
    await addScript("embedded5", [{ content: embedded }]);
    const res = await chat({ model: "sim-ttft5-tps1000-scriptembedded5", stream: true, tools: [WEATHER_TOOL_OPENAI] });
    const chunks = (await readSse(res)).events.slice(0, -1).map(json);
    expect(chunks.map((c) => c.choices[0].delta.content ?? "").join("")).toBe(embedded);
    expect(chunks.some((c) => c.choices[0].delta.tool_calls)).toBe(false);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe("stop");
  });

  it("rejects invalid scripts and unknown script ids, and DELETE clears them", async () => {
    expect((await post("/__sim/scripts", { id: "no spaces", replies: [{ content: "x" }] })).status).toBe(400);
    expect((await post("/__sim/scripts", { id: "x1", replies: [{ tool_calls: [{ arguments: {} }] }] })).status).toBe(400);
    const unknown = await chat({ model: "sim-scriptnope404" });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).error.message).toContain("nope404");

    await addScript("gone6", [{ content: "bye" }]);
    const del = await fetch(`${sim.url}/__sim/scripts`, { method: "DELETE", signal: AbortSignal.timeout(WAIT_MS) });
    expect(del.status).toBe(200);
    expect((await chat({ model: "sim-scriptgone6" })).status).toBe(400);
  });
});
