/**
 * Which local server answers at a provider's base URL, told apart by what only it serves:
 *   LM Studio  `GET /api/v0/models` (its REST API: `compatibility_type`, `state`, `arch` per model)
 *   Ollama     `GET /api/version` (`{version}`) and `GET /api/tags` (`{models:[{name, details}]}`)
 *   llama.cpp  `GET /props` (`default_generation_settings`, `total_slots`) or `owned_by: "llamacpp"` in /v1/models
 *   vLLM       `owned_by: "vllm"` in `GET /v1/models` (with `max_model_len`)
 * All probes run at once, each with its own short time-out, and are read in that order: the specific endpoints
 * first, because every one of these servers also answers the generic OpenAI `/v1/models`. Anything that answers
 * only `/v1/models` is `openai_compatible`; nothing at all is `unknown` with `available: false`.
 */
import { z } from "@hono/zod-openapi";
import { getJson, ProviderFetchError } from "./http.ts";

export const PROBE_TIMEOUT_MS = 3_000;

export const LOCAL_BACKENDS = ["lm_studio", "ollama", "llama_cpp", "vllm", "openai_compatible", "unknown"] as const;
export type LocalBackend = (typeof LOCAL_BACKENDS)[number];

/** Sampling parameters MLX engines ignore (the original's list, §13.5). */
export const MLX_UNSUPPORTED_PARAMS = ["mirostat", "mirostat_eta", "mirostat_tau", "typical_p"] as const;

export interface DetectedModel {
  id: string;
  compatibility_type: string | null;
  state: string | null;
  context_window: number | null;
}

export interface ProbeOutcome {
  endpoint: string;
  ok: boolean;
  error: string | null;
}

export interface Detection {
  available: boolean;
  backend: LocalBackend;
  version: string | null;
  models: DetectedModel[];
  backend_type: "gguf" | "mlx" | "mixed" | "unknown";
  mlx_unsupported_params: string[];
  probes: ProbeOutcome[];
  /** The refusal when the guard stopped a probe (a redirect into a private network). */
  refused: string | null;
}

const int = z.number().int().positive().optional().catch(undefined);
const LmStudioModels = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      compatibility_type: z.string().optional(),
      state: z.string().optional(),
      arch: z.string().optional(),
      max_context_length: int,
    }),
  ),
});
const OllamaVersion = z.object({ version: z.string() });
const OllamaTags = z.object({ models: z.array(z.object({ name: z.string(), details: z.object({ format: z.string().optional() }).optional() })) });
const LlamaCppProps = z.union([z.object({ default_generation_settings: z.record(z.string(), z.unknown()) }), z.object({ total_slots: z.number() })]);
const OpenAiModels = z.object({
  data: z.array(z.object({ id: z.string(), owned_by: z.string().optional(), max_model_len: int, meta: z.object({ n_ctx_train: int }).optional() })),
});

type Probe<T> = { ok: true; value: T } | { ok: false; error: string; refused: boolean };

/** The server's root: the base URL without its OpenAI `/v1` (or `/api/v0`) suffix. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/(v1|api\/v0)$/, "");
}

export async function detectBackend(env: Env, baseUrl: string, opts: { apiKey: string | null; trusted: boolean }): Promise<Detection> {
  const root = serverRoot(baseUrl);
  const headers: Record<string, string> = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
  const probe = async <T>(path: string, schema: z.ZodType<T>, from = root): Promise<Probe<T>> => {
    try {
      const body = await getJson(env, `${from}${path}`, {
        headers,
        timeoutMs: PROBE_TIMEOUT_MS,
        trusted: opts.trusted,
        secrets: opts.apiKey ? [opts.apiKey] : [],
      });
      const parsed = schema.safeParse(body);
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: "answered, but not in this server's shape", refused: false };
    } catch (err) {
      if (err instanceof ProviderFetchError) return { ok: false, error: err.message, refused: err.kind === "refused" };
      throw err;
    }
  };
  const v1 = `${root}/v1`;
  const [lmStudio, ollamaVersion, ollamaTags, llamaProps, openAi] = await Promise.all([
    probe("/api/v0/models", LmStudioModels),
    probe("/api/version", OllamaVersion),
    probe("/api/tags", OllamaTags),
    probe("/props", LlamaCppProps),
    probe("/models", OpenAiModels, v1),
  ]);
  const probes: ProbeOutcome[] = [
    ["/api/v0/models", lmStudio],
    ["/api/version", ollamaVersion],
    ["/api/tags", ollamaTags],
    ["/props", llamaProps],
    ["/v1/models", openAi],
  ].map(([endpoint, p]) => ({
    endpoint: endpoint as string,
    ok: (p as Probe<unknown>).ok,
    error: (p as Probe<unknown>).ok ? null : (p as { error: string }).error,
  }));
  const refusedProbe = [lmStudio, ollamaVersion, ollamaTags, llamaProps, openAi].find((p) => !p.ok && p.refused);
  const refused = refusedProbe && !refusedProbe.ok ? refusedProbe.error : null;
  const openAiModels: DetectedModel[] = openAi.ok
    ? openAi.value.data.map((m) => ({
        id: m.id,
        compatibility_type: null,
        state: null,
        context_window: m.max_model_len ?? m.meta?.n_ctx_train ?? null,
      }))
    : [];
  const result = (backend: LocalBackend, models: DetectedModel[], version: string | null = null): Detection => {
    const types = [...new Set(models.map((m) => m.compatibility_type).filter((t): t is string => t === "gguf" || t === "mlx"))];
    const backendType = types.length === 0 ? "unknown" : types.length > 1 ? "mixed" : (types[0] as "gguf" | "mlx");
    return {
      available: backend !== "unknown",
      backend,
      version,
      models,
      backend_type: backendType,
      mlx_unsupported_params: backendType === "mlx" || backendType === "mixed" ? [...MLX_UNSUPPORTED_PARAMS] : [],
      probes,
      refused,
    };
  };

  if (lmStudio.ok) {
    return result(
      "lm_studio",
      lmStudio.value.data.map((m) => ({
        id: m.id,
        compatibility_type: m.compatibility_type ?? null,
        state: m.state ?? null,
        context_window: m.max_context_length ?? null,
      })),
    );
  }
  if (ollamaVersion.ok || ollamaTags.ok) {
    const models = ollamaTags.ok
      ? ollamaTags.value.models.map((m) => ({ id: m.name, compatibility_type: m.details?.format ?? null, state: null, context_window: null }))
      : openAiModels;
    return result("ollama", models, ollamaVersion.ok ? ollamaVersion.value.version : null);
  }
  const ownedBy = openAi.ok ? new Set(openAi.value.data.map((m) => m.owned_by)) : new Set<string | undefined>();
  if (llamaProps.ok || ownedBy.has("llamacpp")) return result("llama_cpp", openAiModels);
  if (ownedBy.has("vllm")) return result("vllm", openAiModels);
  if (openAi.ok) return result("openai_compatible", openAiModels);
  return result("unknown", []);
}
