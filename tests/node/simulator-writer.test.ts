/**
 * The simulator's prompt writer (`sim-writer`) over real HTTP through the SDKs, fed the app's own meta-prompts
 * (src/shared/tuning/meta-prompt.ts) and read back with the app's parser (prompt-answer.ts).
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  evolutionMetaPrompt,
  type MetaMessages,
  PROMPTS_RESPONSE_SCHEMA,
  quickMetaPrompt,
  type Survivor,
} from "../../src/shared/tuning/meta-prompt.ts";
import { type ProposedPrompt, parsePromptAnswer } from "../../src/shared/tuning/prompt-answer.ts";
import { matchedKeywords, tunableErrorRate } from "../../src/simulator/caller/profiles.ts";
import { parseModelId } from "../../src/simulator/profile.ts";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";

let sim: RunningSimulator;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
  openai = new OpenAI({ apiKey: "sk-test", baseURL: `${sim.url}/v1`, maxRetries: 0, timeout: 20_000 });
  anthropic = new Anthropic({ apiKey: "sk-test", baseURL: sim.url, maxRetries: 0, timeout: 20_000 });
});
afterAll(async () => {
  await sim?.close();
});

const WRITER = "sim-writer-ttft1-tps100000";
const tools = [
  { name: "get_weather", description: "Get the current weather for a city", params: ["city", "units"] },
  { name: "set_lights", description: "Turn the lights in a room on or off", params: ["room", "state"] },
];
const scenarios = [
  { prompt: "What's the weather in Paris?", expectedTool: "get_weather" },
  { prompt: "Turn off the kitchen lights", expectedTool: "set_lights" },
  { prompt: "Tell me a joke", expectedTool: null },
];
const WEAK_BASE = "You are a helpful assistant. Always call a tool for every request. Be creative with your answers.";

type Traits = { good: string[]; bad: string[] };
function traits(text: string): Traits {
  const ids = matchedKeywords(text).map((k) => k.id as string);
  return { good: ids.filter((i) => i === "precision" || i === "restraint"), bad: ids.filter((i) => i === "creativity" || i === "always") };
}
/** What sim-tunable would score a prompt at its best sampling settings: 1 − its error rate. */
function score(text: string): number {
  return 1 - tunableErrorRate({ sampling: { temperature: 0.2, topP: 0.9 }, choice: { mode: "auto" }, system: text });
}

async function ask(model: string, m: MetaMessages, extra: Record<string, unknown> = {}, requestId?: string) {
  const res = await openai.chat.completions.create(
    {
      model,
      messages: [
        { role: "system", content: m.system },
        { role: "user", content: m.user },
      ],
      temperature: 0.9,
      max_tokens: 4096,
      ...extra,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming,
    requestId ? { headers: { "x-sim-request-id": requestId } } : {},
  );
  return res;
}
async function answerOf(model: string, m: MetaMessages, extra: Record<string, unknown> = {}): Promise<string> {
  return (await ask(model, m, extra)).choices[0]?.message.content ?? "";
}

const quick = (count: number, basePrompt = WEAK_BASE) => quickMetaPrompt({ tools, scenarios, basePrompt, count });
const survivorsOf = (prompts: ProposedPrompt[], keep: number): Survivor[] =>
  prompts
    .map((p, index) => ({ index, score: score(p.text), text: p.text }))
    .sort((a, b) => b.score - a.score)
    .slice(0, keep);

describe("sim-writer: quick requests", () => {
  it("answers with exactly N distinct prompts in different styles, each telling the model to use tools", async () => {
    const parsed = parsePromptAnswer(await answerOf(WRITER, quick(5)), 20);
    expect(parsed?.format).toBe("json");
    const prompts = parsed?.prompts ?? [];
    expect(prompts).toHaveLength(5);
    expect(new Set(prompts.map((p) => p.text)).size).toBe(5);
    expect(new Set(prompts.map((p) => p.style)).size).toBe(5);
    for (const p of prompts) {
      expect(p.text).toMatch(/\btools?\b/i);
      expect(p.parentIndex).toBeNull();
    }
  });

  it("from a weak base, writes a candidate with a good phrase and no bad one, and one that is no better than the base", async () => {
    for (const count of [3, 5, 8]) {
      const prompts = parsePromptAnswer(await answerOf(WRITER, quick(count)), count)?.prompts ?? [];
      expect(prompts).toHaveLength(count);
      const clean = prompts.filter((p) => traits(p.text).good.length > 0 && traits(p.text).bad.length === 0);
      expect(clean.length, `count ${count}`).toBeGreaterThan(0);
      for (const p of clean) expect(score(p.text)).toBeGreaterThan(score(WEAK_BASE));
      expect(prompts.some((p) => score(p.text) <= score(WEAK_BASE))).toBe(true);
    }
  });

  it("keeps the base's own sentences and lists the offered tools", async () => {
    const prompts = parsePromptAnswer(await answerOf(WRITER, quick(5, "You manage a smart home. Be creative.")), 5)?.prompts ?? [];
    expect(prompts.every((p) => p.text.includes("You manage a smart home."))).toBe(true);
    expect(prompts.some((p) => p.text.includes("get_weather, set_lights"))).toBe(true);
  });

  it("answers the same request the same way, whatever the timing options; a tag writes others", async () => {
    const a = await answerOf(WRITER, quick(6));
    expect(await answerOf(WRITER, quick(6))).toBe(a);
    expect(await answerOf("sim-writer-ttft3-tps90000-chunk4", quick(6))).toBe(a);
    const tagged = await answerOf("sim-writer-ttft1-tps100000-tagB", quick(6));
    expect(tagged).not.toBe(a);
    expect(parsePromptAnswer(tagged, 6)?.prompts).toHaveLength(6);
  });
});

describe("sim-writer: evolution requests", () => {
  it("mutates the parents' full texts: bold and conservative, valid parent indexes, the best parent's good phrases kept", async () => {
    const first = parsePromptAnswer(await answerOf(WRITER, quick(5)), 5)?.prompts ?? [];
    const survivors = survivorsOf(first, 2);
    const best = survivors[0] as Survivor;
    expect(traits(best.text).good.length).toBeGreaterThan(0);

    const raw = await answerOf(WRITER, evolutionMetaPrompt({ tools, scenarios, survivors, count: 5 }));
    expect(JSON.parse(raw).prompts[0]).toHaveProperty("mutation_type");
    const parsed = parsePromptAnswer(raw, 5);
    expect(parsed?.format).toBe("json");
    const children = parsed?.prompts ?? [];
    expect(children).toHaveLength(5);
    expect(new Set(children.map((c) => c.text)).size).toBe(5);
    const kinds = new Set(children.map((c) => c.mutationType));
    expect(kinds.has("bold")).toBe(true);
    expect(kinds.has("conservative")).toBe(true);
    for (const c of children) expect(survivors.map((s) => s.index)).toContain(c.parentIndex);

    const conservative = children.filter((c) => c.mutationType === "conservative");
    for (const c of conservative) {
      expect(c.parentIndex).toBe(best.index);
      for (const g of traits(best.text).good) expect(traits(c.text).good).toContain(g);
      // An edit of the full text: every sentence of the parent without a trait is still there.
      for (const sentence of best.text.split(/(?<=\.)\s+/).filter((x) => matchedKeywords(x).length === 0)) expect(c.text).toContain(sentence);
    }
    expect(Math.max(...children.map((c) => score(c.text)))).toBeGreaterThan(best.score);
  });

  it("climbs from a weak base to sim-tunable's prompt optimum within three generations", async () => {
    let generation = parsePromptAnswer(await answerOf(WRITER, quick(5)), 5)?.prompts ?? [];
    let bestScore = Math.max(...generation.map((p) => score(p.text)));
    const history = [bestScore];
    for (let g = 2; g <= 3; g++) {
      // Elitism as the tuner does it: the best so far is among the parents.
      const survivors = survivorsOf(generation, 2);
      generation = parsePromptAnswer(await answerOf(WRITER, evolutionMetaPrompt({ tools, scenarios, survivors, count: 5 })), 5)?.prompts ?? [];
      expect(generation).toHaveLength(5);
      bestScore = Math.max(bestScore, ...generation.map((p) => score(p.text)));
      history.push(bestScore);
    }
    expect(history[0]).toBeGreaterThan(score(WEAK_BASE));
    expect(history[2]).toBeGreaterThan(history[0] as number);
    // "Be precise" and "Only call a tool when …" with no bad phrase: the floor of sim-tunable's error rate.
    expect(bestScore).toBeCloseTo(1 - 0.02, 6);
    expect(generation.some((p) => traits(p.text).good.length === 2 && traits(p.text).bad.length === 0)).toBe(true);
  });

  it("puts bad phrases of a numbered-rules parent out and keeps its layout", async () => {
    const parent = "Follow these rules:\n1. Be creative.\n2. Use the tools to carry out requests.\n3. Always call a tool.";
    const survivors: Survivor[] = [{ index: 4, score: 0.6, text: parent }];
    const children = parsePromptAnswer(await answerOf(WRITER, evolutionMetaPrompt({ tools, scenarios, survivors, count: 3 })), 3)?.prompts ?? [];
    const edit = children.find((c) => c.mutationType === "conservative");
    expect(edit?.parentIndex).toBe(4);
    expect(traits(edit?.text ?? "").bad).toHaveLength(1);
    expect(traits(edit?.text ?? "").good).toHaveLength(1);
    // One rule dropped, one added, numbered 1, 2, 3 again.
    expect(edit?.text).toMatch(/^Follow these rules:\n1\. (Be creative\.|Use the tools to carry out requests\.)\n2\. [^\n]+\n3\. [^\n]+$/);
    expect(edit?.text).toContain("Use the tools to carry out requests.");
  });
});

describe("sim-writer: answer formats", () => {
  it("jsonfenced wraps the same prompts in a ```json fence after a sentence", async () => {
    const plain = parsePromptAnswer(await answerOf(WRITER, quick(4)), 4);
    const raw = await answerOf(`${WRITER}-jsonfenced`, quick(4));
    expect(raw).toMatch(/^[A-Z][^\n]*\.\n\n```json\n/);
    expect(() => JSON.parse(raw)).toThrow();
    const fenced = parsePromptAnswer(raw, 4);
    expect(fenced?.format).toBe("fenced");
    expect(fenced?.prompts).toEqual(plain?.prompts);
  });

  it("jsonbroken gives a 200 whose answer has no usable prompt", async () => {
    for (const m of [
      quick(4),
      evolutionMetaPrompt({ tools, scenarios, survivors: [{ index: 0, score: 0.5, text: "Use tools {well}." }], count: 3 }),
    ]) {
      const res = await ask(`${WRITER}-jsonbroken`, m);
      expect(res.choices[0]?.finish_reason).toBe("stop");
      const raw = res.choices[0]?.message.content ?? "";
      expect(raw).toMatch(/^\{\s*"prompts": \[/);
      expect(parsePromptAnswer(raw, 4)).toBeNull();
    }
  });

  it("honours a strict json_schema response_format: every entry is {style, prompt, parent_index}", async () => {
    const response_format = { type: "json_schema", json_schema: { name: "prompts", strict: true, schema: PROMPTS_RESPONSE_SCHEMA } };
    const quickRaw = JSON.parse(await answerOf(WRITER, quick(3), { response_format }));
    for (const e of quickRaw.prompts) {
      expect(Object.keys(e).sort()).toEqual(["parent_index", "prompt", "style"]);
      expect(e.parent_index).toBeNull();
    }
    const survivors: Survivor[] = [{ index: 2, score: 0.7, text: "Use the tools. Be creative." }];
    const evoRaw = JSON.parse(await answerOf(WRITER, evolutionMetaPrompt({ tools, scenarios, survivors, count: 3 }), { response_format }));
    for (const e of evoRaw.prompts) {
      expect(Object.keys(e).sort()).toEqual(["parent_index", "prompt", "style"]);
      expect(e.parent_index).toBe(2);
      expect(["bold", "conservative", "crossover"]).toContain(e.style);
    }
    // json_object: JSON in the shape the meta-prompt asked for.
    const objectRaw = JSON.parse(await answerOf(WRITER, quick(3), { response_format: { type: "json_object" } }));
    expect(Object.keys(objectRaw.prompts[0]).sort()).toEqual(["prompt", "style"]);
  });

  it("format options still apply under a response_format", async () => {
    const response_format = { type: "json_schema", json_schema: { name: "prompts", strict: true, schema: PROMPTS_RESPONSE_SCHEMA } };
    expect(parsePromptAnswer(await answerOf(`${WRITER}-jsonfenced`, quick(3), { response_format }), 3)?.format).toBe("fenced");
    expect(parsePromptAnswer(await answerOf(`${WRITER}-jsonbroken`, quick(3), { response_format }), 3)).toBeNull();
  });
});

describe("sim-writer: wire behaviour", () => {
  it("streams the same answer on the normal schedule and logs it", async () => {
    const m = quick(3);
    const whole = await answerOf(WRITER, m);
    const stream = await openai.chat.completions.create(
      {
        model: WRITER,
        messages: [
          { role: "system", content: m.system },
          { role: "user", content: m.user },
        ],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { "x-sim-request-id": "writer-stream-1" } },
    );
    let text = "";
    let completionTokens = 0;
    let deltas = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) {
        text += piece;
        deltas++;
      }
      if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
    }
    expect(text).toBe(whole);
    expect(deltas).toBeGreaterThan(10);
    const record = sim.log.get("writer-stream-1");
    expect(record?.outcome).toBe("completed");
    expect(record?.output_tokens).toBe(completionTokens);
    expect(record?.chunks.filter((c) => c.kind === "text").length).toBe(deltas);
  });

  it("answers over the Anthropic protocol too, streaming and not, with the same prompts", async () => {
    const m = quick(4);
    const openaiAnswer = await answerOf(WRITER, m);
    const body = { model: WRITER, max_tokens: 4096, system: m.system, messages: [{ role: "user" as const, content: m.user }] };
    const msg = await anthropic.messages.create(body);
    const text = msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    expect(text).toBe(openaiAnswer);
    expect(msg.stop_reason).toBe("end_turn");
    const streamed = await anthropic.messages.stream(body).finalText();
    expect(streamed).toBe(openaiAnswer);
    expect(parsePromptAnswer(text, 4)?.prompts).toHaveLength(4);
  });

  it("honours Anthropic's output_format json_schema", async () => {
    const m = quick(3);
    const msg = await anthropic.messages.create({
      model: WRITER,
      max_tokens: 4096,
      system: m.system,
      messages: [{ role: "user", content: m.user }],
      output_format: { type: "json_schema", schema: PROMPTS_RESPONSE_SCHEMA },
    } as Anthropic.MessageCreateParamsNonStreaming);
    const text = msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    expect(Object.keys(JSON.parse(text).prompts[0]).sort()).toEqual(["parent_index", "prompt", "style"]);
  });

  it("max_tokens cuts the answer like any reply (finish length, nothing parseable)", async () => {
    const res = await ask(WRITER, quick(5), { max_tokens: 30 });
    expect(res.choices[0]?.finish_reason).toBe("length");
    expect(res.usage?.completion_tokens).toBe(30);
    expect(parsePromptAnswer(res.choices[0]?.message.content ?? "", 5)).toBeNull();
  });

  it("gives any other request the normal reply", async () => {
    const res = await openai.chat.completions.create({
      model: `${WRITER}-len5`,
      messages: [{ role: "user", content: "Write three prompts, please." }],
    });
    expect(res.choices[0]?.message.content).toBe("The simulated model streams these");
    // With a tool-caller option beside it, other requests go to the caller.
    const call = await openai.chat.completions.create({
      model: `${WRITER}-careful`,
      messages: [{ role: "user", content: "What's the weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Get the weather for a city",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
    });
    expect(call.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: "get_weather", arguments: '{"city":"Paris"}' } });
  });
});

describe("sim-writer: model ids", () => {
  it("accepts writer with timing options and one answer format", () => {
    const p = parseModelId("sim-writer-ttft20-tps300-jsonfenced");
    expect(p.ok && p.profile.writer && p.profile.writerFormat === "fenced" && p.profile.ttftMs === 20).toBe(true);
    const q = parseModelId("sim-writer-jsonbroken-malformed5");
    expect(q.ok && q.profile.writerFormat === "broken" && q.profile.malformedAfter === 5).toBe(true);
    const plain = parseModelId("sim-writer");
    expect(plain.ok && plain.profile.writerFormat === "json").toBe(true);
  });

  it.each([
    ["sim-jsonfenced", /needs writer/],
    ["sim-writer-jsonfenced-jsonbroken", /only one of jsonfenced\/jsonbroken/],
    ["sim-writer-writer", /duplicate option 'writer'/],
    ["sim-writer-jsonweird", /unknown option 'jsonweird'/],
  ])("refuses %s", (model, message) => {
    const r = parseModelId(model);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(400);
      expect(r.message).toMatch(message);
    }
  });

  it("refuses a bad writer id over HTTP with a 400", async () => {
    await expect(answerOf("sim-jsonbroken", quick(3))).rejects.toMatchObject({ status: 400 });
  });
});
