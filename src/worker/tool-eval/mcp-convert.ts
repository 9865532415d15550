/**
 * MCP tools → OpenAI function tools and auto-generated test cases (spec/original-inventory.md §8.10).
 * Pure functions with no runtime imports, so the Worker and the Node tests share them.
 */
import type { JsonSchema, Tool } from "../../shared/scoring/types.ts";

/** A tool as an MCP server lists it (`tools/list`), or as a client sends it back for import. */
export interface McpTool {
  name: string;
  description?: string | null;
  inputSchema?: unknown;
}

/** A generated case, in the API's test-case field names. */
export interface GeneratedCase {
  prompt: string;
  expected_tool: string;
  expected_params: Record<string, unknown>;
}

export const MCP_DESCRIPTION_LIMIT = 1024;
const ELLIPSIS = "...";

/** Cut to 1,024 characters (1,021 + "..."); counted in code points, as the original did. */
export function truncateDescription(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MCP_DESCRIPTION_LIMIT ? text : chars.slice(0, MCP_DESCRIPTION_LIMIT - ELLIPSIS.length).join("") + ELLIPSIS;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The number of top-level parameters an input schema declares. */
export function parameterCount(inputSchema: unknown): number {
  return isObject(inputSchema) && isObject(inputSchema.properties) ? Object.keys(inputSchema.properties).length : 0;
}

/**
 * MCP tools → OpenAI function tools. The input schema passes through unchanged (a missing one becomes an empty
 * object schema); a repeated name gets `_2`, `_3`, … (skipping names that are already taken).
 */
export function mcpToolsToOpenAi(tools: readonly McpTool[]): Tool[] {
  const taken = new Set(tools.map((t) => t.name));
  const seen = new Map<string, number>();
  return tools.map((t) => {
    let name = t.name;
    const n = seen.get(t.name) ?? 0;
    if (n > 0) {
      let k = n + 1;
      while (taken.has(`${t.name}_${k}`)) k += 1;
      name = `${t.name}_${k}`;
      seen.set(t.name, k);
      taken.add(name);
    } else seen.set(t.name, 1);
    const parameters = (t.inputSchema ?? { type: "object", properties: {} }) as JsonSchema;
    return { type: "function", function: { name, description: truncateDescription(t.description ?? ""), parameters } };
  });
}

/** `MCP: a, b, c...`: the first three tool names, with "..." when there are more. */
export function defaultSuiteName(toolNames: readonly string[]): string {
  const head = toolNames.slice(0, 3).join(", ");
  return `MCP: ${head}${toolNames.length > 3 ? "..." : ""}`.slice(0, 256);
}

// Checked in this order against the lower-cased parameter name (so "file_url" is a URL, "filename" a path).
const STRING_EXAMPLES: ReadonlyArray<[RegExp, string]> = [
  [/url|uri|link/, "https://example.com"],
  [/path|file/, "/tmp/example.txt"],
  [/email/, "user@example.com"],
  [/name/, "example"],
  [/query|search/, "test query"],
  [/selector|css/, "#main-content"],
  [/city|location/, "San Francisco"],
  [/code|script/, "console.log('hello')"],
];

/** The first JSON type a schema names, ignoring "null"; a schema without a type is treated as a string. */
function primaryType(schema: Record<string, unknown>): string {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const first = types.find((t) => typeof t === "string" && t !== "null");
  return typeof first === "string" ? first : "string";
}

/** An example value for one parameter: its first enum value, else by type (and, for strings, by name). */
export function exampleValue(paramName: string, schema: unknown): unknown {
  const s = isObject(schema) ? schema : {};
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  switch (primaryType(s)) {
    case "string": {
      const lower = paramName.toLowerCase();
      return STRING_EXAMPLES.find(([re]) => re.test(lower))?.[1] ?? "example";
    }
    case "number":
    case "integer":
      return 42;
    case "boolean":
      return true;
    case "array":
      return [];
    // Not in the original's list (it gave "example"): an object parameter gets an object, so the case is satisfiable.
    case "object":
      return {};
    default:
      return "example";
  }
}

/** Example values for the required parameters only. */
export function exampleParams(parameters: unknown): Record<string, unknown> {
  if (!isObject(parameters)) return {};
  const props = isObject(parameters.properties) ? parameters.properties : {};
  const required = Array.isArray(parameters.required) ? parameters.required.filter((r): r is string => typeof r === "string") : [];
  return Object.fromEntries(required.map((name) => [name, exampleValue(name, props[name])]));
}

/**
 * One case per tool: expect that tool with example values for its required parameters.
 * Prompt: `Use the <name> tool: <description>. Use these values: k="v", n=42`, or
 * `Use the <name> tool to <description lower-cased>` when nothing is required.
 */
export function generateTestCase(tool: Tool): GeneratedCase {
  const { name, description = "", parameters } = tool.function;
  const params = exampleParams(parameters);
  const entries = Object.entries(params);
  let prompt: string;
  if (entries.length > 0) {
    const values = entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
    // The description's own final period would double the one the template adds.
    const what = description.trim().replace(/\.+$/, "");
    prompt = `Use the ${name} tool${what ? `: ${what}` : ""}. Use these values: ${values}`;
  } else {
    const what = description.trim().toLowerCase();
    prompt = what ? `Use the ${name} tool to ${what}` : `Use the ${name} tool`;
  }
  return { prompt, expected_tool: name, expected_params: params };
}
