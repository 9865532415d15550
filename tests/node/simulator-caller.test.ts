// The simulator's realistic tool-callers against their documented profiles (src/simulator/README.md):
// what they read from a request, that their mistakes are deterministic and come at the documented rates,
// the scores each profile gets on the example suites with the app's own scorers, and the tunable model's
// known optimum.

import { describe, expect, it } from "vitest";
import { summarize } from "../../src/shared/scoring/index.ts";
import { parseAnthropicRequest } from "../../src/simulator/anthropic.ts";
import { type CallerDecision, decideCalls, draw, MAX_READ_CHARS, withoutOptional, withWrongEnum } from "../../src/simulator/caller/caller.ts";
import { anthropicConversation, type Conversation, openAiConversation } from "../../src/simulator/caller/conversation.ts";
import { type CallerName, callerProfile, tunableErrorRate } from "../../src/simulator/caller/profiles.ts";
import { parseOpenAiRequest } from "../../src/simulator/openai.ts";
import { buildPlan } from "../../src/simulator/plan.ts";
import { callerSeed, parseModelId } from "../../src/simulator/profile.ts";
import type { ToolChoice, ToolDef } from "../../src/simulator/tools.ts";
import {
  bfclSuites,
  type CaseRun,
  loadSuite,
  passRate,
  type RunOptions,
  runSuite,
  WEATHER_EXAMPLE,
  weatherSuite,
} from "../fixtures/caller-suites.ts";

const smart = loadSuite("smart_home_suite.json");
const SMART_TOOLS: ToolDef[] = smart.tools.map((t) => ({
  name: t.function.name,
  description: t.function.description ?? "",
  schema: t.function.parameters,
}));

function decide(
  user: string,
  opts: { caller?: CallerName; seed?: string; choice?: ToolChoice; tools?: ToolDef[]; conversation?: Partial<Conversation> } = {},
) {
  const caller = opts.caller ?? "careful";
  return decideCalls(
    {
      tools: opts.tools ?? SMART_TOOLS,
      choice: opts.choice ?? { mode: "auto" },
      conversation: { system: "", user, calls: [], ...opts.conversation },
      sampling: { temperature: undefined, topP: undefined },
    },
    caller,
    opts.seed ?? caller,
  );
}

const intended = (d: CallerDecision) => d.intended;
const irrelevance = (runs: CaseRun[]) => summarize(runs.map((r) => r.score)).irrelevance_pct;

describe("reading a request", () => {
  it("picks the tool the user message asks for and reads its arguments from the text", () => {
    expect(intended(decide("Turn off the lights in the garage"))).toEqual({ name: "control_lights", arguments: { room: "garage", action: "off" } });
    expect(intended(decide("Set a 45 minute timer for the bread"))).toEqual({ name: "set_timer", arguments: { minutes: 45, label: "bread" } });
    expect(intended(decide("I need a one and a half hour timer"))).toEqual({ name: "set_timer", arguments: { minutes: 90 } });
    expect(intended(decide("What's the weather like in New York?"))).toEqual({ name: "get_weather", arguments: { city: "New York" } });
    expect(intended(decide("Send an email to Priya saying the meeting moved"))).toEqual({
      name: "send_notification",
      arguments: { recipient: "Priya", message: "the meeting moved", delivery: { method: "email" } },
    });
    expect(intended(decide("Heat the kitchen to 21 degrees"))).toEqual({
      name: "set_thermostat",
      arguments: { room: "kitchen", temperature: 21, mode: "heat" },
    });
    expect(intended(decide("Add 6 eggs and 2 milk to a shopping list"))?.arguments).toMatchObject({
      items: [
        { name: "eggs", quantity: 6 },
        { name: "milk", quantity: 2 },
      ],
    });
    expect(intended(decide("Schedule a dentist appointment for March 1st at 9 AM, 60 minutes"))).toEqual({
      name: "schedule_event",
      arguments: { title: "dentist appointment", start_time: "2026-03-01T09:00:00", duration_minutes: 60 },
    });
  });

  it("leaves out optional parameters the text says nothing about", () => {
    const call = intended(decide("Set the bedroom to 22 degrees"));
    expect(call).toEqual({ name: "set_thermostat", arguments: { room: "bedroom", temperature: 22 } });
  });

  it("decides not to call when no tool fits", () => {
    for (const text of ["Tell me a joke about clouds.", "Tell me a joke about the weather", "Write a poem about autumn"]) {
      const d = decide(text);
      expect({ text, calls: d.calls, intended: d.intended }).toEqual({ text, calls: [], intended: null });
    }
  });

  it("gets information first when the request asks for it before an action, and answers in text when done", () => {
    const text = "What time is it? If it's evening, turn off the office lights";
    const first = decide(text);
    expect(first.calls.map((c) => c.name)).toEqual(["get_time"]);
    const time = { name: "get_time", arguments: {}, result: '{"date":"2026-02-15","time":"19:45:00"}' };
    const second = decide(text, { conversation: { calls: [time] } });
    expect(second.intended).toEqual({ name: "control_lights", arguments: { room: "office", action: "off" } });
    const third = decide(text, { conversation: { calls: [time, { name: "control_lights", arguments: {}, result: '{"status":"ok"}' }] } });
    expect(third.calls).toEqual([]);
  });

  it(`reads only the first ${MAX_READ_CHARS} characters of a long task`, () => {
    const filler = "Some background that asks for nothing. ".repeat(Math.ceil(MAX_READ_CHARS / 39));
    expect(decide(`Turn off the lights in the garage. ${filler}`).intended?.name).toBe("control_lights");
    expect(decide(`${filler} Turn off the lights in the garage.`).calls).toEqual([]);
  });

  it("takes today's date from a tool result", () => {
    const text = "Schedule a team lunch for today at noon, 60 minutes long";
    expect(decide(text).calls.map((c) => c.name)).toEqual(["get_time"]); // it does not know today's date yet
    const d = decide(text, { conversation: { calls: [{ name: "get_time", arguments: {}, result: '{"date":"2025-07-04","time":"09:30:00"}' }] } });
    expect(d.intended?.arguments).toEqual({ title: "team lunch", start_time: "2025-07-04T12:00:00", duration_minutes: 60 });
  });

  it("reads the same conversation from OpenAI and Anthropic requests", () => {
    const tool = SMART_TOOLS.find((t) => t.name === "get_weather") as ToolDef;
    const openai = parseOpenAiRequest({
      model: "sim-careful",
      temperature: 0.3,
      top_p: 0.8,
      messages: [
        { role: "system", content: "Be precise." },
        { role: "user", content: "Check the weather in Denver, then text Mom" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Denver"}' } }],
        },
        { role: "tool", tool_call_id: "c1", content: '{"temperature_celsius":2}' },
      ],
      tools: [{ type: "function", function: { name: tool.name, description: tool.description, parameters: tool.schema } }],
    });
    const anthropic = parseAnthropicRequest({
      model: "sim-careful",
      max_tokens: 100,
      temperature: 0.3,
      top_p: 0.8,
      system: [{ type: "text", text: "Be precise." }],
      messages: [
        { role: "user", content: [{ type: "text", text: "Check the weather in Denver, then text Mom" }] },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "get_weather", input: { city: "Denver" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: '{"temperature_celsius":2}' }] }] },
      ],
      tools: [{ name: tool.name, description: tool.description, input_schema: tool.schema }],
    });
    if (!openai.ok || !anthropic.ok) throw new Error("both requests are valid");
    const expected: Conversation = {
      system: "Be precise.",
      user: "Check the weather in Denver, then text Mom",
      calls: [{ name: "get_weather", arguments: { city: "Denver" }, result: '{"temperature_celsius":2}' }],
    };
    expect(openai.request.conversation).toEqual(expected);
    expect(anthropic.request.conversation).toEqual(expected);
    expect(openai.request.sampling).toEqual({ temperature: 0.3, topP: 0.8 });
    expect(anthropic.request.sampling).toEqual({ temperature: 0.3, topP: 0.8 });
    expect(openai.request.tools[0]?.description).toBe(tool.description);
    expect(anthropic.request.tools[0]?.description).toBe(tool.description);
  });

  it("rejects sampling parameters a provider would reject", () => {
    const base = { model: "sim-careful", messages: [{ role: "user", content: "hi" }] };
    expect(parseOpenAiRequest({ ...base, temperature: 2.5 })).toEqual({ ok: false, message: "temperature must be between 0 and 2" });
    expect(parseOpenAiRequest({ ...base, top_p: "high" })).toEqual({ ok: false, message: "top_p must be a number" });
    expect(parseAnthropicRequest({ ...base, max_tokens: 10, temperature: 1.5 })).toEqual({
      ok: false,
      message: "temperature must be between 0 and 1",
    });
    expect(parseOpenAiRequest({ ...base, temperature: 2 }).ok).toBe(true);
  });

  it("leaves an unparseable earlier call's arguments as {} rather than failing", () => {
    const c = openAiConversation([
      { role: "user", content: "x" },
      { role: "assistant", tool_calls: [{ id: "a", function: { name: "f", arguments: "{not json" } }] },
    ]);
    expect(c.calls).toEqual([{ name: "f", arguments: {}, result: null }]);
    expect(anthropicConversation("sys", [{ role: "user", content: "hello" }])).toEqual({ system: "sys", user: "hello", calls: [] });
  });
});

describe("tool_choice, as providers honour it", () => {
  it("none never calls; a named tool is always called; required forces a call when none fits; auto does not", () => {
    expect(decide("Turn on the kitchen lights", { choice: { mode: "none" } }).calls).toEqual([]);
    const named = decide("Turn on the kitchen lights", { choice: { mode: "named", name: "set_timer" } });
    expect(named.calls.map((c) => c.name)).toEqual(["set_timer"]);
    const forced = decide("Tell me a joke about clouds.", { choice: { mode: "required" } });
    expect(forced.outcome).toBe("forced_call");
    expect(forced.calls).toHaveLength(1);
    expect(decide("Tell me a joke about clouds.", { choice: { mode: "auto" } }).calls).toEqual([]);
  });
});

describe("deterministic mistakes", () => {
  it("answers the same request the same way every time, whatever the timing options", () => {
    const a = parseModelId("sim-sloppy-ttft300-tps60");
    const b = parseModelId("sim-tps900-sloppy-len5");
    if (!a.ok || !b.ok) throw new Error("valid ids");
    expect(callerSeed(a.profile)).toBe(callerSeed(b.profile));
    for (const c of smart.test_cases) {
      const first = decide(c.prompt, { caller: "sloppy", seed: callerSeed(a.profile) });
      const again = decide(c.prompt, { caller: "sloppy", seed: callerSeed(b.profile) });
      expect(again).toEqual(first);
    }
  });

  it("a tag makes other mistakes at the same rates", () => {
    const plain = runSuite(smart, "sloppy", { toolChoice: "auto" });
    const tagged = runSuite(smart, "sloppy", { toolChoice: "auto", tag: "B" });
    const outcomes = (runs: CaseRun[]) => runs.map((r) => r.decisions.map((d) => d.outcome).join(","));
    expect(outcomes(tagged)).not.toEqual(outcomes(plain));
    expect(Math.abs(passRate(tagged) - passRate(plain))).toBeLessThan(0.25);
  });

  it("draws are uniform enough in [0, 1)", () => {
    const xs = Array.from({ length: 4000 }, (_, i) => draw(`k${i}`));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });

  // A tool whose every request can get every kind of mistake: an enum, an optional value, a second tool.
  const TRIP: ToolDef[] = [
    {
      name: "get_weather",
      description: "Get the current weather for a city",
      schema: {
        type: "object",
        properties: { city: { type: "string" }, units: { type: "string", enum: ["celsius", "fahrenheit"] } },
        required: ["city"],
      },
    },
    { name: "get_time", description: "Returns the current time", schema: { type: "object", properties: {} } },
  ];
  const CITIES = ["Paris", "Lyon", "Oslo", "Lima", "Quito", "Cairo", "Delhi", "Perth", "Tunis", "Porto"];
  const requests = Array.from({ length: 2000 }, (_, i) => `How warm is it in ${CITIES[i % 10]} in fahrenheit? (trip ${i})`);

  for (const caller of ["careful", "sloppy", "tunable"] as const) {
    it(`${caller}: each kind of mistake comes at its documented rate (2000 requests, within 4 sigma)`, () => {
      const profile = callerProfile(caller, { sampling: { temperature: undefined, topP: undefined }, choice: { mode: "auto" }, system: "" });
      const counts: Record<string, number> = {};
      for (const r of requests) {
        const d = decide(r, { caller, tools: TRIP });
        expect(d.intended).toEqual({ name: "get_weather", arguments: { city: expect.any(String), units: "fahrenheit" } });
        counts[d.outcome] = (counts[d.outcome] ?? 0) + 1;
      }
      for (const kind of ["wrong_enum", "missing_optional", "wrong_tool", "missing_call"] as const) {
        const p = profile.errorRate * profile.mix[kind];
        const expected = p * requests.length;
        const sigma = Math.sqrt(requests.length * p * (1 - p));
        expect({ kind, count: counts[kind] ?? 0, near: Math.abs((counts[kind] ?? 0) - expected) <= 4 * sigma }).toMatchObject({ kind, near: true });
      }
    });
  }

  it("each mistake does what it says", () => {
    const tool = TRIP[0] as ToolDef;
    const args = { city: "Paris", units: "fahrenheit" };
    expect(withWrongEnum(tool.schema, args, 0.3)).toEqual({ city: "Paris", units: "celsius" });
    expect(withoutOptional(tool.schema, args, 0.3)).toEqual({ city: "Paris" });
    expect(withWrongEnum(tool.schema, { city: "Paris" }, 0.3)).toBeNull();
    expect(withoutOptional(tool.schema, { city: "Paris" }, 0.3)).toBeNull();
    // Nested values too: the delivery method of a notification.
    const notify = SMART_TOOLS.find((t) => t.name === "send_notification") as ToolDef;
    const wrong = withWrongEnum(notify.schema, { recipient: "Jo", message: "hi", delivery: { method: "sms" } }, 0.5);
    expect(wrong?.delivery).toEqual({ method: expect.not.stringMatching(/^sms$/) });
  });

  it("eager calls whenever a tool is offered and none fits (tool_choice auto)", () => {
    for (const text of ["Tell me a joke about clouds.", "What is the capital of France?", "Write a poem about autumn"]) {
      const d = decide(text, { caller: "eager" });
      expect({ text, outcome: d.outcome, calls: d.calls.length }).toEqual({ text, outcome: "spurious_call", calls: 1 });
    }
  });
});

describe("documented scores on the example suites (classic scorer unless named)", () => {
  const run = (caller: CallerName, opts: RunOptions = {}) => runSuite(smart, caller, { toolChoice: "auto", ...opts });

  it("smart home suite: careful ≥ 85 %, sloppy 50–72 %, eager ≥ 85 %, careful at least 15 points above sloppy", () => {
    const careful = passRate(run("careful"));
    const sloppy = passRate(run("sloppy"));
    const eager = passRate(run("eager"));
    expect(careful).toBeGreaterThanOrEqual(0.85);
    expect(sloppy).toBeGreaterThanOrEqual(0.5);
    expect(sloppy).toBeLessThanOrEqual(0.72);
    expect(eager).toBeGreaterThanOrEqual(0.85);
    expect(careful - sloppy).toBeGreaterThanOrEqual(0.15);
    // With the app's default tool_choice (required) the suite (no no-call cases) scores the same or close.
    expect(passRate(run("careful", { toolChoice: "required" }))).toBeGreaterThanOrEqual(0.85);
  });

  it("sloppy's failures are the documented kinds: wrong enums, missing optional values, the odd wrong tool", () => {
    const outcomes = run("sloppy")
      .filter((r) => !r.score.passed)
      .flatMap((r) => r.decisions.map((d) => d.outcome))
      .filter((o) => o !== "right");
    expect(new Set(outcomes)).toEqual(new Set(["wrong_enum", "missing_optional", "wrong_tool", "missing_call"]));
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    expect(count("wrong_enum") + count("missing_optional")).toBeGreaterThan(count("wrong_tool"));
  });

  it("the app's example suite: careful gets all three; eager calls on the joke; with tool_choice required everyone does", () => {
    expect(WEATHER_EXAMPLE.test_cases).toHaveLength(3);
    const weather = weatherSuite();
    expect(runSuite(weather, "careful", { toolChoice: "auto" }).map((r) => r.score.passed)).toEqual([true, true, true]);
    expect(runSuite(weather, "eager", { toolChoice: "auto" }).map((r) => r.score.passed)).toEqual([true, true, false]);
    for (const caller of ["careful", "eager"] as const) expect(runSuite(weather, caller, { toolChoice: "required" })[2]?.score.passed).toBe(false);
  });

  it("BFCL sample (bfcl scorer): careful above sloppy overall; careful abstains on most irrelevance entries, eager on none", () => {
    const byCaller = (caller: CallerName) => {
      const runs = bfclSuites().flatMap(({ suite }) => runSuite(suite, caller, { toolChoice: "auto", scorer: "bfcl" }));
      return { pass: passRate(runs), irrelevance: irrelevance(runs) as number };
    };
    const careful = byCaller("careful");
    const sloppy = byCaller("sloppy");
    const eager = byCaller("eager");
    expect(careful.pass).toBeGreaterThan(sloppy.pass);
    expect(careful.pass).toBeGreaterThanOrEqual(0.25);
    expect(careful.irrelevance).toBeGreaterThanOrEqual(75);
    expect(eager.irrelevance).toBe(0);
  });
});

// CPU-bound sweeps over the example suite: generous on a loaded machine (they check outcomes, not speed).
describe("tunable: accuracy as a documented function of the request", { timeout: 60_000 }, () => {
  const traits = (temperature?: number, topP?: number, choice: ToolChoice["mode"] = "auto", system = "") => ({
    sampling: { temperature, topP },
    choice: choice === "named" ? ({ mode: "named", name: "x" } as ToolChoice) : ({ mode: choice } as ToolChoice),
    system,
  });

  it("follows the formula in the README", () => {
    expect(tunableErrorRate(traits(0.2, 0.9))).toBeCloseTo(0.1, 9);
    expect(tunableErrorRate(traits(0, 0.9))).toBeCloseTo(0.18, 9);
    expect(tunableErrorRate(traits(1, 0.9))).toBeCloseTo(0.42, 9);
    expect(tunableErrorRate(traits(0.2, 0.5))).toBeCloseTo(0.22, 9);
    expect(tunableErrorRate(traits(0.2, 0.9, "required"))).toBeCloseTo(0.18, 9);
    expect(tunableErrorRate(traits())).toBeCloseTo(0.1 + 0.32 + 0.03, 9); // provider defaults: temperature 1, top_p 1
    expect(tunableErrorRate(traits(0.2, 0.9, "auto", "Be precise. Only call a tool when the user asks for an action."))).toBeCloseTo(0.02, 9);
    expect(tunableErrorRate(traits(0.2, 0.9, "auto", "Be CREATIVE"))).toBeCloseTo(0.2, 9);
    expect(tunableErrorRate(traits(2, 0, "required", "be creative"))).toBe(0.95);
  });

  it("the documented optimum is the best setting over a tuner's grid, and moving away never helps a case", () => {
    const grid = [0, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.5, 2];
    const runs = grid.map((t) => runSuite(smart, "tunable", { toolChoice: "auto", temperature: t, topP: 0.9 }));
    const rates = runs.map(passRate);
    const best = Math.max(...rates);
    expect(rates[grid.indexOf(0.2)]).toBe(best);
    expect(rates[grid.indexOf(2)]).toBeLessThan(best - 0.3);
    // Nested: every case that passes at a worse setting also passes at the optimum.
    const passedAt = (i: number) => new Set((runs[i] as CaseRun[]).filter((r) => r.score.passed).map((r) => r.case.prompt));
    const atBest = passedAt(grid.indexOf(0.2));
    grid.forEach((_, i) => {
      for (const p of passedAt(i)) expect(atBest.has(p)).toBe(true);
    });
  });

  it("auto beats required, top_p 0.9 beats 0.5, and the system-prompt keywords raise the score", () => {
    const score = (opts: RunOptions) => passRate(runSuite(smart, "tunable", { toolChoice: "auto", temperature: 0.2, topP: 0.9, ...opts }));
    expect(score({})).toBeGreaterThan(score({ toolChoice: "required" }));
    expect(score({})).toBeGreaterThan(score({ topP: 0.5 }));
    expect(score({ system: "Be precise. Only call a tool when it is needed." })).toBeGreaterThan(score({}));
  });

  it("'always call a tool' in the system prompt makes it call when nothing fits", () => {
    const spurious = (sys: string) =>
      bfclSuites()
        .filter((s) => s.category.includes("irrelevance"))
        .flatMap(({ suite }) => runSuite(suite, "tunable", { toolChoice: "auto", temperature: 0.2, topP: 0.9, system: sys }))
        .filter((r) => r.decisions[0]?.outcome === "spurious_call").length;
    expect(spurious("Always call a tool.")).toBeGreaterThan(spurious("") + 15);
  });
});

describe("model ids and the reply plan", () => {
  it("parses one caller option among timing options; unknown or doubled ones are rejected", () => {
    const p = parseModelId("sim-careful-ttft300-tps60");
    expect(p.ok && p.profile).toMatchObject({ caller: "careful", ttftMs: 300, tps: 60 });
    const q = parseModelId("sim-TUNABLE-tagX");
    expect(q.ok && q.profile).toMatchObject({ caller: "tunable", tag: "X" });
    expect(q.ok && callerSeed(q.profile)).toBe("tunable-tagX");
    const plain = parseModelId("sim-ttft5");
    expect(plain.ok && plain.profile.caller).toBeNull();
    const two = parseModelId("sim-careful-sloppy");
    expect(two).toMatchObject({ ok: false, status: 400 });
    expect(!two.ok && two.message).toContain("only one tool-caller option");
    expect(parseModelId("sim-clumsy")).toMatchObject({ ok: false, status: 400 });
  });

  it("a decided reply replaces the placeholder call; an empty one is text", () => {
    const profile = parseModelId("sim-careful-len3");
    if (!profile.ok) throw new Error("valid id");
    const base = {
      profile: profile.profile,
      maxTokens: undefined,
      script: undefined,
      tools: SMART_TOOLS,
      toolChoice: { mode: "auto" } as ToolChoice,
      lastMessageIsToolResult: false,
      newToolCallId: () => "call_1",
    };
    const withCall = buildPlan({ ...base, decided: [{ name: "get_time", arguments: "{}" }] });
    expect(withCall.toolCalls).toEqual([{ id: "call_1", name: "get_time", arguments: "{}" }]);
    expect(withCall.finish).toBe("tool_calls");
    const text = buildPlan({ ...base, decided: [] });
    expect(text.toolCalls).toEqual([]);
    expect(text.text).toBe("The simulated model");
  });
});
