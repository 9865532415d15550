import { describe, expect, it } from "vitest";
import { buildPlan, type PlanInput } from "../../src/simulator/plan.ts";
import { parseModelId, type SimProfile } from "../../src/simulator/profile.ts";
import { parseScriptBody } from "../../src/simulator/scripts.ts";
import { addChunk, recordTiming, SendLog } from "../../src/simulator/send-log.ts";
import { splitIntoTokens } from "../../src/simulator/text.ts";
import { argumentsFromSchema, defaultToolCall } from "../../src/simulator/tools.ts";

function profileOf(model: string): SimProfile {
  const result = parseModelId(model);
  if (!result.ok) throw new Error(`expected ${model} to parse: ${result.message}`);
  return result.profile;
}

function errorOf(model: string): { status: number; message: string } {
  const result = parseModelId(model);
  if (result.ok) throw new Error(`expected ${model} to be rejected`);
  return result;
}

describe("model-name grammar", () => {
  it("uses the documented defaults for a bare 'sim'", () => {
    const p = profileOf("sim");
    expect(p).toMatchObject({ ttftMs: 200, tps: 50, gapMs: 20, len: 64, chunk: 1, reason: 0, roleFirst: false, noUsage: false, hang: false });
    expect(p.statusFault).toBeNull();
    expect(p.script).toBeNull();
  });

  it("parses timing options in any order, with fractional gaps", () => {
    const p = profileOf("sim-len120-tps60-ttft300");
    expect(p.ttftMs).toBe(300);
    expect(p.len).toBe(120);
    expect(p.gapMs).toBeCloseTo(16.667, 3);
    expect(profileOf("sim-ttft80-tps150-len200-chunk4").chunk).toBe(4);
    expect(profileOf("sim-ttft1500-tps25-len300-reason40").reason).toBe(40);
    expect(profileOf("sim-ttft12.5-tps2.5").gapMs).toBe(400);
  });

  it("parses flags, fault modes and identifiers", () => {
    const p = profileOf("sim-roleFirst-nousage-disconnect5-malformed3-scriptWeather1-tagRun7");
    expect(p).toMatchObject({ roleFirst: true, noUsage: true, disconnectAfter: 5, malformedAfter: 3, script: "Weather1", tag: "Run7" });
    expect(profileOf("sim-fault429").statusFault).toBe(429);
    expect(profileOf("sim-fault500-faultAfter2")).toMatchObject({ statusFault: 500, faultAfter: 2 });
    expect(profileOf("sim-fault401").statusFault).toBe(401);
    expect(profileOf("sim-fault400").statusFault).toBe(400);
    expect(profileOf("sim-hang").hang).toBe(true);
    expect(profileOf("sim-noRequired").noRequired).toBe(true);
    expect(profileOf("sim").noRequired).toBe(false);
    expect(profileOf("sim-stopCounted").stopCounted).toBe(true);
    expect(profileOf("sim").stopCounted).toBe(false);
    expect(profileOf("sim-needkeyShared1").requiredKey).toBe("Shared1");
    expect(profileOf("sim").requiredKey).toBeNull();
    expect(profileOf("sim-noStream-zeroUsage")).toMatchObject({ noStream: true, zeroUsage: true });
    expect(profileOf("sim")).toMatchObject({ noStream: false, zeroUsage: false });
    expect(profileOf("sim-ttft300-cache40.5").cacheMs).toBe(40.5);
    expect(profileOf("sim").cacheMs).toBeNull();
  });

  it("rejects unknown or malformed options with a 400 that names the option", () => {
    const unknown = errorOf("sim-ttft100-turbo");
    expect(unknown.status).toBe(400);
    expect(unknown.message).toContain("unknown option 'turbo'");
    expect(errorOf("sim-ttftfast").message).toContain("ttft");
    expect(errorOf("sim-tps0").status).toBe(400);
    expect(errorOf("sim-chunk0").status).toBe(400);
    expect(errorOf("sim-len1.5").status).toBe(400);
    expect(errorOf("sim-ttft10-ttft20").message).toContain("duplicate");
    expect(errorOf("sim--len3").message).toContain("empty option");
    expect(errorOf("sim-needkey").status).toBe(400);
    expect(errorOf("sim-faultAfter2").message).toContain("faultAfter");
    expect(errorOf("sim-fault429-fault500").status).toBe(400);
    expect(errorOf("sim-hang-fault500").status).toBe(400);
    expect(errorOf("sim-fault404").message).toContain("unknown option");
    expect(errorOf("simulated").status).toBe(400);
  });

  it("answers 404 for ids that are not simulator models", () => {
    const e = errorOf("gpt-4o");
    expect(e.status).toBe(404);
    expect(e.message).toContain("gpt-4o");
  });
});

function plan(model: string, extra: Partial<PlanInput> = {}) {
  let n = 0;
  return buildPlan({
    profile: profileOf(model),
    maxTokens: undefined,
    script: undefined,
    tools: [],
    toolChoice: { mode: "auto" },
    lastMessageIsToolResult: false,
    newToolCallId: () => `call_${n++}`,
    ...extra,
  });
}

describe("reply plan", () => {
  it("schedules the first chunk at ttft and later ones one gap per token", () => {
    const p = plan("sim-ttft100-tps50-len4");
    expect(p.chunks.map((c) => c.offsetMs)).toEqual([100, 120, 140, 160]);
    expect(p.text).toBe("The simulated model streams");
    expect(p.finish).toBe("stop");
    expect(p.nonStreamMs).toBe(100 + 4 * 20);
  });

  it("groups tokens into chunks and keeps ttft for the first chunk", () => {
    const p = plan("sim-ttft100-tps50-len10-chunk4");
    expect(p.chunks.map((c) => c.tokens)).toEqual([4, 4, 2]);
    expect(p.chunks.map((c) => c.offsetMs)).toEqual([100, 180, 220]);
    expect(p.chunks.map((c) => c.text).join("")).toBe(p.text);
  });

  it("puts reasoning tokens first, in their own chunks, counted as output", () => {
    const p = plan("sim-ttft10-len3-reason2-chunk4");
    expect(p.chunks.map((c) => [c.kind, c.tokens])).toEqual([
      ["reasoning", 2],
      ["text", 3],
    ]);
    expect(p.outputTokens).toBe(5);
    expect(p.reasoningTokens).toBe(2);
  });

  it("caps answer tokens at max_tokens and reports length", () => {
    const p = plan("sim-len10", { maxTokens: 3 });
    expect(p.chunks).toHaveLength(3);
    expect(p.finish).toBe("length");
  });

  it("stopCounted: a natural end counts one stop token, due one gap after the last streamed token", () => {
    const counted = plan("sim-ttft100-tps50-len4-stopCounted");
    expect(counted.chunks.map((c) => c.offsetMs)).toEqual([100, 120, 140, 160]); // the stop token is never streamed
    expect(counted.outputTokens).toBe(5);
    expect(counted.stopTokenCounted).toBe(true);
    expect(counted.finishOffsetMs).toBe(180);
    expect(counted.nonStreamMs).toBe(100 + 5 * 20);
    // Not counted (the default): the finish goes out with the last token.
    const plain = plan("sim-ttft100-tps50-len4");
    expect(plain.outputTokens).toBe(4);
    expect(plain.stopTokenCounted).toBe(false);
    expect(plain.finishOffsetMs).toBe(160);
    // A reply cut by max_tokens never reached its stop token, nor one that leaves it no room.
    for (const maxTokens of [3, 4]) {
      const capped = plan("sim-ttft100-tps50-len4-stopCounted", { maxTokens });
      expect([capped.finish, capped.outputTokens, capped.stopTokenCounted]).toEqual(["length", maxTokens, false]);
    }
  });

  it("places disconnect and malformed exactly after n tokens even inside a chunk", () => {
    const p = plan("sim-ttft0-tps1000-len10-chunk4-disconnect5-malformed2");
    expect(p.chunks.map((c) => c.tokens)).toEqual([2, 3, 4, 1]);
    expect(p.malformed?.afterChunks).toBe(1);
    expect(p.disconnect?.afterChunks).toBe(2);
  });

  it("streams scripted tool calls as a header plus argument fragments", () => {
    const p = plan("sim", {
      script: {
        tool_calls: [
          { name: "a", arguments: { city: "Paris", days: 3 } },
          { name: "b", arguments: {} },
        ],
      },
    });
    expect(p.finish).toBe("tool_calls");
    expect(p.toolCalls.map((c) => c.name)).toEqual(["a", "b"]);
    const args0 = p.chunks
      .filter((c) => c.call === 0)
      .map((c) => c.text)
      .join("");
    expect(JSON.parse(args0)).toEqual({ city: "Paris", days: 3 });
    expect(p.chunks.filter((c) => c.opensCall).map((c) => c.call)).toEqual([0, 1]);
  });

  it("calls the first offered tool by default, and answers in text after a tool result", () => {
    const tools = [{ name: "lookup", schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } }];
    const call = plan("sim", { tools });
    expect(call.toolCalls).toEqual([{ id: "call_0", name: "lookup", arguments: '{"q":"example"}' }]);
    expect(plan("sim", { tools, toolChoice: { mode: "none" } }).toolCalls).toEqual([]);
    expect(plan("sim", { tools, lastMessageIsToolResult: true }).toolCalls).toEqual([]);
  });
});

describe("helpers", () => {
  it("derives placeholder arguments from required schema properties", () => {
    const schema = {
      type: "object",
      properties: {
        s: { type: "string" },
        n: { type: "number" },
        i: { type: "integer" },
        b: { type: "boolean" },
        e: { type: "string", enum: ["celsius", "fahrenheit"] },
        a: { type: "array", items: { type: "string" } },
        o: { type: "object" },
        optional: { type: "string" },
      },
      required: ["s", "n", "i", "b", "e", "a", "o"],
    };
    expect(argumentsFromSchema(schema)).toEqual({ s: "example", n: 1, i: 1, b: true, e: "celsius", a: [], o: {} });
    expect(
      defaultToolCall(
        [
          { name: "x", schema },
          { name: "y", schema: {} },
        ],
        { mode: "named", name: "y" },
      )?.name,
    ).toBe("y");
  });

  it("splits text into pieces that join back exactly", () => {
    for (const text of ["Hello world", '<tool_call>{"name":"get_weather","arguments":{"city":"Paris"}}</tool_call>', "  padded  ", "a\n\nb "]) {
      const pieces = splitIntoTokens(text);
      expect(pieces.join("")).toBe(text);
      expect(pieces.length).toBeGreaterThan(0);
    }
    expect(splitIntoTokens('<tool_call>{"name":"x"}</tool_call>').length).toBeGreaterThan(2);
  });

  it("validates script bodies", () => {
    expect(parseScriptBody({ id: "ok1", replies: [{ content: "hi" }, { tool_calls: [{ name: "f", arguments: { a: 1 } }] }] }).ok).toBe(true);
    expect(parseScriptBody({ id: "bad id", replies: [{ content: "x" }] }).ok).toBe(false);
    expect(parseScriptBody({ id: "a", replies: [] }).ok).toBe(false);
    expect(parseScriptBody({ id: "a", replies: [{}] }).ok).toBe(false);
    expect(parseScriptBody({ id: "a", replies: [{ tool_calls: [{ arguments: {} }] }] }).ok).toBe(false);
  });

  it("keeps only the newest records in the send-log ring buffer", () => {
    const log = new SendLog(3);
    for (let i = 0; i < 5; i++) log.begin({ request_id: `r${i}`, protocol: "openai", received_at: i });
    expect(log.list(10).map((r) => r.request_id)).toEqual(["r4", "r3", "r2"]);
    expect(log.get("r1")).toBeUndefined();
    expect(log.get("r3")?.request_id).toBe("r3");
    log.detach();
  });

  it("measures a record's ttft, gaps and output speed from its send times", () => {
    const log = new SendLog(1);
    const r = log.begin({ request_id: "t", protocol: "openai", received_at: 1000 });
    addChunk(r, { sent_at: 1001, target_at: 1001, tokens: 0, kind: "role" });
    addChunk(r, { sent_at: 1100, target_at: 1100, tokens: 1, kind: "text" });
    addChunk(r, { sent_at: 1120, target_at: 1120, tokens: 1, kind: "text" });
    addChunk(r, { sent_at: 1140, target_at: 1140, tokens: 1, kind: "text" });
    const t = recordTiming(r);
    expect(t.ttft_ms).toBe(100);
    expect(t.median_gap_ms).toBe(20);
    expect(t.output_tps).toBe(50);
    expect(r.output_tokens).toBe(3);
    expect(t.decode_tps).toBe(50);
    expect(t.decode_itl_ms).toBe(20);
    log.detach();
  });

  it("counts a logged stop token in the decode figures but not as streamed output", () => {
    const log = new SendLog(1);
    const r = log.begin({ request_id: "s", protocol: "openai", received_at: 1000 });
    addChunk(r, { sent_at: 1100, target_at: 1100, tokens: 1, kind: "text" });
    addChunk(r, { sent_at: 1120, target_at: 1120, tokens: 1, kind: "text" });
    addChunk(r, { sent_at: 1140, target_at: 1140, tokens: 1, kind: "stop_token" });
    const t = recordTiming(r);
    expect(r.output_tokens).toBe(2);
    expect(r.last_output_at).toBe(1120);
    expect(t.output_tps).toBe(50);
    expect(t.decode_tps).toBe(50); // 2 tokens after the first over 40 ms, the stop token's step included
    expect(t.decode_itl_ms).toBe(20);
    log.detach();
  });
});
