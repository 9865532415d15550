/**
 * Simulated local inference servers, each under its own path prefix so one simulator process is all of them at
 * once (a provider's base URL picks one: `<url>/lmstudio/v1`). Each answers the endpoints that tell it apart
 * (what the app's backend detection reads) and the OpenAI model list in its own shape; chat calls under a prefix
 * (`/lmstudio/v1/chat/completions`) are the normal simulator, which the server's suffix match already routes.
 *
 *   /lmstudio  LM Studio: GET /api/v0/models (compatibility_type, state, arch, max_context_length), /v1/models
 *   /ollama    Ollama:    GET /api/version, GET /api/tags, /v1/models (owned_by "library")
 *   /llamacpp  llama.cpp: GET /health, GET /props, /v1/models (owned_by "llamacpp", meta.n_ctx_train)
 *   /vllm      vLLM:      GET /health (empty 200), GET /version, /v1/models (owned_by "vllm", max_model_len)
 * and, not local but alike for the app's model discovery, Gemini's native model list:
 *   /gemini    GET /v1beta/models (needs an `x-goog-api-key` header; one embedding model that is not for chat);
 *              its OpenAI-compatible chat is `/gemini/v1beta/openai/chat/completions`, as Google's is.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http.ts";

/** Fixed so the lists are stable across restarts (2025-01-01T00:00:00Z). */
const CREATED = 1735689600;

/** What every simulated server serves: simulator model ids, so a chat call to any of them works. */
export const LOCAL_BACKEND_MODELS = [
  { id: "sim-ttft80-tps150-len200", format: "gguf", state: "loaded", context: 32768 },
  { id: "sim-ttft300-tps60-len120", format: "gguf", state: "not-loaded", context: 8192 },
  { id: "sim-ttft150-tps120-len60-roleFirst", format: "mlx", state: "loaded", context: 16384 },
] as const;

export const LOCAL_BACKEND_PREFIXES = ["lmstudio", "ollama", "llamacpp", "vllm"] as const;
export type LocalBackendPrefix = (typeof LOCAL_BACKEND_PREFIXES)[number];

const OWNED_BY: Record<LocalBackendPrefix, string> = {
  lmstudio: "organization_owner",
  ollama: "library",
  llamacpp: "llamacpp",
  vllm: "vllm",
};

function openAiList(kind: LocalBackendPrefix): unknown {
  return {
    object: "list",
    data: LOCAL_BACKEND_MODELS.map((m) => ({
      id: m.id,
      object: "model",
      created: CREATED,
      owned_by: OWNED_BY[kind],
      ...(kind === "vllm" ? { root: m.id, max_model_len: m.context } : {}),
      ...(kind === "llamacpp" ? { meta: { n_ctx_train: m.context, vocab_type: 2 } } : {}),
    })),
  };
}

/** Answers a GET under one of the prefixes; false when the path is not one of these servers' own. */
export function handleLocalBackend(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (req.method === "GET" && path === "/gemini/v1beta/models") {
    geminiModels(req, res);
    return true;
  }
  const match = /^\/(lmstudio|ollama|llamacpp|vllm)(\/.*)?$/.exec(path);
  if (!match || req.method !== "GET") return false;
  const kind = match[1] as LocalBackendPrefix;
  const rest = match[2] ?? "";
  if (rest === "/v1/models") {
    sendJson(res, 200, openAiList(kind));
    return true;
  }
  switch (`${kind}${rest}`) {
    case "lmstudio/api/v0/models":
      sendJson(res, 200, {
        object: "list",
        data: LOCAL_BACKEND_MODELS.map((m) => ({
          id: m.id,
          object: "model",
          type: "llm",
          publisher: "simulator",
          arch: "llama",
          compatibility_type: m.format,
          quantization: m.format === "mlx" ? "4bit" : "Q4_K_M",
          state: m.state,
          max_context_length: m.context,
        })),
      });
      return true;
    case "ollama/api/version":
      sendJson(res, 200, { version: "0.6.5" });
      return true;
    case "ollama/api/tags":
      sendJson(res, 200, {
        models: LOCAL_BACKEND_MODELS.map((m) => ({
          name: m.id,
          model: m.id,
          modified_at: new Date(CREATED * 1000).toISOString(),
          size: 4_920_753_328,
          digest: "0".repeat(64),
          details: { format: "gguf", family: "llama", parameter_size: "8.0B", quantization_level: "Q4_K_M" },
        })),
      });
      return true;
    case "llamacpp/health":
      sendJson(res, 200, { status: "ok" });
      return true;
    case "llamacpp/props":
      sendJson(res, 200, {
        default_generation_settings: { n_ctx: LOCAL_BACKEND_MODELS[0].context, temperature: 0.8 },
        total_slots: 1,
        model_path: `/models/${LOCAL_BACKEND_MODELS[0].id}.gguf`,
        build_info: "b5000-simulated",
      });
      return true;
    case "vllm/health":
      res.writeHead(200, { "content-length": "0" });
      res.end();
      return true;
    case "vllm/version":
      sendJson(res, 200, { version: "0.8.4" });
      return true;
    default:
      return false;
  }
}

function geminiModels(req: IncomingMessage, res: ServerResponse): void {
  const key = req.headers["x-goog-api-key"];
  if (typeof key !== "string" || key === "") {
    sendJson(res, 403, {
      error: { code: 403, message: "Method doesn't allow unregistered callers. Please use an API key.", status: "PERMISSION_DENIED" },
    });
    return;
  }
  sendJson(res, 200, {
    models: [
      ...LOCAL_BACKEND_MODELS.map((m) => ({
        name: `models/${m.id}`,
        displayName: `Gemini-style ${m.id}`,
        inputTokenLimit: m.context,
        outputTokenLimit: 8192,
        supportedGenerationMethods: ["generateContent", "countTokens"],
      })),
      { name: "models/sim-embedding", displayName: "Embedding", inputTokenLimit: 2048, supportedGenerationMethods: ["embedContent"] },
    ],
  });
}
