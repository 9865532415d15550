/**
 * Default (unscripted) tool calling: pick the tool the request points at and fill its required
 * parameters with placeholder values derived from the JSON Schema.
 */

export interface ToolDef {
  name: string;
  /** What the tool is for, as offered (the realistic caller reads it; the placeholder caller does not). */
  description?: string;
  schema: unknown;
}

/** "auto" and "required" both call a tool; "named" calls that tool; "none" never calls one. */
export type ToolChoice = { mode: "auto" | "required" | "none" } | { mode: "named"; name: string };

export interface PlannedToolCall {
  id: string;
  name: string;
  /** The arguments exactly as they will be streamed (a JSON text; scripts may supply any string). */
  arguments: string;
}

/** The call made when tools are offered and no script is selected, or null for a text reply. */
export function defaultToolCall(tools: ToolDef[], choice: ToolChoice): { name: string; arguments: string } | null {
  if (tools.length === 0 || choice.mode === "none") return null;
  const tool = choice.mode === "named" ? tools.find((t) => t.name === choice.name) : tools[0];
  const name = choice.mode === "named" ? choice.name : (tool as ToolDef).name;
  return { name, arguments: JSON.stringify(argumentsFromSchema(tool?.schema)) };
}

/** An object with every required property set to a placeholder of the declared type. */
export function argumentsFromSchema(schema: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(schema)) return out;
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const key of required) {
    if (typeof key !== "string") continue;
    out[key] = placeholder(props[key]);
  }
  return out;
}

function placeholder(schema: unknown): unknown {
  if (!isObject(schema)) return "example";
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const nonNull = options.find((o) => !(isObject(o) && o.type === "null"));
      return placeholder(nonNull ?? options[0]);
    }
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== "null") ?? type[0];
  switch (type) {
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    case "null":
      return null;
    default:
      return "example";
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
