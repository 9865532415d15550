/** MCP → OpenAI tool conversion and generated test cases (spec/original-inventory.md §8.10). */
import { describe, expect, it } from "vitest";
import {
  defaultSuiteName,
  exampleParams,
  exampleValue,
  generateTestCase,
  MCP_DESCRIPTION_LIMIT,
  mcpToolsToOpenAi,
  parameterCount,
  truncateDescription,
} from "../../src/worker/tool-eval/mcp-convert.ts";

describe("MCP tool → OpenAI function tool", () => {
  it("maps name, description and inputSchema, the schema unchanged", () => {
    const inputSchema = {
      type: "object",
      properties: { q: { type: "string", format: "uri" } },
      required: ["q"],
      additionalProperties: false,
      $schema: "x",
    };
    expect(mcpToolsToOpenAi([{ name: "fetch", description: "Fetch a URL", inputSchema }])).toEqual([
      { type: "function", function: { name: "fetch", description: "Fetch a URL", parameters: inputSchema } },
    ]);
  });

  it("defaults a missing or null schema to an empty object schema and a missing description to empty", () => {
    const [a, b] = mcpToolsToOpenAi([{ name: "a" }, { name: "b", description: null, inputSchema: null }]);
    expect(a!.function).toEqual({ name: "a", description: "", parameters: { type: "object", properties: {} } });
    expect(b!.function).toEqual({ name: "b", description: "", parameters: { type: "object", properties: {} } });
  });

  it("truncates descriptions over 1,024 characters to 1,021 + ...", () => {
    expect(MCP_DESCRIPTION_LIMIT).toBe(1024);
    const exact = "x".repeat(1024);
    expect(truncateDescription(exact)).toBe(exact);
    const long = "abcdefghij".repeat(103); // 1,030
    const cut = truncateDescription(long);
    expect(cut).toHaveLength(1024);
    expect(cut).toBe(`${long.slice(0, 1021)}...`);
    expect(mcpToolsToOpenAi([{ name: "t", description: long }])[0]!.function.description).toBe(cut);
    // Counted in characters, not UTF-16 units: an emoji is never split in half.
    const emoji = "😀".repeat(1030);
    expect(Array.from(truncateDescription(emoji))).toHaveLength(1024);
  });

  it("renames repeated names with _2, _3, … and never collides with an existing name", () => {
    const names = mcpToolsToOpenAi([{ name: "s" }, { name: "s" }, { name: "t" }, { name: "s" }]).map((t) => t.function.name);
    expect(names).toEqual(["s", "s_2", "t", "s_3"]);
    const taken = mcpToolsToOpenAi([{ name: "s" }, { name: "s_2" }, { name: "s" }]).map((t) => t.function.name);
    expect(taken).toEqual(["s", "s_2", "s_3"]);
  });

  it("counts top-level parameters", () => {
    expect(parameterCount({ type: "object", properties: { a: {}, b: {} } })).toBe(2);
    expect(parameterCount({ type: "object" })).toBe(0);
    expect(parameterCount(undefined)).toBe(0);
    expect(parameterCount([1])).toBe(0);
  });
});

describe("default suite name", () => {
  it("lists the first three names, with ... only when there are more", () => {
    expect(defaultSuiteName(["a", "b", "c", "d"])).toBe("MCP: a, b, c...");
    expect(defaultSuiteName(["a", "b", "c"])).toBe("MCP: a, b, c");
    expect(defaultSuiteName(["a"])).toBe("MCP: a");
    expect(defaultSuiteName(["n".repeat(200), "m".repeat(200)])).toHaveLength(256);
  });
});

describe("example values", () => {
  it("prefers the first enum value, whatever the type", () => {
    expect(exampleValue("units", { type: "string", enum: ["celsius", "fahrenheit"] })).toBe("celsius");
    expect(exampleValue("level", { type: "integer", enum: [3, 5] })).toBe(3);
    expect(exampleValue("url", { type: "string", enum: [] })).toBe("https://example.com");
  });

  it("picks strings by parameter name, in the spec's order", () => {
    const cases: Array<[string, string]> = [
      ["url", "https://example.com"],
      ["base_URI", "https://example.com"],
      ["permalink", "https://example.com"],
      ["file_url", "https://example.com"], // url wins over file
      ["path", "/tmp/example.txt"],
      ["filename", "/tmp/example.txt"], // file wins over name
      ["email", "user@example.com"],
      ["recipient_email", "user@example.com"],
      ["name", "example"],
      ["query", "test query"],
      ["search_term", "test query"],
      ["selector", "#main-content"],
      ["css", "#main-content"],
      ["city", "San Francisco"],
      ["location", "San Francisco"],
      ["code", "console.log('hello')"],
      ["script", "console.log('hello')"],
      ["color", "example"],
    ];
    for (const [name, value] of cases) expect(exampleValue(name, { type: "string" }), name).toBe(value);
  });

  it("by type: numbers 42, booleans true, arrays [], objects {}; no type reads as a string", () => {
    expect(exampleValue("n", { type: "number" })).toBe(42);
    expect(exampleValue("n", { type: "integer" })).toBe(42);
    expect(exampleValue("flag", { type: "boolean" })).toBe(true);
    expect(exampleValue("ids", { type: "array", items: { type: "string" } })).toEqual([]);
    expect(exampleValue("opts", { type: "object" })).toEqual({});
    expect(exampleValue("query", {})).toBe("test query");
    expect(exampleValue("query", undefined)).toBe("test query");
    expect(exampleValue("n", { type: ["null", "integer"] })).toBe(42);
    expect(exampleValue("x", { type: "weird" })).toBe("example");
  });

  it("fills required parameters only", () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer" }, verbose: { type: "boolean" } },
      required: ["city", "days"],
    };
    expect(exampleParams(schema)).toEqual({ city: "San Francisco", days: 42 });
    expect(exampleParams({ type: "object", properties: { a: { type: "string" } } })).toEqual({});
    // A required name without a property schema still gets a value (string heuristics).
    expect(exampleParams({ type: "object", required: ["email"] })).toEqual({ email: "user@example.com" });
  });
});

describe("generated test cases", () => {
  const tool = (name: string, description: string, parameters: Record<string, unknown>) =>
    mcpToolsToOpenAi([{ name, description, inputSchema: parameters }])[0]!;

  it("with required parameters: names the tool, quotes strings, writes other values as JSON", () => {
    const t = tool("get_weather", "Get the weather for a city.", {
      type: "object",
      properties: {
        city: { type: "string" },
        days: { type: "integer" },
        metric: { type: "boolean" },
        tags: { type: "array" },
        note: { type: "string" },
      },
      required: ["city", "days", "metric", "tags"],
    });
    expect(generateTestCase(t)).toEqual({
      prompt: 'Use the get_weather tool: Get the weather for a city. Use these values: city="San Francisco", days=42, metric=true, tags=[]',
      expected_tool: "get_weather",
      expected_params: { city: "San Francisco", days: 42, metric: true, tags: [] },
    });
  });

  it("without required parameters: 'to' + the description lower-cased", () => {
    const t = tool("list_repos", "List GitHub Repositories you own", { type: "object", properties: { owner: { type: "string" } } });
    expect(generateTestCase(t)).toEqual({
      prompt: "Use the list_repos tool to list github repositories you own",
      expected_tool: "list_repos",
      expected_params: {},
    });
  });

  it("without a description", () => {
    expect(generateTestCase(tool("ping", "", { type: "object", properties: {} })).prompt).toBe("Use the ping tool");
    const q = tool("find", "", { type: "object", properties: { query: { type: "string" } }, required: ["query"] });
    expect(generateTestCase(q).prompt).toBe('Use the find tool. Use these values: query="test query"');
  });

  it("uses the renamed name for a repeated tool", () => {
    const [, second] = mcpToolsToOpenAi([{ name: "s" }, { name: "s", description: "Second" }]);
    expect(generateTestCase(second!)).toMatchObject({ expected_tool: "s_2", prompt: "Use the s_2 tool to second" });
  });
});
