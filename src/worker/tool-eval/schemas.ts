/**
 * Tool suites and test cases at the API boundary (zod): OpenAI function tools whose `parameters` must be a
 * sound JSON Schema, and test cases in the original's field names (spec/original-inventory.md §5.7, §8.2) whose
 * regex-mode patterns must be usable as Python `re` patterns.
 */
import { z } from "@hono/zod-openapi";

const JSON_TYPES = ["object", "string", "number", "integer", "boolean", "array", "null"] as const;
const MAX_DEPTH = 12;

/** A structural JSON Schema check: known types, properties/items are schemas, required ⊆ properties. */
export function jsonSchemaProblems(schema: unknown, path = "parameters", depth = 0): string[] {
  if (depth > MAX_DEPTH) return [`${path}: nested too deeply`];
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return [`${path}: must be an object`];
  const s = schema as Record<string, unknown>;
  const problems: string[] = [];
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  for (const t of types) if (!(JSON_TYPES as readonly unknown[]).includes(t)) problems.push(`${path}.type: unknown type ${JSON.stringify(t)}`);
  if (s.properties !== undefined) {
    if (!s.properties || typeof s.properties !== "object" || Array.isArray(s.properties)) problems.push(`${path}.properties: must be an object`);
    else for (const [k, v] of Object.entries(s.properties)) problems.push(...jsonSchemaProblems(v, `${path}.properties.${k}`, depth + 1));
  }
  if (s.required !== undefined) {
    if (!Array.isArray(s.required) || s.required.some((r) => typeof r !== "string")) problems.push(`${path}.required: must be a list of names`);
    else {
      const props = s.properties && typeof s.properties === "object" ? Object.keys(s.properties) : [];
      for (const r of s.required as string[]) if (!props.includes(r)) problems.push(`${path}.required: "${r}" is not a property`);
    }
  }
  if (s.items !== undefined) problems.push(...jsonSchemaProblems(s.items, `${path}.items`, depth + 1));
  if (s.enum !== undefined && !Array.isArray(s.enum)) problems.push(`${path}.enum: must be a list`);
  return problems;
}

export const FunctionToolSchema = z
  .object({
    type: z.literal("function"),
    function: z.object({
      // Dots are allowed (BFCL names); they are mapped to "_" when sent to providers.
      name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "Tool names: letters, digits, _ . - (max 64)" }),
      description: z.string().max(8192).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .superRefine((tool, ctx) => {
    if (tool.function.parameters === undefined) return;
    for (const message of jsonSchemaProblems(tool.function.parameters)) {
      ctx.addIssue({ code: "custom", path: ["function", "parameters"], message });
    }
  })
  .openapi("FunctionTool");

export const ToolListSchema = z
  .array(FunctionToolSchema)
  .max(256)
  .superRefine((tools, ctx) => {
    const seen = new Set<string>();
    tools.forEach((t, i) => {
      if (seen.has(t.function.name))
        ctx.addIssue({ code: "custom", path: [i, "function", "name"], message: `Duplicate tool name "${t.function.name}"` });
      seen.add(t.function.name);
    });
  });

export { MATCH_MODES } from "../../shared/scoring/types.ts";

import { regexPatternProblems, regexProblemMessage } from "../../shared/scoring/classic.ts";
import { MATCH_MODES } from "../../shared/scoring/types.ts";

const Params = z.record(z.string(), z.unknown());

export const CaseFields = {
  prompt: z.string().min(1).max(50_000),
  expected_tool: z.union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(32), z.null()]).optional(),
  expected_params: z.union([Params, z.array(Params).max(32), z.null()]).optional(),
  param_scoring: z.enum(MATCH_MODES).optional(),
  scoring_config: z.record(z.string(), z.unknown()).nullable().optional(),
  should_call_tool: z.boolean().optional(),
  category: z.string().max(64).nullable().optional(),
  multi_turn: z.boolean().optional(),
  max_rounds: z.number().int().min(1).max(20).optional(),
  optimal_hops: z.number().int().min(1).max(20).optional(),
  valid_prerequisites: z.array(z.string().max(64)).max(32).optional(),
  mock_responses: z.record(z.string(), z.unknown()).optional(),
};

/** How a case is named in messages before it has an id: by its prompt. */
export function caseNameFromPrompt(prompt: unknown): string {
  if (typeof prompt !== "string") return "The case";
  return `Case ${JSON.stringify(prompt.length > 60 ? `${prompt.slice(0, 59)}…` : prompt)}`;
}

/**
 * Regex-mode patterns of a case that cannot be evaluated as Python's `re` would (Python rejects them, or they
 * have no faithful JS translation), one issue per parameter, naming the case and quoting the pattern.
 */
export function regexPatternIssues(
  caseName: string,
  mode: string | undefined,
  expectedParams: unknown,
): Array<{ path: Array<string | number>; message: string }> {
  if (mode !== "regex") return [];
  return regexPatternProblems(expectedParams).map((p) => ({
    path: ["expected_params", ...p.keys],
    message: `${caseName}: ${regexProblemMessage(p)}`,
  }));
}

export const CaseCreateSchema = z
  .object(CaseFields)
  .strict()
  .superRefine((c, ctx) => {
    for (const issue of regexPatternIssues(caseNameFromPrompt(c.prompt), c.param_scoring, c.expected_params))
      ctx.addIssue({ code: "custom", ...issue });
  })
  .openapi("TestCaseCreate");
export const CaseUpdateSchema = z.object(CaseFields).partial().strict().openapi("TestCaseUpdate");

export const CaseSchema = z
  .object({
    id: z.string(),
    suite_id: z.string(),
    prompt: z.string(),
    expected_tool: z.union([z.string(), z.array(z.string()), z.null()]),
    expected_params: z.union([Params, z.array(Params), z.null()]),
    param_scoring: z.enum(MATCH_MODES),
    scoring_config: z.record(z.string(), z.unknown()).nullable(),
    should_call_tool: z.boolean(),
    category: z.string().nullable(),
    multi_turn: z.boolean(),
    max_rounds: z.number().int(),
    optimal_hops: z.number().int(),
    valid_prerequisites: z.array(z.string()),
    mock_responses: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("TestCase");

export const SuiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    system_prompt: z.string().nullable(),
    source: z.string(),
    tool_count: z.number().int(),
    test_case_count: z.number().int(),
    no_call_case_count: z.number().int().openapi({ description: 'Cases whose right answer is no tool call (they need tool choice "auto")' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ToolSuite");

export const SuiteDetailSchema = SuiteSchema.extend({ tools: z.array(FunctionToolSchema), test_cases: z.array(CaseSchema) }).openapi(
  "ToolSuiteDetail",
);

export const SuiteCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(256),
    description: z.string().max(5000).optional(),
    tools: ToolListSchema.default([]),
    system_prompt: z.string().max(50_000).nullable().optional(),
  })
  .strict()
  .openapi("ToolSuiteCreate");

export const SuiteUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(256),
    description: z.string().max(5000),
    tools: ToolListSchema,
    system_prompt: z.string().max(50_000).nullable(),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, { error: "Nothing to update" })
  .openapi("ToolSuiteUpdate");

export type CaseCreate = z.infer<typeof CaseCreateSchema>;
export type FunctionToolInput = z.infer<typeof FunctionToolSchema>;
