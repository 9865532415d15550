/**
 * Listing the models a provider's own API offers (spec/original-inventory.md §13.5): OpenAI-compatible
 * `GET {base}/models` (OpenAI, LM Studio, Ollama, vLLM, llama.cpp, OpenRouter …), Anthropic's
 * `GET {base}/v1/models` (paged) and Gemini's native `GET …/v1beta/models` (paged; it gives display names and
 * token limits, which its OpenAI-compatible list does not). The key goes in a header, never in the URL.
 */
import { z } from "@hono/zod-openapi";
import { getJson, ProviderFetchError } from "./http.ts";

export const DISCOVERY_TIMEOUT_MS = 10_000;
const MAX_PAGES = 10;

export type DiscoveryApi = "openai" | "anthropic" | "gemini";

export interface ListedModel {
  id: string;
  display_name: string | null;
  context_window: number | null;
  max_output_tokens: number | null;
  owned_by: string | null;
  /** USD per 1M tokens, when the provider's list says (OpenRouter does). */
  input_cost_per_mtok: number | null;
  output_cost_per_mtok: number | null;
}

export interface ListSource {
  api: DiscoveryApi;
  baseUrl: string;
  apiKey: string | null;
  trusted: boolean;
}

/** Gemini's OpenAI-compatible endpoint ends in /v1beta/openai; its native list sits beside it. */
const GEMINI_OPENAI_PATH = /\/v1beta\/openai\/?$/;

export function discoveryApiFor(p: { apiKind: "openai" | "anthropic"; baseUrl: string }): DiscoveryApi {
  if (p.apiKind === "anthropic") return "anthropic";
  return GEMINI_OPENAI_PATH.test(p.baseUrl) ? "gemini" : "openai";
}

const positiveInt = z.number().int().positive().optional().catch(undefined);
const OpenAiList = z.union([
  z.object({ data: z.array(z.unknown()) }).transform((v) => v.data),
  z.array(z.unknown()), // some OpenAI-compatible servers answer with the bare array
]);
const OpenAiEntry = z.object({
  id: z.string().min(1).max(256),
  owned_by: z.string().optional().catch(undefined),
  name: z.string().optional().catch(undefined),
  display_name: z.string().optional().catch(undefined),
  context_length: positiveInt, // OpenRouter, Together
  context_window: positiveInt, // Groq
  max_model_len: positiveInt, // vLLM
  max_context_length: positiveInt, // LM Studio
  max_completion_tokens: positiveInt,
  top_provider: z.object({ max_completion_tokens: positiveInt }).optional().catch(undefined),
  // OpenRouter: USD per token, as strings
  pricing: z.object({ prompt: z.coerce.number(), completion: z.coerce.number() }).optional().catch(undefined),
});

const AnthropicPage = z.object({
  data: z.array(z.object({ id: z.string().min(1).max(256), display_name: z.string().optional() })),
  has_more: z.boolean().optional(),
  last_id: z.string().nullable().optional(),
});

const GeminiPage = z.object({
  models: z
    .array(
      z.object({
        name: z.string().min(1).max(300),
        displayName: z.string().optional(),
        inputTokenLimit: positiveInt,
        outputTokenLimit: positiveInt,
        supportedGenerationMethods: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  nextPageToken: z.string().optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, host: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ProviderFetchError("malformed", `${host} answered with JSON that is not a model list`, host);
  return r.data;
}

const perMillion = (perToken: number | undefined) => (perToken === undefined || perToken < 0 ? null : Math.round(perToken * 1e6 * 1e6) / 1e6);

export async function listProviderModels(env: Env, src: ListSource): Promise<ListedModel[]> {
  const secrets = src.apiKey ? [src.apiKey] : [];
  const base = src.baseUrl.replace(/\/+$/, "");
  const host = new URL(base).host;
  const get = (url: string, headers: Record<string, string>) =>
    getJson(env, url, { headers, timeoutMs: DISCOVERY_TIMEOUT_MS, trusted: src.trusted, secrets });

  if (src.api === "anthropic") {
    const headers: Record<string, string> = { "anthropic-version": "2023-06-01", ...(src.apiKey ? { "x-api-key": src.apiKey } : {}) };
    const out: ListedModel[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url: string = `${base}/v1/models?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ""}`;
      const body: z.infer<typeof AnthropicPage> = parse(AnthropicPage, await get(url, headers), host);
      for (const m of body.data) out.push(listed(m.id, { display_name: m.display_name ?? null }));
      if (!body.has_more || !body.last_id) break;
      after = body.last_id;
    }
    return out;
  }

  if (src.api === "gemini") {
    const native = base.replace(GEMINI_OPENAI_PATH, "/v1beta");
    const headers: Record<string, string> = src.apiKey ? { "x-goog-api-key": src.apiKey } : {};
    const out: ListedModel[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = `${native}/models?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`;
      const body = parse(GeminiPage, await get(url, headers), host);
      for (const m of body.models) {
        // Embedding and other non-chat models cannot be benchmarked.
        if (m.supportedGenerationMethods && !m.supportedGenerationMethods.includes("generateContent")) continue;
        out.push(
          listed(m.name.replace(/^models\//, ""), {
            display_name: m.displayName ?? null,
            context_window: m.inputTokenLimit ?? null,
            max_output_tokens: m.outputTokenLimit ?? null,
          }),
        );
      }
      if (!body.nextPageToken) break;
      token = body.nextPageToken;
    }
    return out;
  }

  const headers: Record<string, string> = src.apiKey ? { authorization: `Bearer ${src.apiKey}` } : {};
  const entries = parse(OpenAiList, await get(`${base}/models`, headers), host);
  const out: ListedModel[] = [];
  for (const raw of entries) {
    const m = OpenAiEntry.safeParse(raw);
    if (!m.success) continue; // one odd entry does not spoil the list
    const e = m.data;
    out.push(
      listed(e.id, {
        display_name: e.display_name ?? (e.name && e.name !== e.id ? e.name : null),
        context_window: e.context_length ?? e.context_window ?? e.max_model_len ?? e.max_context_length ?? null,
        max_output_tokens: e.top_provider?.max_completion_tokens ?? e.max_completion_tokens ?? null,
        owned_by: e.owned_by ?? null,
        input_cost_per_mtok: perMillion(e.pricing?.prompt),
        output_cost_per_mtok: perMillion(e.pricing?.completion),
      }),
    );
  }
  return out;
}

function listed(id: string, fields: Partial<Omit<ListedModel, "id">>): ListedModel {
  return {
    id,
    display_name: null,
    context_window: null,
    max_output_tokens: null,
    owned_by: null,
    input_cost_per_mtok: null,
    output_cost_per_mtok: null,
    ...fields,
  };
}
