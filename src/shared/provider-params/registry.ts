/**
 * The provider parameter registry (original-inventory §12.2): per provider, the tier-1 and tier-2 parameter
 * specs (ranges, defaults, support flags), tier-3 passthrough examples for the UI, the declared conflict rules
 * and notes. Pure data; the validation logic lives in `../provider-params.ts`.
 */

/** `true` supported, `false` not supported, `"partial"` limited support, `"unknown"` not known (fallback). */
export type SupportFlag = true | false | "partial" | "unknown";

export interface ParamSpec {
  supported: SupportFlag;
  min?: number;
  max?: number;
  step?: number;
  default?: number | string | null;
  type: "float" | "int" | "enum" | "string_array" | "bool";
  values?: string[];
  note?: string;
  required?: boolean;
  deprecated?: boolean;
  maxItems?: number;
}

export interface Tier3Example {
  name: string;
  type: string;
  note?: string;
  min?: number;
  max?: number;
  values?: string[];
}

export interface ProviderSpec {
  key: string;
  display_name: string;
  tier1: Record<string, ParamSpec>;
  tier2: Record<string, ParamSpec>;
  tier3_examples: Tier3Example[];
  /** The declared conflict rules, as shown to the user. */
  conflicts: string[];
  notes: string[];
}

/** Tier 1: universal (`stop` is only declared for OpenAI, but every OpenAI-compatible wire accepts it). */
export const TIER1_PARAMS: readonly string[] = ["temperature", "max_tokens", "stop"];

/** Tier 2: common parameters with per-provider support flags. */
export const TIER2_PARAMS: readonly string[] = ["top_p", "top_k", "frequency_penalty", "presence_penalty", "seed", "reasoning_effort"];

/** Thinking budget (tokens) the caller sends to Anthropic for each `reasoning_effort`. */
export const ANTHROPIC_THINKING_BUDGET = { low: 2000, medium: 5000, high: 10000 } as const;

// --- small builders, so each provider below reads like its row of the registry table ---

const temperature = (max: number, def: number): ParamSpec => ({
  supported: true,
  type: "float",
  min: 0,
  max,
  default: def,
  step: 0.1,
});

const maxTokens = (max: number, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  supported: true,
  type: "int",
  min: 1,
  max,
  default: 4096,
  required: false,
  ...extra,
});

const topP = (def: number | null, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  supported: true,
  type: "float",
  min: 0,
  max: 1,
  default: def,
  step: 0.05,
  ...extra,
});

const topK = (min: number, max: number, def: number | null): ParamSpec => ({
  supported: true,
  type: "int",
  min,
  max,
  default: def,
});

const penalty = (extra: Partial<ParamSpec> = {}): ParamSpec => ({
  supported: true,
  type: "float",
  min: -2,
  max: 2,
  default: 0,
  step: 0.1,
  ...extra,
});

const seed = (extra: Partial<ParamSpec> = {}): ParamSpec => ({ supported: true, type: "int", ...extra });

const effort = (values: string[], note: string, supported: SupportFlag = true): ParamSpec => ({
  supported,
  type: "enum",
  values,
  note,
});

const unsupported = (type: ParamSpec["type"], note?: string): ParamSpec => ({
  supported: false,
  type,
  ...(note !== undefined && { note }),
});

const EFFORT_LEVELS = ["none", "low", "medium", "high"];

/** The tier-2 block shared by the local OpenAI-compatible servers (Ollama, LM Studio). */
const localServerTier2 = (): Record<string, ParamSpec> => ({
  top_p: topP(0.9),
  top_k: topK(1, 500, 40),
  frequency_penalty: penalty(),
  presence_penalty: penalty(),
  seed: seed(),
  reasoning_effort: unsupported("enum"),
});

export const UNKNOWN_PROVIDER_SPEC: ProviderSpec = {
  key: "_unknown",
  display_name: "Unknown (OpenAI-compatible fallback)",
  tier1: { temperature: temperature(2, 1), max_tokens: maxTokens(128000) },
  tier2: {
    top_p: topP(1),
    top_k: { supported: "unknown", type: "int" },
    frequency_penalty: penalty({ supported: "unknown" }),
    presence_penalty: penalty({ supported: "unknown" }),
    seed: seed({ supported: "unknown" }),
    reasoning_effort: { supported: "unknown", type: "enum", values: EFFORT_LEVELS },
  },
  tier3_examples: [],
  conflicts: [],
  notes: ["Used when the provider or model is not recognised. Assumes an OpenAI-compatible API."],
};

export const PROVIDER_PARAM_REGISTRY: Record<string, ProviderSpec> = {
  openai: {
    key: "openai",
    display_name: "OpenAI",
    tier1: {
      temperature: temperature(2, 1),
      max_tokens: maxTokens(128000),
      stop: { supported: true, type: "string_array", maxItems: 4 },
    },
    tier2: {
      top_p: topP(1),
      top_k: unsupported("int", "OpenAI does not support top_k"),
      frequency_penalty: penalty(),
      presence_penalty: penalty(),
      seed: seed({ deprecated: true, note: "Seed is deprecated for OpenAI" }),
      reasoning_effort: effort(EFFORT_LEVELS, "Only for reasoning models (o-series, GPT-5)"),
    },
    tier3_examples: [
      { name: "service_tier", type: "string", values: ["auto", "default", "flex", "priority"] },
      { name: "prediction", type: "object" },
      { name: "web_search_options", type: "object" },
    ],
    conflicts: [
      "GPT-5 models (gpt-5*) lock temperature to 1.0",
      "O-series models (o1*, o3*, o4*) lock temperature to 1.0 and do not support stop",
      "O-series models use max_completion_tokens instead of max_tokens",
    ],
    notes: ["GPT-5 models also take max_completion_tokens on OpenAI's API; max_tokens is renamed for them too"],
  },
  anthropic: {
    key: "anthropic",
    display_name: "Anthropic",
    tier1: {
      temperature: temperature(1, 1),
      max_tokens: maxTokens(128000, { required: true, note: "Anthropic requires max_tokens" }),
    },
    tier2: {
      top_p: topP(null, { note: "Cannot use with temperature on Haiku 4.5+/Opus 4+" }),
      top_k: topK(1, 500, null),
      frequency_penalty: unsupported("float", "Anthropic does not support penalty parameters"),
      presence_penalty: unsupported("float", "Anthropic does not support penalty parameters"),
      seed: unsupported("int", "Anthropic does not support seed"),
      reasoning_effort: effort(
        EFFORT_LEVELS,
        `Maps to the thinking budget (low=${ANTHROPIC_THINKING_BUDGET.low}, medium=${ANTHROPIC_THINKING_BUDGET.medium}, high=${ANTHROPIC_THINKING_BUDGET.high} tokens)`,
      ),
    },
    tier3_examples: [
      { name: "cache_control", type: "object" },
      { name: "inference_geo", type: "string" },
    ],
    conflicts: [
      "temperature and top_p cannot be used together: top_p is dropped, temperature kept",
      "With thinking enabled (reasoning_effort), temperature and top_k cannot be changed",
    ],
    notes: ["max_tokens is required for Anthropic and will always be included"],
  },
  gemini: {
    key: "gemini",
    display_name: "Google Gemini",
    tier1: { temperature: temperature(2, 1), max_tokens: maxTokens(65536) },
    tier2: {
      top_p: topP(null),
      top_k: topK(1, 100, null),
      frequency_penalty: penalty(),
      presence_penalty: penalty(),
      seed: seed(),
      reasoning_effort: effort(EFFORT_LEVELS, "Maps to thinkingConfig.thinkingLevel"),
    },
    tier3_examples: [{ name: "safety_settings", type: "array" }],
    conflicts: ["gemini-3 models degrade below temperature 1.0: lower values are raised to 1.0"],
    notes: [],
  },
  ollama: {
    key: "ollama",
    display_name: "Ollama / Local",
    tier1: { temperature: temperature(2, 0.8), max_tokens: maxTokens(32768) },
    tier2: localServerTier2(),
    tier3_examples: [
      { name: "mirostat", type: "int", min: 0, max: 2, note: "Mirostat sampling mode (0 = off, 1, 2)" },
      { name: "mirostat_eta", type: "float", note: "Mirostat learning rate" },
      { name: "mirostat_tau", type: "float", note: "Mirostat target entropy" },
      {
        name: "repetition_penalty",
        type: "float",
        min: 0,
        max: 3,
        note: "Multiplicative -- not the same as presence_penalty",
      },
      { name: "num_ctx", type: "int", note: "Context window size override" },
      { name: "min_p", type: "float", min: 0, max: 1, note: "Minimum probability threshold" },
      { name: "keep_alive", type: "string", note: "How long the model stays in memory (e.g. '5m')" },
    ],
    conflicts: [],
    notes: [],
  },
  lm_studio: {
    key: "lm_studio",
    display_name: "LM Studio",
    tier1: { temperature: temperature(2, 0.8), max_tokens: maxTokens(32768) },
    tier2: localServerTier2(),
    tier3_examples: [
      { name: "repetition_penalty", type: "float", min: 0, max: 3 },
      { name: "min_p", type: "float", min: 0, max: 1 },
    ],
    conflicts: [],
    notes: [],
  },
  mistral: {
    key: "mistral",
    display_name: "Mistral",
    tier1: { temperature: temperature(1.5, 0.7), max_tokens: maxTokens(32768) },
    tier2: {
      top_p: topP(1),
      top_k: { supported: "partial", type: "int", note: "Limited support in the Mistral API" },
      frequency_penalty: penalty(),
      presence_penalty: penalty(),
      seed: seed({ note: "Sent to Mistral as random_seed" }),
      reasoning_effort: unsupported("enum", "Use the system prompt for Magistral models"),
    },
    tier3_examples: [{ name: "safe_prompt", type: "bool" }],
    conflicts: [],
    notes: [],
  },
  deepseek: {
    key: "deepseek",
    display_name: "DeepSeek",
    tier1: { temperature: temperature(2, 1), max_tokens: maxTokens(65536) },
    tier2: {
      top_p: topP(1),
      top_k: unsupported("int"),
      frequency_penalty: penalty(),
      presence_penalty: penalty(),
      seed: unsupported("int"),
      reasoning_effort: effort(["none", "enabled"], "Binary: any value other than none enables thinking mode"),
    },
    tier3_examples: [],
    conflicts: ["DeepSeek R1 ignores all sampling params (temperature, top_p, penalties) in thinking mode"],
    notes: [],
  },
  cohere: {
    key: "cohere",
    display_name: "Cohere",
    tier1: { temperature: temperature(1, 0.3), max_tokens: maxTokens(4096) },
    tier2: {
      top_p: topP(null, { max: 0.99, note: "Max 0.99, not 1.0" }),
      top_k: topK(0, 500, null),
      frequency_penalty: penalty({ min: 0, max: 1, note: "Range 0-1 only (not -2 to 2)" }),
      presence_penalty: penalty({ min: 0, max: 1, note: "Range 0-1 only (not -2 to 2)" }),
      seed: seed(),
      reasoning_effort: unsupported("enum"),
    },
    tier3_examples: [
      { name: "safety_mode", type: "string", values: ["CONTEXTUAL", "STRICT", "OFF"] },
      { name: "documents", type: "array" },
      { name: "citation_options", type: "object" },
    ],
    conflicts: [],
    notes: ["frequency_penalty and presence_penalty are clamped to 0-1; top_p to at most 0.99"],
  },
  xai: {
    key: "xai",
    display_name: "xAI (Grok)",
    tier1: { temperature: temperature(2, 1), max_tokens: maxTokens(131072) },
    tier2: {
      top_p: topP(1),
      top_k: unsupported("int"),
      frequency_penalty: penalty(),
      presence_penalty: penalty(),
      seed: seed({ default: 0 }),
      reasoning_effort: effort(EFFORT_LEVELS, "Reasoning models reject penalties and stop sequences when active", "partial"),
    },
    tier3_examples: [],
    conflicts: ["xAI reasoning models reject penalty params and stop sequences"],
    notes: [],
  },
  vllm: {
    key: "vllm",
    display_name: "vLLM (Self-Hosted)",
    tier1: { temperature: temperature(2, 1), max_tokens: maxTokens(65536) },
    tier2: {
      top_p: topP(1),
      top_k: topK(1, 500, null),
      frequency_penalty: penalty(),
      presence_penalty: penalty(),
      seed: seed(),
      reasoning_effort: unsupported("enum"),
    },
    tier3_examples: [
      {
        name: "repetition_penalty",
        type: "float",
        min: 0,
        max: 3,
        note: "Multiplicative, different from presence_penalty (default 1)",
      },
      { name: "min_p", type: "float", min: 0, max: 1 },
      { name: "typical_p", type: "float", min: 0, max: 1 },
      { name: "guided_json", type: "object", note: "JSON schema for constrained decoding" },
      { name: "guided_choice", type: "array", note: "Constrain output to specific choices" },
      { name: "best_of", type: "int", note: "Generate N sequences, return the best" },
      { name: "ignore_eos", type: "bool", note: "Ignore the end-of-sequence token" },
    ],
    conflicts: [],
    notes: ["Pass vLLM params as direct kwargs, not inside extra_body"],
  },
  _unknown: UNKNOWN_PROVIDER_SPEC,
};

/** Model-id prefix → registry key (original-inventory §12.3 step 2), checked in this order. */
export const MODEL_PREFIX_PROVIDERS: ReadonlyArray<readonly [prefix: string, provider: string]> = [
  ["anthropic/", "anthropic"],
  ["gemini/", "gemini"],
  ["vertex_ai/", "gemini"],
  ["ollama/", "ollama"],
  ["ollama_chat/", "ollama"],
  ["lm_studio/", "lm_studio"],
  ["mistral/", "mistral"],
  ["deepseek/", "deepseek"],
  ["cohere/", "cohere"],
  ["cohere_chat/", "cohere"],
  ["xai/", "xai"],
  ["vllm/", "vllm"],
  ["openai/", "openai"],
];

/** Our app's provider keys that name a registry entry differently. */
export const PROVIDER_KEY_ALIASES: Readonly<Record<string, string>> = { google_gemini: "gemini" };
