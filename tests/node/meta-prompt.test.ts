import { describe, expect, it } from "vitest";
import {
  evolutionMetaPrompt,
  META_LIMITS,
  PROMPTS_RESPONSE_SCHEMA,
  quickMetaPrompt,
  type Scenario,
  type ToolBrief,
} from "../../src/shared/tuning/meta-prompt.ts";

const tools: ToolBrief[] = [
  { name: "get_weather", description: "Get the current weather for a city", params: ["city", "units"] },
  { name: "list_rooms", description: "List the rooms of the house", params: [] },
];
const scenarios: Scenario[] = [
  { prompt: "What's the weather in Paris?", expectedTool: "get_weather" },
  { prompt: "Tell me a joke", expectedTool: null },
];
const lines = (text: string) => text.split("\n");

describe("quickMetaPrompt", () => {
  const base = "You are a helpful assistant.\nAlways call a tool.";
  const m = quickMetaPrompt({ tools, scenarios, basePrompt: base, count: 7 });

  it("says how many prompts, once, on its own line", () => {
    expect(lines(m.user).filter((l) => /^Write exactly \d+ prompts\.$/.test(l))).toEqual(["Write exactly 7 prompts."]);
  });

  it("puts the whole base prompt between <<<BASE and BASE>>> lines", () => {
    const l = lines(m.user);
    const start = l.indexOf("<<<BASE");
    const end = l.indexOf("BASE>>>");
    expect(start).toBeGreaterThan(-1);
    expect(l.slice(start + 1, end).join("\n")).toBe(base);
  });

  it("lists tools with params and scenarios with the expected tool or none", () => {
    expect(m.user).toContain("- get_weather: Get the current weather for a city (params: city, units)");
    expect(m.user).toContain("- list_rooms: List the rooms of the house\n");
    expect(m.user).toContain('- "What\'s the weather in Paris?" -> expects tool: get_weather');
    expect(m.user).toContain('- "Tell me a joke" -> expects no tool call');
  });

  it("asks for JSON only in the quick shape, tool use in every prompt, and a length bound", () => {
    expect(m.system).toMatch(/JSON only/);
    expect(m.user).toContain('{"prompts":[{"style":"<short style name>","prompt":"<the full system prompt>"}]}');
    expect(m.user).toMatch(/must tell the model to use the tools/);
    expect(m.user).toContain("under 500 tokens");
    expect(m.user).not.toContain("parent_index");
  });

  it("cuts descriptions, scenario prompts and the scenario list to the limits, on one line each", () => {
    const longTools: ToolBrief[] = [{ name: "t", description: `${"d".repeat(150)}\nsecond line`, params: ["a"] }];
    const many: Scenario[] = Array.from({ length: 15 }, (_, i) => ({ prompt: `case ${i} ${"p".repeat(200)}`, expectedTool: "t" }));
    const u = quickMetaPrompt({ tools: longTools, scenarios: many, basePrompt: "b", count: 3 }).user;
    expect(u).toContain(`- t: ${"d".repeat(META_LIMITS.toolDescriptionChars)} (params: a)`);
    expect(u).not.toContain("d".repeat(META_LIMITS.toolDescriptionChars + 1));
    const scenarioLines = lines(u).filter((l) => l.startsWith('- "case '));
    expect(scenarioLines).toHaveLength(META_LIMITS.maxScenarios);
    const shown = /^- "(.*)" -> /.exec(scenarioLines[0] as string)?.[1];
    expect(shown).toHaveLength(META_LIMITS.scenarioChars);
    expect(u).not.toContain("case 10 ");
  });
});

describe("evolutionMetaPrompt", () => {
  const long = `Rule one.\n${"Use tools well. ".repeat(30)}\nLast line.`;
  const survivors = [
    { index: 3, score: 0.8765, text: long },
    { index: 0, score: 0.5, text: "Short parent." },
  ];
  const m = evolutionMetaPrompt({ tools, scenarios, survivors, count: 4 });

  it("says how many prompts", () => {
    expect(lines(m.user).filter((l) => l.startsWith("Write exactly"))).toEqual(["Write exactly 4 prompts."]);
  });

  it("lists each survivor with its score and first 200 characters on one line", () => {
    const preview = long.replace(/\s+/g, " ").slice(0, META_LIMITS.survivorChars);
    expect(lines(m.user)).toContain(`#3 (score=0.88): "${preview}"`);
    expect(lines(m.user)).toContain(`#0 (score=0.50): "Short parent."`);
  });

  it("gives each parent's full text between <<<PARENT i and PARENT i>>> lines", () => {
    const l = lines(m.user);
    const block = (i: number) => l.slice(l.indexOf(`<<<PARENT ${i}`) + 1, l.indexOf(`PARENT ${i}>>>`)).join("\n");
    expect(block(3)).toBe(long);
    expect(block(0)).toBe("Short parent.");
  });

  it("asks for bold and conservative mutations in the evolution JSON shape", () => {
    expect(m.user).toMatch(/at least one bold/);
    expect(m.user).toMatch(/at least one conservative/);
    expect(m.user).toContain('"parent_index"');
    expect(m.user).toContain('"mutation_type"');
    expect(m.user).toMatch(/must tell the model to use the tools/);
    expect(m.user).not.toContain("<<<BASE");
  });
});

describe("PROMPTS_RESPONSE_SCHEMA", () => {
  it("is a strict-compatible object schema of prompts [{style, prompt, parent_index}]", () => {
    const s = PROMPTS_RESPONSE_SCHEMA as any;
    expect(s).toMatchObject({ type: "object", required: ["prompts"], additionalProperties: false });
    const item = s.properties.prompts.items;
    expect(s.properties.prompts.type).toBe("array");
    expect(item.type).toBe("object");
    expect(item.additionalProperties).toBe(false);
    // Strict mode: every property is required; the optional one is nullable instead.
    expect([...item.required].sort()).toEqual(Object.keys(item.properties).sort());
    expect(Object.keys(item.properties).sort()).toEqual(["parent_index", "prompt", "style"]);
    expect(item.properties.prompt.type).toBe("string");
    expect(item.properties.style.type).toBe("string");
    expect(item.properties.parent_index.type).toEqual(["integer", "null"]);
  });
});
