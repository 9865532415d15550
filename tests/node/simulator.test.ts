import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowMs, type SendRecord } from "../../src/simulator/send-log.ts";
import { type RunningSimulator, startSimulator } from "../../src/simulator/server.ts";
import { type ReceivedEvent, readSse } from "../../src/simulator/sse-client.ts";

// Own instance on a free port, so control calls here cannot disturb the shared one other suites use.
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true });
});
afterAll(async () => {
  await sim?.close();
});

const WAIT_MS = 10_000;

function openai(body: Record<string, unknown>, headers: Record<string, string> = {}, signal = AbortSignal.timeout(WAIT_MS)) {
  return fetch(`${sim.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "content-type": "application/json", ...headers },
    body: JSON.stringify({ messages: [{ role: "user", content: "Say something, please." }], ...body }),
    signal,
  });
}

function anthropic(body: Record<string, unknown>, headers: Record<string, string> = {}, signal = AbortSignal.timeout(WAIT_MS)) {
  return fetch(`${sim.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01", "content-type": "application/json", ...headers },
    body: JSON.stringify({ max_tokens: 1024, messages: [{ role: "user", content: "Say something, please." }], ...body }),
    signal,
  });
}

async function logRecord(id: string): Promise<SendRecord> {
  const res = await fetch(`${sim.url}/__sim/log?request_id=${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(WAIT_MS) });
  expect(res.status).toBe(200);
  return (await res.json()) as SendRecord;
}

/** Polls until `check` passes or the deadline hits (then its last failure is thrown). */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const json = (e: ReceivedEvent) => JSON.parse(e.data) as Record<string, any>;

describe("OpenAI chat completions", () => {
  it("streams role, content, finish and [DONE], with no usage chunk unless asked", async () => {
    const res = await openai({ model: "sim-ttft10-tps500-len5", stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("x-sim-request-id")).toBeTruthy();
    const { events, error } = await readSse(res);
    expect(error).toBeNull();
    expect(events.at(-1)?.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map(json);
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && !("usage" in c))).toBe(true);
    expect(chunks[0]?.choices[0].delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("The simulated model streams these");
    const last = chunks.at(-1)!;
    expect(last.choices[0].finish_reason).toBe("stop");
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
  });

  it("adds a final usage chunk with empty choices when include_usage is set", async () => {
    const res = await openai({ model: "sim-ttft10-tps500-len6", stream: true, stream_options: { include_usage: true } });
    const { events } = await readSse(res);
    expect(events.at(-1)?.data).toBe("[DONE]");
    const usageChunk = json(events.at(-2)!);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ completion_tokens: 6, prompt_tokens: Math.ceil("Say something, please.".length / 4) });
    expect(usageChunk.usage.total_tokens).toBe(usageChunk.usage.prompt_tokens + 6);
    expect(json(events.at(-3)!).choices[0].finish_reason).toBe("stop");
  });

  it("returns a full chat.completion when not streaming, after ttft + len * gap", async () => {
    const started = nowMs();
    const res = await openai({ model: "sim-ttft50-tps100-len5" });
    const elapsed = nowMs() - started;
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message).toMatchObject({ role: "assistant", content: "The simulated model streams these" });
    expect(body.choices[0].finish_reason).toBe("stop");
    expect(body.usage).toEqual({ prompt_tokens: 6, completion_tokens: 5, total_tokens: 11 });
    expect(elapsed).toBeGreaterThanOrEqual(99);
  });

  it("caps output at max_tokens / max_completion_tokens with finish_reason length", async () => {
    const a = (await (await openai({ model: "sim-ttft5-tps1000-len20", max_tokens: 3 })).json()) as Record<string, any>;
    expect(a.choices[0].finish_reason).toBe("length");
    expect(a.usage.completion_tokens).toBe(3);
    expect(a.choices[0].message.content).toBe("The simulated model");

    const res = await openai({ model: "sim-ttft5-tps1000-len20", max_completion_tokens: 4, stream: true });
    const chunks = (await readSse(res)).events.slice(0, -1).map(json);
    expect(chunks.filter((c) => c.choices[0].delta.content)).toHaveLength(4);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe("length");
  });

  it("validates the body and requires a bearer key, never echoing it", async () => {
    const noMessages = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test" },
      body: JSON.stringify({ model: "sim" }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(noMessages.status).toBe(400);
    expect(((await noMessages.json()) as any).error.type).toBe("invalid_request_error");

    const noKey = await fetch(`${sim.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "sim", messages: [{ role: "user", content: "x" }] }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(noKey.status).toBe(401);

    const badKey = await openai({ model: "sim" }, { authorization: "Bearer sk-sim-bad" });
    expect(badKey.status).toBe(401);
    const text = await badKey.text();
    expect(text).not.toContain("sk-sim-bad");
    expect(JSON.parse(text).error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key" });

    // needkey<id>: only its own key gets through.
    expect((await openai({ model: "sim-len2-needkeyK1" }, { authorization: "Bearer sk-sim-other" })).status).toBe(401);
    expect((await openai({ model: "sim-len2-needkeyK1" }, { authorization: "Bearer sk-sim-K1" })).status).toBe(200);
  });

  it("answers 404 model_not_found for non-simulator models", async () => {
    const res = await openai({ model: "gpt-4o" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe("model_not_found");
    const bad = await openai({ model: "sim-warp9" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toContain("warp9");
  });
});

describe("Anthropic messages", () => {
  it("streams the named event sequence with text deltas and usage", async () => {
    const res = await anthropic({ model: "sim-ttft10-tps500-len4", stream: true });
    expect(res.status).toBe(200);
    const { events, error } = await readSse(res);
    expect(error).toBeNull();
    const names = events.map((e) => e.event);
    expect(names).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const e of events) expect(json(e).type).toBe(e.event);
    const start = json(events[0]!).message;
    expect(start).toMatchObject({ role: "assistant", model: "sim-ttft10-tps500-len4", content: [] });
    expect(start.usage).toMatchObject({ input_tokens: 6, output_tokens: 1 });
    const text = events
      .filter((e) => e.event === "content_block_delta")
      .map((e) => json(e).delta.text)
      .join("");
    expect(text).toBe("The simulated model streams");
    const delta = json(events.find((e) => e.event === "message_delta")!);
    expect(delta.delta.stop_reason).toBe("end_turn");
    expect(delta.usage.output_tokens).toBe(4);
  });

  it("returns a message object when not streaming, with max_tokens stop", async () => {
    const res = await anthropic({ model: "sim-ttft5-tps1000-len10", max_tokens: 2, system: "Be brief." });
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ type: "message", role: "assistant", stop_reason: "max_tokens", stop_sequence: null });
    expect(body.content).toEqual([{ type: "text", text: "The simulated" }]);
    expect(body.usage).toEqual({ input_tokens: Math.ceil(("Be brief.".length + "Say something, please.".length) / 4), output_tokens: 2 });
  });

  it("requires max_tokens and uses Anthropic error shapes", async () => {
    const res = await fetch(`${sim.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k" },
      body: JSON.stringify({ model: "sim", messages: [{ role: "user", content: "x" }] }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });

    const missing = await anthropic({ model: "claude-3-opus" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.type).toBe("not_found_error");

    const bad = await anthropic({ model: "sim" }, { "x-api-key": "sk-sim-bad" });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as any).error.type).toBe("authentication_error");
  });
});

// Behaviour, not accuracy: the schedule the send log records is the planned one, chunks go out in order and
// never before they are due. How close to due they go out depends on the machine's load; `npm run bench`
// measures that, a unit test must not.
describe("timing", () => {
  it("schedules the first token at ttft and then one token per 1000/tps ms, and sends none early (from the send log)", async () => {
    for (let i = 0; i < 3; i++) {
      const started = nowMs();
      const res = await openai({ model: "sim-ttft100-tps50-len10", stream: true });
      const { events } = await readSse(res);
      const firstToken = events.find((e) => e.data !== "[DONE]" && json(e).choices[0]?.delta.content)!;
      const record = await logRecord(res.headers.get("x-sim-request-id")!);
      const text = record.chunks.filter((c) => c.kind === "text");
      expect(text).toHaveLength(10);
      expect(text[0]!.target_at - record.received_at).toBeCloseTo(100, 6);
      for (let j = 1; j < text.length; j++) {
        expect(text[j]!.target_at - text[j - 1]!.target_at).toBeCloseTo(20, 6);
        expect(text[j]!.sent_at).toBeGreaterThanOrEqual(text[j - 1]!.sent_at);
      }
      for (const c of record.chunks) expect(c.sent_at).toBeGreaterThanOrEqual(c.target_at);
      expect(record.first_output_at).toBe(text[0]!.sent_at);
      // The client (same clock) cannot see the first token before it was due.
      expect(firstToken.at - started).toBeGreaterThanOrEqual(99);
    }
  });

  it("groups tokens per chunk and sends each chunk when its last token is due", async () => {
    const res = await openai({ model: "sim-ttft20-tps100-len10-chunk4", stream: true });
    const chunks = (await readSse(res)).events.slice(0, -1).map(json);
    const contents = chunks.map((c) => c.choices[0].delta.content).filter((c): c is string => typeof c === "string");
    expect(contents.map((c) => c.trim().split(/\s+/).length)).toEqual([4, 4, 2]);
    const record = await logRecord(res.headers.get("x-sim-request-id")!);
    const text = record.chunks.filter((c) => c.kind === "text");
    expect(text.map((c) => c.tokens)).toEqual([4, 4, 2]);
    // Due times: first chunk at ttft, then 4 tokens * 10 ms, then 2 tokens * 10 ms.
    expect(text[0]!.target_at - record.received_at).toBeCloseTo(20, 6);
    expect(text[1]!.target_at - text[0]!.target_at).toBeCloseTo(40, 6);
    expect(text[2]!.target_at - text[1]!.target_at).toBeCloseTo(20, 6);
    // Never early; how late depends on the machine's load (the bench measures that).
    for (const c of text) expect(c.sent_at).toBeGreaterThanOrEqual(c.target_at);
  });

  it("streams reasoning before the answer and counts it as output (both protocols)", async () => {
    const res = await openai({ model: "sim-ttft10-tps500-len3-reason4", stream: true, stream_options: { include_usage: true } });
    const chunks = (await readSse(res)).events.slice(0, -1).map(json);
    const kinds = chunks.flatMap((c) => (c.choices[0]?.delta.reasoning_content ? ["r"] : c.choices[0]?.delta.content ? ["t"] : []));
    expect(kinds).toEqual(["r", "r", "r", "r", "t", "t", "t"]);
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 7, completion_tokens_details: { reasoning_tokens: 4 } });
    const record = await logRecord(res.headers.get("x-sim-request-id")!);
    expect(record.chunks.find((c) => c.tokens > 0)?.kind).toBe("reasoning");

    const ares = await anthropic({ model: "sim-ttft10-tps500-len2-reason2", stream: true });
    const events = (await readSse(ares)).events.map(json);
    const starts = events.filter((e) => e.type === "content_block_start").map((e) => e.content_block.type);
    expect(starts).toEqual(["thinking", "text"]);
    const deltas = events.filter((e) => e.type === "content_block_delta").map((e) => e.delta.type);
    expect(deltas).toEqual(["thinking_delta", "thinking_delta", "signature_delta", "text_delta", "text_delta"]);
    expect(events.find((e) => e.type === "message_delta")!.usage.output_tokens).toBe(4);
  });

  it("roleFirst schedules an empty role delta at receipt, before the first token", async () => {
    const started = nowMs();
    const res = await openai({ model: "sim-ttft300-tps100-len2-roleFirst", stream: true });
    const { events } = await readSse(res);
    const first = json(events[0]!);
    expect(first.choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(events[1]!.at - started).toBeGreaterThanOrEqual(299);
    const record = await logRecord(res.headers.get("x-sim-request-id")!);
    expect(record.chunks.map((c) => c.kind).slice(0, 2)).toEqual(["role", "text"]);
    expect(record.chunks[0]!.target_at).toBe(record.received_at);
    expect(record.chunks[1]!.target_at - record.received_at).toBeCloseTo(300, 6);
    expect(record.first_output_at! - record.received_at).toBeGreaterThanOrEqual(299);
  });
});

describe("stop-token conventions", () => {
  it("stopCounted: usage counts a stop token that is never streamed; the finish event goes out one gap after the last token (both protocols)", async () => {
    const res = await openai({ model: "sim-ttft10-tps100-len5-stopCounted", stream: true, stream_options: { include_usage: true } });
    const chunks = (await readSse(res)).events.slice(0, -1).map(json);
    expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(5);
    expect(chunks.at(-1)!.usage.completion_tokens).toBe(6);
    const record = await logRecord(res.headers.get("x-sim-request-id")!);
    expect(record.chunks.map((c) => c.kind)).toEqual(["text", "text", "text", "text", "text", "stop_token", "usage", "done"]);
    const text = record.chunks.filter((c) => c.kind === "text");
    const stop = record.chunks.find((c) => c.kind === "stop_token")!;
    expect(stop.tokens).toBe(1);
    expect(stop.target_at - text.at(-1)!.target_at).toBeCloseTo(10, 6);
    expect(record.output_tokens).toBe(5); // streamed

    const ares = await anthropic({ model: "sim-ttft10-tps100-len5-stopCounted", stream: true });
    const events = (await readSse(ares)).events.map(json);
    expect(events.filter((e) => e.type === "content_block_delta")).toHaveLength(5);
    expect(events.find((e) => e.type === "message_delta")!.usage.output_tokens).toBe(6);
    const arecord = await logRecord(ares.headers.get("x-sim-request-id")!);
    const astop = arecord.chunks.find((c) => c.kind === "stop_token")!;
    expect(astop.events).toContain("message_delta");
    expect(astop.target_at - arecord.chunks.filter((c) => c.kind === "text").at(-1)!.target_at).toBeCloseTo(10, 6);

    const whole = (await (await openai({ model: "sim-ttft5-tps1000-len3-stopCounted" })).json()) as Record<string, any>;
    expect(whole.usage.completion_tokens).toBe(4);
  });

  it("by default the stop token is not counted and the finish event follows the last token at once", async () => {
    const res = await openai({ model: "sim-ttft10-tps100-len5", stream: true, stream_options: { include_usage: true } });
    const chunks = (await readSse(res)).events.slice(0, -1).map(json);
    expect(chunks.at(-1)!.usage.completion_tokens).toBe(5);
    const record = await logRecord(res.headers.get("x-sim-request-id")!);
    expect(record.chunks.some((c) => c.kind === "stop_token")).toBe(false);
    const finish = record.chunks.at(-3)!;
    expect(finish.kind).toBe("done");
    expect(finish.target_at).toBe(record.chunks.filter((c) => c.kind === "text").at(-1)!.target_at);
  });
});

describe("prefix cache (cache<ms>)", () => {
  const ttftOf = (r: SendRecord) => r.chunks.find((c) => c.tokens > 0)!.target_at - r.received_at;

  it("serves a prompt whose prefix this model id has seen at the cached TTFT; a new prefix pays the full one", async () => {
    const model = "sim-ttft120-cache20-tps1000-len2-tagPrefixA";
    const send = async (system: string, user: string, m = model) => {
      const res = await openai({
        model: m,
        stream: true,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
      });
      await readSse(res);
      return logRecord(res.headers.get("x-sim-request-id")!);
    };
    const first = await send("You are terse.", "Say something.");
    expect([first.prefix_cache, ttftOf(first)]).toEqual(["miss", 120]);
    const repeat = await send("You are terse.", "Say something.");
    expect([repeat.prefix_cache, ttftOf(repeat)]).toEqual(["hit", 20]);
    expect(repeat.profile!.ttft_ms).toBe(20);
    // A unique line in front makes the prefix new (what the benchmark's unique_prefix does).
    const nonce = await send("[run 1a2b3c4d]\nYou are terse.", "Say something.");
    expect([nonce.prefix_cache, ttftOf(nonce)]).toEqual(["miss", 120]);
    // The prefix is the prompt's first 64 characters: the same long head with another ending is a hit.
    const head = "A long shared system prompt that is well over sixty-four characters long.";
    expect((await send(head, "first question")).prefix_cache).toBe("miss");
    expect((await send(head, "another question")).prefix_cache).toBe("hit");
    // Per model id, and cleared with the model's counters.
    expect((await send("You are terse.", "Say something.", `${model}x`)).prefix_cache).toBe("miss");
    await fetch(`${sim.url}/__sim/counters?model=${encodeURIComponent(model)}`, { method: "DELETE", signal: AbortSignal.timeout(WAIT_MS) });
    expect((await send("You are terse.", "Say something.")).prefix_cache).toBe("miss");
  });

  it("works the same on the Anthropic protocol, and is null without cache<ms>", async () => {
    const model = "sim-ttft120-cache20-tps1000-len2-tagPrefixB";
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await anthropic({ model, stream: true, system: "Be brief." });
      await readSse(res);
      ids.push(res.headers.get("x-sim-request-id")!);
    }
    const [first, second] = await Promise.all(ids.map(logRecord));
    expect([first!.prefix_cache, ttftOf(first!)]).toEqual(["miss", 120]);
    expect([second!.prefix_cache, ttftOf(second!)]).toEqual(["hit", 20]);
    const plain = await openai({ model: "sim-ttft5-tps1000-len2", stream: true });
    await readSse(plain);
    expect((await logRecord(plain.headers.get("x-sim-request-id")!)).prefix_cache).toBeNull();
  });
});

describe("fault modes", () => {
  it("fault429 answers 429 with Retry-After: 2 in each provider's error shape", async () => {
    const res = await openai({ model: "sim-fault429" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(((await res.json()) as any).error.code).toBe("rate_limit_exceeded");
    const ares = await anthropic({ model: "sim-fault429", stream: true });
    expect(ares.status).toBe(429);
    expect(ares.headers.get("retry-after")).toBe("2");
    expect(await ares.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("fault500, fault401 and fault400 answer with those statuses", async () => {
    const e500 = await openai({ model: "sim-fault500", stream: true });
    expect(e500.status).toBe(500);
    expect(((await e500.json()) as any).error.type).toBe("server_error");
    expect(((await (await anthropic({ model: "sim-fault500" })).json()) as any).error.type).toBe("api_error");
    const e401 = await openai({ model: "sim-fault401" });
    expect(e401.status).toBe(401);
    expect(((await e401.json()) as any).error.code).toBe("invalid_api_key");
    const e400 = await anthropic({ model: "sim-fault400" });
    expect(e400.status).toBe(400);
    expect(((await e400.json()) as any).error.type).toBe("invalid_request_error");
  });

  it("faultAfter lets the first k requests through, per model id, until counters are reset", async () => {
    const model = "sim-ttft1-tps1000-len1-fault500-faultAfter2-tagFA";
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await openai({ model });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 500, 500]);
    // Another model id has its own counter.
    expect((await openai({ model: `${model}x` })).status).toBe(200);
    const reset = await fetch(`${sim.url}/__sim/counters?model=${encodeURIComponent(model)}`, {
      method: "DELETE",
      signal: AbortSignal.timeout(WAIT_MS),
    });
    expect(reset.status).toBe(200);
    expect((await openai({ model })).status).toBe(200);
  });

  it("hang keeps a stream open with headers only until the client aborts", async () => {
    const controller = new AbortController();
    const guard = setTimeout(() => controller.abort(), WAIT_MS);
    try {
      const res = await openai({ model: "sim-hang", stream: true }, { "x-sim-request-id": "hang-stream-1" }, controller.signal);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const pending = reader.read().then(
        () => "data",
        () => "aborted",
      );
      const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r("still-open"), 500))]);
      expect(early).toBe("still-open");
      expect((await logRecord("hang-stream-1")).outcome).toBe("in_progress");
      controller.abort();
      expect(await pending).toBe("aborted");
      const record = await eventually(async () => {
        const r = await logRecord("hang-stream-1");
        expect(r.outcome).toBe("client_closed");
        return r;
      });
      expect(record.chunks).toEqual([]);
      expect(record.ended_at! - record.received_at).toBeGreaterThanOrEqual(500);
    } finally {
      clearTimeout(guard);
    }
  });

  it("hang sends nothing at all for a non-streaming request", async () => {
    const controller = new AbortController();
    const guard = setTimeout(() => controller.abort(), WAIT_MS);
    try {
      const pending = anthropic({ model: "sim-hang" }, { "x-sim-request-id": "hang-json-1" }, controller.signal).then(
        () => "response",
        () => "aborted",
      );
      const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r("still-open"), 500))]);
      expect(early).toBe("still-open");
      controller.abort();
      expect(await pending).toBe("aborted");
      await eventually(async () => expect((await logRecord("hang-json-1")).outcome).toBe("client_closed"));
    } finally {
      clearTimeout(guard);
    }
  });

  it("disconnect<n> streams n tokens then drops the connection without [DONE] / message_stop", async () => {
    const res = await openai({ model: "sim-ttft5-tps500-len10-disconnect3", stream: true });
    const { events, error } = await readSse(res);
    expect(error).not.toBeNull();
    expect(events.some((e) => e.data === "[DONE]")).toBe(false);
    expect(events.map(json).filter((c) => c.choices[0]?.delta.content)).toHaveLength(3);
    const record = await logRecord(res.headers.get("x-sim-request-id")!);
    expect(record.outcome).toBe("disconnected");
    expect(record.output_tokens).toBe(3);

    const ares = await anthropic({ model: "sim-ttft5-tps500-len10-disconnect2", stream: true });
    const a = await readSse(ares);
    expect(a.error).not.toBeNull();
    expect(a.events.some((e) => e.event === "message_stop")).toBe(false);
    expect(a.events.filter((e) => e.event === "content_block_delta")).toHaveLength(2);
  });

  it("malformed<n> emits one data event that is not JSON after n tokens, then carries on", async () => {
    const res = await openai({ model: "sim-ttft5-tps500-len5-malformed2", stream: true });
    const { events, error } = await readSse(res);
    expect(error).toBeNull();
    const parses = events.slice(0, -1).map((e) => {
      try {
        JSON.parse(e.data);
        return true;
      } catch {
        return false;
      }
    });
    expect(parses).toEqual([true, true, false, true, true, true, true]);
    expect(events.at(-1)!.data).toBe("[DONE]");

    const ares = await anthropic({ model: "sim-ttft5-tps500-len3-malformed1", stream: true });
    const bad = (await readSse(ares)).events.filter((e) => {
      try {
        JSON.parse(e.data);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
    expect(bad[0]!.event).toBe("content_block_delta");
  });

  it("noStream answers a streaming request with the whole JSON reply, as a server that ignores stream: true", async () => {
    const res = await openai({ model: "sim-ttft5-tps1000-len3-noStream", stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as Record<string, any>;
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0].message.content).toBe("The simulated model");
    const ares = await anthropic({ model: "sim-ttft5-tps1000-len3-noStream", stream: true });
    expect(ares.headers.get("content-type")).toContain("application/json");
    expect(((await ares.json()) as Record<string, any>).type).toBe("message");
  });

  it("zeroUsage reports 0 output tokens beside the streamed text (both protocols)", async () => {
    const res = await openai({ model: "sim-ttft5-tps1000-len3-zeroUsage", stream: true, stream_options: { include_usage: true } });
    const chunks = (await readSse(res)).events.slice(0, -1).map(json);
    expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(3);
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 0 });
    const events = (await readSse(await anthropic({ model: "sim-ttft5-tps1000-len3-zeroUsage", stream: true }))).events.map(json);
    expect(events.find((e) => e.type === "message_delta")!.usage.output_tokens).toBe(0);
    expect(((await (await openai({ model: "sim-ttft5-tps1000-len3-zeroUsage" })).json()) as any).usage.completion_tokens).toBe(0);
  });

  it("nousage omits usage everywhere", async () => {
    const body = (await (await openai({ model: "sim-ttft5-tps1000-len3-nousage" })).json()) as Record<string, any>;
    expect(body).not.toHaveProperty("usage");
    const res = await openai({ model: "sim-ttft5-tps1000-len3-nousage", stream: true, stream_options: { include_usage: true } });
    const { events } = await readSse(res);
    expect(events.at(-1)!.data).toBe("[DONE]");
    expect(
      events
        .slice(0, -1)
        .map(json)
        .some((c) => "usage" in c),
    ).toBe(false);

    // Anthropic streams keep an empty usage object (no counts) so SDK stream helpers do not crash.
    const a = (await readSse(await anthropic({ model: "sim-ttft5-tps1000-len3-nousage", stream: true }))).events.map(json);
    expect(a[0]!.message.usage).toEqual({});
    expect(a.find((e) => e.type === "message_delta")!.usage).toEqual({});
    const an = (await (await anthropic({ model: "sim-ttft5-tps1000-len3-nousage" })).json()) as Record<string, any>;
    expect(an).not.toHaveProperty("usage");
  });
});
