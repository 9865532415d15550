/**
 * Built-in defaults shared by the Worker (seeding new users) and the web app (labels, "add from catalogue"):
 * the provider catalogue, the local-simulator models, prompt templates and benchmark defaults.
 * Prices are not here: they belong to the pricing table of the benchmark engine.
 */

export type ApiKind = "openai" | "anthropic";

export interface CatalogueModel {
  model_id: string;
  display_name: string;
  context_window: number;
  max_output_tokens?: number;
  skip_params?: string[];
}

export interface CatalogueProvider {
  provider_key: string;
  display_name: string;
  api_kind: ApiKind;
  api_base: string;
  api_key_env: string | null;
  is_local: boolean;
  models: CatalogueModel[];
}

/** Every provider is reached through the official OpenAI SDK (OpenAI-compatible endpoint) or the Anthropic SDK. */
export const PROVIDER_CATALOGUE: readonly CatalogueProvider[] = [
  {
    provider_key: "openai",
    display_name: "OpenAI",
    api_kind: "openai",
    api_base: "https://api.openai.com/v1",
    api_key_env: "OPENAI_API_KEY",
    is_local: false,
    models: [
      { model_id: "gpt-4o-mini", display_name: "GPT-4o mini", context_window: 128000, max_output_tokens: 16384 },
      { model_id: "gpt-4.1", display_name: "GPT-4.1", context_window: 1047576, max_output_tokens: 32768 },
    ],
  },
  {
    provider_key: "anthropic",
    display_name: "Anthropic",
    api_kind: "anthropic",
    api_base: "https://api.anthropic.com",
    api_key_env: "ANTHROPIC_API_KEY",
    is_local: false,
    models: [
      { model_id: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", context_window: 200000, max_output_tokens: 64000 },
      { model_id: "claude-haiku-4-5", display_name: "Claude Haiku 4.5", context_window: 200000, max_output_tokens: 64000 },
    ],
  },
  {
    provider_key: "google_gemini",
    display_name: "Google Gemini",
    api_kind: "openai",
    api_base: "https://generativelanguage.googleapis.com/v1beta/openai",
    api_key_env: "GEMINI_API_KEY",
    is_local: false,
    models: [{ model_id: "gemini-2.5-flash", display_name: "Gemini 2.5 Flash", context_window: 1048576, max_output_tokens: 65536 }],
  },
  {
    provider_key: "mistral",
    display_name: "Mistral",
    api_kind: "openai",
    api_base: "https://api.mistral.ai/v1",
    api_key_env: "MISTRAL_API_KEY",
    is_local: false,
    models: [{ model_id: "mistral-small-latest", display_name: "Mistral Small", context_window: 128000 }],
  },
  {
    provider_key: "deepseek",
    display_name: "DeepSeek",
    api_kind: "openai",
    api_base: "https://api.deepseek.com/v1",
    api_key_env: "DEEPSEEK_API_KEY",
    is_local: false,
    models: [{ model_id: "deepseek-chat", display_name: "DeepSeek Chat", context_window: 128000, max_output_tokens: 8192 }],
  },
  {
    provider_key: "xai",
    display_name: "xAI",
    api_kind: "openai",
    api_base: "https://api.x.ai/v1",
    api_key_env: "XAI_API_KEY",
    is_local: false,
    models: [{ model_id: "grok-3-mini", display_name: "Grok 3 mini", context_window: 131072 }],
  },
  {
    provider_key: "cohere",
    display_name: "Cohere",
    api_kind: "openai",
    api_base: "https://api.cohere.ai/compatibility/v1",
    api_key_env: "COHERE_API_KEY",
    is_local: false,
    models: [{ model_id: "command-r-plus", display_name: "Command R+", context_window: 128000, max_output_tokens: 4096 }],
  },
  {
    provider_key: "groq",
    display_name: "Groq",
    api_kind: "openai",
    api_base: "https://api.groq.com/openai/v1",
    api_key_env: "GROQ_API_KEY",
    is_local: false,
    models: [{ model_id: "llama-3.3-70b-versatile", display_name: "Llama 3.3 70B", context_window: 131072, max_output_tokens: 32768 }],
  },
  {
    provider_key: "openrouter",
    display_name: "OpenRouter",
    api_kind: "openai",
    api_base: "https://openrouter.ai/api/v1",
    api_key_env: "OPENROUTER_API_KEY",
    is_local: false,
    models: [],
  },
  {
    provider_key: "together",
    display_name: "Together AI",
    api_kind: "openai",
    api_base: "https://api.together.xyz/v1",
    api_key_env: "TOGETHER_API_KEY",
    is_local: false,
    models: [],
  },
  {
    provider_key: "fireworks",
    display_name: "Fireworks AI",
    api_kind: "openai",
    api_base: "https://api.fireworks.ai/inference/v1",
    api_key_env: "FIREWORKS_API_KEY",
    is_local: false,
    models: [],
  },
  // Local servers: only reachable from `wrangler dev` or a self-hosted tunnel, never from Cloudflare's edge.
  {
    provider_key: "ollama",
    display_name: "Ollama",
    api_kind: "openai",
    api_base: "http://localhost:11434/v1",
    api_key_env: null,
    is_local: true,
    models: [],
  },
  {
    provider_key: "lm_studio",
    display_name: "LM Studio",
    api_kind: "openai",
    api_base: "http://localhost:1234/v1",
    api_key_env: null,
    is_local: true,
    models: [],
  },
  {
    provider_key: "vllm",
    display_name: "vLLM",
    api_kind: "openai",
    api_base: "http://localhost:8000/v1",
    api_key_env: null,
    is_local: true,
    models: [],
  },
];

/**
 * The loopback simulator (local development and tests only). Model names encode timing and, for the tool-callers,
 * how the model calls tools; see src/simulator/README.md. A new model here also needs a price (pricing.ts) and a
 * migration that adds it to existing accounts' Local simulator (see migrations/0005_simulator_tool_callers.sql).
 */
export const SIMULATOR_PROVIDER_KEY = "local_simulator";
/** Speed models: timing profiles; offered tools get a placeholder call to the first one. */
export const SIMULATOR_SPEED_MODELS: readonly CatalogueModel[] = [
  { model_id: "sim-ttft80-tps150-len200", display_name: "Sim fast (80 ms, 150 tok/s)", context_window: 128000 },
  { model_id: "sim-ttft300-tps60-len200", display_name: "Sim typical (300 ms, 60 tok/s)", context_window: 128000 },
  { model_id: "sim-ttft1500-tps25-len200", display_name: "Sim slow long-context (1.5 s, 25 tok/s)", context_window: 1000000 },
  { model_id: "sim-ttft200-tps80-len200-reason40", display_name: "Sim reasoning (40 thinking tokens)", context_window: 128000 },
];
/** Tool-callers: read the request and call the tool it asks for, with a documented error profile each. */
export const SIMULATOR_TOOL_CALLER_MODELS: readonly CatalogueModel[] = [
  { model_id: "sim-careful", display_name: "Sim careful tool-caller (~90 % right)", context_window: 128000 },
  { model_id: "sim-sloppy", display_name: "Sim sloppy tool-caller (~60 % right)", context_window: 128000 },
  { model_id: "sim-eager", display_name: "Sim eager tool-caller (calls when none is wanted)", context_window: 128000 },
  { model_id: "sim-tunable", display_name: "Sim tunable tool-caller (accuracy follows temperature, top_p, prompt)", context_window: 128000 },
];
/**
 * Models that work for other jobs: the prompt tuner's meta-model writes candidate system prompts as JSON
 * (src/simulator/README.md, "Prompt writer"); the judge reviews eval results ("Judge").
 */
export const SIMULATOR_META_MODELS: readonly CatalogueModel[] = [
  { model_id: "sim-writer-ttft200-tps400", display_name: "Sim prompt writer (meta-model for the prompt tuner)", context_window: 128000 },
  { model_id: "sim-judge-ttft100-tps400", display_name: "Sim judge (LLM-as-judge with a known rule)", context_window: 128000 },
];
/**
 * A simulated server with a capacity model (src/simulator/capacity.ts): 8 batch slots, TTFT and ITL up to 2× when
 * all are busy, queueing beyond them. Its knee is known, so the capacity probe has a meaningful first run.
 */
export const SIMULATOR_CAPACITY_MODELS: readonly CatalogueModel[] = [
  {
    model_id: "sim-ttft200-tps50-len64-slots8-load100",
    display_name: "Sim server with 8 batch slots (for the capacity probe)",
    context_window: 128000,
  },
];
export const SIMULATOR_MODELS: readonly CatalogueModel[] = [
  ...SIMULATOR_SPEED_MODELS,
  ...SIMULATOR_TOOL_CALLER_MODELS,
  ...SIMULATOR_META_MODELS,
  ...SIMULATOR_CAPACITY_MODELS,
];
/** What Tool Eval preselects on a first visit: two simulator models whose scores differ clearly on the example suites. */
export const SIMULATOR_TOOL_EVAL_DEFAULTS: readonly string[] = ["sim-careful", "sim-sloppy"];

export function simulatorProvider(baseUrl: string): CatalogueProvider {
  return {
    provider_key: SIMULATOR_PROVIDER_KEY,
    display_name: "Local simulator",
    api_kind: "openai",
    api_base: `${baseUrl.replace(/\/+$/, "")}/v1`,
    api_key_env: null,
    is_local: true,
    models: [...SIMULATOR_MODELS],
  };
}

export interface PromptTemplate {
  key: string;
  label: string;
  category: string;
  prompt: string;
}

export const DEFAULT_PROMPT_TEMPLATES: readonly PromptTemplate[] = [
  {
    key: "recursion",
    label: "Explain Recursion",
    category: "reasoning",
    prompt:
      "Explain the concept of recursion in programming. Include a simple example in Python with comments, and describe how the call stack works.",
  },
  {
    key: "code_generation",
    label: "Generate Sorting Algorithm",
    category: "code",
    prompt: "Write a merge sort implementation in Python with type hints and docstrings. Explain its time complexity.",
  },
  {
    key: "creative",
    label: "Short Story",
    category: "creative",
    prompt: "Write a 300-word short story about a robot discovering nature for the first time.",
  },
  {
    key: "qa",
    label: "Quick Q&A",
    category: "short_qa",
    prompt: "What are the three main types of machine learning? Answer in one sentence each.",
  },
];

export interface BenchmarkDefaults {
  max_tokens: number;
  temperature: number;
  context_tiers: number[];
  prompt: string;
}

export const DEFAULT_BENCHMARK_SETTINGS: BenchmarkDefaults = {
  max_tokens: 512,
  temperature: 0.7,
  context_tiers: [0],
  prompt: "Explain the concept of recursion in programming. Include a simple example in Python with comments.",
};
