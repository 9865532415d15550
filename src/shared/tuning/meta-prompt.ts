/**
 * What the prompt tuner sends to its meta-model (original §10.2): a "quick" request that writes N system-prompt
 * variations of a base prompt, and an "evolution" request that mutates the survivors of the last generation.
 * The wording is ours. A few lines are machine-readable on purpose, so a reply can be checked against the request
 * and the simulator's writer model (src/simulator/writer.ts) can read it: `Write exactly N prompts.`, the base
 * prompt between `<<<BASE` / `BASE>>>` lines and each parent's full text between `<<<PARENT i` / `PARENT i>>>`.
 */

export interface ToolBrief {
  name: string;
  description: string;
  params: string[];
}

/** A test case shown to the meta-model; `expectedTool` null means the case wants no call. */
export interface Scenario {
  prompt: string;
  expectedTool: string | null;
}

/** A survivor of the previous generation: its index there, its score (0..1) and its full text. */
export interface Survivor {
  index: number;
  score: number;
  text: string;
}

export interface MetaMessages {
  system: string;
  user: string;
}

/** How much of the suite the meta-prompt shows: enough to write for the tools, short enough to stay cheap. */
export const META_LIMITS = { maxScenarios: 10, toolDescriptionChars: 100, scenarioChars: 120, survivorChars: 200 } as const;

/** Styles the quick request suggests, so the candidates differ in structure and not just in wording. */
export const SUGGESTED_STYLES = [
  "concise and direct",
  "detailed and explicit",
  "structured numbered rules",
  "conversational",
  "technical specification",
] as const;

/**
 * The answer's shape as a JSON Schema, for OpenAI's `response_format: {type: "json_schema", json_schema: {name,
 * strict: true, schema}}`. Strict mode wants every property required and no extra ones, so the optional
 * `parent_index` is nullable rather than absent; evolution answers under this schema put the mutation type in `style`.
 */
export const PROMPTS_RESPONSE_SCHEMA: Record<string, unknown> = {
  type: "object",
  properties: {
    prompts: {
      type: "array",
      items: {
        type: "object",
        properties: {
          style: { type: "string", description: "The style of this prompt, or the kind of mutation that made it" },
          prompt: { type: "string", description: "The full system prompt" },
          parent_index: { type: ["integer", "null"], description: "Index of the parent prompt this one mutates; null for a new prompt" },
        },
        required: ["style", "prompt", "parent_index"],
        additionalProperties: false,
      },
    },
  },
  required: ["prompts"],
  additionalProperties: false,
};

const SYSTEM =
  "You are an expert prompt engineer. You write system prompts for LLMs that call tools (function calling). " +
  "A good system prompt makes the model pick the right tool, fill in its parameters correctly, and not call a tool " +
  "when the request does not need one. You answer with JSON only, no commentary.";

export function quickMetaPrompt(a: { tools: ToolBrief[]; scenarios: Scenario[]; basePrompt: string; count: number }): MetaMessages {
  const user = [
    `Write ${a.count} distinct system-prompt variations for a tool-calling assistant.`,
    "",
    toolSection(a.tools),
    "",
    scenarioSection(a.scenarios),
    "",
    "The base prompt to improve on:",
    "<<<BASE",
    a.basePrompt,
    "BASE>>>",
    "",
    "Requirements:",
    `- Vary structure, tone and emphasis across the variations, e.g. ${SUGGESTED_STYLES.join("; ")}.`,
    "- Every prompt must tell the model to use the tools to carry out requests.",
    "- Keep each prompt under 500 tokens.",
    "",
    countLine(a.count),
    'Answer with JSON only, in this shape: {"prompts":[{"style":"<short style name>","prompt":"<the full system prompt>"}]}',
  ].join("\n");
  return { system: SYSTEM, user };
}

export function evolutionMetaPrompt(a: { tools: ToolBrief[]; scenarios: Scenario[]; survivors: Survivor[]; count: number }): MetaMessages {
  const previews = a.survivors.map((s) => `#${s.index} (score=${formatScore(s.score)}): "${preview(s.text)}"`);
  const parents = a.survivors.flatMap((s) => [`<<<PARENT ${s.index}`, s.text, `PARENT ${s.index}>>>`]);
  const user = [
    `Improve these system prompts for a tool-calling assistant. They scored best in the last round (score 0 to 1, higher is better):`,
    ...previews,
    "",
    "Their full texts:",
    ...parents,
    "",
    toolSection(a.tools),
    "",
    scenarioSection(a.scenarios),
    "",
    `Write ${a.count} mutations of these prompts:`,
    "- Keep what made the high scorers work; change structure, phrasing or emphasis.",
    "- Include at least one bold mutation (a substantial rewrite) and at least one conservative one (a small, targeted edit).",
    "- Every prompt must tell the model to use the tools to carry out requests.",
    "- Keep each prompt under 500 tokens.",
    "",
    countLine(a.count),
    'Answer with JSON only, in this shape: {"prompts":[{"parent_index":<index of the parent>,"mutation_type":"<bold|conservative|crossover|...>","prompt":"<the full system prompt>"}]}',
  ].join("\n");
  return { system: SYSTEM, user };
}

/** The line a reply's size is checked against (and the simulator's writer recognises a request by). */
function countLine(count: number): string {
  return `Write exactly ${count} prompts.`;
}

function toolSection(tools: ToolBrief[]): string {
  if (tools.length === 0) return "Tools available: none listed.";
  const lines = tools.map((t) => {
    const params = t.params.length > 0 ? ` (params: ${t.params.join(", ")})` : "";
    return `- ${t.name}: ${oneLine(t.description).slice(0, META_LIMITS.toolDescriptionChars)}${params}`;
  });
  return ["Tools available:", ...lines].join("\n");
}

function scenarioSection(scenarios: Scenario[]): string {
  const shown = scenarios.slice(0, META_LIMITS.maxScenarios);
  if (shown.length === 0) return "Test scenarios: none listed.";
  const lines = shown.map((s) => {
    const expects = s.expectedTool === null ? "expects no tool call" : `expects tool: ${s.expectedTool}`;
    return `- "${oneLine(s.prompt).slice(0, META_LIMITS.scenarioChars)}" -> ${expects}`;
  });
  return ["Test scenarios:", ...lines].join("\n");
}

function preview(text: string): string {
  return oneLine(text).slice(0, META_LIMITS.survivorChars);
}

/** Newlines inside a listed item would break the one-item-per-line layout. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function formatScore(score: number): string {
  return (Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0).toFixed(2);
}
